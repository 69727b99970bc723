"""The analyst's start page (the admin index): stale initiatives oldest first,
overdue milestones, the analyst's own drafts, and everyone's latest changes
from the audit trail, in a fixed number of queries."""

import datetime

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from initiatives.start import CHANGE_LOG_LABELS, LIST_LENGTH, latest_changes

from .factories import (
    AnalystFactory,
    CitationFactory,
    InitiativeFactory,
    MilestoneFactory,
    SourceFactory,
    StatusUpdateFactory,
)

pytestmark = pytest.mark.django_db

INDEX = "/admin/"


@pytest.fixture
def analyst():
    return AnalystFactory(username="aigerim")


@pytest.fixture
def analyst_client(analyst):
    client = Client()
    client.force_login(analyst)
    return client


def published_update(initiative, reported_on):
    update = StatusUpdateFactory(initiative=initiative, reported_on=reported_on)
    CitationFactory(update=update)
    return update


def section(html, heading_id):
    start = html.index(f'id="{heading_id}"')
    end = html.find("</section>", start)
    return html[start:end]


def test_initiatives_needing_an_update_are_listed_oldest_first(analyst_client):
    today = timezone.localdate()
    middle = InitiativeFactory(title="Middle stale")
    published_update(middle, datetime.date(2024, 6, 1))
    oldest = InitiativeFactory(title="Oldest stale")
    published_update(oldest, datetime.date(2023, 1, 10))
    fresh = InitiativeFactory(title="Fresh one")
    published_update(fresh, today - datetime.timedelta(days=3))
    InitiativeFactory(title="Never assessed")

    html = section(analyst_client.get(INDEX).content.decode(), "start-stale")

    assert html.index("Oldest stale") < html.index("Middle stale")
    assert "Fresh one" not in html
    assert "Never assessed" not in html
    assert "2 initiatives have had no update for too long" in html


def test_overdue_milestones_are_listed_and_achieved_or_future_ones_are_not(analyst_client):
    today = timezone.localdate()
    MilestoneFactory(title="Late target", due_on=today - datetime.timedelta(days=40))
    MilestoneFactory(
        title="Met target", due_on=today - datetime.timedelta(days=40), achieved_on=today - datetime.timedelta(days=50)
    )
    MilestoneFactory(title="Future target", due_on=today + datetime.timedelta(days=40))

    html = section(analyst_client.get(INDEX).content.decode(), "start-overdue")

    assert "Late target" in html
    assert "Met target" not in html
    assert "Future target" not in html


def test_the_analyst_sees_their_own_drafts_with_a_preview_link_and_no_one_elses(analyst_client, analyst):
    mine = StatusUpdateFactory(published=False, author=analyst, headline="My own draft")
    StatusUpdateFactory(published=False, author=AnalystFactory(), headline="A colleague's draft")
    StatusUpdateFactory(published=True, author=analyst, headline="My published update")

    html = section(analyst_client.get(INDEX).content.decode(), "start-drafts")

    assert "My own draft" in html
    assert reverse("admin:initiatives_statusupdate_preview", args=[mine.pk]) in html
    assert "A colleague's draft" not in html
    assert "My published update" not in html


def test_the_latest_changes_by_anyone_come_from_the_audit_trail_newest_first(analyst_client):
    colleague = AnalystFactory(username="daniyar")
    milestone = MilestoneFactory(title="Launch the portal")
    source = SourceFactory(title="Ministry report")
    milestone.title = "Launch the national portal"
    milestone._history_user = colleague
    milestone.save()
    source.delete()

    html = section(analyst_client.get(INDEX).content.decode(), "start-changes")

    assert html.index("Ministry report") < html.index("Launch the national portal")
    assert "deleted: source" in html
    assert "changed: milestone" in html
    assert "daniyar" in html
    assert reverse("admin:initiatives_milestone_history", args=[milestone.pk]) in html


def test_the_change_log_covers_every_audited_model_of_the_tracker():
    models = apps.get_app_config("initiatives").get_models()
    audited = {model for model in models if getattr(model._meta, "simple_history_manager_attribute", None)}
    assert audited == set(CHANGE_LOG_LABELS)


def test_the_change_log_is_cut_to_its_length_newest_first():
    for n in range(5):
        InitiativeFactory(title=f"Initiative number {n}")
    entries = latest_changes(length=3)
    assert [entry.label for entry in entries] == ["Initiative number 4", "Initiative number 3", "Initiative number 2"]


def test_long_lists_show_their_first_rows_and_link_to_all_of_them(analyst_client, analyst):
    for _ in range(LIST_LENGTH + 2):
        StatusUpdateFactory(published=False, author=analyst)

    html = section(analyst_client.get(INDEX).content.decode(), "start-drafts")

    assert html.count("/preview/") == LIST_LENGTH
    assert f"All {LIST_LENGTH + 2} of my drafts" in html
    assert "?mine=drafts" in html


def test_the_milestone_list_filters_to_the_overdue_ones(analyst_client):
    today = timezone.localdate()
    MilestoneFactory(title="Late target", due_on=today - datetime.timedelta(days=40))
    MilestoneFactory(title="Future target", due_on=today + datetime.timedelta(days=40))

    html = analyst_client.get(reverse("admin:initiatives_milestone_changelist") + "?overdue=yes").content.decode()

    assert "Late target" in html
    assert "Future target" not in html


@pytest.mark.parametrize("rows", [1, 15])
def test_the_start_page_query_count_does_not_grow(analyst_client, analyst, django_assert_num_queries, rows):
    today = timezone.localdate()
    for n in range(rows):
        initiative = InitiativeFactory()
        published_update(initiative, datetime.date(2023, 1, 1) + datetime.timedelta(days=n))
        MilestoneFactory(initiative=initiative, due_on=today - datetime.timedelta(days=n + 1))
        StatusUpdateFactory(initiative=initiative, published=False, author=analyst)

    # Session, user, the user's and the group's permissions, the stale, overdue and
    # draft lists (and a count of each when longer than a list), the change log,
    # and the admin's own "Recent actions".
    with django_assert_num_queries(9 if rows < LIST_LENGTH else 12):
        response = analyst_client.get(INDEX)
    assert response.status_code == 200
