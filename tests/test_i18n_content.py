"""Every public text in Russian and Kazakh: the translation columns of every model
(instrument, milestone descriptions, organisations, theme descriptions, relation
notes, source titles and notes) on pages and in the API, each falling back to
English marked lang="en" with "(in English)"."""

import datetime
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from django_countries.fields import Country

from initiatives.country_names import country_name
from initiatives.models import InitiativeCountry, InitiativeOrganisation, InitiativeRelation
from initiatives.templatetags.tracker_tags import country, marked, sentence
from initiatives.vocabularies import RelationType, Role

from .factories import (
    InitiativeFactory,
    MilestoneFactory,
    OrganisationFactory,
    SourceFactory,
    StatusUpdateFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

FALLBACK_NOTE = {"ru": "(на английском)", "kk": "(ағылшынша)"}


@pytest.fixture
def translated_world():
    """Every newly translatable field, translated into Russian only: Russian pages show
    the Russian text, Kazakh pages the English original marked as English."""
    ministry = OrganisationFactory(
        name="Ministry of Artificial Intelligence",
        slug="ministry-ai",
        name_ru="Министерство искусственного интеллекта",
        description="The ministry in charge of AI.",
        description_ru="Министерство, отвечающее за ИИ.",
    )
    company = OrganisationFactory(name="Acme Cloud", slug="acme", country="CN", description="A cloud company.")
    theme = ThemeFactory(
        name="Artificial intelligence",
        slug="ai",
        name_ru="Искусственный интеллект",
        description="AI policy.",
        description_ru="Политика в области ИИ.",
    )
    source = SourceFactory(
        title="Address to the nation",
        title_ru="Послание народу",
        notes="Supports the plan.",
        notes_ru="Подтверждает план.",
        published_on=datetime.date(2025, 9, 8),
    )
    program = InitiativeFactory(
        slug="ai-program",
        title="AI program",
        title_ru="Программа ИИ",
        instrument="Government decree",
        instrument_ru="Постановление правительства",
        responsible_body=ministry,
    )
    program.themes.add(theme)
    program.sources.add(source)
    InitiativeOrganisation.objects.create(initiative=program, organisation=company, role=Role.PARTNER)
    InitiativeCountry.objects.create(initiative=program, country="CN")
    MilestoneFactory(
        initiative=program,
        title="Law adopted",
        description="The parliament adopts the law.",
        description_ru="Парламент принимает закон.",
        source=source,
    )
    other = InitiativeFactory(slug="other", title="Other program")
    InitiativeRelation.objects.create(
        from_initiative=program,
        to_initiative=other,
        relation_type=RelationType.PART_OF,
        note="Its first stage.",
        note_ru="Его первый этап.",
    )
    return {"program": program, "ministry": ministry, "theme": theme, "source": source}


RUSSIAN_ON_PAGES = {
    "/ru/initiatives/ai-program/": [
        "Постановление правительства",
        "Министерство искусственного интеллекта",
        "Парламент принимает закон.",
        "Его первый этап.",
        "Послание народу",
    ],
    "/ru/organisations/ministry-ai/": ["Министерство искусственного интеллекта", "Министерство, отвечающее за ИИ."],
    "/ru/themes/ai/": ["Политика в области ИИ."],
    "/ru/about/": ["Послание народу", "Подтверждает план."],
}


def test_every_translated_field_is_shown_in_russian(client, translated_world):
    for page, texts in RUSSIAN_ON_PAGES.items():
        html = client.get(page).content.decode()
        for text in texts:
            assert text in html, (page, text)
            assert f'<span lang="en">{text}' not in html


def test_untranslated_fields_fall_back_to_english_marked_as_english(client, translated_world):
    note = FALLBACK_NOTE["kk"]
    html = client.get("/kk/initiatives/ai-program/").content.decode()
    assert f'<dd><span lang="en">Government decree</span> <small class="fallback-note">{note}</small></dd>' in html
    assert f'<p class="fallback-note">{note}</p><div class="prose" lang="en"><p>The parliament adopts' in html
    assert f'<span class="hint"><span lang="en">Its first stage.</span> <small class="fallback-note">{note}' in html
    assert f'<span lang="en">Address to the nation</span> <small class="fallback-note">{note}</small>' in html
    # A name kept in the original is English, but not a missing translation: no note.
    assert '<span lang="en">Acme Cloud</span></a>' in html
    about = client.get("/kk/about/").content.decode()
    assert f'<span lang="en">Supports the plan.</span> <small class="fallback-note">{note}</small>' in about
    theme = client.get("/kk/themes/ai/").content.decode()
    assert f'<p class="fallback-note">{note}</p><div class="prose" lang="en"><p>AI policy.</p></div>' in theme
    organisation = client.get("/kk/organisations/ministry-ai/").content.decode()
    assert '<div class="prose" lang="en"><p>The ministry in charge of AI.</p></div>' in organisation


def test_the_organisation_facet_names_organisations_in_the_language_of_the_page(client, translated_world):
    html = client.get("/ru/initiatives/").content.decode()
    assert "Acme Cloud" in html
    english = client.get("/initiatives/").content.decode()
    assert "Министерство" not in english


def test_api_gives_every_translated_field_in_the_language_asked(client, translated_world):
    body = client.get("/api/initiatives/ai-program/?lang=ru", HTTP_ACCEPT="application/json").json()
    assert body["instrument"] == "Постановление правительства"
    assert body["responsible_body"]["name"] == "Министерство искусственного интеллекта"
    assert body["organisations"][0]["name"] == "Acme Cloud"  # no Russian form: the original
    assert body["relations"][0]["note"] == "Его первый этап."
    assert body["milestones"][0]["description"] == "Парламент принимает закон."
    assert body["milestones"][0]["source"]["title"] == "Послание народу"
    assert body["sources"][0]["title"] == "Послание народу"
    assert body["sources"][0]["notes"] == "Подтверждает план."
    organisation = client.get("/api/organisations/ministry-ai/?lang=ru", HTTP_ACCEPT="application/json").json()
    assert organisation["name"] == "Министерство искусственного интеллекта"
    assert organisation["description"] == "Министерство, отвечающее за ИИ."
    theme = client.get("/api/themes/ai/?lang=ru", HTTP_ACCEPT="application/json").json()
    assert theme["description"] == "Политика в области ИИ."
    english = client.get("/api/initiatives/ai-program/?lang=kk", HTTP_ACCEPT="application/json").json()
    assert english["instrument"] == "Government decree"


@pytest.mark.parametrize(
    ("model", "fields"),
    [
        ("organisation", ["name", "description"]),
        ("source", ["title", "notes"]),
        ("milestone", ["title", "description"]),
        ("theme", ["name", "description"]),
    ],
)
def test_admin_shows_each_text_beside_its_translations(admin_client, translated_world, model, fields):
    html = admin_client.get(f"/admin/initiatives/{model}/add/").content.decode()
    for field in fields:
        # One form row holds the English original and both translations.
        row = html.split(f'field-{field} field-{field}_ru field-{field}_kk"', 1)
        assert len(row) == 2, (model, field)


def test_admin_shows_the_instrument_beside_its_translations(admin_client, translated_world):
    html = admin_client.get(f"/admin/initiatives/initiative/{translated_world['program'].pk}/change/").content.decode()
    assert "field-instrument field-instrument_ru field-instrument_kk" in html
    assert 'name="relations_out-0-note_ru"' in html


# --- Country names -------------------------------------------------------------------------


def test_country_names_are_in_kazakh_from_our_catalogue_and_russian_from_django_countries(client, translated_world):
    kazakh = client.get("/kk/initiatives/ai-program/").content.decode()
    assert ">Қытай</a>" in kazakh
    assert "China" not in kazakh
    assert ">Китай</a>" in client.get("/ru/initiatives/ai-program/").content.decode()
    assert ">Қытай <span" in client.get("/kk/initiatives/").content.decode()  # the facet
    assert client.get("/api/organisations/acme/?lang=kk", HTTP_ACCEPT="application/json").json()["country"] == {
        "code": "CN",
        "name": "Қытай",
    }


def test_a_country_without_a_kazakh_name_is_shown_in_english_marked_as_english():
    with translation.override("kk"):
        html = str(marked(country(Country("ZA"))))
    assert html == f'<span lang="en">South Africa</span> <small class="fallback-note">{FALLBACK_NOTE["kk"]}</small>'


def test_every_country_in_the_dataset_has_a_kazakh_name():
    codes = {
        record["fields"]["country"]
        for record in json.loads((Path(settings.BASE_DIR) / "fixtures" / "dataset.json").read_text())
        if record["fields"].get("country")
    }
    missing = [code for code in sorted(codes) if country_name(code, "kk").is_fallback]
    assert not missing, "add their names to initiatives/country_names.py and translate them in locale/kk"


# --- Punctuation and text kept in the original -------------------------------------------------


def test_a_sentence_ending_in_an_abbreviated_date_gets_one_full_stop():
    assert sentence("Выполняется на 12 января 2026 г.") == "Выполняется на 12 января 2026 г."
    assert sentence("In progress as of 12 January 2026") == "In progress as of 12 January 2026."
    assert sentence("Жүзеге асырылуда: 2026 ж. 12 қаңтар") == "Жүзеге асырылуда: 2026 ж. 12 қаңтар."


def test_the_russian_feed_has_no_doubled_full_stop_and_marks_an_english_body(client, translated_world):
    update = StatusUpdateFactory(
        initiative=translated_world["program"], reported_on=datetime.date(2026, 1, 12), progress=None, body="As said."
    )
    update.sources.add(translated_world["source"])
    feed = client.get("/ru/feeds/updates/").content.decode()
    assert "12 января 2026 г.&lt;/p&gt;" in feed
    assert "г.." not in feed
    assert (
        '&lt;p class="fallback-note"&gt;(на английском)&lt;/p&gt;&lt;div class="prose" lang="en"&gt;&lt;p&gt;As said.'
        "&lt;/p&gt;"
    ) in feed


def test_text_kept_in_the_original_is_marked_english_on_translated_pages(client, translated_world):
    program = translated_world["program"]
    program.kind = "proposal"
    program.proposer = "Gulnar Shaimergenova"
    program.save()
    assert (
        '<dd><span lang="en">Gulnar Shaimergenova</span></dd>'
        in client.get("/kk/initiatives/ai-program/").content.decode()
    )
    assert "<dd>Gulnar Shaimergenova</dd>" in client.get("/initiatives/ai-program/").content.decode()


def test_an_untranslated_programme_in_the_timeline_chart_is_marked_english(client, translated_world):
    program = translated_world["program"]
    program.period_start = datetime.date(2025, 1, 1)
    program.title_kk = ""
    program.save()
    html = client.get("/kk/").content.decode()
    assert '<text class="row-label"' in html
    assert 'text-anchor="end" lang="en">AI program<title>' in html
    assert 'text-anchor="end">Программа ИИ<title>' in client.get("/ru/").content.decode()


def test_the_source_pages_give_title_and_notes_in_the_language(client, translated_world):
    source = translated_world["source"]
    russian = client.get(f"/ru/sources/{source.slug}/").content.decode()
    assert "<h1>Послание народу</h1>" in russian
    assert "Подтверждает план." in russian
    kazakh = client.get(f"/kk/sources/{source.slug}/").content.decode()
    assert (
        f'<h1><span lang="en">Address to the nation</span> <small class="fallback-note">{FALLBACK_NOTE["kk"]}' in kazakh
    )
    assert '<span lang="en">Example Publisher</span>' in kazakh
    assert "Послание народу</a>" in client.get("/ru/sources/").content.decode()
