"""Time travel in a real browser: a reader picks a date in the header's form (no
JavaScript needed), the filters stay, and the banner steps to the previous and next
dates on which something changed; every past-date page is axe clean."""

import datetime
import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from initiatives.vocabularies import DatePrecision, InitiativeKind, Status
from tests.factories import InitiativeFactory, MilestoneFactory, StatusUpdateFactory, ThemeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Screenshots for a person to look at (GUIDE.md); a temporary folder unless one is named.
SHOTS = Path(os.environ.get("TIME_TRAVEL_SCREENSHOTS", "/tmp/time-travel-screenshots"))


@pytest.fixture
def site(transactional_db):
    theme = ThemeFactory(name="Computing", slug="computing")
    machines = InitiativeFactory(
        title="National supercomputers",
        slug="supercomputers",
        period_start=datetime.date(2021, 1, 1),
        period_start_precision=DatePrecision.YEAR,
    )
    machines.themes.add(theme)
    StatusUpdateFactory(
        initiative=machines, reported_on=datetime.date(2021, 3, 1), status=Status.ADOPTED, headline="Decree adopted"
    )
    StatusUpdateFactory(
        initiative=machines,
        reported_on=datetime.date(2023, 1, 1),
        reported_on_precision=DatePrecision.YEAR,
        status=Status.IN_PROGRESS,
        headline="Forum hears of the plan",
    )
    StatusUpdateFactory(
        initiative=machines,
        reported_on=datetime.date(2025, 8, 1),
        reported_on_precision=DatePrecision.MONTH,
        status=Status.COMPLETED,
        headline="Supercomputer went into operation",
    )
    MilestoneFactory(
        initiative=machines,
        title="First machine running",
        due_on=datetime.date(2026, 12, 31),
        achieved_on=datetime.date(2025, 8, 1),
        achieved_on_precision=DatePrecision.MONTH,
    )
    hub = InitiativeFactory(
        title="Regional data hub",
        slug="data-hub",
        kind=InitiativeKind.PROPOSAL,
        proposed_on=datetime.date(2025, 12, 1),
        proposed_on_precision=DatePrecision.MONTH,
    )
    hub.themes.add(theme)


def shoot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def assert_no_axe_violations(page):
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def headlines(page):
    return page.locator(".timeline-headline").all_inner_texts()


def test_pick_a_date_then_step_through_the_changes(live_server, page, site):
    page.goto(f"{live_server.url}/initiatives/supercomputers/")
    assert headlines(page)[0] == "Supercomputer went into operation"
    page.get_by_label("As it stood on").fill("2023-06-01")
    page.get_by_role("button", name="Show").click()
    assert page.url.endswith("/initiatives/supercomputers/?as_of=2023-06-01")
    # The "2023" forum update is not yet known in June 2023.
    assert headlines(page) == ["Decree adopted"]
    banner = page.locator(".as-of-banner")
    assert "1 June 2023" in banner.inner_text()
    shoot(page, "detail-2023-06-01")
    assert_no_axe_violations(page)

    banner.get_by_role("link", name="Next change: 31 December 2023 →").click()
    assert page.url.endswith("?as_of=2023-12-31")
    assert headlines(page) == ["Forum hears of the plan", "Decree adopted"]
    page.locator(".as-of-banner").get_by_role("link", name="Next change: 31 August 2025 →").click()
    assert page.url.endswith("?as_of=2025-08-31")
    assert headlines(page)[0] == "Supercomputer went into operation"
    assert page.locator("#milestones-heading + ul .flag-achieved").count() == 1
    page.locator(".as-of-banner").get_by_role("link", name="← Previous change: 31 December 2023").click()
    assert page.url.endswith("?as_of=2023-12-31")
    shoot(page, "detail-2023-12-31")
    page.locator(".as-of-banner").get_by_role("link", name="Back to today").click()
    assert "as_of" not in page.url


def test_the_date_form_keeps_the_filters_on_a_list(live_server, page, site):
    page.goto(f"{live_server.url}/initiatives/?theme=computing")
    assert page.locator(".card-title").count() == 2
    page.get_by_label("As it stood on").fill("2025-06-30")
    page.get_by_role("button", name="Show").click()
    assert "theme=computing" in page.url and "as_of=2025-06-30" in page.url
    # The hub is proposed in December 2025: not yet in the list.
    assert page.locator(".card-title").all_inner_texts() == ["National supercomputers"]
    shoot(page, "list-2025-06-30")
    assert_no_axe_violations(page)


@pytest.mark.parametrize("width", [1280, 390])
def test_a_page_before_the_initiative_existed_is_clear_and_accessible(live_server, page, site, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/initiatives/data-hub/?as_of=2025-06-01")
    assert "had not yet been announced on 1 June 2025" in page.locator("main").inner_text()
    shoot(page, f"not-announced-{width}")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="See it as it stood when first recorded, on 31 December 2025").click()
    assert page.url.endswith("?as_of=2025-12-31")
    assert page.locator("h1").inner_text() == "Regional data hub"


@pytest.mark.parametrize("path", ["/?as_of=2023-06-01", "/updates/?as_of=2023-12-31", "/about/?as_of=2022-01-01"])
def test_past_date_pages_are_axe_clean(live_server, page, site, path):
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(f"{live_server.url}{path}")
    assert page.locator(".as-of-banner").count() == 1
    assert_no_axe_violations(page)
