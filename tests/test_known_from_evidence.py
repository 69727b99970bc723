"""An update is not known before its evidence (issue 14, honest time): its stored
``known_from`` is the later of its reported period's end and the day the first of its
cited sources became known, and every write path keeps it so: a citation saved or
deleted (the admin's inline, the services, the CSV import, ``sources.add``), a source
whose date changes. An initiative's proposed or start date follows the same rule."""

import datetime
import importlib

import pytest
from django.urls import reverse

from initiatives import services
from initiatives.models import Citation, Initiative, InitiativeRelation, StatusUpdate
from initiatives.vocabularies import DatePrecision, RelationType

from .factories import SOURCE_QUOTE, CitationFactory, InitiativeFactory, SourceFactory, StatusUpdateFactory
from .test_admin import analyst, citations_data, new_update_data  # noqa: F401 (a fixture)
from .test_admin import analyst_client as analyst_client  # noqa: F401 (a fixture)
from .test_csv_roundtrip import confirm, dry_run, export_rows

pytestmark = pytest.mark.django_db

AUGUST_2025 = datetime.date(2025, 8, 1)
END_OF_AUGUST = datetime.date(2025, 8, 31)
ARTICLE_DAY = datetime.date(2026, 1, 12)


def known_from(update):
    return StatusUpdate.objects.values_list("known_from", flat=True).get(pk=update.pk)


@pytest.fixture
def article():
    """A January 2026 article reporting what happened in August 2025."""
    return SourceFactory(title="Digital power strategy", slug="digital-power", published_on=ARTICLE_DAY)


@pytest.fixture
def operating(article):
    update = StatusUpdateFactory(
        initiative=InitiativeFactory(slug="national-supercomputers"),
        reported_on=AUGUST_2025,
        reported_on_precision=DatePrecision.MONTH,
        headline="First supercomputer in operation since August 2025",
    )
    CitationFactory(update=update, source=article)
    return update


def test_an_update_reported_only_later_is_not_shown_before_its_source(client, operating):
    """The bug: "in operation since August 2025" showed on 2025-09-15, though its only
    source is a January 2026 article."""
    assert known_from(operating) == ARTICLE_DAY
    url = operating.initiative.get_absolute_url()
    assert operating.headline not in client.get(f"{url}?as_of=2025-09-15").content.decode()
    assert operating.headline not in client.get(f"{url}?as_of=2026-01-11").content.decode()
    assert operating.headline in client.get(f"{url}?as_of=2026-01-12").content.decode()
    assert not Initiative.objects.with_current_status(datetime.date(2025, 9, 15)).filter(current_status__isnull=False)


def test_an_earlier_source_leaves_the_period_end_and_the_first_of_several_counts(operating, article):
    early = SourceFactory(published_on=datetime.date(2025, 8, 5))
    CitationFactory(update=operating, source=early)
    assert known_from(operating) == END_OF_AUGUST  # the period's end is the later one
    Citation.objects.filter(source=early).delete()
    assert known_from(operating) == ARTICLE_DAY
    month_source = SourceFactory(published_on=datetime.date(2025, 11, 1), published_on_precision=DatePrecision.MONTH)
    CitationFactory(update=operating, source=month_source)
    assert known_from(operating) == datetime.date(2025, 11, 30)  # a month's source counts from its end


def test_an_undated_source_does_not_hold_an_update_back(operating):
    CitationFactory(update=operating, source=SourceFactory(published_on=None))
    assert known_from(operating) == END_OF_AUGUST


def test_removing_the_evidence_gives_back_the_period_end(operating, article):
    operating.citations.get().delete()
    assert known_from(operating) == END_OF_AUGUST


def test_many_to_many_writes_move_it_both_ways(article):
    update = StatusUpdateFactory(reported_on=AUGUST_2025, reported_on_precision=DatePrecision.MONTH)
    update.sources.add(article, through_defaults={"quote": SOURCE_QUOTE})
    assert known_from(update) == ARTICLE_DAY
    update.sources.clear()
    assert known_from(update) == END_OF_AUGUST
    article.status_updates.add(update, through_defaults={"quote": SOURCE_QUOTE})
    assert known_from(update) == ARTICLE_DAY
    article.status_updates.clear()
    assert known_from(update) == END_OF_AUGUST


def test_saving_the_update_keeps_it(operating):
    operating.headline = "First supercomputer running since August 2025"
    operating.save()
    assert known_from(operating) == ARTICLE_DAY


def test_a_revision_replacing_the_citations_moves_it(operating, article):
    early = SourceFactory(published_on=datetime.date(2025, 8, 20))
    services.revise_update(
        update=operating, note="An earlier report found.", user=None, citations=[(early, SOURCE_QUOTE)]
    )
    assert known_from(operating) == END_OF_AUGUST
    services.replace_citations(update=operating, citations=[(article, SOURCE_QUOTE)])
    assert known_from(operating) == ARTICLE_DAY


def test_a_source_whose_date_changes_moves_the_updates_and_initiatives_it_evidences(operating, article):
    program = InitiativeFactory(period_start=datetime.date(2025, 3, 1))
    program.sources.add(article)
    assert Initiative.objects.get(pk=program.pk).known_from == ARTICLE_DAY

    article.published_on = datetime.date(2026, 2, 1)
    article.published_on_precision = DatePrecision.MONTH
    article.save()

    assert known_from(operating) == datetime.date(2026, 2, 28)
    assert Initiative.objects.get(pk=program.pk).known_from == datetime.date(2026, 2, 28)
    history = operating.history.count()
    article.published_on = datetime.date(2025, 1, 1)
    article.save()
    assert known_from(operating) == END_OF_AUGUST
    assert Initiative.objects.get(pk=program.pk).known_from == datetime.date(2025, 3, 1)
    assert operating.history.count() == history, "a derived date is not an edit to audit"


def test_the_admin_inline_sets_it_on_a_new_update(analyst_client, article):
    initiative = InitiativeFactory()
    data = new_update_data(initiative, reported_on="2025-08-01", reported_on_precision="month")
    data.update(citations_data((article, SOURCE_QUOTE)))
    assert analyst_client.post(reverse("admin:initiatives_statusupdate_add"), data).status_code == 302
    assert StatusUpdate.objects.get(initiative=initiative).known_from == ARTICLE_DAY


def test_the_csv_import_sets_it(analyst_client, article):
    initiative = InitiativeFactory(slug="supercomputers")
    header, rows = export_rows(analyst_client)
    header = header or ["id", "version", "initiative", "reported_on", "status", "headline", "quotes", "published"]
    row = dict.fromkeys(header, "")
    row.update(
        initiative="supercomputers",
        reported_on="2025-08-01",
        reported_on_precision="month",
        status="completed",
        headline="In operation since August 2025",
        quotes=f"{article.slug} | {SOURCE_QUOTE}",
        published="true",
    )
    preview = dry_run(analyst_client, header, [row])
    assert preview.context["report"].is_valid, preview.context["report"].row_errors
    assert confirm(analyst_client, preview).status_code == 302
    assert StatusUpdate.objects.get(initiative=initiative).known_from == ARTICLE_DAY


def test_an_initiative_is_not_started_before_its_sources_say_so(client, article):
    """The Year of Digitalization starts on 1 January 2026, but the only source saying
    so is of 12 January: on the 5th it was not yet known."""
    year = InitiativeFactory(
        slug="year-of-digitalization",
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 12, 31),
    )
    year.sources.add(article)
    assert Initiative.objects.get(pk=year.pk).known_from == ARTICLE_DAY
    assert not Initiative.objects.announced(datetime.date(2026, 1, 5)).filter(pk=year.pk).exists()
    assert "year-of-digitalization" not in client.get("/initiatives/?as_of=2026-01-05").content.decode()
    year.sources.remove(article)
    assert Initiative.objects.get(pk=year.pk).known_from == datetime.date(2026, 1, 1)
    undated = InitiativeFactory()
    undated.sources.add(article)  # no proposed or start date: it counts from the day it was recorded
    assert Initiative.objects.get(pk=undated.pk).known_from == undated.created.date()


def test_the_migration_moves_rows_saved_before_it(operating, article):
    from django.apps import apps

    year = InitiativeFactory(period_start=datetime.date(2026, 1, 1))
    year.sources.add(article)
    StatusUpdate.objects.update(known_from=END_OF_AUGUST)
    Initiative.objects.filter(pk=year.pk).update(known_from=datetime.date(2026, 1, 1))
    migration = importlib.import_module("initiatives.migrations.0019_i14_known_from_evidence")
    migration.known_from_evidence(apps, None)
    assert known_from(operating) == ARTICLE_DAY
    assert Initiative.objects.get(pk=year.pk).known_from == ARTICLE_DAY


def test_a_relation_is_not_shown_before_its_source(client, article):
    """Two initiatives known since 2023 whose link only the January 2026 article reports."""
    law = InitiativeFactory(slug="ai-law", period_start=datetime.date(2023, 1, 1))
    vision = InitiativeFactory(slug="ai-vision", title="AI Vision", period_start=datetime.date(2023, 1, 1))
    InitiativeRelation.objects.create(
        from_initiative=law, to_initiative=vision, relation_type=RelationType.RELATED_TO, source=article
    )
    assert not InitiativeRelation.objects.as_of(datetime.date(2026, 1, 11)).exists()
    assert InitiativeRelation.objects.as_of(ARTICLE_DAY).exists()
    assert "/initiatives/ai-vision/" not in client.get("/initiatives/ai-law/?as_of=2025-06-01").content.decode()
    assert "/initiatives/ai-vision/" in client.get("/initiatives/ai-law/?as_of=2026-01-12").content.decode()
    unsourced = InitiativeRelation.objects.create(
        from_initiative=vision, to_initiative=law, relation_type=RelationType.RELATED_TO
    )
    assert list(InitiativeRelation.objects.as_of(datetime.date(2025, 6, 1))) == [unsourced]
