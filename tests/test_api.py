"""The read API: fields, filters, search, ordering, paging, as_of, drafts, writes,
throttling, ETags, hostile input and query counts, endpoint by endpoint."""

import datetime
import hashlib

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from initiatives.api import serializers
from initiatives.models import ExternalLink, Initiative, InitiativeRelation, Source, StatusUpdate
from initiatives.vocabularies import OrganisationKind, RelationType, SourceKind, Status

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

LIST_ENDPOINTS = {
    "/api/initiatives/": serializers.InitiativeSerializer,
    "/api/status-updates/": serializers.StatusUpdateSerializer,
    "/api/milestones/": serializers.MilestoneSerializer,
    "/api/organisations/": serializers.OrganisationSerializer,
    "/api/themes/": serializers.ThemeSerializer,
    "/api/sources/": serializers.SourceSerializer,
}


@pytest.fixture
def api():
    return APIClient()


def get(api, url, expect=200, /, **params):
    response = api.get(url, params, HTTP_ACCEPT="application/json")
    assert response.status_code == expect, (response.status_code, response.content[:500])
    return response


def results(api, url, /, **params):
    return get(api, url, **params).json()["results"]


def slugs(api, url="/api/initiatives/", /, **params):
    return [row["slug"] for row in results(api, url, **params)]


def declared(serializer_class):
    return set(serializer_class().fields)


@pytest.fixture
def world():
    """Two related initiatives with history, a draft, a milestone, a link; a third not assessed."""
    ai = InitiativeFactory(title="AI Vision", slug="ai-vision", with_relations=True)
    law = InitiativeFactory(title="AI Law", slug="ai-law", kind="program")
    quiet = InitiativeFactory(title="Quiet proposal", slug="quiet", kind="proposal")
    # Published before the update citing it: an update is not known before its evidence.
    source = SourceFactory(title="Digital Kazakhstan speech", published_on=datetime.date(2024, 1, 5))
    old = StatusUpdateFactory(
        initiative=ai, reported_on=datetime.date(2024, 1, 10), status=Status.ADOPTED, progress=10, headline="Adopted"
    )
    CitationFactory(update=old, source=source)
    StatusUpdateFactory(
        initiative=ai,
        reported_on=datetime.date(2025, 6, 1),
        status=Status.IN_PROGRESS,
        progress=50,
        headline="Data centre opened",
    )
    StatusUpdateFactory(
        initiative=ai,
        reported_on=datetime.date(2025, 7, 1),
        status=Status.ABANDONED,
        progress=0,
        headline="Secret draft zebra",
        body="drafts never leave the admin",
        published=False,
    )
    StatusUpdateFactory(
        initiative=law, reported_on=datetime.date(2023, 1, 1), status=Status.PROPOSED, headline="Law drafted"
    )
    InitiativeRelation.objects.create(
        from_initiative=law, to_initiative=ai, relation_type=RelationType.PART_OF, note="Implements the vision"
    )
    ExternalLink.objects.create(initiative=ai, kind="official_site", label="Official site", url="https://ai.example.kz")
    milestone = ai.milestones.get()
    milestone.due_on = datetime.date(2025, 3, 31)
    milestone.achieved_on = datetime.date(2025, 5, 1)
    milestone.save()
    return {"ai": ai, "law": law, "quiet": quiet, "source": source, "milestone": milestone}


# --- Fields --------------------------------------------------------------------------


@pytest.mark.parametrize("url", LIST_ENDPOINTS)
def test_every_list_row_has_exactly_the_documented_fields(api, world, url):
    rows = results(api, url)
    assert rows, url
    for row in rows:
        assert set(row) == declared(LIST_ENDPOINTS[url])
        assert row["url"].startswith("http://testserver/api/")


def test_initiative_fields(api, world):
    row = next(row for row in results(api, "/api/initiatives/") if row["slug"] == "ai-vision")
    assert row["url"] == "http://testserver/api/initiatives/ai-vision/"
    assert row["html_url"] == "http://testserver" + world["ai"].get_absolute_url()
    assert row["status"] == "in_progress"
    assert row["status_label"] == "In progress"
    assert row["status_meaning"] == "Implementation under way."
    assert row["progress"] == 50
    assert row["last_update"] == "2025-06-01"
    assert row["countries"] == [{"code": "KZ", "name": "Kazakhstan"}]
    assert row["themes"][0]["html_url"].startswith("http://testserver/themes/")
    assert row["organisations"][0]["role"] == "lead"
    assert row["organisations"][0]["role_label"] == "Lead"
    assert row["links"] == [
        {
            "kind": "official_site",
            "kind_label": "Official site",
            "label": "Official site",
            "external_url": "https://ai.example.kz",
        }
    ]
    assert row["proposed_on_precision"] == "day"


def test_relations_show_on_both_ends_read_from_each_end(api, world):
    law = get(api, "/api/initiatives/ai-law/").json()
    vision = get(api, "/api/initiatives/ai-vision/").json()
    assert law["relations"] == [
        {
            "type": "part_of",
            "direction": "outgoing",
            "label": "Part of",
            "note": "Implements the vision",
            "initiative": {
                "slug": "ai-vision",
                "title": "AI Vision",
                "url": "http://testserver/api/initiatives/ai-vision/",
                "html_url": "http://testserver/initiatives/ai-vision/",
            },
        }
    ]
    assert vision["relations"][0]["direction"] == "incoming"
    assert vision["relations"][0]["label"] == "Includes"
    assert vision["relations"][0]["initiative"]["slug"] == "ai-law"


def test_not_yet_assessed_is_null_with_a_label(api, world):
    row = get(api, "/api/initiatives/quiet/").json()
    assert row["status"] is None
    assert row["status_label"] == "Not yet assessed"
    assert row["progress"] is None
    assert row["last_update"] is None
    assert row["stale"] is False
    assert row["updates"] == []


def test_initiative_detail_embeds_published_updates_newest_first_with_sources_and_milestones(api, world):
    data = get(api, "/api/initiatives/ai-vision/").json()
    assert set(data) == declared(serializers.InitiativeDetailSerializer)
    assert [update["headline"] for update in data["updates"]] == ["Data centre opened", "Adopted"]
    assert data["updates"][1]["sources"][0]["title"] == "Digital Kazakhstan speech"
    assert set(data["updates"][1]["sources"][0]) == declared(serializers.SourceSerializer)
    assert set(data["updates"][0]) == declared(serializers.StatusUpdateSerializer)
    milestone = data["milestones"][0]
    assert set(milestone) == declared(serializers.MilestoneSerializer)
    assert milestone["achieved"] is True
    assert milestone["overdue"] is False
    assert milestone["html_url"].endswith(f"/initiatives/ai-vision/#milestone-{world['milestone'].pk}")


def test_status_update_fields(api, world):
    row = results(api, "/api/status-updates/", initiative="ai-vision")[0]
    assert row["headline"] == "Data centre opened"
    assert row["status_meaning"] == "Implementation under way."
    assert row["initiative"]["slug"] == "ai-vision"
    assert row["html_url"] == f"http://testserver/initiatives/ai-vision/#update-{row['id']}"
    assert get(api, row["url"]).json() == row


def test_organisation_and_theme_details_list_their_initiatives_with_status(api, world):
    organisation = world["ai"].organisations.get()
    theme = world["ai"].themes.get()
    data = get(api, f"/api/organisations/{organisation.slug}/").json()
    assert set(data) == declared(serializers.OrganisationDetailSerializer)
    assert data["country"] == {"code": "KZ", "name": "Kazakhstan"}
    assert data["initiatives"][0]["slug"] == "ai-vision"
    assert data["initiatives"][0]["role"] == "lead"
    assert data["initiatives"][0]["status"] == "in_progress"
    data = get(api, f"/api/themes/{theme.slug}/").json()
    assert set(data) == declared(serializers.ThemeDetailSerializer)
    assert data["initiatives"][0]["status_label"] == "In progress"
    assert get(api, f"/api/themes/{theme.slug}/", as_of="2024-02-01").json()["initiatives"][0]["status"] == "adopted"


def test_source_detail_gives_its_archived_text_and_public_page_never_its_internal_reference(api, world):
    world["source"].url = "https://example.org/speech"
    world["source"].reference = "000_8e095ffc54afb812.txt"
    world["source"].save()
    data = get(api, f"/api/sources/{world['source'].slug}/").json()
    assert data["external_url"] == "https://example.org/speech"
    assert data["html_url"] == f"http://testserver/sources/{world['source'].slug}/"
    assert data["kind_label"] == "News article"
    assert data["text"] == world["source"].text
    assert [paragraph["number"] for paragraph in data["paragraphs"]] == [1, 2, 3]
    assert data["paragraphs"][1]["html_url"].endswith("#p-2")
    assert data["sha256"] == hashlib.sha256(world["source"].text.encode()).hexdigest()
    assert "reference" not in data
    assert "000_8e095ffc54afb812" not in get(api, "/api/sources/").content.decode()


# --- Filters, search, ordering -----------------------------------------------------


def test_initiative_filters(api, world):
    theme = world["ai"].themes.get()
    organisation = world["ai"].organisations.get()
    assert slugs(api, status="in_progress") == ["ai-vision"]
    assert slugs(api, status=["in_progress", "proposed"]) == ["ai-law", "ai-vision"]
    assert slugs(api, kind="proposal") == ["quiet"]
    assert slugs(api, theme=theme.slug) == ["ai-vision"]
    assert slugs(api, organisation=organisation.slug) == ["ai-vision"]
    assert slugs(api, country="KZ") == ["ai-vision"]
    assert slugs(api, country="FR") == []
    assert slugs(api, not_assessed="true") == ["quiet"]
    assert slugs(api, stale="true", as_of="2025-07-01") == ["ai-law"]
    assert slugs(api, overdue="true", as_of="2025-04-15") == ["ai-vision"]
    assert slugs(api, overdue="true", as_of="2025-05-15") == []


def test_initiative_search_covers_published_updates_only(api, world):
    assert slugs(api, q="data centre") == ["ai-vision"]
    assert slugs(api, q="vision") == ["ai-vision"]
    assert slugs(api, q="zebra") == []


def test_initiative_ordering(api, world):
    # Not yet assessed sorts last both ways, on SQLite and PostgreSQL alike.
    assert slugs(api, ordering="-progress") == ["ai-vision", "ai-law", "quiet"]
    assert slugs(api, ordering="progress") == ["ai-law", "ai-vision", "quiet"]
    assert slugs(api, ordering="status") == ["ai-vision", "ai-law", "quiet"]
    assert slugs(api, ordering="title") == ["ai-law", "ai-vision", "quiet"]
    assert slugs(api, ordering="-title") == ["quiet", "ai-vision", "ai-law"]
    assert slugs(api, ordering="-last_update", not_assessed="false") == ["ai-vision", "ai-law"]


def test_status_update_filters_search_and_ordering(api, world):
    def headlines(**params):
        return [row["headline"] for row in results(api, "/api/status-updates/", **params)]

    assert headlines() == ["Data centre opened", "Adopted", "Law drafted"]
    assert headlines(ordering="reported_on") == ["Law drafted", "Adopted", "Data centre opened"]
    assert headlines(reported_on_after="2024-01-01", reported_on_before="2024-12-31") == ["Adopted"]
    assert headlines(status="proposed") == ["Law drafted"]
    assert headlines(initiative="ai-law") == ["Law drafted"]
    assert headlines(kind="proposal") == []
    assert headlines(theme=world["ai"].themes.get().slug) == ["Data centre opened", "Adopted"]
    assert headlines(q="opened") == ["Data centre opened"]
    assert headlines(q="zebra") == []


def test_milestone_filters(api, world):
    MilestoneFactory(initiative=world["law"], title="Law passed", due_on=datetime.date(2030, 12, 31))
    titles = [row["title"] for row in results(api, "/api/milestones/")]
    assert titles[-1] == "Law passed"
    assert [row["title"] for row in results(api, "/api/milestones/", initiative="ai-law")] == ["Law passed"]
    assert [row["title"] for row in results(api, "/api/milestones/", achieved="false")] == ["Law passed"]
    assert [row["title"] for row in results(api, "/api/milestones/", ordering="-due_on")][0] == "Law passed"
    assert results(api, "/api/milestones/", q="passed")[0]["title"] == "Law passed"


def test_organisation_theme_and_source_filters(api, world):
    OrganisationFactory(name="Zeta University", slug="zeta", kind=OrganisationKind.UNIVERSITY, country="FR")
    assert [row["slug"] for row in results(api, "/api/organisations/", kind="university")] == ["zeta"]
    assert [row["slug"] for row in results(api, "/api/organisations/", country="FR")] == ["zeta"]
    assert [row["slug"] for row in results(api, "/api/organisations/", ordering="-name")][0] == "zeta"
    ThemeFactory(name="Cybersecurity", slug="cyber")
    assert [row["slug"] for row in results(api, "/api/themes/", q="cyber")] == ["cyber"]
    SourceFactory(title="AI law text", kind=SourceKind.LAW, published_on=datetime.date(2025, 2, 1))
    assert [row["title"] for row in results(api, "/api/sources/", kind="law")] == ["AI law text"]
    assert [row["title"] for row in results(api, "/api/sources/", ordering="published_on")][0] == (
        "Digital Kazakhstan speech"
    )


# --- Pagination ----------------------------------------------------------------------


def test_pagination_counts_and_caps(api):
    InitiativeFactory.create_batch(7)
    data = get(api, "/api/initiatives/", page_size=3, page=2).json()
    assert data["count"] == 7
    assert len(data["results"]) == 3
    assert "page=3" in data["next"]
    assert len(results(api, "/api/initiatives/", page_size=100)) == 7
    for bad in ["0", "-1", "101", "abc", "10" * 3000, "1e3", "²"]:
        assert "page_size" in get(api, "/api/initiatives/", 400, page_size=bad).json()
    for bad in ["0", "-1", "abc", "1.5", "²"]:
        assert "page" in get(api, "/api/initiatives/", 400, page=bad).json()
    for far in [str(10**9), "9" * 18, "9" * 5000]:
        assert get(api, "/api/initiatives/", 404, page=far).json()["detail"]


def test_empty_parameters_count_as_absent(api, world):
    """As the pages' forms send them: ?status=&as_of=&page= is the plain list."""
    everything = slugs(api)
    assert slugs(api, status="", as_of="", page="", page_size="", q="", stale="", theme="", ordering="") == everything
    assert slugs(api, status=["", "in_progress"]) == ["ai-vision"]


# --- as_of ---------------------------------------------------------------------------


def test_as_of_recomputes_status_progress_and_hides_later_updates(api, world):
    row = get(api, "/api/initiatives/ai-vision/", as_of="2024-06-30").json()
    assert row["status"] == "adopted"
    assert row["progress"] == 10
    assert row["last_update"] == "2024-01-10"
    assert [update["headline"] for update in row["updates"]] == ["Adopted"]
    assert row["url"].endswith("?as_of=2024-06-30")
    assert row["updates"][0]["url"].endswith("?as_of=2024-06-30")
    assert [r["headline"] for r in results(api, "/api/status-updates/", as_of="2024-06-30")] == [
        "Adopted",
        "Law drafted",
    ]
    # Before its first evidenced date (here its first update) an initiative is absent.
    get(api, "/api/initiatives/quiet/", 404, as_of="1990-01-01")
    get(api, "/api/initiatives/ai-vision/", 404, as_of="2023-06-01")


def test_as_of_recomputes_staleness(api, world):
    stale = {row["slug"]: row["stale"] for row in results(api, "/api/initiatives/", as_of="2024-02-01")}
    # "quiet" has no dated evidence before it was recorded (today): not yet in the tracker then.
    assert stale == {"ai-vision": False, "ai-law": True}


def test_as_of_recomputes_milestones(api, world):
    def milestone(as_of):
        return results(api, "/api/milestones/", as_of=as_of)[0]

    assert (milestone("2025-03-01")["overdue"], milestone("2025-03-01")["achieved"]) == (False, False)
    assert (milestone("2025-04-15")["overdue"], milestone("2025-04-15")["achieved_on"]) == (True, None)
    assert (milestone("2025-06-01")["overdue"], milestone("2025-06-01")["achieved_on"]) == (False, "2025-05-01")
    assert get(api, "/api/initiatives/ai-vision/", as_of="2025-04-15").json()["has_overdue_milestones"] is True


def test_as_of_hides_sources_published_later(api, world):
    titles = [row["title"] for row in results(api, "/api/sources/", as_of="2024-01-04")]
    assert "Digital Kazakhstan speech" not in titles
    assert "Digital Kazakhstan speech" in [row["title"] for row in results(api, "/api/sources/", as_of="2024-01-05")]


def detail_urls(world):
    update = StatusUpdate.objects.published().first()
    organisation = world["ai"].organisations.get()
    return [
        "/api/initiatives/ai-vision/",
        f"/api/status-updates/{update.pk}/",
        f"/api/milestones/{world['milestone'].pk}/",
        f"/api/organisations/{organisation.slug}/",
        f"/api/themes/{world['ai'].themes.get().slug}/",
        f"/api/sources/{world['source'].slug}/",
    ]


@pytest.mark.parametrize("bad", ["2025-13-01", "yesterday", "2025-1-1", "1989-12-31", "x" * 5000, "2025-06-30T00:00"])
def test_bad_as_of_is_a_400_with_a_message_everywhere(api, world, bad):
    for url in [*LIST_ENDPOINTS, *detail_urls(world)]:
        body = get(api, url, 400, as_of=bad).json()
        assert "YYYY-MM-DD" in body["as_of"][0], url


def test_as_of_is_accepted_everywhere(api, world):
    for url in [*LIST_ENDPOINTS, *detail_urls(world)]:
        get(api, url, as_of="2025-12-31")


def test_an_update_reported_after_as_of_is_not_found_by_id(api, world):
    later = StatusUpdate.objects.get(headline="Data centre opened")
    get(api, f"/api/status-updates/{later.pk}/", 404, as_of="2025-05-31")
    get(api, f"/api/status-updates/{later.pk}/", as_of="2025-06-01")


# --- Drafts ----------------------------------------------------------------------------


def test_drafts_appear_nowhere(api, world):
    draft = StatusUpdate.objects.get(published=False)
    get(api, f"/api/status-updates/{draft.pk}/", 404)
    assert draft.pk not in [row["id"] for row in results(api, "/api/status-updates/", page_size=100)]
    vision = get(api, "/api/initiatives/ai-vision/").json()
    assert draft.pk not in [update["id"] for update in vision["updates"]]
    assert vision["status"] == "in_progress"  # the later draft does not count
    for url in [*LIST_ENDPOINTS, *detail_urls(world)]:
        assert b"zebra" not in get(api, url).content, url


def test_a_draft_only_initiative_is_not_yet_assessed(api):
    StatusUpdateFactory(initiative=InitiativeFactory(slug="hidden"), published=False)
    assert get(api, "/api/initiatives/hidden/").json()["status"] is None
    assert results(api, "/api/status-updates/") == []


# --- Read-only ---------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writes_are_refused(api, world, method):
    counts = (Initiative.objects.count(), StatusUpdate.objects.count(), Source.objects.count())
    for url in [*LIST_ENDPOINTS, *detail_urls(world)]:
        response = getattr(api, method)(url, {"title": "Hacked", "status": "completed"}, format="json")
        assert response.status_code in (401, 403, 405), (method, url, response.status_code)
    assert (Initiative.objects.count(), StatusUpdate.objects.count(), Source.objects.count()) == counts
    assert not Initiative.objects.filter(title="Hacked").exists()


def test_unknown_keys_are_404_not_500(api, world):
    for url in [
        "/api/initiatives/no-such-thing/",
        "/api/status-updates/999999/",
        "/api/status-updates/99999999999999999999999999/",
        "/api/status-updates/abc/",
        "/api/milestones/0/",
        "/api/organisations/nope/",
        "/api/themes/nope/",
        "/api/sources/123456789012345678/",
    ]:
        get(api, url, 404)


# --- Hostile input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, params, parameter",
    [
        ("/api/initiatives/", {"status": "finished"}, "status"),
        ("/api/initiatives/", {"kind": "empire"}, "kind"),
        ("/api/initiatives/", {"theme": "no-such-theme"}, "theme"),
        ("/api/initiatives/", {"organisation": "nobody"}, "organisation"),
        ("/api/initiatives/", {"country": "XX"}, "country"),
        ("/api/initiatives/", {"stale": "perhaps"}, "stale"),
        ("/api/initiatives/", {"ordering": "password"}, "ordering"),
        ("/api/initiatives/", {"ordering": "title,;drop table"}, "ordering"),
        ("/api/initiatives/", {"q": "x" * 5000}, "q"),
        ("/api/status-updates/", {"reported_on_after": "2025-02-30"}, "reported_on"),
        ("/api/status-updates/", {"ordering": "headline"}, "ordering"),
        ("/api/status-updates/", {"status": "🙂"}, "status"),
        ("/api/milestones/", {"due_on_before": "soon"}, "due_on"),
        ("/api/milestones/", {"overdue": "maybe"}, "overdue"),
        ("/api/organisations/", {"kind": "cult"}, "kind"),
        ("/api/organisations/", {"ordering": "id"}, "ordering"),
        ("/api/themes/", {"ordering": "-slug"}, "ordering"),
        # Empty fields in the list were read as no ordering, though the schema allows none.
        ("/api/themes/", {"ordering": ","}, "ordering"),
        ("/api/initiatives/", {"ordering": "title,"}, "ordering"),
        ("/api/sources/", {"published_on_after": "20250101"}, "published_on"),
        ("/api/sources/", {"ordering": "url"}, "ordering"),
    ],
)
def test_bad_filter_values_are_a_400_naming_the_parameter(api, world, url, params, parameter):
    body = get(api, url, 400, **params).json()
    assert parameter in body
    assert body[parameter]


def test_junk_query_strings_never_500(api, world):
    junk = [
        "?%00=%00",
        "?page=%00",
        "?as_of=%ff%fe",
        "?status=&status=",
        "?q=%27%22%3C%3E",
        "?" + "&".join(f"x{i}=y" for i in range(500)),
        "?ordering=" + ",".join(["title"] * 200),
        "?theme=" + "a" * 300,
        "?page_size=" + "9" * 5000,
    ]
    for url in LIST_ENDPOINTS:
        for query in junk:
            response = api.get(url + query, HTTP_ACCEPT="application/json")
            assert response.status_code < 500, (url, query, response.status_code)


# --- Throttling ---------------------------------------------------------------------------


def test_anonymous_clients_are_throttled(api, settings):
    settings.API_ANON_RATE = "3/minute"
    cache.clear()
    for _ in range(3):
        get(api, "/api/themes/")
    response = get(api, "/api/themes/", 429)
    assert "Retry-After" in response
    assert "throttled" in response.json()["detail"].lower()


def test_throttle_counts_per_address(api, settings):
    settings.API_ANON_RATE = "1/minute"
    cache.clear()
    get(api, "/api/themes/")
    get(api, "/api/themes/", 429)
    assert api.get("/api/themes/", REMOTE_ADDR="10.0.0.2").status_code == 200


# --- ETag ------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [*LIST_ENDPOINTS, "/api/initiatives/ai-vision/"])
def test_etag_gives_304_on_unchanged_data_and_changes_with_it(api, world, url):
    first = get(api, url)
    etag = first["ETag"]
    assert etag.startswith('"')
    again = api.get(url, HTTP_ACCEPT="application/json", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    # Another as_of is another representation.
    assert get(api, url, as_of="2024-06-30")["ETag"] != etag or url.endswith(("themes/", "organisations/"))


def test_etag_changes_when_data_changes(api, world):
    etag = get(api, "/api/initiatives/")["ETag"]
    StatusUpdateFactory(initiative=world["quiet"], status=Status.PROPOSED, reported_on=datetime.date(2025, 1, 1))
    response = api.get("/api/initiatives/", HTTP_ACCEPT="application/json", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag
    # A change in a table without timestamps (a theme's name) changes it too.
    etag = response["ETag"]
    theme = world["ai"].themes.get()
    theme.name = "Renamed"
    theme.save()
    assert get(api, "/api/initiatives/")["ETag"] != etag


# --- Query counts -------------------------------------------------------------------------


def populate(n):
    initiatives = InitiativeFactory.create_batch(n, with_updates=3, with_relations=True)
    for first, second in zip(initiatives, initiatives[1:], strict=False):
        InitiativeRelation.objects.create(
            from_initiative=first, to_initiative=second, relation_type=RelationType.DEPENDS_ON
        )
        ExternalLink.objects.create(initiative=first, kind="other", label=f"Act {first.pk}")
    StatusUpdateFactory(initiative=initiatives[0], published=False)
    return initiatives


# Every list also reads the data version that keys its cached count and page (initiatives/cache.py).
QUERY_BUDGETS = {
    # version + count + page + themes, countries, organisations, relations, links
    "/api/initiatives/": 8,
    "/api/initiatives/?as_of=2024-02-15&ordering=-progress&page_size=100": 8,
    # version + count + page + citations with their sources + revisions (from the audit trail)
    "/api/status-updates/": 5,
    "/api/milestones/": 3,
    "/api/organisations/": 3,
    "/api/themes/": 3,
    "/api/sources/": 3,
}


@pytest.mark.parametrize("n", [3, 30])
@pytest.mark.parametrize("url", QUERY_BUDGETS)
def test_list_query_count_does_not_grow(api, django_assert_max_num_queries, n, url):
    """Guards against N+1: a list costs the same number of queries for 3 or 30 initiatives."""
    populate(n)
    with django_assert_max_num_queries(QUERY_BUDGETS[url]):
        response = api.get(url, HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert len(response.json()["results"]) == min(n * (3 if "updates" in url else 1), 25, 100) or "as_of" in url


@pytest.mark.parametrize("n", [3, 30])
def test_detail_query_count_does_not_grow(api, django_assert_max_num_queries, n):
    initiatives = populate(n)
    middle = initiatives[1]
    for extra in range(n):
        update = StatusUpdateFactory(
            initiative=middle, reported_on=datetime.date(2023, 1, 1) + datetime.timedelta(extra)
        )
        CitationFactory(update=update, source=SourceFactory())
    # row + themes, countries, organisations, relations, links + sources, updates, update citations,
    # update revisions, milestones
    with django_assert_max_num_queries(11):
        data = get(api, f"/api/initiatives/{middle.slug}/").json()
    assert len(data["updates"]) == 3 + n
    organisation = middle.organisations.get()
    # row + its roles and responsibilities (one union) + the initiatives
    with django_assert_max_num_queries(3):
        get(api, f"/api/organisations/{organisation.slug}/")
    theme = middle.themes.get()
    with django_assert_max_num_queries(2):
        get(api, f"/api/themes/{theme.slug}/")


# --- Root, schema and docs ----------------------------------------------------------------


def test_root_lists_every_endpoint(api):
    data = get(api, "/api/").json()
    assert set(data) == {"initiatives", "status-updates", "milestones", "organisations", "themes", "sources"}
    assert api.get("/api/", HTTP_ACCEPT="text/html").status_code == 200


def test_schema_documents_filters_as_of_statuses_and_errors(api):
    schema = get(api, "/api/schema/", format="json").json()
    operation = schema["paths"]["/api/initiatives/"]["get"]
    parameters = {parameter["name"] for parameter in operation["parameters"]}
    assert parameters >= {
        "as_of",
        "q",
        "kind",
        "status",
        "theme",
        "organisation",
        "country",
        "stale",
        "not_assessed",
        "overdue",
        "ordering",
        "page",
        "page_size",
    }
    updates = {p["name"] for p in schema["paths"]["/api/status-updates/"]["get"]["parameters"]}
    assert {"reported_on_after", "reported_on_before", "as_of"} <= updates
    for path, item in schema["paths"].items():
        if path.startswith("/api/schema") or path == "/api/":
            continue
        assert "as_of" in {p["name"] for p in item["get"]["parameters"]}, path
        assert {"400", "404", "429"} <= set(item["get"]["responses"]), path
    description = schema["components"]["schemas"]["StatusEnum"]["description"]
    for status in Status:
        assert status.value in description
        assert str(status.meaning) in description
    assert "Not yet assessed" in schema["info"]["description"]


def test_docs_are_served_from_local_assets(api):
    response = api.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    assert "<script>" not in html  # the start-up script is a file of its own, so the CSP holds
    script = api.get("/api/docs/?script=")
    assert script.status_code == 200
    assert b"/api/schema/" in script.content


def test_labels_follow_the_requested_language(api, world):
    russian = api.get("/api/initiatives/ai-vision/", HTTP_ACCEPT="application/json", HTTP_ACCEPT_LANGUAGE="ru")
    english = get(api, "/api/initiatives/ai-vision/").json()
    assert english["countries"] == [{"code": "KZ", "name": "Kazakhstan"}]
    assert russian.json()["countries"] == [{"code": "KZ", "name": "Казахстан"}]
    assert get(api, "/api/initiatives/ai-vision/").json() == english  # the Russian labels did not stick


def test_throttle_tells_when_to_retry(api, settings):
    settings.API_ANON_RATE = "2/hour"
    cache.clear()
    get(api, "/api/sources/")
    get(api, "/api/sources/")
    response = get(api, "/api/sources/", 429)
    assert 0 < int(response["Retry-After"]) <= 3600
    settings.API_ANON_RATE = None
    get(api, "/api/sources/")
