"""The admin lists analysts work from: short columns with the full text as a
tooltip, dates at their precision, warnings for stale and overdue, filters by
initiative, status, published and author, and "My drafts" in one click."""

import datetime

import pytest
from django.test import Client
from django.utils.text import Truncator

from initiatives.vocabularies import DatePrecision

from .factories import AnalystFactory, InitiativeFactory, MilestoneFactory, StatusUpdateFactory

pytestmark = pytest.mark.django_db

UPDATES = "/admin/initiatives/statusupdate/"


@pytest.fixture
def analyst():
    return AnalystFactory(username="me")


@pytest.fixture
def client_(analyst):
    client = Client()
    client.force_login(analyst)
    return client


def test_long_headlines_are_cut_with_the_whole_headline_as_tooltip(client_):
    headline = "A very long headline " * 8
    StatusUpdateFactory(headline=headline.strip())
    content = client_.get(UPDATES).content.decode()
    assert f'title="{headline.strip()}"' in content
    assert f">{Truncator(headline.strip()).chars(60)}</span>" in content


def test_dates_show_at_their_precision(client_):
    StatusUpdateFactory(reported_on=datetime.date(2023, 12, 31), reported_on_precision=DatePrecision.YEAR)
    StatusUpdateFactory(reported_on=datetime.date(2025, 6, 1), reported_on_precision=DatePrecision.MONTH)
    MilestoneFactory(due_on=datetime.date(2027, 12, 31), due_on_precision=DatePrecision.YEAR)
    content = client_.get(UPDATES).content.decode()
    assert '<td class="field-reported">2023</td>' in content
    assert '<td class="field-reported">June 2025</td>' in content
    assert "Dec. 31, 2023" not in content
    milestones = client_.get("/admin/initiatives/milestone/").content.decode()
    assert '<td class="field-due">2027</td>' in milestones


def test_my_drafts_is_one_click_and_shows_only_mine(client_, analyst):
    mine = StatusUpdateFactory(published=False, author=analyst, headline="My draft")
    StatusUpdateFactory(published=True, author=analyst, headline="My published update")
    StatusUpdateFactory(published=False, author=AnalystFactory(), headline="Someone else's draft")
    page = client_.get(UPDATES).content.decode()
    assert 'href="?mine=drafts"' in page

    response = client_.get(UPDATES, {"mine": "drafts"})

    assert [update.pk for update in response.context["cl"].result_list] == [mine.pk]


@pytest.mark.parametrize("parameter", ["initiative__id__exact", "status", "published__exact", "author__id__exact"])
def test_updates_filter_by_initiative_status_published_and_author(client_, analyst, parameter):
    wanted = StatusUpdateFactory(initiative=InitiativeFactory(), status="stalled", published=False, author=analyst)
    StatusUpdateFactory(status="in_progress", published=True, author=AnalystFactory())
    value = {
        "initiative__id__exact": wanted.initiative_id,
        "status": "stalled",
        "published__exact": "0",
        "author__id__exact": analyst.pk,
    }[parameter]
    response = client_.get(UPDATES, {parameter: value})
    assert response.status_code == 200
    assert [update.pk for update in response.context["cl"].result_list] == [wanted.pk]


def test_stale_and_overdue_are_warnings_not_ticks(client_):
    InitiativeFactory(with_updates=1)  # reported in 2024: long stale
    MilestoneFactory(due_on=datetime.date(2020, 12, 31))
    initiatives = client_.get("/admin/initiatives/initiative/").content.decode()
    milestones = client_.get("/admin/initiatives/milestone/").content.decode()
    assert 'class="tracker-warning" role="img" aria-label="Stale"' in initiatives
    assert 'class="tracker-warning" role="img" aria-label="Overdue"' in milestones
    assert "icon-yes.svg" not in initiatives + milestones
