"""schemathesis against the live OpenAPI schema, in process, over every API path.

Every operation gets generated requests (valid and invalid) and every response
goes through schemathesis's default checks: no 5xx, documented status codes,
content types and headers, bodies that match the schema, valid input accepted
and invalid input rejected, and writes refused with a 405.
"""

import datetime

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from initiatives.models import ExternalLink, InitiativeRelation
from initiatives.vocabularies import RelationType
from tracker.wsgi import application

from .factories import InitiativeFactory, StatusUpdateFactory

EXAMPLES_PER_OPERATION = 25


# Loaded from the running app (the same view clients fetch) when the module is collected.
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


@pytest.fixture
def world(db, settings):
    """A small world to answer with, unthrottled."""
    settings.API_ANON_RATE = None
    first, second = InitiativeFactory.create_batch(2, with_updates=2, with_relations=True)
    InitiativeRelation.objects.create(from_initiative=first, to_initiative=second, relation_type=RelationType.PART_OF)
    ExternalLink.objects.create(initiative=first, kind="legal_act", label="No. 1")
    InitiativeFactory(kind="proposal")  # not yet assessed
    StatusUpdateFactory(initiative=first, published=False, reported_on=datetime.date(2025, 1, 1))
    # schemathesis calls the WSGI app directly, so, as Django's test client does, keep
    # the end of each request from closing the connection that holds the test's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# /api/changes/'s "from" must come before "to" (or today, or as_of): documented, not expressible.
REFERENCES = {"theme", "organisation", "from"}


def accepts_valid_data(ctx, response, case):
    """schemathesis's positive_data_acceptance, except for the rejections the schema
    documents but cannot express: a well-formed theme or organisation slug that does not
    exist is a 400 naming it (generated slugs mostly don't), and so is a ``from`` date not
    before the end of /api/changes/'s period."""
    if response.status_code == 400 and set(response.json()) <= REFERENCES:
        return None
    return positive_data_acceptance(ctx, response, case)


@schema.parametrize()
@hypothesis_settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_conforms_to_its_schema(world, case):
    case.call_and_validate(excluded_checks=[positive_data_acceptance], additional_checks=[accepts_valid_data])
