"""The public site in a real browser (Debian's chromium): the main journeys work
with the keyboard and mouse, and axe finds no accessibility violations on any page type."""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe

from initiatives.models import InitiativeCountry, InitiativeOrganisation, InitiativeRelation
from initiatives.vocabularies import InitiativeKind, RelationType, Role, Status
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

TODAY = datetime.date.today()


@pytest.fixture
def site(transactional_db):
    theme = ThemeFactory(name="Artificial intelligence", slug="ai")
    ministry = OrganisationFactory(name="Ministry of Digital Development", slug="mdd")
    source = SourceFactory(title="Presidential address", url="https://example.org/a", published_on_precision="day")
    vision = InitiativeFactory(
        title="AI Development Vision",
        slug="ai-vision",
        summary="The national AI concept.",
        description="Line one.\nLine two.",
        period_start=datetime.date(2024, 1, 1),
        period_start_precision="year",
        period_end=datetime.date(2029, 12, 31),
        period_end_precision="year",
    )
    vision.themes.add(theme)
    InitiativeOrganisation.objects.create(initiative=vision, organisation=ministry, role=Role.LEAD)
    InitiativeCountry.objects.create(initiative=vision, country="KZ")
    update = StatusUpdateFactory(
        initiative=vision,
        reported_on=TODAY - datetime.timedelta(days=5),
        status=Status.IN_PROGRESS,
        progress=35,
        headline="Supercomputer commissioned",
    )
    CitationFactory(update=update, source=source)
    StatusUpdateFactory(
        initiative=vision, reported_on=datetime.date(2024, 7, 1), status=Status.ADOPTED, headline="Vision adopted"
    )
    MilestoneFactory(
        initiative=vision, title="AI law adopted", due_on=datetime.date(2024, 12, 31), due_on_precision="year"
    )
    MilestoneFactory(initiative=vision, title="Ten labs", due_on=TODAY + datetime.timedelta(days=90))
    belt = InitiativeFactory(
        title="Digital Security Belt", slug="belt", kind=InitiativeKind.PROPOSAL, summary="A Belt and Road proposal."
    )
    InitiativeRelation.objects.create(from_initiative=vision, to_initiative=belt, relation_type=RelationType.RELATED_TO)
    stalled = InitiativeFactory(title="Cyber Shield", slug="cyber-shield", summary="Strategy.")
    StatusUpdateFactory(
        initiative=stalled, reported_on=TODAY - datetime.timedelta(days=500), status=Status.STALLED, headline="No news"
    )
    return {"vision": vision}


def assert_no_axe_violations(page):
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_dashboard_loads_with_charts(live_server, page, site):
    page.goto(f"{live_server.url}/")
    assert page.locator("h1").count() == 1
    assert page.locator("svg.chart").count() == 2
    assert page.get_by_role("link", name="AI Development Vision").first.is_visible()
    # The text alternative opens without JavaScript (a <details>).
    page.get_by_text("The numbers as a table").click()
    assert page.locator("table caption", has_text="Initiatives by current status").is_visible()


def test_filter_the_list_by_facet_and_search(live_server, page, site):
    page.goto(f"{live_server.url}/initiatives/")
    page.locator(".facet a", has_text="Stalled").click()
    assert "status=stalled" in page.url
    assert page.locator(".card-title").all_inner_texts() == ["Cyber Shield"]
    page.goto(f"{live_server.url}/initiatives/")
    page.get_by_label("Search titles, summaries, descriptions and updates").fill("supercomputer")
    page.get_by_label("Sort by").select_option("-last_update")
    page.get_by_role("button", name="Search").click()
    assert "q=supercomputer" in page.url and "ordering=-last_update" in page.url
    assert page.locator(".card-title").all_inner_texts() == ["AI Development Vision"]


def test_open_an_initiative_and_follow_its_feed(live_server, page, site):
    page.goto(f"{live_server.url}/initiatives/")
    page.get_by_role("link", name="AI Development Vision").click()
    assert page.url.endswith("/initiatives/ai-vision/")
    assert page.locator(".status-line .badge").inner_text().endswith("In progress")
    assert page.get_by_text("Implementation under way.").first.is_visible()
    assert page.locator(".timeline-headline").all_inner_texts() == ["Supercomputer commissioned", "Vision adopted"]
    with page.expect_response(lambda r: "/feeds/initiatives/ai-vision/" in r.url) as feed:
        page.get_by_role("link", name="Atom feed of its updates").click()
    response = feed.value
    assert response.status == 200
    assert "application/atom+xml" in response.headers["content-type"]
    assert "Supercomputer commissioned" in response.text()


def test_keyboard_skip_link_reaches_main(live_server, page, site):
    page.goto(f"{live_server.url}/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    assert skip.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")


def test_time_travel_banner_and_back_to_today(live_server, page, site):
    page.goto(f"{live_server.url}/initiatives/ai-vision/?as_of=2024-08-01")
    banner = page.locator(".as-of-banner")
    assert "1 August 2024" in banner.inner_text()
    assert page.locator(".status-line .badge").inner_text().endswith("Adopted")
    banner.get_by_role("link", name="Back to today").click()
    assert "as_of" not in page.url
    assert page.locator(".status-line .badge").inner_text().endswith("In progress")


PAGES = [
    "/",
    "/?as_of=2024-08-01",
    "/initiatives/",
    "/initiatives/?status=in_progress&theme=ai&ordering=-progress",
    "/initiatives/ai-vision/",
    "/initiatives/belt/",
    "/updates/",
    "/organisations/mdd/",
    "/themes/ai/",
    "/about/",
    "/initiatives/no-such-page/",
    "/initiatives/?as_of=not-a-date",
]


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_no_violations(live_server, page, site, path, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}{path}")
    assert_no_axe_violations(page)
