"""Analysts in a real browser at 1366 px: add a status update inline, cite and
publish it; two analysts through a milestone conflict; a CSV round trip (export,
edit two rows, add one, dry run, confirm); lists that need no sideways scroll;
axe clean on the pages built for this."""

import csv
import datetime
import importlib
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from playwright.sync_api import expect

from initiatives.models import StatusUpdate

from .factories import (
    SOURCE_QUOTE,
    AnalystFactory,
    CitationFactory,
    InitiativeFactory,
    MilestoneFactory,
    SourceFactory,
    StatusUpdateFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"
LAPTOP = {"width": 1366, "height": 768}
SHOTS = Path("/tmp/shots")


@pytest.fixture
def analysts_group(transactional_db):
    """The live server needs a transactional database, and an earlier test's
    flush may have emptied it of the group the data migration created: rebuild
    it with that same migration code, against the migration's own model state."""
    if not Group.objects.filter(name="Analysts").exists():
        loader = MigrationLoader(connection)
        editor = SimpleNamespace(connection=connection)
        migration = importlib.import_module("initiatives.migrations.0003_analysts_group")
        migration.create_analysts_group(loader.project_state(("initiatives", "0003_analysts_group")).apps, editor)
        # Citations came later, with their own grant to the group.
        citations = importlib.import_module("initiatives.migrations.0011_i14_citations_data")
        citations.grant_citations_to_analysts(
            loader.project_state(("initiatives", "0011_i14_citations_data")).apps, editor
        )


def choose_autocomplete(page, select_id, search):
    """Pick an option in the admin's select2 autocomplete widget."""
    page.locator(f"#{select_id} + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(search)
    page.locator(".select2-results__option", has_text=search).first.click()


def sign_in(page, live_server, username, next_url="/admin/"):
    page.set_viewport_size(LAPTOP)
    page.goto(f"{live_server.url}/admin/login/?next={next_url}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("#user-tools")).to_contain_text(username)


def assert_no_sideways_scroll(page):
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], widths
    table = page.evaluate(
        "(() => { const r = document.querySelector('#changelist .results');"
        " return r ? [r.scrollWidth, r.clientWidth] : [0, 0]; })()"
    )
    assert table[0] <= table[1], table


def assert_no_axe_violations(page, context=None):
    results = Axe().run(page, context)
    assert results.violations_count == 0, results.generate_report()


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"admin-{name}.png"), full_page=True)


def test_analyst_adds_a_draft_inline_then_cites_and_publishes_it(live_server, page, analysts_group):
    analyst = AnalystFactory(username="aigerim")
    initiative = InitiativeFactory(title="Digital Code")
    for month in (1, 2, 3):
        StatusUpdateFactory(
            initiative=initiative,
            reported_on=datetime.date(2024, month, 1),
            headline=f"Earlier draft {month}",
            published=False,
        )
    SourceFactory(title="Digital Code adopted", publisher="Akorda")
    sign_in(page, live_server, "aigerim")

    page.goto(f"{live_server.url}/admin/initiatives/initiative/{initiative.pk}/change/")
    # Newest first, the older updates folded to one line each.
    expect(page.locator("#updates-group details[open]")).to_have_count(1)
    expect(page.locator("#updates-group details:not([open])")).to_have_count(2)
    assert_no_axe_violations(page, {"include": [["#updates-group"]]})
    page.locator(".add-row a", has_text=re.compile("Add another status update", re.IGNORECASE)).click()
    # The new row opens at the top, above the saved ones, numbered after them.
    new_row = page.locator("#updates-group .new-rows #updates-3")
    expect(new_row).to_be_visible()
    expect(page.locator("#id_updates-3-reported_on")).to_be_focused()
    assert new_row.bounding_box()["y"] < page.locator("#updates-0").bounding_box()["y"]
    # Known to the month: typed as such, no made-up day.
    page.fill("#id_updates-3-reported_on", "2025-06")
    page.select_option("#id_updates-3-status", "adopted")
    page.fill("#id_updates-3-progress", "20")
    page.fill("#id_updates-3-headline", "Digital Code signed into law")
    shot(page, "initiative-updates-inline")
    assert_no_sideways_scroll(page)
    page.locator("#updates-group").screenshot(path=str(SHOTS / "admin-initiative-updates-group.png"))
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    update = StatusUpdate.objects.get(headline="Digital Code signed into law")
    assert (update.reported_on, update.reported_on_precision) == (datetime.date(2025, 6, 1), "month")
    page.goto(f"{live_server.url}/admin/initiatives/statusupdate/{update.pk}/change/")
    page.locator(".add-row a", has_text=re.compile("Add another citation", re.IGNORECASE)).click()
    choose_autocomplete(page, "id_citations-0-source", "Digital Code adopted")
    page.fill("#id_citations-0-quote", SOURCE_QUOTE)
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    # "View on site" on the draft: the initiative's page as it will look, marked as a preview.
    page.locator("a.viewsitelink").click()
    expect(page.locator(".preview-banner")).to_contain_text("Preview of a draft.")
    entry = page.locator(f"#update-{update.pk}")
    expect(entry).to_contain_text("Digital Code signed into law")
    expect(entry).to_contain_text("Digital Code adopted")
    expect(page.locator(".status-panel")).to_contain_text("Adopted")
    expect(page.locator('meta[name="robots"]')).to_have_attribute("content", "noindex, nofollow")
    shot(page, "draft-preview")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Back to editing the draft").click()
    page.check("#id_published")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    row = page.locator("#result_list tbody tr", has_text="Digital Code signed into law")
    expect(row).to_contain_text("Digital Code")
    expect(row).to_contain_text("aigerim")
    update.refresh_from_db()
    assert update.published
    assert update.author == analyst
    assert [source.title for source in update.sources.all()] == ["Digital Code adopted"]

    page.goto(f"{live_server.url}{initiative.get_absolute_url()}")
    expect(page.locator(".preview-banner")).to_have_count(0)
    entry = page.locator(".timeline-entry", has_text="Digital Code signed into law")
    expect(entry).to_contain_text("Adopted")
    expect(entry).to_contain_text("Digital Code adopted")


def test_two_analysts_and_a_milestone_conflict_lose_nothing(live_server, browser, analysts_group):
    AnalystFactory(username="first_analyst")
    AnalystFactory(username="second_analyst")
    milestone = MilestoneFactory(title="Original milestone", due_on=datetime.date(2025, 12, 31))
    url = f"/admin/initiatives/initiative/{milestone.initiative_id}/change/"
    first, second = browser.new_page(), browser.new_page()
    sign_in(first, live_server, "first_analyst", url)
    sign_in(second, live_server, "second_analyst", url)

    first.fill("#id_milestones-0-title", "Renamed milestone")
    first.click("input[name=_continue]")
    expect(first.locator(".messagelist")).to_contain_text("was changed successfully")
    second.fill("#id_milestones-0-due_on", "2026-06-30")
    second.click("input[name=_continue]")

    error = second.locator(".errornote, .errorlist").filter(has_text="first_analyst changed title")
    expect(error.first).to_contain_text("theirs “Renamed milestone”, yours “Original milestone”")
    expect(second.locator("#id_milestones-0-title")).to_have_value("Renamed milestone")
    expect(second.locator("#id_milestones-0-due_on")).to_have_value("2026-06-30")
    shot(second, "milestone-conflict")
    assert_no_sideways_scroll(second)
    # The refusal this issue added; the page's select2 widgets are Django's own
    # (their empty placeholders fail aria-input-field-name).
    assert_no_axe_violations(second, {"include": [[".errornote"], ["#milestones-group .errorlist"]]})
    second.click("input[name=_continue]")
    expect(second.locator(".messagelist")).to_contain_text("was changed successfully")
    milestone.refresh_from_db()
    assert (milestone.title, milestone.due_on) == ("Renamed milestone", datetime.date(2026, 6, 30))

    # The start page: both saves in everyone's change log, the milestone overdue.
    first.goto(f"{live_server.url}/admin/")
    changes = first.locator("#analyst-start .start-changes tbody tr", has_text="changed: milestone")
    expect(changes.filter(has_text="first_analyst")).to_have_count(1)
    expect(changes.filter(has_text="second_analyst")).to_have_count(1)
    expect(first.locator("#analyst-start")).to_contain_text("Overdue milestones")
    assert_no_sideways_scroll(first)
    shot(first, "start-page")
    assert_no_axe_violations(first)


def test_csv_round_trip_in_the_browser_and_lists_that_fit_a_laptop(live_server, page, analysts_group, tmp_path):
    AnalystFactory(username="aigerim")
    initiative = InitiativeFactory(slug="cyber-shield", title="Cyber Shield " + "with a long name " * 4)
    updates = [
        StatusUpdateFactory(
            initiative=initiative,
            reported_on=datetime.date(2025, 1 + n, 1),
            headline=f"Update number {n} with a headline long enough to need cutting in a list column",
            published=False,
        )
        for n in range(4)
    ]
    # The newest is published: changing it takes a revision note, as in the admin.
    CitationFactory(update=updates[-1], source=SourceFactory())
    StatusUpdate.objects.filter(pk=updates[-1].pk).update(published=True)
    sign_in(page, live_server, "aigerim", "/admin/initiatives/statusupdate/")
    assert_no_sideways_scroll(page)
    shot(page, "statusupdate-changelist")
    assert_no_axe_violations(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Export CSV").click()
    path = tmp_path / "export.csv"
    download.value.save_as(path)
    with path.open(newline="") as file:
        reader = csv.DictReader(file)
        header, rows = reader.fieldnames, list(reader)
    # Newest first: row 0 is the published update.
    assert rows[0]["published"] == "true"
    rows[0]["status"], rows[0]["progress"] = "stalled", "5"
    rows[0]["revision_note"] = "Stalled since May, as the ministry reported."
    rows[1]["headline_kk"] = "Жаңарту"
    rows.append(
        {
            **dict.fromkeys(header, ""),
            "initiative": "cyber-shield",
            "reported_on": "2025-07-01",
            "status": "adopted",
            "headline": "Added in the spreadsheet",
        }
    )
    with path.open("w", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)

    page.get_by_role("link", name="Import CSV").click()
    page.set_input_files("#id_csv_file", str(path))
    page.get_by_role("button", name="Check the file (dry run)").click()
    expect(page.locator("#import-summary")).to_contain_text("Dry run: 1 created, 2 changed, 2 unchanged.")
    expect(page.locator("#import-preview tr.import-changed")).to_have_count(2)
    expect(page.locator("#import-preview tr.import-created")).to_have_count(1)
    expect(page.locator("#import-preview")).to_contain_text("status: In progress → Stalled")
    shot(page, "csv-dry-run")
    assert_no_sideways_scroll(page)
    assert_no_axe_violations(page)
    assert not StatusUpdate.objects.filter(headline="Added in the spreadsheet").exists()

    page.get_by_role("button", name="Confirm import").click()
    expect(page.locator(".messagelist")).to_contain_text("Imported: 1 created, 2 changed, 2 unchanged.")
    changed = StatusUpdate.objects.get(pk=rows[0]["id"])
    assert (changed.status, changed.progress) == ("stalled", 5)
    assert changed.revision_note == "Stalled since May, as the ministry reported."
    assert changed.revised_on == datetime.date.today()
    assert StatusUpdate.objects.get(pk=rows[1]["id"]).headline_kk == "Жаңарту"
    assert StatusUpdate.objects.filter(headline="Added in the spreadsheet").exists()
    assert len(updates) == 4

    # Every list of the tracker's admin fits the laptop, and the filtered lists the
    # start page links to.
    for model in [
        "statusupdate",
        "initiative",
        "milestone",
        "source",
        "organisation",
        "theme",
        "initiativeorganisation",
        "initiativecountry",
        "initiativerelation",
        "externallink",
    ]:
        page.goto(f"{live_server.url}/admin/initiatives/{model}/")
        assert_no_sideways_scroll(page)
    for path in ["initiative/?stale=yes&o=5", "milestone/?overdue=yes", "statusupdate/?mine=drafts"]:
        page.goto(f"{live_server.url}/admin/initiatives/{path}")
        assert_no_sideways_scroll(page)
