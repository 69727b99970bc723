"""The catalogue version (initiatives/cache.py): every change but to status updates and
their citations moves it on, and today's kind, theme, organisation and country facets
(and the list's count) under catalogue filters alone are kept under it, so a status
update, the usual save, counts only the status and attention facets again; every other
change counts all."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from initiatives.cache import bump_data_version, catalogue_version, data_version
from initiatives.models import InitiativeCountry, InitiativeOrganisation
from initiatives.vocabularies import Role, Status

from .factories import (
    CitationFactory,
    InitiativeFactory,
    MilestoneFactory,
    OrganisationFactory,
    SourceFactory,
    StatusUpdateFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

FACET_QUERIES = {
    "count": 'SELECT COUNT(*) AS "__count" FROM "initiatives_initiative"',
    "kind": 'SELECT "initiatives_initiative"."kind" AS "kind", COUNT(',
    "status": '"initiatives_initiative"."latest_status" AS "current_status", COUNT(',
    "theme": 'SELECT "initiatives_initiative_themes"."theme_id" AS "theme", COUNT(',
    "organisation": 'SELECT "initiatives_initiativeorganisation"."organisation_id" AS "organisation", COUNT(',
    "country": 'SELECT "initiatives_initiativecountry"."country" AS "country", COUNT(',
}


def listed(client, path="/initiatives/"):
    """The facets' values by key, and which facets were counted (by their queries)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    sql = [query["sql"] for query in queries.captured_queries]
    counted = {key for key, start in FACET_QUERIES.items() if any(start in each for each in sql)}
    values = {
        facet["key"]: {item["value"]: item["count"] for item in facet["values"] if item["count"]}
        for facet in response.context["facets"]
    }
    return values, counted


@pytest.fixture
def program():
    initiative = InitiativeFactory(kind="program", with_relations=True)
    StatusUpdateFactory(initiative=initiative, status=Status.IN_PROGRESS, reported_on=datetime.date(2025, 3, 1))
    return initiative


def test_a_status_update_moves_the_data_version_but_not_the_catalogue_version(program):
    source = SourceFactory()  # a source is part of the catalogue: added before
    data, catalogue = data_version(), catalogue_version()
    update = StatusUpdateFactory(initiative=program, status=Status.COMPLETED, reported_on=datetime.date(2025, 9, 1))
    CitationFactory(update=update, source=source)
    assert data_version() > data and catalogue_version() == catalogue
    program.title = "Renamed"
    program.save()
    assert data_version() > data and catalogue_version() > catalogue


@pytest.mark.parametrize(
    "change",
    [
        lambda initiative: MilestoneFactory(initiative=initiative),
        lambda initiative: initiative.sources.add(SourceFactory()),
        lambda initiative: initiative.milestones.all().delete(),
        lambda initiative: bump_data_version(),
    ],
    ids=["milestone", "source", "deletion", "explicit bump"],
)
def test_every_other_change_moves_both(program, change):
    data, catalogue = data_version(), catalogue_version()
    change(program)
    assert data_version() > data and catalogue_version() > catalogue


def test_after_a_status_update_only_the_status_facets_are_counted_again(client, program):
    before, counted = listed(client)
    assert counted == set(FACET_QUERIES)
    assert before["status"] == {"in_progress": 1}

    StatusUpdateFactory(initiative=program, status=Status.COMPLETED, reported_on=datetime.date(2025, 9, 1))
    after, counted = listed(client)
    assert counted == {"status"}
    assert after["status"] == {"completed": 1}
    assert {key: after[key] for key in ("kind", "theme", "organisation", "country")} == {
        key: before[key] for key in ("kind", "theme", "organisation", "country")
    }


@pytest.mark.parametrize(
    "change",
    [
        lambda initiative: initiative.themes.add(ThemeFactory(slug="added-theme")),
        lambda initiative: InitiativeOrganisation.objects.create(
            initiative=initiative, organisation=OrganisationFactory(slug="added-organisation"), role=Role.PARTNER
        ),
        lambda initiative: InitiativeCountry.objects.create(initiative=initiative, country="KG"),
        lambda initiative: InitiativeFactory(kind="proposal"),
    ],
    ids=["theme", "role", "country", "initiative"],
)
def test_a_change_to_what_initiatives_are_counts_every_facet_again(client, program, change):
    before, _ = listed(client)
    change(program)
    after, counted = listed(client)
    assert counted == set(FACET_QUERIES)
    assert after != before


def test_a_status_filter_keeps_the_other_facets_under_the_data_version(client, program):
    """Under ?status=, the kind facet counts initiatives by their status: a status update
    changes it, so it is not kept under the catalogue version."""
    path = "/initiatives/?status=in_progress"
    before, _ = listed(client, path)
    assert before["kind"] == {"program": 1}

    StatusUpdateFactory(initiative=program, status=Status.COMPLETED, reported_on=datetime.date(2025, 9, 1))
    after, counted = listed(client, path)
    assert "kind" in counted and after["kind"] == {}


def test_a_catalogue_filter_keeps_the_other_catalogue_facets(client, program):
    path = f"/initiatives/?kind=program&theme={program.themes.get().slug}"
    listed(client, path)
    StatusUpdateFactory(initiative=program, status=Status.COMPLETED, reported_on=datetime.date(2025, 9, 1))
    _, counted = listed(client, path)
    assert counted == {"status"}


def test_a_past_date_counts_every_facet_again(client, program):
    path = "/initiatives/?as_of=2025-06-01"
    listed(client, path)
    StatusUpdateFactory(initiative=program, status=Status.COMPLETED, reported_on=datetime.date(2025, 9, 1))
    _, counted = listed(client, path)
    # (A past date's status facet asks the updates known then: another query.)
    assert {"kind", "theme", "organisation", "country"} <= counted


def test_a_worker_reads_both_numbers_together(settings, monkeypatch):
    """Two gunicorn workers, simulated: worker B's memo holds the pair it read; a theme
    saved in worker A moves both on; when B's memo expires it reads both again, never a
    new data version beside the catalogue version it had (whose values it would then
    keep in a page stored under the new data version)."""
    from django.db import transaction

    from initiatives import cache as data_cache

    settings.DATA_VERSION_MEMO_SECONDS = 60
    worker_b = data_cache._Memo()
    monkeypatch.setattr(data_cache, "_memo", worker_b)
    before = data_version(), catalogue_version()

    monkeypatch.setattr(data_cache, "_memo", data_cache._Memo())  # worker A saves
    with transaction.atomic():
        ThemeFactory()
    for callback in [callback for _, callback, _ in connection.run_on_commit]:
        callback()

    monkeypatch.setattr(data_cache, "_memo", worker_b)
    assert (data_version(), catalogue_version()) == before  # within B's memo
    worker_b.expires = 0
    data, catalogue = data_version(), catalogue_version()
    assert data > before[0] and catalogue > before[1]


def test_a_data_version_is_published_only_after_its_catalogue_version(monkeypatch):
    """A reader between the two publishes meets an older data version with a newer
    catalogue version, never the other way round; when the catalogue's publish fails,
    the data version is not published, and this process reads the row until it is."""
    from initiatives import cache as data_cache

    published = []

    def publish(key, number):
        published.append(key)
        return key != data_cache.PUBLISHED_CATALOGUE_KEY

    monkeypatch.setattr(data_cache, "_publish", publish)
    data_cache.forget_data_version()
    data_version()
    assert published == [data_cache.PUBLISHED_CATALOGUE_KEY]
    assert data_cache._memo.publish_owed
