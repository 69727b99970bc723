"""Integrity of the seed dataset (fixtures/dataset.json): every fact cites a seed
document, dates stay within their evidence, and everything passes validation."""

import datetime
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from initiatives.models import (
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

SEEDS_DIR = Path(settings.BASE_DIR).parent / "shared" / "seeds"

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


def test_the_5g_milestone_is_due_end_of_2025_to_the_year(dataset):
    milestone = Milestone.objects.get(initiative__slug="5g-rollout")
    assert milestone.due_on == datetime.date(2025, 12, 31)
    assert milestone.due_on_precision == DatePrecision.YEAR
    assert "2027" in milestone.description


def test_every_source_is_a_seed_document(dataset):
    assert Source.objects.count() == 4
    references = list(Source.objects.values_list("reference", flat=True))
    assert all(references), "every source names the seed document it is"
    if not SEEDS_DIR.is_dir():
        pytest.skip(f"seed folder {SEEDS_DIR} is absent: cannot check that the referenced files exist")
    for reference in references:
        assert (SEEDS_DIR / reference).is_file(), f"{reference} is not in {SEEDS_DIR}"


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
