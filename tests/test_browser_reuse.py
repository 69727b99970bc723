"""Issue 18 in a real browser: /changes/ compared and filtered, /data/ and its download,
an initiative's embed card framed by another page, the index pages and the API docs,
each axe clean; screenshots in /tmp/shots/ for a person to look at."""

import datetime
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from initiatives.models import InitiativeOrganisation
from initiatives.vocabularies import InitiativeKind, Role, Status
from tests.factories import (
    CitationFactory,
    InitiativeFactory,
    MilestoneFactory,
    OrganisationFactory,
    SourceFactory,
    StatusUpdateFactory,
    ThemeFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/shots")
TODAY = datetime.date.today()


@pytest.fixture
def site(transactional_db):
    theme = ThemeFactory(name="Artificial intelligence", slug="ai")
    ministry = OrganisationFactory(name="Ministry of Digital Development", slug="mdd")
    source = SourceFactory(title="Presidential address", url="https://example.org/a")
    vision = InitiativeFactory(title="AI Development Vision", slug="ai-vision", summary="The national AI concept.")
    vision.themes.add(theme)
    InitiativeOrganisation.objects.create(initiative=vision, organisation=ministry, role=Role.LEAD)
    StatusUpdateFactory(initiative=vision, reported_on=datetime.date(2024, 7, 1), status=Status.ADOPTED, progress=5)
    update = StatusUpdateFactory(
        initiative=vision,
        reported_on=TODAY - datetime.timedelta(days=5),
        status=Status.IN_PROGRESS,
        progress=35,
        headline="Supercomputer commissioned",
    )
    CitationFactory(update=update, source=source)
    MilestoneFactory(initiative=vision, title="Ten labs", due_on=TODAY - datetime.timedelta(days=3))
    MilestoneFactory(initiative=vision, title="AI law", due_on=TODAY + datetime.timedelta(days=30), achieved_on=TODAY)
    InitiativeFactory(
        title="Digital Security Belt",
        slug="belt",
        kind=InitiativeKind.PROPOSAL,
        proposed_on=TODAY - datetime.timedelta(days=10),
        responsible_body=ministry,
    )
    return {"vision": vision}


def assert_no_axe_violations(page):
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"reuse-{name}.png"), full_page=True)


def test_changes_page_compares_and_filters(live_server, page, site):
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    since = TODAY - datetime.timedelta(days=60)
    page.goto(f"{live_server.url}/changes/?from={since}")
    assert page.locator("#status_changes-heading").inner_text().endswith("(1)")
    assert page.get_by_text("Supercomputer commissioned").is_visible()
    assert page.locator("#announced-heading").inner_text().endswith("(1)")
    assert page.locator("#milestones_achieved-heading").inner_text().endswith("(1)")
    assert page.locator("#milestones_overdue-heading").inner_text().endswith("(1)")
    assert_no_axe_violations(page)
    shot(page, "changes")
    page.get_by_label("Kind", exact=True).select_option("proposal")
    page.get_by_role("button", name="Compare").click()
    page.wait_for_url("**kind=proposal**")
    assert page.locator("#status_changes-heading").inner_text().endswith("(0)")
    assert page.locator("#announced-heading").inner_text().endswith("(1)")
    assert errors == []


def test_data_page_and_download(live_server, page, site):
    page.goto(f"{live_server.url}/data/")
    assert page.get_by_role("heading", name="status-updates.csv").is_visible()
    assert_no_axe_violations(page)
    shot(page, "data")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the data package").click()
    assert download.value.suggested_filename == "policy-initiative-tracker.zip"


def test_embed_card_in_a_frame_and_the_initiative_page_boxes(live_server, page, site):
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(f"{live_server.url}/initiatives/ai-vision/")
    assert page.get_by_role("heading", name="Cite this page").is_visible()
    page.get_by_text("Embed this status on another site").click()
    snippet = page.locator("#snippet-embed").input_value()
    assert "/embed/initiatives/ai-vision/" in snippet
    assert_no_axe_violations(page)
    shot(page, "initiative")
    assert errors == []  # no CSP report on the page (its JSON-LD is data, not a script)
    # Another page frames the card (a data: URL is another origin): it loads, since its CSP allows it.
    page.set_content(f"<h1>Host</h1>{snippet}")
    frame = page.frame_locator("iframe")
    # The snippet's iframe loads lazily, after the host page's load event: wait for it.
    expect(frame.get_by_text("In progress")).to_be_visible()
    shot(page, "embed-in-host")
    page.goto(f"{live_server.url}/embed/initiatives/ai-vision/")
    assert_no_axe_violations(page)
    page.set_content(f'<img src="{live_server.url}/initiatives/ai-vision/badge.svg" alt="badge">')
    page.wait_for_function("document.images[0].complete && document.images[0].naturalWidth > 0")
    shot(page, "badge")


def test_index_pages(live_server, page, site):
    page.goto(f"{live_server.url}/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Organisations").click()
    assert page.get_by_role("link", name="Ministry of Digital Development").is_visible()
    assert_no_axe_violations(page)
    shot(page, "organisations")
    for path in ("/themes/", "/countries/"):
        page.goto(f"{live_server.url}{path}")
        assert_no_axe_violations(page)


def test_api_docs_work_under_the_csp(live_server, page, site):
    violations = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    page.goto(f"{live_server.url}/api/docs/")
    page.get_by_text("/api/changes/").first.wait_for()
    shot(page, "api-docs")
    assert violations == []
    # What remains is Swagger UI's own markup (docs/notes in the closing note): an
    # h3 after the h2 title, a button inside each operation's clickable summary, and its
    # info block outside its own <main>. Everything else axe found is fixed by the site.
    results = Axe().run(page)
    rules = {violation["id"] for violation in results.response["violations"]}
    assert rules <= {"heading-order", "nested-interactive", "region"}, results.generate_report()
