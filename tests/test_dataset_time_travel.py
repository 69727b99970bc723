"""The loaded dataset, travelled through: on every day before something became known,
nothing shown rests on it (issue 14, honest time).

What each update and initiative became known on is worked out here from the documents'
own dates (each source's publication date, at the end of its period) and the records'
dates, not read from the stored ``known_from`` columns under test. Then, on the day
before each of those days, the pages, feeds, CSVs and API must show exactly what was
known: no later update, no current status or count resting on one, no initiative before
its first evidence. And on the day itself the update does show, so the test can fail.
"""

import csv
import datetime
import io
import re
import xml.etree.ElementTree as ET

import pytest
from django.core.management import call_command

from initiatives.models import Initiative, Milestone, Organisation, StatusUpdate
from initiatives.querysets import end_of_period

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
ATOM = "{http://www.w3.org/2005/Atom}"
UPDATE_ANCHOR = re.compile(r'id="update-(\d+)"')


def source_day(source):
    return end_of_period(source.published_on, source.published_on_precision)


def evidence_day(update):
    """The end of the reported period, or the first cited source's day if later."""
    sources = [source_day(citation.source) for citation in update.citations.all()]
    return max([end_of_period(update.reported_on, update.reported_on_precision), min(sources)])


def first_day(initiative, update_days):
    """Its first evidenced date (proposed or started, not before a source of it), or its
    first update's day, whichever is first."""
    dated = [
        end_of_period(initiative.proposed_on, initiative.proposed_on_precision),
        end_of_period(initiative.period_start, initiative.period_start_precision),
    ]
    days = list(update_days)
    if any(dated):
        days.append(max(min(day for day in dated if day), min(source_day(s) for s in initiative.sources.all())))
    return min(days)


@pytest.fixture
def known():
    """The dataset, with each update's and initiative's evidence day."""
    call_command("load_dataset", verbosity=0)
    updates = list(StatusUpdate.objects.published().select_related("initiative").prefetch_related("citations__source"))
    update_days = {update.pk: evidence_day(update) for update in updates}
    initiatives = {}
    for initiative in Initiative.objects.prefetch_related("sources"):
        own = [update_days[u.pk] for u in updates if u.initiative_id == initiative.pk]
        initiatives[initiative.slug] = first_day(initiative, own)
    return {"updates": updates, "update_days": update_days, "initiatives": initiatives}


def days_before(known):
    days = {day - DAY for day in known["update_days"].values()} | {day - DAY for day in known["initiatives"].values()}
    return sorted(days)


def text(response):
    assert response.status_code == 200, response
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def api_all(client, path):
    rows, url = [], path
    while url:
        body = client.get(url).json()
        rows += body["results"]
        url = body["next"]
    return rows


def expected_status(known, slug, day):
    """(status, reported_on) of the latest update known on the day, as the tracker orders them."""
    standing = [
        u
        for u in known["updates"]
        if u.initiative.slug == slug and known["update_days"][u.pk] <= day and not u.withdrawn_on
    ]
    if not standing:
        return (None, None)
    latest = max(standing, key=lambda u: (u.reported_on, u.created, u.pk))
    return (latest.status, latest.reported_on.isoformat())


def test_the_dataset_has_updates_reported_before_their_source(known):
    """What the test is for: the August 2025 supercomputer and the June 2025 10G pilot
    are reported only by the January 2026 article."""
    late = [u for u in known["updates"] if known["update_days"][u.pk] > u.reported_on + datetime.timedelta(days=31)]
    assert {u.initiative.slug for u in late} >= {"national-supercomputers", "astana-10g-pilot"}
    assert known["initiatives"]["year-of-digitalization-and-ai-2026"] == datetime.date(2026, 1, 12)


def test_on_each_day_before_something_became_known_nothing_shows_it(client, known):
    days = days_before(known)
    assert len(days) >= 4
    for day in days:
        check_the_day(client, known, day)


def check_the_day(client, known, day):
    as_of = f"as_of={day.isoformat()}"
    shown = {u.pk for u in known["updates"] if known["update_days"][u.pk] <= day}
    existing = {slug for slug, first in known["initiatives"].items() if first <= day}
    check_the_api(client, known, day, as_of, shown, existing)
    check_the_lists(client, known, as_of, shown, existing)
    check_the_pages(client, known, day, as_of, existing)


def check_the_api(client, known, day, as_of, shown, existing):
    # The API: exactly the updates and initiatives known, each initiative's status as it stood.
    assert {row["id"] for row in api_all(client, f"/api/status-updates/?{as_of}&page_size=100")} == shown
    listed = {row["slug"]: row for row in api_all(client, f"/api/initiatives/?{as_of}&page_size=100")}
    assert set(listed) == existing
    for slug, row in listed.items():
        assert (row["status"], row["last_update"]) == expected_status(known, slug, day), slug


def check_the_lists(client, known, as_of, shown, existing):
    # The CSVs, the feed, the dashboard's count and the update list.
    rows = list(csv.DictReader(io.StringIO(text(client.get(f"/updates.csv?{as_of}")))))
    assert {(r["initiative"], r["reported_on"], r["headline"]) for r in rows} == {
        (u.initiative.slug, u.reported_on.isoformat(), u.headline) for u in known["updates"] if u.pk in shown
    }
    slugs = {r["slug"] for r in csv.DictReader(io.StringIO(text(client.get(f"/initiatives.csv?{as_of}"))))}
    assert slugs == existing
    feed = ET.fromstring(text(client.get(f"/feeds/updates/?{as_of}")))
    in_feed = {int(e.find(f"{ATOM}id").text.rsplit("/", 1)[1]) for e in feed.iter(f"{ATOM}entry")}
    assert in_feed <= shown
    dashboard = text(client.get(f"/?{as_of}"))
    if existing:
        assert f"The tracker follows {len(existing)} initiative" in dashboard
    listed_updates = set()
    for page in range(1, 4):
        response = client.get(f"/updates/?{as_of}&page={page}")
        if response.status_code == 404:
            break
        listed_updates |= {int(pk) for pk in UPDATE_ANCHOR.findall(text(response))}
    assert listed_updates <= shown


def check_the_pages(client, known, day, as_of, existing):
    # The pages of the initiatives and sources of what becomes known the next day.
    next_day = [u for u in known["updates"] if known["update_days"][u.pk] == day + DAY]
    for update in next_day:
        slug = update.initiative.slug
        page = text(client.get(f"/initiatives/{slug}/?{as_of}"))
        assert f'id="update-{update.pk}"' not in page, (slug, update.headline)
        assert update.headline not in page, (slug, update.headline)
        if slug in existing:
            entries = ET.fromstring(text(client.get(f"/feeds/initiatives/{slug}/?{as_of}"))).iter(f"{ATOM}entry")
            assert not any(e.find(f"{ATOM}id").text.endswith(f"/{update.pk}") for e in entries)
        for citation in update.citations.all():
            response = client.get(f"/sources/{citation.source.slug}/?{as_of}")
            if response.status_code == 200:
                assert f"#update-{update.pk}" not in text(response)
        on_the_day = text(client.get(f"/initiatives/{slug}/?as_of={(day + DAY).isoformat()}"))
        assert f'id="update-{update.pk}"' in on_the_day, (slug, update.headline)


def test_a_link_between_initiatives_shows_only_once_its_source_is_published(client, known):
    """The AI law and the AI Vision are both known from 2023, but only the January 2026
    article links them."""
    assert "/initiatives/ai-development-vision-2024-2029/" not in text(
        client.get("/initiatives/ai-law/?as_of=2025-06-01")
    )
    assert "/initiatives/ai-development-vision-2024-2029/" in text(client.get("/initiatives/ai-law/?as_of=2026-01-12"))


MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
ANY_YEAR = re.compile(r"\b20\d\d\b")
MONTH_AND_YEAR = re.compile(rf"\b({'|'.join(MONTHS)}) (20\d\d)\b")


def months_named(text):
    """The last day of each month the text names ("reported in January 2026")."""
    return [
        end_of_period(datetime.date(int(year), MONTHS.index(month) + 1, 1), "month")
        for month, year in MONTH_AND_YEAR.findall(text)
    ]


def test_undated_texts_name_no_later_date(known):
    """What happened, and when, lives in dated updates: an organisation's description (shown
    whatever the date) names no year, and a milestone's or an initiative's text names no
    month after the day it is first shown (a deadline's or a period's year is what it is)."""
    for organisation in Organisation.objects.all():
        assert not ANY_YEAR.search(organisation.description), (organisation.slug, organisation.description)
    for milestone in Milestone.objects.select_related("source", "initiative"):
        shown = max(known["initiatives"][milestone.initiative.slug], source_day(milestone.source))
        assert all(day <= shown for day in months_named(milestone.description)), (milestone, milestone.description)
    for initiative in Initiative.objects.all():
        shown = known["initiatives"][initiative.slug]
        for text in (initiative.summary, initiative.description):
            assert all(day <= shown for day in months_named(text)), (initiative.slug, text)
