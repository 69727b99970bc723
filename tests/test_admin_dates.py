"""Dates in the admin at the precision the evidence gives ("2025", "2025-06"),
never with a made-up day; and the initiative page's updates, newest first with
older ones folded to one line."""

import datetime
import re

import pytest
from django.test import Client

from initiatives.models import Milestone, StatusUpdate
from initiatives.partialdates import PartialDateField
from initiatives.vocabularies import DatePrecision, Status

from .factories import AnalystFactory, InitiativeFactory, MilestoneFactory, StatusUpdateFactory
from .test_admin import change_url, form_data, new_update_data

pytestmark = pytest.mark.django_db

ADD_UPDATE = "/admin/initiatives/statusupdate/add/"


@pytest.fixture
def analyst_client():
    client = Client()
    client.force_login(AnalystFactory())
    return client


@pytest.mark.parametrize(
    ("typed", "precision", "stored", "stored_precision"),
    [
        ("2025-06", "day", datetime.date(2025, 6, 1), "month"),
        ("2025", "day", datetime.date(2025, 1, 1), "year"),
        ("2025", "year", datetime.date(2025, 1, 1), "year"),
        ("2025-06-17", "month", datetime.date(2025, 6, 1), "month"),
        ("2025-06-17", "year", datetime.date(2025, 1, 1), "year"),
        ("2025-06-17", "day", datetime.date(2025, 6, 17), "day"),
    ],
)
def test_an_update_date_is_entered_at_its_precision_without_a_made_up_day(
    analyst_client, typed, precision, stored, stored_precision
):
    initiative = InitiativeFactory()
    data = new_update_data(initiative, reported_on=typed, reported_on_precision=precision)

    response = analyst_client.post(ADD_UPDATE, data)

    assert response.status_code == 302, response.context["errors"]
    update = StatusUpdate.objects.get()
    assert (update.reported_on, update.reported_on_precision) == (stored, stored_precision)


def test_a_deadline_known_to_the_year_or_month_is_stored_on_the_last_day_of_it(analyst_client):
    milestone = MilestoneFactory(title="Portal live", due_on=datetime.date(2025, 12, 31))
    data = form_data(analyst_client.get(change_url(milestone)))

    data["due_on"] = "2027-02"
    assert analyst_client.post(change_url(milestone), data).status_code == 302
    milestone.refresh_from_db()
    assert (milestone.due_on, milestone.due_on_precision) == (datetime.date(2027, 2, 28), DatePrecision.MONTH)

    data = form_data(analyst_client.get(change_url(milestone)))
    data["due_on"] = "2028"
    assert analyst_client.post(change_url(milestone), data).status_code == 302
    milestone.refresh_from_db()
    assert (milestone.due_on, milestone.due_on_precision) == (datetime.date(2028, 12, 31), DatePrecision.YEAR)


def test_a_coarse_date_reads_in_the_form_as_it_is_known(analyst_client):
    update = StatusUpdateFactory(reported_on=datetime.date(2023, 1, 1), reported_on_precision=DatePrecision.YEAR)
    month = StatusUpdateFactory(reported_on=datetime.date(2024, 6, 1), reported_on_precision=DatePrecision.MONTH)

    assert 'name="reported_on" value="2023"' in analyst_client.get(change_url(update)).content.decode()
    assert 'name="reported_on" value="2024-06"' in analyst_client.get(change_url(month)).content.decode()


def test_a_date_in_no_known_form_is_refused_with_the_forms_it_may_take(analyst_client):
    initiative = InitiativeFactory()

    response = analyst_client.post(ADD_UPDATE, new_update_data(initiative, reported_on="June 2025"))

    assert response.status_code == 200
    assert "YYYY, YYYY-MM or YYYY-MM-DD" in str(response.context["adminform"].form.errors["reported_on"])
    assert not StatusUpdate.objects.exists()


@pytest.mark.parametrize("typed", ["2025-13", "2025-02-30", "25-06", "2025--01"])
def test_an_impossible_date_is_refused(typed):
    field = PartialDateField()
    assert field.has_changed(None, typed)
    with pytest.raises(Exception, match="YYYY"):
        field.clean(typed)


def test_saving_a_coarse_date_unchanged_writes_no_history(analyst_client):
    initiative = InitiativeFactory()
    StatusUpdateFactory(
        initiative=initiative,
        published=False,
        reported_on=datetime.date(2023, 1, 1),
        reported_on_precision=DatePrecision.YEAR,
    )
    milestone = MilestoneFactory(initiative=initiative, due_on=datetime.date(2026, 12, 31), due_on_precision="year")
    page = analyst_client.get(change_url(initiative))
    data = form_data(page)
    # As the browser sends them: the text the fields show.
    data["updates-0-reported_on"] = "2023"
    data["milestones-0-due_on"] = "2026"
    records = StatusUpdate.history.count(), Milestone.history.count()

    assert analyst_client.post(change_url(initiative), data).status_code == 302

    assert (StatusUpdate.history.count(), Milestone.history.count()) == records
    milestone.refresh_from_db()
    assert milestone.due_on == datetime.date(2026, 12, 31)


def test_typing_only_a_year_over_a_day_is_a_change_even_with_the_select_left_at_day(analyst_client):
    update = StatusUpdateFactory(published=False, reported_on=datetime.date(2024, 1, 1))
    data = form_data(analyst_client.get(change_url(update)))
    data["reported_on"] = "2024"

    assert analyst_client.post(change_url(update), data).status_code == 302

    update.refresh_from_db()
    assert update.reported_on_precision == DatePrecision.YEAR


# --- The initiative page's updates ------------------------------------------------------


def test_updates_on_the_initiative_page_are_newest_first_with_older_ones_folded(analyst_client):
    initiative = InitiativeFactory()
    for month, headline in [(1, "Oldest step"), (5, "Newest step"), (3, "Middle step")]:
        StatusUpdateFactory(initiative=initiative, reported_on=datetime.date(2025, month, 1), headline=headline)

    html = analyst_client.get(change_url(initiative)).content.decode()

    group = html[html.index('id="updates-group"') : html.index('id="milestones-group"')]
    summaries = re.findall(r'<span class="summary-headline">([^<]+)</span>', group)
    assert summaries == ["Newest step", "Middle step", "Oldest step"]
    details = re.findall(r"<details [^>]*>", group)
    assert [" open" in tag for tag in details] == [True, False, False]
    # New rows go above the saved ones; the template a script copies comes last.
    assert group.index('class="new-rows"') < group.index("<details")
    assert group.index('id="updates-empty"') > group.rindex("</details>")


def test_an_update_row_with_an_error_is_shown_open(analyst_client):
    initiative = InitiativeFactory()
    StatusUpdateFactory(initiative=initiative, published=False, reported_on=datetime.date(2025, 5, 1))
    older = StatusUpdateFactory(initiative=initiative, published=False, reported_on=datetime.date(2025, 1, 1))
    data = form_data(analyst_client.get(change_url(initiative)))
    data["updates-1-progress"] = "250"

    response = analyst_client.post(change_url(initiative), data)

    assert response.status_code == 200
    html = response.content.decode()
    opening = re.search(r'<details [^>]*id="updates-1"[^>]*>', html).group(0)
    assert " open" in opening
    older.refresh_from_db()
    assert older.progress == 40


def test_a_new_update_added_above_the_saved_ones_is_saved_with_the_next_form_number(analyst_client):
    initiative = InitiativeFactory()
    StatusUpdateFactory(initiative=initiative, published=False, headline="Saved before")
    data = form_data(analyst_client.get(change_url(initiative)))
    data.update(
        {
            "updates-TOTAL_FORMS": "2",
            "updates-1-reported_on": "2025-07",
            "updates-1-reported_on_precision": "day",
            "updates-1-status": Status.IN_PROGRESS,
            "updates-1-headline": "Added at the top",
        }
    )

    assert analyst_client.post(change_url(initiative), data).status_code == 302

    added = initiative.updates.get(headline="Added at the top")
    assert (added.reported_on, added.reported_on_precision) == (datetime.date(2025, 7, 1), DatePrecision.MONTH)
    assert initiative.updates.filter(headline="Saved before").exists()
