"""Initiative pages in Russian and Kazakh in a real browser: no English a reader meets
outside proper names (marked lang="en" without a note) and quotes (which stay in the
source's language; the names are listed in test_translations_complete.LATIN_NAMES),
and no axe violations. First on data translated throughout, then on the dataset itself.
Screenshots go to /tmp/shots/i18n-content-<lang>.png."""

import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

from initiatives.models import Initiative

from .factories import InitiativeFactory
from .test_i18n_pages import NOT_ENGLISH, build_translated_site
from .test_translations_complete import LATIN_NAMES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/shots")
LANGUAGES = ["ru", "kk"]
LATIN_WORD = re.compile(r"[A-Za-z]{3,}(?:['’-][A-Za-z]+)*")
# The text a reader meets, less quotes, code and names kept in the original. English
# content shown for want of a translation (marked, with "(in English)" beside it) stays:
# it is English the reader meets.
READER_TEXT = """() => {
    const page = document.body.cloneNode(true);
    page.querySelectorAll("script, style, code, textarea, q, blockquote, .quote").forEach((el) => el.remove());
    const isNote = (el) => el !== null && el.classList.contains("fallback-note");
    page.querySelectorAll('[lang="en"]').forEach((el) => {
        if (!isNote(el.nextElementSibling) && !isNote(el.previousElementSibling)) el.remove();
    });
    return page.textContent;
}"""


def english_on(page):
    # An address (the cited permalink) is not prose in any language.
    text = re.sub(r"https?://\S+", " ", page.evaluate(READER_TEXT))
    # Longest first: "Huawei Technologies Kazakhstan" before "Huawei".
    for name in sorted(LATIN_NAMES, key=len, reverse=True):
        text = re.sub(rf"(?<![A-Za-z]){re.escape(name)}(?![A-Za-z])", " ", text)
    return sorted({word for word in LATIN_WORD.findall(text) if word not in NOT_ENGLISH})


def read_initiative_pages(page, base_url, language, slugs, *, axe_on):
    """{path: English words} for the list and each initiative page; axe on the list
    and on the pages named in axe_on."""
    english, violations = {}, {}
    for path in [f"/{language}/initiatives/", *(f"/{language}/initiatives/{slug}/" for slug in slugs)]:
        page.goto(f"{base_url}{path}")
        assert page.locator("html").get_attribute("lang") == language
        words = english_on(page)
        if words:
            english[path] = words
        if path.endswith("/initiatives/") or any(path.endswith(f"/{slug}/") for slug in axe_on):
            results = Axe().run(page)
            if results.violations_count:
                violations[path] = results.generate_report()
    return english, violations


@pytest.mark.parametrize("language", LANGUAGES)
def test_translated_initiative_pages_show_no_english_but_names_and_are_accessible(live_server, page, language):
    build_translated_site()
    Initiative.objects.filter(slug="untranslated").delete()
    page.set_viewport_size({"width": 1100, "height": 900})
    english, violations = read_initiative_pages(
        page, live_server.url, language, ["supercomputer", "proposal"], axe_on=["supercomputer"]
    )
    assert english == {}
    assert violations == {}
    # The checker sees English content shown for want of a translation, marked or not.
    InitiativeFactory(slug="untranslated", title="Untranslated program")
    page.goto(f"{live_server.url}/{language}/initiatives/untranslated/")
    assert "Untranslated" in english_on(page)
    page.goto(f"{live_server.url}/{language}/initiatives/supercomputer/")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"i18n-content-{language}.png"), full_page=True)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_dataset_s_initiative_pages_show_no_english_but_names_and_quotes(live_server, page, language):
    call_command("load_dataset", verbosity=0)
    slugs = list(Initiative.objects.order_by("slug").values_list("slug", flat=True))
    english, violations = read_initiative_pages(
        page, live_server.url, language, slugs, axe_on=["national-supercomputers", "eurasian-digital-security-belt"]
    )
    assert violations == {}
    assert english == {}, f"{len(english)} pages show English: {english}"
