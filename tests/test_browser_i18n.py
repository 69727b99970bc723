"""An initiative page in English, Russian and Kazakh in a real browser: translated
chrome, translated content with the English fallback marked, the no-JS language
switcher, and no axe violations. Screenshots go to /tmp/shots/i18n-<lang>.png."""

import datetime
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from initiatives.models import InitiativeCountry, InitiativeOrganisation
from initiatives.vocabularies import DatePrecision, InitiativeKind, Role, Status
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
HEADINGS = {
    "en": "Common Standards of Digital Trust",
    "ru": "Общие стандарты цифрового доверия",
    "kk": "Цифрлық сенімнің ортақ стандарттары",
}
NAV_INITIATIVES = {"en": "Initiatives", "ru": "Инициативы", "kk": "Бастамалар"}


@pytest.fixture
def initiative(transactional_db):
    theme = ThemeFactory(name="Digital trust and identity", slug="trust", name_ru="Цифровое доверие и идентификация")
    ministry = OrganisationFactory(name="Ministry of Digital Development", slug="mdd")
    source = SourceFactory(title="Address at the Digital Silk Road forum", url="https://example.org/forum")
    standards = InitiativeFactory(
        kind=InitiativeKind.PROPOSAL,
        title=HEADINGS["en"],
        slug="trust-standards",
        summary=(
            "Unified standards among Silk Road countries for recognising electronic documents, diplomas, "
            "digital signatures and certifications."
        ),
        title_ru=HEADINGS["ru"],
        title_kk=HEADINGS["kk"],
        summary_ru=(
            "Единые стандарты стран Шёлкового пути для признания электронных документов, дипломов, "
            "цифровых подписей и сертификатов."
        ),
        summary_kk=(
            "Жібек жолы елдері арасында электрондық құжаттарды, дипломдарды, цифрлық қолтаңбаларды және "
            "сертификаттарды тануға арналған бірыңғай стандарттар."
        ),
        description="Partner countries would recognise each other's electronic documents.",
        proposed_on=datetime.date(2025, 6, 1),
        proposed_on_precision=DatePrecision.MONTH,
        responsible_body=ministry,
    )
    standards.themes.add(theme)
    InitiativeOrganisation.objects.create(initiative=standards, organisation=ministry, role=Role.LEAD)
    InitiativeCountry.objects.create(initiative=standards, country="KZ")
    update = StatusUpdateFactory(
        initiative=standards,
        reported_on=TODAY - datetime.timedelta(days=20),
        status=Status.PROPOSED,
        progress=None,
        headline="Put forward at the forum",
        headline_ru="Выдвинуто на форуме",
        headline_kk="Форумда ұсынылды",
        body="The proposal was announced in the keynote address.",
    )
    CitationFactory(update=update, source=source)
    MilestoneFactory(initiative=standards, title="Draft standard agreed", due_on=TODAY + datetime.timedelta(days=200))
    return standards


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_initiative_page_in_each_language_is_translated_and_accessible(live_server, page, initiative, language):
    prefix = "" if language == "en" else f"/{language}"
    page.set_viewport_size({"width": 1100, "height": 900})
    page.goto(f"{live_server.url}{prefix}/initiatives/trust-standards/")

    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("h1").inner_text().startswith(HEADINGS[language])
    assert (
        page.get_by_role("navigation", name=None)
        .first.get_by_role("link", name=NAV_INITIATIVES[language], exact=True)
        .is_visible()
    )
    if language != "en":
        # The untranslated description is marked as English.
        assert page.locator('.prose[lang="en"]').count() >= 1
        assert page.locator(".fallback-note").first.is_visible()

    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"i18n-{language}.png"), full_page=True)

    # Longer Russian and Kazakh words push nothing off the side of the page.
    wide = page.evaluate(
        """() => [...document.querySelectorAll("body *")]
            .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
            .map((el) => el.tagName + "." + el.className + ": " + el.textContent.trim().slice(0, 40))"""
    )
    assert wide == []

    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_switcher_changes_language_without_javascript(live_server, browser, initiative):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/initiatives/trust-standards/")
        page.get_by_role("button", name="Қазақ").click()
        page.wait_for_url("**/kk/initiatives/trust-standards/")
        assert page.locator("h1").inner_text().startswith(HEADINGS["kk"])
        # Remembered where it costs nothing: the home page opens in Kazakh (other unprefixed
        # addresses are English pages that shared caches keep, whoever asks).
        page.goto(f"{live_server.url}/")
        assert page.url.endswith("/kk/")
        page.goto(f"{live_server.url}/kk/initiatives/")
        page.get_by_role("button", name="Русский").click()
        page.wait_for_url("**/ru/initiatives/")
        assert page.locator("html").get_attribute("lang") == "ru"
    finally:
        context.close()
