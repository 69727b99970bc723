"""Aggregates are cached per data version: cheap on repeat, never stale after an edit."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from initiatives.vocabularies import Status

from .factories import InitiativeFactory, StatusUpdateFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def queries_for(client, path):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured), response


def test_the_dashboard_aggregates_are_computed_once_per_data_version(client):
    for _ in range(3):
        InitiativeFactory(with_updates=2, with_relations=True)

    first, _ = queries_for(client, "/")
    again, _ = queries_for(client, "/")

    assert again < first
    assert again <= 1  # at most a session or user lookup; the data comes from the cache


def test_a_saved_update_shows_on_the_next_dashboard(client):
    initiative = InitiativeFactory()
    StatusUpdateFactory(initiative=initiative, status=Status.ADOPTED)
    client.get("/")

    StatusUpdateFactory(initiative=initiative, status=Status.COMPLETED, reported_on=datetime.date(2025, 9, 1))

    response = client.get("/?status=completed")
    statuses = {row["code"]: row["count"] for row in response.context["statuses"]}
    assert statuses["completed"] == 1
    assert statuses["adopted"] == 0


def test_facet_counts_follow_the_filter_state_and_many_to_many_edits(client):
    theme = ThemeFactory(slug="ai")
    tagged = InitiativeFactory(kind="program")
    tagged.themes.add(theme)
    InitiativeFactory(kind="proposal")

    def kind_counts(path):
        facets = client.get(path).context["facets"]
        return {value["value"]: value["count"] for value in next(f for f in facets if f["key"] == "kind")["values"]}

    assert kind_counts("/initiatives/") == {"proposal": 1, "program": 1}
    assert kind_counts("/initiatives/?theme=ai") == {"proposal": 0, "program": 1}

    tagged.themes.remove(theme)

    assert kind_counts("/initiatives/?theme=ai") == {"proposal": 0, "program": 0}


def test_an_unchanged_page_answers_304_to_a_conditional_get(client):
    InitiativeFactory(slug="digital-code")
    first = client.get("/initiatives/digital-code/")
    etag = first["ETag"]

    again = client.get("/initiatives/digital-code/", headers={"if-none-match": etag})

    assert again.status_code == 304


def test_page_counts_are_cached_and_follow_edits(client):
    initiative = InitiativeFactory()
    StatusUpdateFactory(initiative=initiative)
    client.get("/updates/")

    StatusUpdateFactory(initiative=initiative, reported_on=datetime.date(2025, 9, 1))

    assert client.get("/updates/").context["paginator"].count == 2
    assert client.get("/api/status-updates/").json()["count"] == 2


def test_a_list_page_filtered_on_the_computed_status_is_cached_until_data_changes(client):
    stalled = InitiativeFactory(title="Stalled one")
    StatusUpdateFactory(initiative=stalled, status=Status.STALLED)
    path = "/initiatives/?status=stalled"
    first, response = queries_for(client, path)
    assert [row.title for row in response.context["object_list"]] == ["Stalled one"]

    again, _ = queries_for(client, path)
    assert again < first

    moved = InitiativeFactory(title="Another")
    StatusUpdateFactory(initiative=moved, status=Status.STALLED)
    _, response = queries_for(client, path)
    assert [row.title for row in response.context["object_list"]] == ["Another", "Stalled one"]


def test_today_and_today_s_date_asked_explicitly_are_kept_apart():
    """?as_of=<today> lists only what was known by the date (a program "proposed in
    2026" is not yet known on 2 December): never today's entry."""
    from django.utils import timezone

    from initiatives.cache import key_for

    today = timezone.localdate()
    assert key_for("count", as_of=None) != key_for("count", as_of=today)
    assert key_for("count", as_of=today) == key_for("count", as_of=today)
