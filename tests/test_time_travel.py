"""Honest time travel (issue 14 item 4): on a past ``as_of`` nothing dated later is
shown or counted, anywhere: pages, counts, facets, charts, search, CSV, feeds, API.

- An initiative exists from its first evidenced date (proposed, started, or its
  first published update); before it, it is absent, and its page says so.
- A date known only to the month or year counts from the last day of its period.
- Past-date pages offer a date form and a banner with the neighbouring change dates.
"""

import datetime
import importlib
import re
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from initiatives.models import (
    Initiative,
    InitiativeOrganisation,
    InitiativeRelation,
    Milestone,
    Source,
    StatusUpdate,
)
from initiatives.querysets import end_of_period
from initiatives.vocabularies import DatePrecision, InitiativeKind, RelationType, Role, Status

from .factories import (
    InitiativeFactory,
    MilestoneFactory,
    OrganisationFactory,
    SourceFactory,
    StatusUpdateFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
BEFORE_ALL = "2020-06-01"  # before the supercomputer's first evidence


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def without_banner(html):
    """The page less the banner, whose "Next change" link names a later date by design."""
    return re.sub(r'<div class="as-of-banner".*?</div>', "", html, flags=re.S)


def feed_titles(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return [entry.find(f"{ATOM}title").text for entry in ET.fromstring(response.content).iter(f"{ATOM}entry")]


@pytest.fixture
def world():
    """A long-running program with history; a program first proposed in December 2025
    (month precision) that relates to it; a milestone achieved later than it was due."""
    theme = ThemeFactory(name="Computing", slug="computing")
    ministry = OrganisationFactory(name="Ministry of Science", slug="science")
    early_source = SourceFactory(title="Decree on computing", published_on=datetime.date(2021, 3, 1))
    late_source = SourceFactory(
        title="Annual report 2026", published_on=datetime.date(2026, 1, 1), published_on_precision=DatePrecision.YEAR
    )
    machines = InitiativeFactory(
        title="National supercomputers",
        slug="national-supercomputers",
        period_start=datetime.date(2021, 1, 1),
        period_start_precision=DatePrecision.YEAR,  # known from 2021-12-31
    )
    machines.themes.add(theme)
    machines.sources.add(early_source, late_source)
    InitiativeOrganisation.objects.create(initiative=machines, organisation=ministry, role=Role.LEAD)
    adopted = StatusUpdateFactory(
        initiative=machines,
        reported_on=datetime.date(2021, 3, 1),
        status=Status.ADOPTED,
        progress=None,
        headline="Decree adopted",
    )
    adopted.sources.add(early_source)
    forum = StatusUpdateFactory(
        initiative=machines,
        reported_on=datetime.date(2023, 1, 1),
        reported_on_precision=DatePrecision.YEAR,
        status=Status.IN_PROGRESS,
        progress=20,
        headline="Forum hears of the zettaflop plan",
    )
    forum.sources.add(early_source)
    operating = StatusUpdateFactory(
        initiative=machines,
        reported_on=datetime.date(2025, 8, 1),
        reported_on_precision=DatePrecision.MONTH,
        status=Status.COMPLETED,
        progress=100,
        headline="Supercomputer went into operation",
    )
    operating.sources.add(late_source)
    MilestoneFactory(
        initiative=machines,
        title="First machine running",
        due_on=datetime.date(2024, 12, 31),
        due_on_precision=DatePrecision.YEAR,
        achieved_on=datetime.date(2025, 8, 1),
        achieved_on_precision=DatePrecision.MONTH,
    )
    proposal = InitiativeFactory(
        title="Regional data hub proposal",
        slug="data-hub",
        kind=InitiativeKind.PROPOSAL,
        summary="A zettaflop hub for the region.",
        proposed_on=datetime.date(2025, 12, 1),
        proposed_on_precision=DatePrecision.MONTH,  # known from 2025-12-31
    )
    proposal.themes.add(theme)
    InitiativeOrganisation.objects.create(initiative=proposal, organisation=ministry, role=Role.PARTNER)
    InitiativeRelation.objects.create(
        from_initiative=proposal, to_initiative=machines, relation_type=RelationType.DEPENDS_ON, note="Hosts it"
    )
    return {"machines": machines, "proposal": proposal, "forum": forum}


# --- One place: the stored known-from dates ------------------------------------------


@pytest.mark.parametrize(
    ("day", "precision", "expected"),
    [
        (datetime.date(2023, 1, 1), DatePrecision.YEAR, datetime.date(2023, 12, 31)),
        (datetime.date(2024, 2, 1), DatePrecision.MONTH, datetime.date(2024, 2, 29)),
        (datetime.date(2025, 6, 1), DatePrecision.MONTH, datetime.date(2025, 6, 30)),
        (datetime.date(2025, 6, 14), DatePrecision.DAY, datetime.date(2025, 6, 14)),
    ],
)
def test_a_coarse_date_counts_from_the_last_day_of_its_period(day, precision, expected):
    assert end_of_period(day, precision) == expected
    update = StatusUpdateFactory(reported_on=day, reported_on_precision=precision)
    assert StatusUpdate.objects.values_list("known_from", flat=True).get(pk=update.pk) == expected


def test_known_dates_follow_edits_bulk_creates_and_partial_saves():
    update = StatusUpdateFactory(reported_on=datetime.date(2023, 1, 1), reported_on_precision=DatePrecision.YEAR)
    update.reported_on_precision = DatePrecision.MONTH
    update.save(update_fields=["reported_on_precision"])
    assert StatusUpdate.objects.get(pk=update.pk).known_from == datetime.date(2023, 1, 31)

    [bulk] = Milestone.objects.bulk_create(
        [
            Milestone(
                initiative=update.initiative,
                title="Bulk",
                due_on=datetime.date(2024, 12, 31),
                achieved_on=datetime.date(2024, 1, 1),
                achieved_on_precision=DatePrecision.YEAR,
            )
        ]
    )
    assert Milestone.objects.get(title="Bulk").achieved_known_from == datetime.date(2024, 12, 31)
    assert bulk.achieved_known_from == datetime.date(2024, 12, 31)

    program = InitiativeFactory(
        proposed_on=datetime.date(2022, 5, 1),
        proposed_on_precision=DatePrecision.MONTH,
        period_start=datetime.date(2023, 1, 1),
        period_start_precision=DatePrecision.YEAR,
    )
    assert Initiative.objects.get(pk=program.pk).known_from == datetime.date(2022, 5, 31)
    source = SourceFactory(published_on=datetime.date(2026, 1, 1), published_on_precision=DatePrecision.YEAR)
    assert Source.objects.get(pk=source.pk).known_from == datetime.date(2026, 12, 31)


def test_the_data_migration_fills_rows_saved_before_it(world):
    """Rows that existed before migration 0013 get their known-from dates from it."""
    from django.apps import apps

    migration = importlib.import_module("initiatives.migrations.0013_i14t_known_dates")
    StatusUpdate.objects.update(known_from=None)
    Initiative.objects.update(known_from=None)
    Milestone.objects.update(achieved_known_from=None)
    migration.fill_known_dates(apps, None)
    assert StatusUpdate.objects.get(pk=world["forum"].pk).known_from == datetime.date(2023, 12, 31)
    assert Initiative.objects.get(slug="data-hub").known_from == datetime.date(2025, 12, 31)
    assert Milestone.objects.get(title="First machine running").achieved_known_from == datetime.date(2025, 8, 31)
    assert not StatusUpdate.objects.filter(known_from__isnull=True).exists()


# --- A "2023" update is not yet known on 2023-06-01, but is on 2023-12-31 ----------------


@pytest.mark.parametrize(("as_of", "known"), [("2023-06-01", False), ("2023-12-30", False), ("2023-12-31", True)])
def test_a_year_precision_update_is_known_only_from_31_december(client, world, as_of, known):
    day = datetime.date.fromisoformat(as_of)
    assert StatusUpdate.objects.published().as_of(day).filter(pk=world["forum"].pk).exists() is known
    status = Initiative.objects.with_current_status(as_of=day).get(slug="national-supercomputers").current_status
    assert status == (Status.IN_PROGRESS if known else Status.ADOPTED)
    headline = "Forum hears of the zettaflop plan"
    assert (headline in page(client, f"/updates/?as_of={as_of}")) is known
    assert (headline in page(client, f"/initiatives/national-supercomputers/?as_of={as_of}")) is known
    assert (
        headline in [row["headline"] for row in client.get(f"/api/status-updates/?as_of={as_of}").json()["results"]]
    ) is known
    assert any(headline in title for title in feed_titles(client, f"/feeds/updates/?as_of={as_of}")) is known
    assert (headline in b"".join(client.get(f"/updates.csv?as_of={as_of}").streaming_content).decode()) is known


def test_a_month_precision_achievement_counts_from_the_end_of_the_month(world):
    milestone = Milestone.objects.get(title="First machine running")
    assert Milestone.objects.with_state(datetime.date(2025, 8, 15)).get(pk=milestone.pk).is_achieved is False
    assert Milestone.objects.with_state(datetime.date(2025, 8, 31)).get(pk=milestone.pk).is_achieved is True
    # Today (no date) everything recorded counts.
    assert Milestone.objects.with_state().get(pk=milestone.pk).is_achieved is True


# --- Before its first evidence an initiative is absent everywhere -----------------------


def test_before_its_first_date_an_initiative_is_absent_from_every_list_and_count(client, world):
    as_of = "2025-12-15"  # proposal known from 2025-12-31 (December 2025)
    hidden = "Regional data hub proposal"
    assert "follows 1 initiative:" in page(client, f"/?as_of={as_of}")
    assert "follows 2 initiatives" in page(client, "/?as_of=2025-12-31")
    listing = page(client, f"/initiatives/?as_of={as_of}")
    assert hidden not in listing and "National supercomputers" in listing
    assert 'kind=proposal">International proposal <span class="count">(0)</span>' in listing
    assert hidden not in page(client, f"/themes/computing/?as_of={as_of}")
    assert hidden not in page(client, f"/organisations/science/?as_of={as_of}")
    assert hidden not in page(client, f"/initiatives/?q=zettaflop&as_of={as_of}")
    assert hidden not in page(client, f"/?as_of={as_of}")
    csv_text = b"".join(client.get(f"/initiatives.csv?as_of={as_of}").streaming_content).decode()
    assert "data-hub" not in csv_text and "national-supercomputers" in csv_text
    api = client.get(f"/api/initiatives/?as_of={as_of}").json()
    assert [row["slug"] for row in api["results"]] == ["national-supercomputers"]
    assert client.get(f"/api/initiatives/data-hub/?as_of={as_of}").status_code == 404
    assert client.get(f"/feeds/initiatives/data-hub/?as_of={as_of}").status_code == 404
    theme = client.get(f"/api/themes/computing/?as_of={as_of}").json()
    assert [row["slug"] for row in theme["initiatives"]] == ["national-supercomputers"]
    # And from its date on it is there.
    assert hidden in page(client, "/initiatives/?as_of=2025-12-31")


def test_facet_counts_leave_out_initiatives_not_yet_announced(client, world):
    response = client.get("/initiatives/?as_of=2025-12-15")
    facets = {facet["key"]: facet for facet in response.context["facets"]}
    kinds = {value["value"]: value["count"] for value in facets["kind"]["values"]}
    assert kinds == {"proposal": 0, "program": 1}
    assert [value["count"] for value in facets["theme"]["values"]] == [1]


def test_search_does_not_find_an_initiative_by_words_of_a_later_update(client, world):
    assert "National supercomputers" in page(client, "/initiatives/?q=operation")
    assert "National supercomputers" not in page(client, "/initiatives/?q=operation&as_of=2024-01-01")
    assert client.get("/api/initiatives/?q=operation&as_of=2024-01-01").json()["results"] == []


def test_its_own_page_says_it_had_not_yet_been_announced(client, world, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        response = client.get("/initiatives/data-hub/?as_of=2025-06-01")
    html = response.content.decode()
    assert response.status_code == 200
    assert "had not yet been announced on 1 June 2025" in html
    assert '<meta name="robots" content="noindex">' in html
    # No later fact: not its summary, status, relation, theme or organisation.
    body = without_banner(html)
    for later in ("A zettaflop hub", "Proposed", "National supercomputers", "Computing", "Ministry of Science"):
        assert later not in body, later
    assert 'href="?as_of=2025-12-31"' in html  # first recorded, the end of December 2025
    assert client.get("/initiatives/no-such-thing/?as_of=2025-06-01").status_code == 404


def test_the_chart_and_dashboard_leave_out_programs_not_yet_started(client, world):
    html = page(client, f"/?as_of={BEFORE_ALL}")
    assert "follows 0 initiatives" in html
    assert "National supercomputers" not in without_banner(html)


# --- On a past date a page shows nothing dated after it ---------------------------------


def test_an_initiative_page_shows_no_later_fact(client, world, django_assert_max_num_queries):
    from .test_pages import AS_OF_BANNER_QUERIES, PAGE_QUERY_BUDGETS

    with django_assert_max_num_queries(PAGE_QUERY_BUDGETS["detail"] + AS_OF_BANNER_QUERIES):
        html = page(client, "/initiatives/national-supercomputers/?as_of=2024-01-01")
    body = without_banner(html)
    assert "Forum hears of the zettaflop plan" in body  # known from 2023-12-31
    assert "went into operation" not in body  # August 2025
    assert "Annual report 2026" not in body  # a source published later
    assert "Regional data hub proposal" not in body  # a relation to one not yet announced
    assert "August 2025" not in body  # the later achievement
    assert "First machine running" in body and "flag-achieved" not in body  # due, not achieved
    today = page(client, "/initiatives/national-supercomputers/")
    assert "went into operation" in today and "Annual report 2026" in today and "Regional data hub" in today


def test_an_achieved_later_milestone_shows_as_overdue_then(client, world):
    body = without_banner(page(client, "/initiatives/national-supercomputers/?as_of=2025-03-01"))
    assert "flag-overdue" in body and "flag-achieved" not in body


def test_api_detail_and_sources_show_no_later_fact(client, world):
    row = client.get("/api/initiatives/national-supercomputers/?as_of=2024-01-01").json()
    assert [update["headline"] for update in row["updates"]] == ["Forum hears of the zettaflop plan", "Decree adopted"]
    assert [source["title"] for source in row["sources"]] == ["Decree on computing"]
    assert row["relations"] == []
    assert row["milestones"][0]["achieved"] is False
    titles = [source["title"] for source in client.get("/api/sources/?as_of=2026-06-30").json()["results"]]
    assert titles == ["Decree on computing"]  # the "2026" report counts from 2026-12-31


def test_update_sources_published_later_are_left_out(client, world):
    later = SourceFactory(title="Retrospective 2027", published_on=datetime.date(2027, 1, 1))
    world["forum"].sources.add(later)
    html = page(client, "/updates/?as_of=2024-01-01")
    assert "Retrospective 2027" not in html and "Decree on computing" in html
    rows = client.get("/api/status-updates/?as_of=2024-01-01").json()["results"]
    assert all(source["title"] != "Retrospective 2027" for row in rows for source in row["sources"])


# --- Feeds honour as_of -----------------------------------------------------------------


def test_feeds_follow_as_of(client, world, django_assert_max_num_queries):
    assert feed_titles(client, "/feeds/updates/?as_of=2024-06-30") == [
        "National supercomputers: Forum hears of the zettaflop plan",
        "National supercomputers: Decree adopted",
    ]
    assert len(feed_titles(client, "/feeds/updates/")) == 3
    with django_assert_max_num_queries(2):
        titles = feed_titles(client, "/feeds/initiatives/national-supercomputers/?as_of=2022-01-01")
    assert titles == ["National supercomputers: Decree adopted"]
    xml = client.get("/feeds/updates/?as_of=2024-06-30").content.decode()
    assert 'href="http://testserver/feeds/updates/?as_of=2024-06-30"' in xml


@pytest.mark.parametrize("as_of", ["2025-13-01", "1989-12-31", "yesterday"])
def test_feeds_refuse_a_bad_date(client, world, as_of):
    for url in ("/feeds/updates/", "/feeds/initiatives/national-supercomputers/"):
        response = client.get(url, {"as_of": as_of})
        assert response.status_code == 400
        assert "YYYY-MM-DD" in response.content.decode()


# --- The date form and the banner ----------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/", "/initiatives/", "/updates/", "/about/", "/themes/computing/", "/initiatives/data-hub/"]
)
def test_every_page_has_the_date_form(client, world, url):
    html = page(client, url)
    assert re.search(r'<form class="as-of-form" method="get" action="[^"]*">', html)
    assert '<input type="date" id="as-of-date" name="as_of" value=""' in html


def test_the_date_form_keeps_the_filters_and_shows_the_date(client, world):
    html = page(client, "/initiatives/?kind=program&theme=computing&page=1&as_of=2024-01-01")
    form = re.search(r'<form class="as-of-form".*?</form>', html, flags=re.S).group(0)
    assert '<input type="hidden" name="kind" value="program">' in form
    assert '<input type="hidden" name="theme" value="computing">' in form
    assert 'name="page"' not in form and 'type="hidden" name="as_of"' not in form
    assert 'name="as_of" value="2024-01-01"' in form


def test_neighbouring_change_dates_in_constant_queries(world, django_assert_num_queries):
    everything = Initiative.objects.all()
    with django_assert_num_queries(4):
        assert everything.change_dates_around(datetime.date(2024, 1, 1)) == (
            datetime.date(2023, 12, 31),  # the "2023" forum update
            datetime.date(2025, 1, 1),  # the "2024" milestone falls overdue
        )
    one = Initiative.objects.filter(slug="national-supercomputers")
    with django_assert_num_queries(4):
        assert one.change_dates_around(datetime.date(2025, 8, 15)) == (
            datetime.date(2025, 1, 1),
            datetime.date(2025, 8, 31),  # "August 2025": operating and achieved
        )


def test_the_banner_links_to_today_and_the_neighbouring_changes(client, world):
    html = page(client, "/initiatives/?kind=program&as_of=2024-01-01")
    banner = re.search(r'<div class="as-of-banner".*?</div>', html, flags=re.S).group(0)
    assert 'href="?kind=program">Back to today' in banner
    assert 'rel="prev" href="?kind=program&amp;as_of=2023-12-31"' in banner
    assert 'rel="next" href="?kind=program&amp;as_of=2025-01-01"' in banner
    assert "Previous change: 31 December 2023" in banner and "Next change: 1 January 2025" in banner


def test_no_next_link_past_today(client, world):
    future = datetime.date.today() + datetime.timedelta(days=400)
    StatusUpdateFactory(initiative=world["machines"], reported_on=future, headline="Far future")
    html = page(client, f"/?as_of={datetime.date.today() - datetime.timedelta(days=1)}")
    assert 'rel="next"' not in html or future.isoformat() not in html


def test_query_count_of_a_past_date_page_does_not_grow(client, world):
    def count(url):
        with CaptureQueriesContext(connection) as queries:
            page(client, url)
        return len(queries)

    url = "/initiatives/national-supercomputers/?as_of=2024-01-01"
    before = count(url)
    for n in range(5):
        StatusUpdateFactory(initiative=world["machines"], reported_on=datetime.date(2022, 1, 1 + n))
        MilestoneFactory(initiative=world["machines"], due_on=datetime.date(2022, 12, 31))
    from django.core.cache import cache

    cache.clear()
    assert count(url) == before


def test_a_withdrawal_is_not_shown_before_it_happened(client, world):
    forum = world["forum"]
    forum.withdrawn_on = datetime.date(2025, 2, 1)
    forum.withdrawal_reason = "The forum report was misread."
    forum.save()
    before = without_banner(page(client, "/initiatives/national-supercomputers/?as_of=2024-06-01"))
    assert "Forum hears of the zettaflop plan" in before
    assert "misread" not in before and "is-withdrawn" not in before
    after = page(client, "/initiatives/national-supercomputers/?as_of=2025-03-01")
    assert "misread" in after and "is-withdrawn" in after
