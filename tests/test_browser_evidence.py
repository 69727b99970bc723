"""Quoted evidence in a real browser: a reader follows a quote's link from the
timeline and lands on the archived source with the passage highlighted (anchor
plus a mark, no JavaScript needed), and the pages are axe-clean."""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.factories import CitationFactory, InitiativeFactory, SourceFactory, StatusUpdateFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOT = "/tmp/browser_evidence_passage.png"


def assert_no_axe_violations(page):
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


@pytest.fixture
def cited(transactional_db):
    source = SourceFactory(
        title="Annual report on digital development",
        publisher="Ministry of Digital Development",
        text="\n\n".join(f"Paragraph {n} of the report says something else entirely." for n in range(1, 30))
        + "\n\nThe supercomputer went into operation in August 2025, the ministry said.",
    )
    initiative = InitiativeFactory(title="National supercomputers", slug="supercomputers")
    update = StatusUpdateFactory(
        initiative=initiative, reported_on=datetime.date(2025, 9, 1), headline="Supercomputer in operation"
    )
    return CitationFactory(update=update, source=source, quote="went into operation in August 2025", paragraph=None)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_quote_link_opens_the_passage_highlighted(live_server, browser, cited, javascript):
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    page.goto(f"{live_server.url}/initiatives/supercomputers/")
    quote = page.locator("blockquote.citation-quote")
    assert quote.inner_text() == "went into operation in August 2025"
    if javascript:
        assert_no_axe_violations(page)

    page.get_by_role("link", name="Read the passage (paragraph 30)").click()
    page.wait_for_url(f"**/sources/{cited.source.slug}/?citation={cited.pk}#p-30")
    passage = page.locator("#p-30")
    assert "is-highlighted" in passage.get_attribute("class")
    assert passage.locator("mark").inner_text() == "went into operation in August 2025"
    # The :target rule paints the paragraph; the browser scrolled it into view.
    assert passage.evaluate("element => getComputedStyle(element).backgroundColor") == "rgb(255, 248, 225)"
    assert passage.is_visible() and passage.bounding_box()["y"] < page.viewport_size["height"]
    assert "National supercomputers: Supercomputer in operation" in passage.inner_text()
    if javascript:
        assert_no_axe_violations(page)
        page.screenshot(path=SCREENSHOT)
    context.close()
