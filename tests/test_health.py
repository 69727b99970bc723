"""Behind a load balancer: a health check, and 503s (not stack traces) while the database is down."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_down():
    with mock.patch.object(BaseDatabaseWrapper, "cursor", side_effect=OperationalError("connection refused")):
        yield


@pytest.fixture
def anonymous():
    return Client(raise_request_exception=False)


def test_healthz_answers_ok_when_the_database_is_reachable(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_when_the_database_is_down(anonymous, database_down):
    response = anonymous.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unreachable", "cache": "ok"}


def test_a_page_answers_503_with_retry_after_when_the_database_is_down(anonymous, database_down):
    response = anonymous.get("/initiatives/")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert b"temporarily unavailable" in response.content
    assert b"Traceback" not in response.content


def test_the_api_answers_503_json_when_the_database_is_down(anonymous, database_down):
    response = anonymous.get("/api/initiatives/")

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert "unavailable" in response.json()["detail"]


def test_other_errors_remain_500(anonymous):
    with mock.patch("initiatives.views.InitiativeListView.get", side_effect=RuntimeError("bug")):
        response = anonymous.get("/initiatives/")

    assert response.status_code == 500
    assert b"Something went wrong" in response.content
