"""Whole public pages rendered once per data version (issue 16, tracker/pagecache.py):
a repeat costs no template and no SQL, a matching If-None-Match no rendering at all,
an analyst's save shows on the next request everywhere, and shared caches may keep
anonymous pages but never an analyst's."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from initiatives import cache as data_cache
from initiatives.vocabularies import Status
from tracker import pagecache

from .factories import AnalystFactory, InitiativeFactory, StatusUpdateFactory, ThemeFactory, UserFactory
from .test_redis_outage import own_redis  # noqa: F401  (a fixture: a Redis server of the test's own)

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/initiatives/",
    "/initiatives/?kind=program&ordering=title",
    "/initiatives/?q=digital",
    "/initiatives/digital-code/",
    "/updates/",
    "/feeds/updates/",
    "/ru/initiatives/",
    "/initiatives/digital-code/?as_of=2025-06-30",
]


@pytest.fixture
def world():
    initiative = InitiativeFactory(slug="digital-code", title="Digital Code", kind="program")
    initiative.themes.add(ThemeFactory(slug="ai"))
    StatusUpdateFactory(initiative=initiative, status=Status.ADOPTED, reported_on=datetime.date(2025, 3, 1))
    InitiativeFactory(with_updates=2, with_relations=True)
    return initiative


def get_quietly(client, path, **headers):
    """The response, the SQL it ran and the templates it rendered."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, headers=headers)
    return response, len(queries), [t.name for t in response.templates]


@pytest.mark.parametrize("path", PAGES)
def test_a_second_identical_request_renders_no_template_and_runs_no_sql(client, world, path):
    first, queries, rendered = get_quietly(client, path)
    assert first.status_code == 200 and queries and (rendered or "feeds" in path)  # feeds build XML in code

    again, queries, rendered = get_quietly(client, path)

    assert (again.status_code, queries, rendered) == (200, 0, [])
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]
    assert again["ETag"] == first["ETag"]


@pytest.mark.parametrize("path", PAGES)
def test_a_matching_if_none_match_is_a_304_without_rendering_or_sql(client, world, path, monkeypatch):
    etag = client.get(path)["ETag"]

    def unread(page):
        raise AssertionError("a 304 is decided from the key alone; the stored page is not read")

    monkeypatch.setattr(pagecache.CachedPage, "stored", unread)

    response, queries, rendered = get_quietly(client, path, if_none_match=etag)

    assert (response.status_code, queries, rendered) == (304, 0, [])
    assert response["ETag"] == etag
    assert response.content == b""


def test_an_analysts_save_changes_the_etag_and_page_on_the_next_request(client, world):
    first = client.get("/initiatives/digital-code/")

    StatusUpdateFactory(
        initiative=world, status=Status.COMPLETED, headline="Finished early", reported_on=datetime.date(2025, 9, 1)
    )

    response = client.get("/initiatives/digital-code/", headers={"if-none-match": first["ETag"]})
    assert response.status_code == 200
    assert response["ETag"] != first["ETag"]
    assert "Finished early" in response.content.decode()


def test_a_save_in_one_worker_is_seen_by_another_through_redis(own_redis, world, settings, monkeypatch):  # noqa: F811
    """Two gunicorn workers, simulated: each has its own in-process memo of the data version;
    the save commits in worker A, and worker B's next request (its memo expired) reads the
    number A published in Redis, with no SQL for it."""
    settings.DATA_VERSION_MEMO_SECONDS = 0
    reader = Client()
    path = "/initiatives/digital-code/"
    etag = reader.get(path)["ETag"]
    worker_b = data_cache._Memo()
    data_cache.data_version()  # worker A has read the number too

    with transaction.atomic():  # the analyst's save, committed (its callbacks run)
        StatusUpdateFactory(initiative=world, headline="Finished early", reported_on=datetime.date(2025, 9, 1))
    for callback in [callback for _, callback, _ in connection.run_on_commit]:
        callback()

    monkeypatch.setattr(data_cache, "_memo", worker_b)
    with CaptureQueriesContext(connection) as queries:
        number = data_cache.data_version()
    assert len(queries) == 0  # one cache read, no query
    response = reader.get(path, headers={"if-none-match": etag})
    assert response.status_code == 200 and response["ETag"] != etag
    assert "Finished early" in response.content.decode()
    assert number == data_cache._versions().get().number


def test_the_published_version_only_ever_rises(own_redis):  # noqa: F811
    """A reader that read the row just before a save committed publishes the older number
    after the saver published the newer one: the newer one stays."""
    newer, older = 1_800_000_000_000_000_123, 1_800_000_000_000_000_122
    assert cache.raise_to(data_cache.PUBLISHED_VERSION_KEY, newer, 60)
    assert cache.raise_to(data_cache.PUBLISHED_VERSION_KEY, older, 60)
    assert cache.get(data_cache.PUBLISHED_VERSION_KEY) == newer
    assert cache.raise_to(data_cache.PUBLISHED_VERSION_KEY, newer + 1, 60)
    assert cache.get(data_cache.PUBLISHED_VERSION_KEY) == newer + 1


@pytest.mark.django_db(transaction=True)
def test_one_analyst_save_moves_the_version_on_once():
    """An initiative saved with its updates, themes and history rows in one transaction (as
    the admin saves a form and its inlines): the version row is written once, not once
    per row and again per history row."""
    theme = ThemeFactory()
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        initiative = InitiativeFactory()
        initiative.themes.add(theme)
        StatusUpdateFactory(initiative=initiative)
        StatusUpdateFactory(initiative=initiative)
    bumps = [q for q in queries.captured_queries if q["sql"].startswith("UPDATE") and "dataversion" in q["sql"]]
    assert len(bumps) == 1


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_pages_are_public_with_no_cookie_and_no_vary_cookie(client, world, settings, path):
    settings.PAGE_CACHE_MAX_AGE = 45
    settings.PAGE_CACHE_STALE_WHILE_REVALIDATE = 600
    for response in (client.get(path), client.get(path)):  # rendered, then from the cache
        directives = {d.strip() for d in response["Cache-Control"].split(",")}
        assert directives == {"public", "max-age=45", "stale-while-revalidate=600"}
        assert not response.cookies
        assert "cookie" not in response.get("Vary", "").lower()
        assert "accept-language" not in response.get("Vary", "").lower()
        assert response.has_header("Last-Modified")


def test_a_language_switch_redirect_is_private_and_only_on_the_front_page(client, world, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    front = client.get("/")
    assert (front.status_code, front["Location"]) == (302, "/ru/")
    assert "private" in front["Cache-Control"]
    page = client.get("/initiatives/")
    assert page.status_code == 200 and page["Content-Language"] == "en"


def test_staff_pages_are_private(world):
    analyst = Client()
    analyst.force_login(AnalystFactory())
    for path in ["/initiatives/", "/initiatives/digital-code/", "/admin/", "/admin/initiatives/initiative/"]:
        response = analyst.get(path)
        assert response.status_code == 200, path
        assert "private" in response["Cache-Control"], path
        assert "public" not in response["Cache-Control"], path


def test_a_signed_in_analyst_never_gets_a_stored_page(client, world):
    client.get("/initiatives/")
    analyst = Client()
    analyst.force_login(AnalystFactory())
    _, _, rendered = get_quietly(analyst, "/initiatives/")
    assert rendered  # rendered for them, not served from the anonymous entry


def test_junk_parameters_share_the_normalised_entry_and_never_reach_the_page(client, world):
    first = client.get("/initiatives/?kind=program&utm_source=news&kind=program")
    assert first.status_code == 200

    again, queries, rendered = get_quietly(client, "/initiatives/?fbclid=x&kind=program&kind=&page=")

    assert (queries, rendered) == (0, [])
    assert again["ETag"] == first["ETag"]
    assert again.content == first.content
    assert b"utm_source" not in first.content and b"news" not in first.content
    assert client.get("/initiatives/?kind=proposal")["ETag"] != first["ETag"]


def test_a_head_request_shares_the_get_entry(client, world):
    etag = client.get("/updates/")["ETag"]
    with CaptureQueriesContext(connection) as queries:
        response = client.head("/updates/")
    assert (response.status_code, len(queries), response["ETag"]) == (200, 0, etag)


def test_a_bad_request_is_not_stored_or_made_public(client, world):
    response = client.get("/initiatives/?page=abc")
    assert response.status_code == 400
    assert "public" not in response.get("Cache-Control", "")
    _, _, rendered = get_quietly(client, "/initiatives/?page=abc")
    assert rendered


def test_a_draft_preview_is_private(world):
    draft = StatusUpdateFactory(initiative=world, published=False, headline="Not yet public")
    staff = Client()
    staff.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = staff.get(f"/admin/initiatives/statusupdate/{draft.pk}/preview/")
    assert response.status_code == 200 and "Not yet public" in response.content.decode()
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]
