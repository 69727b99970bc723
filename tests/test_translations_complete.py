"""The dataset (fixtures/dataset.json) is complete in Russian and Kazakh: every text
field of every published record has both translations, except a name kept in the
original, listed below with the reason.

The text fields are found from the models (every field X with X_ru and X_kk beside
it), so a model or column added later is checked without editing this file."""

import json
import re
from pathlib import Path

from django.apps import apps
from django.conf import settings

from initiatives.translation import TRANSLATED_LANGUAGES

DATASET = Path(settings.BASE_DIR) / "fixtures" / "dataset.json"
CYRILLIC = re.compile(r"[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]")
COMPANY_BRAND = "a company's brand: Russian and Kazakh texts write it in Latin letters, as the company does"

# (model, slug, field): why the English original is kept in Russian and Kazakh.
KEPT_IN_THE_ORIGINAL = {
    ("initiatives.organisation", slug, "name"): COMPANY_BRAND
    for slug in [
        "huawei",
        "zte",
        "alibaba-cloud",
        "bytedance",
        "beeline",
        "astana-innovations",
        "amazon",
        "google",
        "mastercard",
        "citigroup",
    ]
}
# Names written in Latin letters inside Russian and Kazakh text, and why.
PROGRAMME_BRAND = "a programme's or platform's brand, written as its owners write it"
LATIN_NAMES = {
    "Digital Bridge": "the forum's own name",
    "Times Tengri": "the publication's own name",
    "Huawei Technologies Kazakhstan": COMPANY_BRAND,
    "Huawei": COMPANY_BRAND,
    "ZTE": COMPANY_BRAND,
    "Alibaba Cloud": COMPANY_BRAND,
    "ByteDance": COMPANY_BRAND,
    "Bytedance": "ByteDance as one of the source documents spells it",
    "Beeline": COMPANY_BRAND,
    "Astana Innovations": COMPANY_BRAND,
    "Amazon": COMPANY_BRAND,
    "Google": COMPANY_BRAND,
    "Mastercard": COMPANY_BRAND,
    "Citigroup": COMPANY_BRAND,
    "AlemAI": PROGRAMME_BRAND,
    "QazTech": PROGRAMME_BRAND,
    "Smart Data Ukimet": PROGRAMME_BRAND,
    "DigitalCompetence": PROGRAMME_BRAND,
    "Ala-Tau Smart City": "the project's name as the source writes it, quoted",
    "Cyber Shield": "the strategy's name as the source writes it, quoted",
    "BRI": "the Belt and Road Initiative's abbreviation, beside its translated name",
}


def translated_fields(model_label):
    """The model's text fields that have a column per translated language."""
    model = apps.get_model(model_label)
    names = {field.name for field in model._meta.get_fields()}
    return [
        name
        for name in sorted(names)
        if all(f"{name}_{code}" in names for code in TRANSLATED_LANGUAGES) and not name.endswith(("_ru", "_kk"))
    ]


def is_public(record):
    return record["fields"].get("published", True)


def missing_translations(records):
    """(record, field, language, what is wrong) for every gap."""
    fields_of = {}
    gaps = []
    for record in records:
        label = record["model"]
        if label not in fields_of:
            fields_of[label] = translated_fields(label)
        if not is_public(record):
            continue
        values = record["fields"]
        key = values.get("slug", record.get("pk"))
        for field in fields_of[label]:
            original = (values.get(field) or "").strip()
            if not original or (label, key, field) in KEPT_IN_THE_ORIGINAL:
                continue
            versions = {code: (values.get(f"{field}_{code}") or "").strip() for code in TRANSLATED_LANGUAGES}
            for code, text in versions.items():
                if not text:
                    gaps.append((label, key, field, code, "missing"))
                elif text == original or not CYRILLIC.search(text):
                    gaps.append((label, key, field, code, "still the English text"))
            # A Kazakh sentence is never word for word the Russian one (a short name may be).
            if versions["kk"] and versions["kk"] == versions["ru"] and len(versions["ru"].split()) > 3:
                gaps.append((label, key, field, "kk", "a copy of the Russian text"))
    return gaps


def test_the_checker_finds_each_kind_of_gap():
    records = [
        {"model": "initiatives.theme", "pk": 1, "fields": {"slug": "t", "name": "Data", "name_ru": "Данные"}},
        {
            "model": "initiatives.statusupdate",
            "pk": 2,
            "fields": {"published": True, "headline": "Done", "headline_ru": "Done", "headline_kk": "Done"},
        },
        {"model": "initiatives.statusupdate", "pk": 3, "fields": {"published": False, "headline": "Draft"}},
        {"model": "initiatives.organisation", "pk": 4, "fields": {"slug": "google", "name": "Google"}},
        {
            "model": "initiatives.initiative",
            "pk": 5,
            "fields": {
                "slug": "i",
                "title": "A long title of four words",
                "title_ru": "Длинное название из четырёх слов",
                "title_kk": "Длинное название из четырёх слов",
            },
        },
    ]
    assert missing_translations(records) == [
        ("initiatives.theme", "t", "name", "kk", "missing"),
        ("initiatives.statusupdate", 2, "headline", "ru", "still the English text"),
        ("initiatives.statusupdate", 2, "headline", "kk", "still the English text"),
        ("initiatives.initiative", "i", "title", "kk", "a copy of the Russian text"),
    ]


def test_every_text_field_is_checked():
    assert translated_fields("initiatives.initiative") == ["description", "instrument", "summary", "title"]
    assert translated_fields("initiatives.organisation") == ["description", "name"]
    assert translated_fields("initiatives.source") == ["notes", "title"]


def test_every_published_text_in_the_dataset_is_in_russian_and_kazakh():
    gaps = missing_translations(json.loads(DATASET.read_text(encoding="utf-8")))
    listed = "\n".join(" ".join(str(part) for part in gap) for gap in gaps[:40])
    assert not gaps, f"{len(gaps)} translations missing, first ones:\n{listed}"
