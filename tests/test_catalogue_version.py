"""The catalogue version (initiatives/cache.py): every change but to status updates and
their citations moves it on, and today's kind, theme, organisation and country facets
(and the list's count) under catalogue filters alone are kept under it, so a status
update, the usual save, counts only the status and attention facets again; every other
change counts all."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from initiatives.cache import CATALOGUE, DATA, bump_data_version, data_version
from initiatives.models import InitiativeCountry, InitiativeOrganisation
from initiatives.vocabularies import Role, Status

from .factories import (
    CitationFactory,
    InitiativeFactory,
    MilestoneFactory,
    OrganisationFactory,
    SourceFactory,
    StatusUpdateFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

FACET_QUERIES = {
    "count": 'SELECT COUNT(*) AS "__count" FROM "initiatives_initiative"',
    "kind": 'SELECT "initiatives_initiative"."kind" AS "kind", COUNT(',
    "status": '"initiatives_initiative"."latest_status" AS "current_status", COUNT(',
    "theme": 'SELECT "initiatives_initiative_themes"."theme_id" AS "theme", COUNT(',
    "organisation": 'SELECT "initiatives_initiativeorganisation"."organisation_id" AS "organisation", COUNT(',
    "country": 'SELECT "initiatives_initiativecountry"."country" AS "country", COUNT(',
}


def listed(client, path="/initiatives/"):
    """The facets' values by key, and which facets were counted (by their queries)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    sql = [query["sql"] for query in queries.captured_queries]
    counted = {key for key, start in FACET_QUERIES.items() if any(start in each for each in sql)}
    values = {
        facet["key"]: {item["value"]: item["count"] for item in facet["values"] if item["count"]}
        for facet in response.context["facets"]
    }
    return values, counted


@pytest.fixture
def program():
    initiative = InitiativeFactory(kind="program", with_relations=True)
    StatusUpdateFactory(initiative=initiative, status=Status.IN_PROGRESS, reported_on=datetime.date(2025, 3, 1))
    return initiative


def test_a_status_update_moves_the_data_version_but_not_the_catalogue_version(program):
    source = SourceFactory()  # a source is part of the catalogue: added before
    data, catalogue = data_version(), data_version(CATALOGUE)
    update = StatusUpdateFactory(initiative=program, status=Status.COMPLETED, reported_on=datetime.date(2025, 9, 1))
    CitationFactory(update=update, source=source)
    assert data_version() > data and data_version(CATALOGUE) == catalogue
    program.title = "Renamed"
    program.save()
    assert data_version(DATA) > data and data_version(CATALOGUE) > catalogue


@pytest.mark.parametrize(
    "change",
    [
        lambda initiative: MilestoneFactory(initiative=initiative),
        lambda initiative: initiative.sources.add(SourceFactory()),
        lambda initiative: initiative.milestones.all().delete(),
        lambda initiative: bump_data_version(),
    ],
    ids=["milestone", "source", "deletion", "explicit bump"],
)
def test_every_other_change_moves_both(program, change):
    data, catalogue = data_version(), data_version(CATALOGUE)
    change(program)
    assert data_version() > data and data_version(CATALOGUE) > catalogue


def test_after_a_status_update_only_the_status_facets_are_counted_again(client, program):
    before, counted = listed(client)
    assert counted == set(FACET_QUERIES)
    assert before["status"] == {"in_progress": 1}

    StatusUpdateFactory(initiative=program, status=Status.COMPLETED, reported_on=datetime.date(2025, 9, 1))
    after, counted = listed(client)
    assert counted == {"status"}
    assert after["status"] == {"completed": 1}
    assert {key: after[key] for key in ("kind", "theme", "organisation", "country")} == {
        key: before[key] for key in ("kind", "theme", "organisation", "country")
    }


@pytest.mark.parametrize(
    "change",
    [
        lambda initiative: initiative.themes.add(ThemeFactory(slug="added-theme")),
        lambda initiative: InitiativeOrganisation.objects.create(
            initiative=initiative, organisation=OrganisationFactory(slug="added-organisation"), role=Role.PARTNER
        ),
        lambda initiative: InitiativeCountry.objects.create(initiative=initiative, country="KG"),
        lambda initiative: InitiativeFactory(kind="proposal"),
    ],
    ids=["theme", "role", "country", "initiative"],
)
def test_a_change_to_what_initiatives_are_counts_every_facet_again(client, program, change):
    before, _ = listed(client)
    change(program)
    after, counted = listed(client)
    assert counted == set(FACET_QUERIES)
    assert after != before


def test_a_status_filter_keeps_the_other_facets_under_the_data_version(client, program):
    """Under ?status=, the kind facet counts initiatives by their status: a status update
    changes it, so it is not kept under the catalogue version."""
    path = "/initiatives/?status=in_progress"
    before, _ = listed(client, path)
    assert before["kind"] == {"program": 1}

    StatusUpdateFactory(initiative=program, status=Status.COMPLETED, reported_on=datetime.date(2025, 9, 1))
    after, counted = listed(client, path)
    assert "kind" in counted and after["kind"] == {}


def test_a_catalogue_filter_keeps_the_other_catalogue_facets(client, program):
    path = f"/initiatives/?kind=program&theme={program.themes.get().slug}"
    listed(client, path)
    StatusUpdateFactory(initiative=program, status=Status.COMPLETED, reported_on=datetime.date(2025, 9, 1))
    _, counted = listed(client, path)
    assert counted == {"status"}


def test_a_past_date_counts_every_facet_again(client, program):
    path = "/initiatives/?as_of=2025-06-01"
    listed(client, path)
    StatusUpdateFactory(initiative=program, status=Status.COMPLETED, reported_on=datetime.date(2025, 9, 1))
    _, counted = listed(client, path)
    # (A past date's status facet asks the updates known then: another query.)
    assert {"kind", "theme", "organisation", "country"} <= counted
