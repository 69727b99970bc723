"""A revised update on a past date reads as it did then (issue 14, corrections and
honest time): the wording of its latest revision dated by then, from the audit trail
(status, progress, headline, body, citations), and no "Revised on" note dated later,
on the timeline, the update list, the feeds, the CSV, the API and the revisions page."""

import csv
import datetime
import io
import re
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from initiatives import services
from initiatives.models import StatusUpdate

from .factories import SOURCE_QUOTE, CitationFactory, InitiativeFactory, SourceFactory, StatusUpdateFactory

pytestmark = pytest.mark.django_db

FIRST_REVISION = datetime.date(2024, 9, 1)
SECOND_REVISION = datetime.date(2025, 3, 1)
FIRST_NOTE = "Adopted, as the June report says: status and headline corrected."
SECOND_NOTE = "The law was adopted in full: headline made precise."


def revise_on(day, **kwargs):
    """A revision made on ``day`` (the service dates it today)."""
    with mock.patch.object(services.timezone, "localdate", return_value=day):
        return services.revise_update(user=None, **kwargs)


def drafted(initiative, draft_source):
    update = StatusUpdateFactory(
        initiative=initiative,
        reported_on=datetime.date(2024, 2, 1),
        status="in_progress",
        progress=20,
        headline="Law drafted",
        body="A draft went to parliament.",
    )
    CitationFactory(update=update, source=draft_source)
    return update


@pytest.fixture
def law():
    """An update published in February 2024, revised on 1 September 2024 (status, progress,
    headline and evidence) and again on 1 March 2025 (headline)."""
    draft_source = SourceFactory(title="Draft law notice", slug="draft-notice", published_on=datetime.date(2024, 1, 10))
    report = SourceFactory(title="June report", slug="june-report", published_on=datetime.date(2024, 6, 1))
    update = drafted(InitiativeFactory(slug="ai-law"), draft_source)
    revise_on(
        FIRST_REVISION,
        update=update,
        note=FIRST_NOTE,
        changes={"status": "adopted", "progress": 60, "headline": "Law adopted"},
        citations=[(report, SOURCE_QUOTE)],
    )
    revise_on(SECOND_REVISION, update=update, note=SECOND_NOTE, changes={"headline": "Law adopted in full"})
    return StatusUpdate.objects.get(pk=update.pk)


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def entry(html, update):
    """The update's timeline entry."""
    match = re.search(rf'<li class="timeline-entry[^"]*" id="update-{update.pk}">.*?</li>', html, flags=re.S)
    assert match, "the update is not on the page"
    return match.group(0)


def test_before_its_first_revision_the_timeline_shows_the_first_wording(client, law):
    html = entry(page(client, "/initiatives/ai-law/?as_of=2024-08-01"), law)
    assert "Law drafted" in html and "A draft went to parliament." in html
    assert "In progress" in html and "20%" in html
    assert "/sources/draft-notice/" in html and "june-report" not in html
    assert "Law adopted" not in html
    assert "Revised on" not in html and FIRST_NOTE not in html and SECOND_NOTE not in html


def test_between_revisions_the_timeline_shows_the_first_revision_and_its_note_only(client, law):
    html = entry(page(client, "/initiatives/ai-law/?as_of=2024-10-01"), law)
    assert "Law adopted" in html and "Law adopted in full" not in html and "Law drafted" not in html
    assert "Adopted" in html and "60%" in html
    assert "/sources/june-report/" in html and "draft-notice" not in html
    assert "Revised on" in html and FIRST_NOTE in html and SECOND_NOTE not in html
    assert f"/updates/{law.pk}/revisions/?as_of=2024-10-01" in html


def test_today_the_timeline_shows_the_latest_wording(client, law):
    html = entry(page(client, "/initiatives/ai-law/"), law)
    assert "Law adopted in full" in html and SECOND_NOTE in html and FIRST_NOTE not in html


def test_the_update_list_feed_and_csv_read_as_then(client, law):
    assert "Law drafted" in page(client, "/updates/?as_of=2024-08-01")
    assert "Law adopted" not in page(client, "/updates/?as_of=2024-08-01")
    feed = page(client, "/feeds/updates/?as_of=2024-08-01")
    assert "Law drafted" in feed and "Law adopted" not in feed
    assert "Law adopted" in page(client, "/feeds/initiatives/ai-law/?as_of=2024-10-01")
    response = client.get("/updates.csv?as_of=2024-08-01")
    (row,) = csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode()))
    draft_source = law.citations.get().source  # today it cites the report; then the notice
    assert (row["headline"], row["status"], row["progress"]) == ("Law drafted", "in_progress", "20")
    assert row["quotes"].startswith("draft-notice ")  # the passage it cited then
    assert draft_source.slug not in row["quotes"]


def test_the_api_reads_as_then_with_the_revisions_made_by_then(client, law):
    then = client.get(f"/api/status-updates/{law.pk}/?as_of=2024-08-01").json()
    assert (then["headline"], then["status"], then["progress"]) == ("Law drafted", "in_progress", 20)
    assert then["revised_on"] is None and then["revisions"] == []
    assert [c["source"] for c in then["citations"]] == ["draft-notice"]
    between = client.get(f"/api/status-updates/{law.pk}/?as_of=2024-10-01").json()
    assert (between["headline"], between["revised_on"], between["revision_note"]) == (
        "Law adopted",
        FIRST_REVISION.isoformat(),
        FIRST_NOTE,
    )
    assert [r["earlier"]["headline"] for r in between["revisions"]] == ["Law drafted"]
    assert [c["source"] for c in between["citations"]] == ["june-report"]
    listed = client.get("/api/status-updates/?as_of=2024-08-01").json()["results"]
    assert [row["headline"] for row in listed] == ["Law drafted"]
    detail = client.get("/api/initiatives/ai-law/?as_of=2024-08-01").json()
    assert [row["headline"] for row in detail["updates"]] == ["Law drafted"]
    today = client.get(f"/api/status-updates/{law.pk}/").json()
    assert len(today["revisions"]) == 2


def test_the_revisions_page_on_a_past_date_shows_only_the_revisions_made_by_then(client, law):
    html = page(client, f"/updates/{law.pk}/revisions/?as_of=2024-10-01")
    assert "Law adopted" in html and "Law drafted" in html
    assert "Law adopted in full" not in html and SECOND_NOTE not in html
    assert "Law adopted in full" in page(client, f"/updates/{law.pk}/revisions/")


def test_one_history_lookup_for_the_whole_timeline(client, django_assert_num_queries):
    """However many updates were revised since the date, the page costs the same: the
    audit records and their citations, two queries for the whole timeline."""
    draft_source = SourceFactory(published_on=datetime.date(2024, 1, 10))

    def revised(initiative):
        update = drafted(initiative, draft_source)
        revise_on(FIRST_REVISION, update=update, note=FIRST_NOTE, changes={"headline": "Law adopted"})

    one, three = InitiativeFactory(slug="one"), InitiativeFactory(slug="three")
    revised(one)
    for _ in range(3):
        revised(three)
    for slug in ("one", "three"):  # warm the cached change dates of each page's banner
        client.get(f"/initiatives/{slug}/?as_of=2024-08-01")
    with CaptureQueriesContext(connection) as for_one:
        assert "Law drafted" in page(client, "/initiatives/one/?as_of=2024-08-01")
    with django_assert_num_queries(len(for_one.captured_queries)):
        html = page(client, "/initiatives/three/?as_of=2024-08-01")
    assert html.count("Law drafted") == 3 and "Law adopted" not in html


def test_the_dataset_keeps_the_wording_it_was_loaded_with(client):
    """loaddata writes no audit trail: load_dataset records each update as loaded, so a later
    revision of a dataset update still shows its earlier wording, and on earlier dates."""
    call_command("load_dataset", verbosity=0)
    update = StatusUpdate.objects.get(initiative__slug="national-supercomputers", reported_on="2025-12-01")
    record = update.history.get()
    assert record.headline == update.headline and record.sources.count() == update.citations.count()
    original = update.headline
    revise_on(datetime.date(2026, 2, 1), update=update, note="Reworded.", changes={"headline": "Reworded headline"})
    html = page(client, "/initiatives/national-supercomputers/?as_of=2026-01-20")
    assert original in html and "Reworded headline" not in html
    assert original in page(client, f"/updates/{update.pk}/revisions/")


def test_the_status_on_a_past_date_rests_on_the_wording_then(client, law):
    """The initiative's status, its counts and the list's status filter read the update
    as it was then, not as revised since."""

    def status(as_of):
        row = client.get(f"/api/initiatives/ai-law/?as_of={as_of}").json()
        return row["status"], row["progress"]

    assert status("2024-08-01") == ("in_progress", 20)
    assert status("2024-10-01") == ("adopted", 60)
    listed = client.get("/api/initiatives/?as_of=2024-08-01&status=in_progress").json()["results"]
    assert [row["slug"] for row in listed] == ["ai-law"]
    header = page(client, "/initiatives/ai-law/?as_of=2024-08-01").split('class="timeline"')[0]
    assert "In progress" in header and "Adopted" not in header


def test_a_source_page_on_a_past_date_lists_what_cited_it_then(client, law):
    """The draft notice was cited until the first revision, the June report from it."""
    notice = page(client, "/sources/draft-notice/?as_of=2024-08-01")
    assert f"#update-{law.pk}" in notice and "Law drafted" in notice and "Law adopted" not in notice
    assert f"#update-{law.pk}" not in page(client, "/sources/draft-notice/?as_of=2024-10-01")
    assert f"#update-{law.pk}" not in page(client, "/sources/june-report/?as_of=2024-08-01")
    report = page(client, "/sources/june-report/?as_of=2024-10-01")
    assert "Law adopted" in report and "Law adopted in full" not in report
