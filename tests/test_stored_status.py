"""Today's status is stored on each initiative (Initiative.latest_standing_update and the
columns beside it) so that lists of thousands read one table. These tests hold the stored
copy to the rule it copies (the latest published, not withdrawn update, newest reported)
on every path that writes updates, and check that today's lists no longer ask the
updates table while a past date still does."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Subquery
from django.test.utils import CaptureQueriesContext

from initiatives import services
from initiatives.models import Initiative, StatusUpdate
from initiatives.querysets import LATEST_STANDING_COLUMNS, InitiativeQuerySet
from initiatives.vocabularies import Status

from .factories import AnalystFactory, CitationFactory, InitiativeFactory, StatusUpdateFactory, fill_search_tables

pytestmark = pytest.mark.django_db

JAN = datetime.date(2025, 1, 10)
MAR = datetime.date(2025, 3, 10)
JUN = datetime.date(2025, 6, 10)


def stored(initiative):
    return Initiative.objects.values(*LATEST_STANDING_COLUMNS).get(pk=initiative.pk)


def by_the_rule(initiative):
    """What the stored columns must say, worked out from the updates themselves."""
    latest = InitiativeQuerySet._latest_update(None)
    return (
        Initiative.objects.filter(pk=initiative.pk)
        .annotate(
            **{
                f"rule_{column}": Subquery(latest.values(field)[:1])
                for column, field in LATEST_STANDING_COLUMNS.items()
            }
        )
        .values(*(f"rule_{column}" for column in LATEST_STANDING_COLUMNS))
        .get()
    )


def assert_stored_follows_the_rule(*initiatives):
    for initiative in initiatives:
        rule = {column.removeprefix("rule_"): value for column, value in by_the_rule(initiative).items()}
        assert stored(initiative) == rule


@pytest.fixture
def initiative():
    initiative = InitiativeFactory()
    StatusUpdateFactory(initiative=initiative, reported_on=JAN, status=Status.PROPOSED, progress=None)
    StatusUpdateFactory(initiative=initiative, reported_on=MAR, status=Status.IN_PROGRESS, progress=30)
    return initiative


def test_a_saved_update_becomes_the_stored_status(initiative):
    assert stored(initiative)["latest_status"] == Status.IN_PROGRESS
    assert stored(initiative)["latest_progress"] == 30
    assert stored(initiative)["latest_reported_on"] == MAR
    assert_stored_follows_the_rule(initiative)


def test_an_initiative_without_a_standing_update_stores_nothing():
    initiative = InitiativeFactory()
    StatusUpdateFactory(initiative=initiative, reported_on=JAN, published=False)
    assert set(stored(initiative).values()) == {None}
    assert Initiative.objects.with_current_status().get(pk=initiative.pk).current_status is None


def test_a_back_dated_update_leaves_the_stored_status(initiative):
    StatusUpdateFactory(initiative=initiative, reported_on=datetime.date(2024, 6, 1), status=Status.STALLED)
    assert stored(initiative)["latest_status"] == Status.IN_PROGRESS


def test_editing_the_latest_update_changes_the_stored_status(initiative):
    latest = StatusUpdate.objects.get(initiative=initiative, reported_on=MAR)
    latest.status, latest.progress = Status.STALLED, 35
    latest.save()
    assert stored(initiative)["latest_status"] == Status.STALLED
    assert stored(initiative)["latest_progress"] == 35


def test_re_dating_the_latest_update_earlier_hands_the_status_back(initiative):
    latest = StatusUpdate.objects.get(initiative=initiative, reported_on=MAR)
    latest.reported_on = datetime.date(2024, 1, 1)
    latest.save()
    assert stored(initiative)["latest_status"] == Status.PROPOSED
    assert_stored_follows_the_rule(initiative)


def test_withdrawing_and_unpublishing_through_the_services(initiative):
    analyst = AnalystFactory()
    latest = StatusUpdate.objects.filter(initiative=initiative, reported_on=MAR)
    services.withdraw_updates(updates=latest, reason="The report was misread.", user=analyst)
    assert stored(initiative)["latest_status"] == Status.PROPOSED
    assert_stored_follows_the_rule(initiative)


def test_publishing_a_draft_through_the_services(initiative):
    draft = StatusUpdateFactory(initiative=initiative, reported_on=JUN, status=Status.COMPLETED, published=False)
    CitationFactory(update=draft)
    assert stored(initiative)["latest_status"] == Status.IN_PROGRESS
    services.publish_updates(updates=StatusUpdate.objects.filter(pk=draft.pk), user=AnalystFactory())
    assert stored(initiative)["latest_status"] == Status.COMPLETED
    assert_stored_follows_the_rule(initiative)


def test_deleting_the_latest_update(initiative):
    StatusUpdate.objects.get(initiative=initiative, reported_on=MAR).delete()
    assert stored(initiative)["latest_status"] == Status.PROPOSED
    StatusUpdate.objects.filter(initiative=initiative).delete()
    assert set(stored(initiative).values()) == {None}


def test_moving_an_update_to_another_initiative_updates_both(initiative):
    other = InitiativeFactory()
    latest = StatusUpdate.objects.get(initiative=initiative, reported_on=MAR)
    latest.initiative = other
    latest.save()
    assert stored(initiative)["latest_status"] == Status.PROPOSED
    assert stored(other)["latest_status"] == Status.IN_PROGRESS
    assert_stored_follows_the_rule(initiative, other)


def test_a_queryset_update_and_bulk_create_keep_it_too(initiative):
    StatusUpdate.objects.filter(initiative=initiative, reported_on=MAR).update(published=False)
    assert stored(initiative)["latest_status"] == Status.PROPOSED
    other = InitiativeFactory()
    StatusUpdate.objects.filter(initiative=initiative).update(initiative=other)
    assert set(stored(initiative).values()) == {None}
    StatusUpdate.objects.bulk_create(
        [
            StatusUpdate(
                initiative=initiative, reported_on=JUN, status=Status.ADOPTED, headline="Adopted", published=True
            )
        ]
    )
    assert stored(initiative)["latest_status"] == Status.ADOPTED
    assert_stored_follows_the_rule(initiative, other)


def test_deleting_an_initiative_with_its_updates():
    initiative = InitiativeFactory()
    StatusUpdateFactory(initiative=initiative, reported_on=JAN)
    initiative.delete()
    assert not Initiative.objects.filter(pk=initiative.pk).exists()


def test_the_loaded_dataset_stores_every_initiatives_status():
    call_command("load_dataset", verbosity=0)
    initiatives = list(Initiative.objects.all())
    assert len(initiatives) > 30
    assert_stored_follows_the_rule(*initiatives)
    assert Initiative.objects.filter(latest_standing_update__isnull=False).exists()


def test_todays_list_reads_the_initiatives_alone_a_past_date_asks_the_updates(initiative):
    with CaptureQueriesContext(connection) as today:
        list(Initiative.objects.for_cards().filter(current_status=Status.IN_PROGRESS))
    assert "initiatives_statusupdate" not in today.captured_queries[0]["sql"]
    with CaptureQueriesContext(connection) as past:
        assert [card.current_status for card in Initiative.objects.for_cards(as_of=datetime.date(2025, 2, 1))] == [
            Status.PROPOSED
        ]
    assert "initiatives_statusupdate" in past.captured_queries[0]["sql"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="covering indexes (INCLUDE) are PostgreSQL's")
def test_today_s_filtered_count_and_facets_are_answered_from_the_covering_index():
    """initiative_facets_idx holds what the list's count and facets read of each
    initiative today, so they need not walk every wide row up to its stored status."""
    fill_search_tables()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # as elsewhere: left statistics aside
    listed = Initiative.objects.with_current_status().filter(
        kind="program", current_status__in=[Status.PROPOSED, Status.STALLED]
    )
    by_status = Initiative.objects.with_current_status().order_by().values("current_status").annotate(n=Count("pk"))

    for queryset in (listed.order_by().values("pk"), by_status):
        assert "Index Only Scan using initiative_facets_idx" in queryset.explain()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="checked on PostgreSQL's plans")
def test_the_dashboard_lists_walk_an_index_in_order_instead_of_sorting_every_initiative():
    fill_search_tables()
    with connection.cursor() as cursor:  # priced out, a sort shows unless an index gives the order
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
    cards = Initiative.objects.for_cards()
    newest = cards.filter(last_reported_on__isnull=False).order_by("-last_reported_on", "title")[:8]
    oldest = cards.stale().order_by("last_reported_on", "title")[:8]
    programs = Initiative.objects.filter(kind="program").order_by("period_start", "title")[:40]

    assert "initiative_latest_reported_idx" in newest.explain()
    assert "initiative_latest_reported_idx" in oldest.explain()
    assert "initiative_kind_period_idx" in programs.explain()
