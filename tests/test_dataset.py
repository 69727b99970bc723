"""Integrity of the seed dataset (fixtures/dataset.json): every fact cites a seed
document, dates stay within their evidence, and everything passes validation."""

import datetime
import hashlib
import json
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db.models import Q
from django.utils import timezone

from initiatives.evidence import find_paragraph
from initiatives.models import (
    Citation,
    Initiative,
    InitiativeCountry,
    InitiativeOrganisation,
    InitiativeRelation,
    Milestone,
    Organisation,
    Source,
    StatusUpdate,
    Theme,
)
from initiatives.vocabularies import DatePrecision, InitiativeKind, Status

pytestmark = pytest.mark.django_db

# The four source documents, beside the checkout (/work/shared/seeds for /work/main and /work/wt/<name>).
SEEDS_CANDIDATES = [
    Path(settings.BASE_DIR).parent / "shared" / "seeds",
    Path(settings.BASE_DIR).parents[1] / "shared" / "seeds",
]


def seeds_dir():
    return next((path for path in SEEDS_CANDIDATES if path.is_dir()), None)


PROPOSAL_TITLES = {
    "DigitalCompetence Platform",
    "Integrated AI Institutes and Research Centers",
    "Common Standards of Digital Trust",
    "Eurasian Digital Security Belt",
    "Advancing AI Cooperation and Digital Inclusion",
}

PROGRAM_SLUGS = {
    "digital-code",
    "cyber-shield-strategy",
    "ai-development-vision-2024-2029",
    "ai-law",
    "5g-rollout",
    "ai-data-centres",
    "national-ai-platform",
    "smart-data-ukimet",
    "digital-tenge",
    "alatau-city",
    "alemai",
    "national-supercomputers",
    "qaztech",
    "astana-10g-pilot",
    "nu-institute-of-smart-systems-and-ai",
    "programming-platform-pilot",
    "bureau-of-national-statistics-reform",
    "digital-family-card",
}

MODELS = [
    Source,
    Theme,
    Organisation,
    Initiative,
    InitiativeOrganisation,
    InitiativeCountry,
    InitiativeRelation,
    StatusUpdate,
    Milestone,
]


@pytest.fixture
def dataset():
    call_command("load_dataset", verbosity=0)


def counts():
    return {model.__name__: model.objects.count() for model in apps.get_app_config("initiatives").get_models()}


def test_the_five_proposals_exist_with_their_exact_titles(dataset):
    proposals = Initiative.objects.filter(kind=InitiativeKind.PROPOSAL)
    assert set(proposals.values_list("title", flat=True)) == PROPOSAL_TITLES
    for proposal in proposals:
        assert proposal.proposer.startswith("Gulnar Shaimergenova")
        assert proposal.venue == "2025 Belt and Road Think Tank Cooperation Forum"
        assert proposal.proposed_on == datetime.date(2025, 1, 1)
        assert proposal.proposed_on_precision == DatePrecision.YEAR


def test_proposals_are_currently_proposed(dataset):
    statuses = dict(
        Initiative.objects.with_current_status()
        .filter(title__in=PROPOSAL_TITLES)
        .values_list("title", "current_status")
    )
    assert statuses == dict.fromkeys(PROPOSAL_TITLES, Status.PROPOSED)


def test_every_initiative_has_a_current_status(dataset):
    assert not Initiative.objects.not_assessed().exists()


def test_the_national_programs_exist(dataset):
    found = set(Initiative.objects.filter(kind=InitiativeKind.PROGRAM).values_list("slug", flat=True))
    missing = PROGRAM_SLUGS - found
    assert not missing, missing


def test_enough_published_updates(dataset):
    assert StatusUpdate.objects.published().count() >= 20


def test_every_published_update_cites_a_source(dataset):
    uncited = StatusUpdate.objects.published().filter(sources__isnull=True)
    assert not uncited.exists(), list(uncited)


def test_update_dates_are_within_reach_of_their_sources(dataset):
    today = timezone.localdate()
    for update in StatusUpdate.objects.prefetch_related("sources"):
        dates = [source.published_on for source in update.sources.all() if source.published_on]
        assert dates, f"{update}: no dated source"
        assert update.reported_on <= max(dates), f"{update} is reported after its evidence was published"
        assert update.reported_on <= today, f"{update} is reported in the future"


def test_every_instance_passes_full_clean(dataset):
    for model in MODELS:
        for instance in model.objects.all():
            instance.full_clean()


def test_every_milestone_cites_a_source(dataset):
    assert Milestone.objects.exists()
    assert not Milestone.objects.filter(source__isnull=True).exists()


def test_milestone_achievements_are_within_reach_of_their_sources(dataset):
    for milestone in Milestone.objects.select_related("source").filter(achieved_on__isnull=False):
        assert milestone.achieved_on <= milestone.source.published_on, milestone


def test_the_5g_milestones_keep_the_original_deadline_and_the_brought_forward_one(dataset):
    due = dict(Milestone.objects.filter(initiative__slug="5g-rollout").values_list("due_on", "due_on_precision"))
    assert due == {
        datetime.date(2025, 12, 31): DatePrecision.YEAR,  # "before the end of 2025"
        datetime.date(2027, 12, 31): DatePrecision.YEAR,  # "Previously, the goal was ... by 2027"
    }
    brought_forward = Milestone.objects.get(initiative__slug="5g-rollout", due_on__year=2025)
    assert "2027" in brought_forward.description


def test_every_source_is_a_seed_document(dataset):
    assert Source.objects.count() == 4
    references = list(Source.objects.values_list("reference", flat=True))
    assert all(references), "every source names the seed document it is"
    seeds = seeds_dir()
    if seeds is None:
        pytest.skip(f"no seed folder at {SEEDS_CANDIDATES}: cannot check that the referenced files exist")
    for reference in references:
        assert (seeds / reference).is_file(), f"{reference} is not in {seeds}"


def test_every_initiative_cites_its_evidence(dataset):
    for initiative in Initiative.objects.prefetch_related("sources", "updates__sources", "milestones"):
        cited = {source.pk for source in initiative.sources.all()}
        assert cited, f"{initiative} cites no source"
        for update in initiative.updates.all():
            assert {source.pk for source in update.sources.all()} <= cited, update
        for milestone in initiative.milestones.all():
            assert milestone.source_id in cited, milestone


def test_no_invented_urls(dataset):
    assert not Source.objects.exclude(url="").exists()
    assert not Organisation.objects.exclude(website="").exists()


def test_loading_twice_is_idempotent(dataset):
    before = counts()
    call_command("load_dataset", verbosity=0)
    assert counts() == before


def test_loading_again_keeps_what_analysts_changed(dataset):
    """`make run` loads the dataset on every start: it must not put the seed text back."""
    initiative = Initiative.objects.get(slug="digital-code")
    initiative.summary = "Edited by an analyst."
    initiative.save()

    call_command("load_dataset", verbosity=0)

    initiative.refresh_from_db()
    assert initiative.summary == "Edited by an analyst."


# --- What the sources state plainly is tracked; what goes beyond them is not said -------------------

PUBLIC_TEXT_FIELDS = {
    "initiatives.initiative": ["title", "summary", "description", "instrument"],
    "initiatives.statusupdate": ["headline", "body"],
    "initiatives.milestone": ["title", "description"],
    "initiatives.organisation": ["name", "description"],
    "initiatives.theme": ["name", "description"],
    "initiatives.initiativerelation": ["note"],
    "initiatives.source": ["title", "notes"],
}
WORKSHOP_WORDS = re.compile(r"\bseeds?\b|\b00[0-3]_[0-9a-f]{16}\.txt\b|\banalyst's match\b", re.IGNORECASE)


def fixture_records():
    return json.loads((Path(settings.BASE_DIR) / "fixtures" / "dataset.json").read_text(encoding="utf-8"))


def test_public_text_speaks_to_readers_not_of_the_workshop():
    found = [
        f"{record['model']} {record['pk']} {name}: {match.group(0)!r}"
        for record in fixture_records()
        for field in PUBLIC_TEXT_FIELDS.get(record["model"], [])
        for name in (field, f"{field}_ru", f"{field}_kk")
        for match in [WORKSHOP_WORDS.search(record["fields"].get(name) or "")]
        if match
    ]
    assert not found, found


COMMITMENTS_STATED_PLAINLY = {
    "low-orbit-satellite-internet": Status.PROPOSED,
    "venture-capital-market": Status.PROPOSED,
    "ai-in-education": Status.PROPOSED,
    "digital-nomads": Status.PROPOSED,
    "ai-in-priority-sectors": Status.PROPOSED,
    "business-digital-family-card": Status.PROPOSED,
    "biometrics-and-cross-border-recognition": Status.PROPOSED,
    "cross-border-payments-and-e-commerce": Status.IN_PROGRESS,
    "smart-agriculture-iot-digital-health": Status.IN_PROGRESS,
    "experimental-ai-services": Status.PROPOSED,
    "year-of-digitalization-and-ai-2026": Status.ADOPTED,
    "ministry-of-ai-established": Status.COMPLETED,
}


def test_the_commitments_the_documents_state_are_tracked_with_the_status_their_words_support(dataset):
    statuses = dict(
        Initiative.objects.with_current_status()
        .filter(slug__in=COMMITMENTS_STATED_PLAINLY)
        .values_list("slug", "current_status")
    )
    assert statuses == COMMITMENTS_STATED_PLAINLY


def test_the_first_supercomputer_is_dated_to_the_month_the_article_gives(dataset):
    first = StatusUpdate.objects.get(
        initiative__slug="national-supercomputers", reported_on__year=2025, reported_on__month=8
    )
    assert first.reported_on_precision == DatePrecision.MONTH


def test_no_country_or_role_that_the_sources_do_not_give(dataset):
    # Amazon, Google, Mastercard and Citigroup "may be involved": no document gives their country or a role.
    named = Organisation.objects.filter(slug__in=["amazon", "google", "mastercard", "citigroup"])
    assert named.count() == 4
    assert not named.exclude(country="").exists()
    assert not InitiativeOrganisation.objects.filter(organisation__in=named).exists()


def test_minister_madiev_is_credited_only_with_what_the_article_has_him_say(dataset):
    credited = StatusUpdate.objects.filter(body__icontains="Madiev")
    assert set(credited.values_list("initiative__slug", flat=True)) == {"national-supercomputers"}
    assert (
        not Initiative.objects.filter(slug__in=["ai-law", "ai-development-vision-2024-2029"])
        .filter(description__icontains="Madiev")
        .exists()
    )


def test_figures_without_a_stated_target_carry_no_progress_value(dataset):
    assert not StatusUpdate.objects.exclude(progress__isnull=True).exists()


# --- Every public text in Russian and Kazakh ----------------------------------------------------------

# Names with no usual Russian or Kazakh form (companies' brands) stay in the original, blank.
KEPT_IN_THE_ORIGINAL = {("initiatives.organisation", "name")}
KAZAKH_ONLY_LETTERS = re.compile("[әғқңөұүһі]")


def translated_fields():
    for record in fixture_records():
        model = apps.get_model(record["model"])
        columns = {field.name for field in model._meta.get_fields()}
        for field in PUBLIC_TEXT_FIELDS.get(record["model"], []):
            if f"{field}_ru" in columns and record["fields"].get(field):
                yield record, field


def test_every_public_text_is_in_russian_and_kazakh():
    missing = [
        f"{record['model']} {record['pk']} {field}_{lang}"
        for record, field in translated_fields()
        if (record["model"], field) not in KEPT_IN_THE_ORIGINAL
        for lang in ("ru", "kk")
        if not (record["fields"].get(f"{field}_{lang}") or "").strip()
    ]
    assert not missing, missing


def test_translations_are_russian_and_kazakh_not_copies():
    for record, field in translated_fields():
        english = record["fields"][field]
        russian, kazakh = record["fields"].get(f"{field}_ru") or "", record["fields"].get(f"{field}_kk") or ""
        if not russian and not kazakh:
            continue
        where = f"{record['model']} {record['pk']} {field}"
        assert russian != kazakh, where
        assert not KAZAKH_ONLY_LETTERS.search(russian.lower()), where
        if len(english) > 40:  # a short name may be written the same way in Kazakh and Russian
            assert KAZAKH_ONLY_LETTERS.search(kazakh.lower()), where


# --- Quoted evidence: every published update quotes its source, word for word ----------------------


def test_every_source_archives_its_document_verbatim(dataset):
    seeds = seeds_dir()
    for source in Source.objects.all():
        assert source.slug and source.text.strip(), source
        assert source.sha256 == hashlib.sha256(source.text.encode("utf-8")).hexdigest(), source
        assert not source.url and not source.archive_url, "the documents give no address: none is invented"
        if seeds is not None:
            assert source.text == (seeds / source.reference).read_text(encoding="utf-8"), source


def test_every_published_update_carries_a_quote(dataset):
    unquoted = StatusUpdate.objects.published().exclude(citations__quote__gt="")
    assert not unquoted.exists(), list(unquoted)


def test_every_quote_is_found_word_for_word_in_its_sources_paragraph(dataset):
    citations = Citation.objects.select_related("source", "update")
    assert citations.count() >= StatusUpdate.objects.published().count()
    for citation in citations:
        found = find_paragraph(citation.source.paragraphs, citation.quote)
        assert found is not None, f"{citation.update}: {citation.quote[:80]!r} is not in {citation.source}"
        assert citation.paragraph == found, citation
        citation.full_clean()


def test_the_supercomputer_contradiction_is_recorded_with_both_quotes(dataset):
    update = StatusUpdate.objects.get(initiative__slug="national-supercomputers", reported_on="2026-01-12")
    quotes = " ".join(update.citations.values_list("quote", flat=True))
    assert "put two supercomputers into operation" in quotes
    assert "The first supercomputer officially went into operation in August 2025" in quotes
    assert "contradict" in update.body


def test_every_quote_has_its_translations(dataset):
    assert not Citation.objects.filter(Q(quote_ru="") | Q(quote_kk="")).exists()


def test_the_stored_known_from_dates_are_what_saving_computes(dataset):
    """loaddata saves raw, without save(): the fixture must carry the dates time travel filters on."""
    for model in (Source, Initiative, StatusUpdate, Milestone):
        for instance in model.objects.all():
            stored = {name: getattr(instance, name) for name in model.KNOWN_DATES}
            instance.set_known_dates()
            assert stored == {name: getattr(instance, name) for name in model.KNOWN_DATES}, instance


def test_a_year_precision_initiative_is_not_known_before_the_end_of_its_year(dataset):
    assert not Initiative.objects.announced(datetime.date(2023, 6, 1)).filter(slug="5g-rollout").exists()
    assert Initiative.objects.announced(datetime.date(2023, 12, 31)).filter(slug="5g-rollout").exists()
