"""The public site: every page renders the right content, filters/sort/search work,
drafts appear nowhere, as_of shows the past, junk input never gives a 500, user
text is escaped, and each page costs a constant number of queries."""

import csv
import datetime
import io
import re

import pytest

from initiatives.cache import forget_data_version
from initiatives.models import InitiativeCountry, InitiativeOrganisation, InitiativeRelation
from initiatives.vocabularies import InitiativeKind, RelationType, Role, Status
from tests.factories import (
    CitationFactory,
    InitiativeFactory,
    MilestoneFactory,
    OrganisationFactory,
    SourceFactory,
    StatusUpdateFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def text(response):
    return response.content.decode()


def without_banner(html):
    """The page less the past-date banner, whose "Next change" link names a later date."""
    return re.sub(r'<div class="as-of-banner".*?</div>', "", html, flags=re.S)


def streamed(response):
    return b"".join(response.streaming_content).decode("utf-8")


@pytest.fixture
def world():
    """Two programs and a proposal with updates, milestones, organisations, themes, a relation and a draft."""
    ai = ThemeFactory(name="Artificial intelligence", slug="ai")
    cyber = ThemeFactory(name="Cybersecurity", slug="cyber")
    ministry = OrganisationFactory(name="Ministry of Digital Development", slug="mdd", country="KZ")
    partner = OrganisationFactory(name="Partner University", slug="uni", country="CN")
    source = SourceFactory(
        title="Presidential address",
        publisher="Akorda",
        url="https://example.org/address",
        # Before the update citing it (July 2024): an update is not known before its evidence.
        published_on=datetime.date(2024, 6, 1),
        published_on_precision="month",
    )

    vision = InitiativeFactory(
        title="AI Development Vision",
        slug="ai-vision",
        kind=InitiativeKind.PROGRAM,
        summary="The national AI concept.",
        description="First line.\nSecond line.",
        period_start=datetime.date(2024, 1, 1),
        period_start_precision="year",
        period_end=datetime.date(2029, 12, 31),
        period_end_precision="year",
    )
    vision.themes.add(ai)
    InitiativeOrganisation.objects.create(initiative=vision, organisation=ministry, role=Role.LEAD)
    InitiativeCountry.objects.create(initiative=vision, country="KZ")
    old = StatusUpdateFactory(
        initiative=vision,
        reported_on=datetime.date(2024, 7, 1),
        status=Status.ADOPTED,
        progress=10,
        headline="Vision adopted by decree",
    )
    CitationFactory(update=old, source=source)
    StatusUpdateFactory(
        initiative=vision,
        reported_on=TODAY - datetime.timedelta(days=10),
        status=Status.IN_PROGRESS,
        progress=35,
        headline="Supercomputer commissioned",
    )
    StatusUpdateFactory(
        initiative=vision,
        reported_on=TODAY - datetime.timedelta(days=2),
        status=Status.ABANDONED,
        headline="SECRET DRAFT HEADLINE",
        body="draft body",
        published=False,
    )
    MilestoneFactory(
        initiative=vision, title="AI law adopted", due_on=datetime.date(2024, 12, 31), due_on_precision="year"
    )
    MilestoneFactory(initiative=vision, title="Ten AI labs", due_on=TODAY + datetime.timedelta(days=60))

    shield = InitiativeFactory(
        title="Cyber Shield", slug="cyber-shield", kind=InitiativeKind.PROGRAM, summary="Cybersecurity strategy."
    )
    shield.themes.add(cyber)
    InitiativeOrganisation.objects.create(initiative=shield, organisation=partner, role=Role.PARTNER)
    StatusUpdateFactory(
        initiative=shield,
        reported_on=TODAY - datetime.timedelta(days=400),
        status=Status.STALLED,
        progress=None,
        headline="No news for a year",
    )

    belt = InitiativeFactory(
        title="Eurasian Digital Security Belt",
        slug="belt",
        kind=InitiativeKind.PROPOSAL,
        summary="A proposal to the Belt and Road forum.",
    )
    InitiativeCountry.objects.create(initiative=belt, country="CN")
    InitiativeRelation.objects.create(from_initiative=shield, to_initiative=belt, relation_type=RelationType.PART_OF)
    return {
        "vision": vision,
        "shield": shield,
        "belt": belt,
        "ai": ai,
        "cyber": cyber,
        "ministry": ministry,
        "partner": partner,
        "source": source,
    }


# --- Pages render ---------------------------------------------------------------------


def test_dashboard_shows_counts_lists_and_charts(client, world):
    response = client.get("/")
    assert response.status_code == 200
    body = text(response)
    assert "<h1" in body and body.count("<h1") == 1
    assert "/initiatives/?status=in_progress" in body
    assert "/initiatives/?kind=proposal" in body
    assert "AI Development Vision" in body  # recently updated
    assert "AI law adopted" in body  # overdue milestone
    assert "Ten AI labs" in body  # upcoming milestone
    assert "Cyber Shield" in body  # stale
    assert body.count("<svg") == 2
    assert "<table" in body and "<figcaption>" in body
    assert "SECRET DRAFT HEADLINE" not in body


def test_dashboard_status_chart_labels_bars_with_text(client, world):
    body = text(client.get("/"))
    assert 'class="bar-label"' in body and 'class="bar-value"' in body
    assert "In progress" in body


def test_initiative_list_renders_facets_with_counts(client, world):
    response = client.get("/initiatives/")
    assert response.status_code == 200
    body = text(response)
    for title in ("AI Development Vision", "Cyber Shield", "Eurasian Digital Security Belt"):
        assert title in body
    assert "?theme=ai" in body and "?organisation=mdd" in body and "?country=CN" in body
    assert "?stale=true" in body
    assert "3 initiatives" in body


def test_initiative_detail_shows_everything(client, world):
    response = client.get("/initiatives/ai-vision/")
    assert response.status_code == 200
    body = text(response)
    assert 'class="badge status-in_progress" title="Implementation under way."' in body
    assert "Implementation under way." in body  # meaning visible, not only a tooltip
    assert 'value="35"' in body and "35% complete" in body
    assert body.index("Supercomputer commissioned") < body.index("Vision adopted by decree")  # newest first
    assert "Presidential address" in body and "Akorda" in body and "https://example.org/address" in body
    assert '<time datetime="2024-06">June 2024</time>' in body  # source date at its precision
    assert '<time datetime="2024">2024</time>' in body  # milestone due at its precision
    assert "Overdue" in body
    assert "Ministry of Digital Development" in body and "Lead" in body
    assert "Kazakhstan" in body
    assert "Artificial intelligence" in body
    assert "/api/initiatives/ai-vision/" in body
    assert "/feeds/initiatives/ai-vision/" in body
    assert "/updates.csv?initiative=ai-vision" in body
    assert "First line.<br>Second line." in body
    assert "SECRET DRAFT HEADLINE" not in body and "draft body" not in body
    assert "status-abandoned" not in body  # the draft's status does not count


def test_relation_shows_on_both_ends(client, world):
    assert "Part of" in text(client.get("/initiatives/cyber-shield/"))
    belt = text(client.get("/initiatives/belt/"))
    assert "Includes" in belt and "Cyber Shield" in belt
    assert "status-stalled" in belt  # the related initiative's own status


def test_not_assessed_initiative_says_so(client, world):
    body = text(client.get("/initiatives/belt/"))
    assert "Not yet assessed" in body


def test_unknown_initiative_is_a_styled_404(client, world):
    response = client.get("/initiatives/no-such-thing/")
    assert response.status_code == 404
    assert "Page not found" in text(response) and 'class="site-header"' in text(response)


def test_update_list_newest_first_without_drafts(client, world):
    response = client.get("/updates/")
    assert response.status_code == 200
    body = text(response)
    # Newest first: today-10 days, then 400 days ago, then July 2024.
    positions = [
        body.index(h) for h in ("Supercomputer commissioned", "No news for a year", "Vision adopted by decree")
    ]
    assert positions == sorted(positions)
    assert "SECRET DRAFT HEADLINE" not in body


def test_organisation_and_theme_pages(client, world):
    body = text(client.get("/organisations/mdd/"))
    assert "Ministry of Digital Development" in body and "AI Development Vision" in body and "Lead" in body
    assert "Cyber Shield" not in body
    body = text(client.get("/themes/cyber/"))
    assert "Cybersecurity" in body and "Cyber Shield" in body and "AI Development Vision" not in body
    assert client.get("/themes/nope/").status_code == 404
    assert client.get("/organisations/nope/").status_code == 404


def test_about_page_explains_vocabulary_and_rules(client, world, settings):
    settings.TRACKER_STALE_AFTER_DAYS = 123
    body = text(client.get("/about/"))
    for status in Status:
        assert str(status.label) in body and str(status.meaning) in body
    assert "123 days" in body
    assert "overdue" in body
    assert "Presidential address" in body


# --- Filters, sort, search ----------------------------------------------------------------


def titles_in(response):
    body = text(response)
    return [
        t
        for t in ("AI Development Vision", "Cyber Shield", "Eurasian Digital Security Belt")
        if f">{t}</a></h3>" in body
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=proposal", ["Eurasian Digital Security Belt"]),
        ("kind=program", ["AI Development Vision", "Cyber Shield"]),
        ("status=in_progress", ["AI Development Vision"]),
        ("status=in_progress&status=stalled", ["AI Development Vision", "Cyber Shield"]),
        ("not_assessed=true", ["Eurasian Digital Security Belt"]),
        ("theme=cyber", ["Cyber Shield"]),
        ("organisation=mdd", ["AI Development Vision"]),
        ("country=CN", ["Eurasian Digital Security Belt"]),
        ("stale=true", ["Cyber Shield"]),
        ("overdue=true", ["AI Development Vision"]),
        ("q=supercomputer", ["AI Development Vision"]),  # update text
        ("q=belt+and+road", ["Eurasian Digital Security Belt"]),  # summary
        ("q=SECRET+DRAFT", []),  # drafts are not searchable
    ],
)
def test_initiative_list_filters(client, world, query, expected):
    response = client.get(f"/initiatives/?{query}")
    assert response.status_code == 200
    assert titles_in(response) == expected


@pytest.mark.parametrize(
    ("path", "query", "parameter"),
    [
        ("/initiatives/", "status=exploded", "status"),
        ("/initiatives/", "theme=no-such-theme", "theme"),
        ("/initiatives/", "ordering=__class__", "ordering"),
        ("/initiatives/", "page=abc", "page"),
        ("/initiatives/", "page=0", "page"),
        ("/initiatives/", "stale=maybe", "stale"),
        ("/updates/", "status=exploded", "status"),
        ("/updates/", "ordering=__class__", "ordering"),
        ("/updates/", "page=-1", "page"),
        ("/updates/", "reported_on_after=2025-W01-1", "reported_on"),
        ("/updates/", "reported_on_before=20250101", "reported_on"),
    ],
)
def test_bad_list_input_is_a_400_that_still_renders_the_page_with_the_notice(client, world, path, query, parameter):
    response = client.get(f"{path}?{query}")

    assert response.status_code == 400
    body = text(response)
    assert 'role="alert"' in body
    assert f"<strong>{parameter}</strong>" in body
    assert "<h1" in body and "<form" in body  # the list page itself, not a bare error page


def test_unknown_parameters_are_ignored_and_share_the_unfiltered_cache_entry(client, world):
    assert client.get("/initiatives/?utm_source=x").status_code == 200
    assert client.get("/initiatives/?status=in_progress").status_code == 200
    keys_before = cache_keys()

    for junk in range(20):
        assert client.get(f"/initiatives/?junk{junk}=1&status=in_progress&status=in_progress").status_code == 200

    # The status=in_progress entries (page, count, facets, their sections) were made once.
    assert cache_keys() == keys_before


def cache_keys():
    from django.core.cache import cache

    store = cache._cache  # LocMemCache's dict, or the Redis client of this worker's database
    return set(store) if isinstance(store, dict) else set(store.get_client(None).keys("*"))


def test_facet_counts_ignore_their_own_filter(client, world):
    body = text(client.get("/initiatives/?status=in_progress"))
    # Choosing "stalled" too would add Cyber Shield: its count is still shown.
    assert "status=in_progress&amp;status=stalled" in body
    assert 'Stalled <span class="count">(1)</span>' in body


@pytest.mark.parametrize(
    ("ordering", "first", "last"),
    [
        ("title", "AI Development Vision", "Eurasian Digital Security Belt"),
        ("-title", "Eurasian Digital Security Belt", "AI Development Vision"),
        ("-progress", "AI Development Vision", None),  # unknown progress sorts last either way
        ("progress", "AI Development Vision", None),
        ("last_update", None, None),
        ("-last_update", None, None),
        ("status", None, None),
    ],
)
def test_initiative_list_sorts(client, world, ordering, first, last):
    response = client.get(f"/initiatives/?ordering={ordering}")
    assert response.status_code == 200
    order = sorted(titles_in(response), key=lambda t: text(response).index(f">{t}</a></h3>"))
    assert len(order) == 3
    if first:
        assert order[0] == first
    if last:
        assert order[-1] == last


def test_sort_by_last_update_orders_by_date(client, world):
    body = text(client.get("/initiatives/?ordering=-last_update&kind=program"))
    assert body.index(">AI Development Vision<") < body.index(">Cyber Shield<")
    body = text(client.get("/initiatives/?ordering=last_update&kind=program"))
    assert body.index(">Cyber Shield<") < body.index(">AI Development Vision<")


@pytest.mark.parametrize("ordering", ["progress", "-progress"])
def test_updates_sorted_by_progress_list_unknown_progress_last_and_pages_never_overlap(client, ordering):
    """Each database put the updates without progress first in one direction, and
    equal progress had no tie-breaker, so pages could repeat or skip an update."""
    unknown = StatusUpdateFactory(headline="No progress given", progress=None)
    StatusUpdateFactory.create_batch(30, progress=50)

    pages = [client.get(f"/updates/?ordering={ordering}&page={number}") for number in (1, 2)]

    shown = [update.pk for page in pages for update in page.context["object_list"]]
    assert len(shown) == len(set(shown)) == 31
    assert shown[-1] == unknown.pk


def test_list_paginates_and_keeps_filters_in_links(client):
    InitiativeFactory.create_batch(25, kind=InitiativeKind.PROGRAM)
    body = text(client.get("/initiatives/?kind=program"))
    assert "Page 1 of 2" in body
    assert "?kind=program&amp;page=2" in body
    assert "Page 2 of 2" in text(client.get("/initiatives/?kind=program&page=2"))


@pytest.mark.parametrize(
    ("query", "expected", "absent"),
    [
        ("status=adopted", "Vision adopted by decree", "Supercomputer commissioned"),
        ("kind=program", "No news for a year", None),
        ("q=supercomputer", "Supercomputer commissioned", "No news for a year"),
        ("initiative=cyber-shield", "No news for a year", "Supercomputer commissioned"),
        ("theme=ai", "Supercomputer commissioned", "No news for a year"),
        ("reported_on_after=2024-06-01&reported_on_before=2024-08-01", "Vision adopted by decree", "No news"),
    ],
)
def test_update_list_filters(client, world, query, expected, absent):
    body = text(client.get(f"/updates/?{query}"))
    assert expected in body
    if absent:
        assert absent not in body


# --- Feeds ---------------------------------------------------------------------------------


def test_updates_feed_is_atom_without_drafts(client, world):
    response = client.get("/feeds/updates/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    body = text(response)
    assert "Supercomputer commissioned" in body and "No news for a year" in body
    assert "SECRET DRAFT HEADLINE" not in body and "draft body" not in body
    assert "/initiatives/ai-vision/#update-" in body


def test_initiative_feed_has_only_its_updates(client, world):
    body = text(client.get("/feeds/initiatives/cyber-shield/"))
    assert "No news for a year" in body and "Supercomputer" not in body
    assert client.get("/feeds/initiatives/nope/").status_code == 404


def test_feed_escapes_user_html(client):
    update = StatusUpdateFactory(headline="<b>bold</b>", body="<script>alert(1)</script>")
    body = text(client.get(f"/feeds/initiatives/{update.initiative.slug}/"))
    assert "<script>" not in body
    assert "&amp;lt;script&amp;gt;" in body  # escaped HTML inside the XML


# --- CSV exports -------------------------------------------------------------------------


def test_initiative_csv_is_streamed_filtered_and_neutralised(client, world):
    InitiativeFactory(title='=HYPERLINK("http://evil")', slug="evil", summary="@SUM(A1)")
    response = client.get("/initiatives.csv?kind=program")
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(streamed(response))))
    assert rows[0][:4] == ["slug", "title", "kind", "status"]
    by_slug = {row[0]: row for row in rows[1:]}
    assert set(by_slug) == {"ai-vision", "cyber-shield", "evil"}
    assert by_slug["evil"][1] == '\'=HYPERLINK("http://evil")'
    assert by_slug["evil"][11] == "'@SUM(A1)"
    assert by_slug["ai-vision"][3] == "in_progress"


def test_update_csv_uses_shared_columns_and_skips_drafts(client, world):
    from initiatives.csvformat import PUBLIC_COLUMNS

    StatusUpdateFactory(initiative=world["belt"], headline="=1+1", body="-2", reported_on=datetime.date(2025, 1, 1))
    response = client.get("/updates.csv")
    content = streamed(response)
    rows = list(csv.DictReader(io.StringIO(content)))
    assert list(rows[0].keys()) == PUBLIC_COLUMNS
    assert "SECRET DRAFT HEADLINE" not in content
    assert all(row["published"] == "true" for row in rows)
    evil = next(row for row in rows if row["initiative"] == "belt")
    assert evil["headline"] == "'=1+1" and evil["body"] == "'-2"
    adopted = next(row for row in rows if row["headline"] == "Vision adopted by decree")
    assert adopted["quotes"].startswith(f"{world['source'].slug} | ")


def test_update_csv_filters(client, world):
    rows = list(csv.DictReader(io.StringIO(streamed(client.get("/updates.csv?initiative=cyber-shield")))))
    assert [row["headline"] for row in rows] == ["No news for a year"]


# --- Time travel ----------------------------------------------------------------------


def test_as_of_shows_status_as_it_stood(client, world):
    body = text(client.get("/initiatives/ai-vision/?as_of=2024-08-01"))
    assert 'class="badge status-adopted"' in body.split('class="status-line"')[1][:200]
    assert "Supercomputer commissioned" not in body
    assert "as-of-banner" in body and "1 August 2024" in body
    assert 'href="?">Back to today' in body or "Back to today" in body
    # The overdue milestone was not yet due then.
    assert "flag-overdue" not in body


def test_as_of_applies_to_list_filters_and_dashboard(client, world):
    assert titles_in(client.get("/initiatives/?status=adopted&as_of=2024-08-01")) == ["AI Development Vision"]
    body = text(client.get("/?as_of=2024-08-01"))
    assert "as-of-banner" in body
    assert "?status=adopted&amp;as_of=2024-08-01" in body
    # Links keep the date.
    assert "/initiatives/ai-vision/?as_of=2024-08-01" in body


def test_as_of_before_its_first_evidence_says_not_yet_announced(client, world):
    response = client.get("/initiatives/ai-vision/?as_of=2023-01-01")
    body = text(response)
    assert response.status_code == 200
    assert "had not yet been announced on 1 January 2023" in body
    assert "Not yet assessed" not in body and "Vision adopted by decree" not in body


def test_bad_as_of_page_offers_the_same_page_for_today(client, world):
    body = text(client.get("/initiatives/?status=adopted&as_of=2024-02-30"))
    assert 'href="/initiatives/?status=adopted">Show this page for today' in body


def test_no_banner_without_as_of(client, world):
    assert "as-of-banner" not in text(client.get("/"))


@pytest.mark.parametrize(
    "bad", ["yesterday", "2024-13-01", "2024-1-1", "1800-01-01", "x" * 500, "2025-W01-1", "2025-001", "20250101"]
)
@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/initiatives/",
        "/initiatives/ai-vision/",
        "/updates/",
        "/about/",
        "/themes/ai/",
        "/organisations/mdd/",
        "/initiatives.csv",
        "/updates.csv",
        "/feeds/updates/",
        "/feeds/initiatives/ai-vision/",
    ],
)
def test_bad_as_of_is_400_with_message(client, world, url, bad):
    response = client.get(url, {"as_of": bad})
    assert response.status_code == 400
    assert "YYYY-MM-DD" in text(response)


# --- Junk input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "page=1000000000",
        "page=abc",
        "page=-1",
        "page=0",
        "q=" + "a" * 5000,
        "status=nonsense&kind=martian",
        "country=ZZ",
        "organisation=%00",
        "ordering=password",
        "stale=maybe",
        "theme=a&theme=b&theme=c",
        "%ff%fe=1",
        "reported_on_after=2024-99-99",
    ],
)
@pytest.mark.parametrize("path", ["/initiatives/", "/updates/", "/initiatives.csv", "/updates.csv"])
def test_junk_query_strings_never_500(client, world, path, query):
    response = client.get(f"{path}?{query}")
    assert response.status_code < 500
    assert response.status_code in (200, 400, 404)


def test_huge_page_number_shows_last_page(client, world):
    body = text(client.get("/initiatives/?page=1000000000"))
    assert "AI Development Vision" in body


def test_an_overlong_search_is_a_400_with_the_notice(client, world):
    response = client.get("/initiatives/", {"q": "z" * 5000})
    assert response.status_code == 400
    assert titles_in(response) == []
    assert "<strong>q</strong>" in text(response)


# --- Escaping -----------------------------------------------------------------------------


def test_user_text_is_escaped_everywhere(client):
    evil = "<script>alert('x')</script>"
    theme = ThemeFactory(name=evil, slug="evil-theme")
    initiative = InitiativeFactory(title=evil, slug="evil", summary=evil, description=evil)
    initiative.themes.add(theme)
    StatusUpdateFactory(initiative=initiative, headline=evil, body=evil, reported_on=TODAY)
    MilestoneFactory(initiative=initiative, title=evil, due_on=TODAY - datetime.timedelta(days=1))
    for url in [
        "/",
        "/initiatives/",
        "/initiatives/evil/",
        "/updates/",
        "/themes/evil-theme/",
        "/initiatives/?q=" + evil,
    ]:
        body = text(client.get(url))
        assert evil not in body, url
        assert "&lt;script&gt;" in body, url


def test_security_headers_on_pages(client, world):
    response = client.get("/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert 'style="' not in text(response) and "<style" not in text(response) and "<script" not in text(response)


# --- Query counts -----------------------------------------------------------------------


def build(n):
    """n initiatives, each with 3 published updates, a theme, an organisation, a country, a milestone,
    a relation to the previous one and a draft."""
    previous = None
    initiatives = []
    for i in range(n):
        initiative = InitiativeFactory(
            with_updates=3,
            with_relations=True,
            kind=InitiativeKind.PROGRAM if i % 2 else InitiativeKind.PROPOSAL,
            period_start=datetime.date(2024, 1, 1),
        )
        StatusUpdateFactory(initiative=initiative, published=False)
        if previous:
            InitiativeRelation.objects.create(
                from_initiative=initiative, to_initiative=previous, relation_type=RelationType.DEPENDS_ON
            )
        previous = initiative
        initiatives.append(initiative)
    return initiatives


# On a past date the banner's previous/next change dates: one aggregate each over
# initiatives, updates, sources and milestones (InitiativeQuerySet.change_dates_around),
# plus the data version that keys their cache entry.
AS_OF_BANNER_QUERIES = 5
# Measured: what each page costs, whatever the data size. Cached pages also read the
# data version that keys their cache entries (initiatives/cache.py): "version" below.
PAGE_QUERY_BUDGETS = {
    "dashboard": 8,  # version + grouped counts, recent, stale, overdue, upcoming, timeline programs + milestones
    # version + page count + rows + themes prefetch + one aggregate per facet (5; the theme facet
    # two: counted by id, then named; the organisation facet three: roles and responsible bodies
    # without a role counted by id, then their names) + flags
    "list": 13,
    "list-filtered": 16,  # the same, plus the slug lookups that validate theme filters
    # version + initiative + one prefetch per related table + the related initiatives' statuses
    "detail": 13,
    "updates": 4,  # version + count + rows + sources prefetch
    # Each page below is cached whole per data version (issue 16), so its render reads the
    # version first: one query in a process that has not read it since the last save.
    "organisation": 4,
    "theme": 3,
    "about": 2,
}


def page_url(name, initiatives):
    first = initiatives[0]
    return {
        "dashboard": "/",
        "list": "/initiatives/",
        "list-filtered": "/initiatives/?kind=program&status=in_progress&ordering=-last_update&theme="
        + first.themes.first().slug,
        "detail": first.get_absolute_url(),
        "updates": "/updates/?status=in_progress",
        "organisation": first.organisations.first().get_absolute_url(),
        "theme": first.themes.first().get_absolute_url(),
        "about": "/about/",
    }[name]


@pytest.mark.parametrize("n", [3, 30])
@pytest.mark.parametrize("name", list(PAGE_QUERY_BUDGETS))
def test_query_count_does_not_grow_with_data(client, django_assert_max_num_queries, name, n):
    """Guards against N+1: each page costs the same for 3 or 30 initiatives (with updates and relations)."""
    initiatives = build(n)
    url = page_url(name, initiatives)
    with django_assert_max_num_queries(PAGE_QUERY_BUDGETS[name]):
        response = client.get(url)
        assert response.status_code == 200


@pytest.mark.parametrize("n", [3, 30])
def test_query_count_with_as_of_does_not_grow(client, django_assert_max_num_queries, n):
    initiatives = build(n)
    with django_assert_max_num_queries(PAGE_QUERY_BUDGETS["detail"] + AS_OF_BANNER_QUERIES):
        assert client.get(initiatives[-1].get_absolute_url() + "?as_of=2024-02-15").status_code == 200
    with django_assert_max_num_queries(PAGE_QUERY_BUDGETS["list"] + AS_OF_BANNER_QUERIES):
        assert client.get("/initiatives/?as_of=2024-02-15").status_code == 200


def test_feeds_query_count_does_not_grow(client, django_assert_max_num_queries):
    initiatives = build(10)
    forget_data_version()  # as in a process that has not read it since the last save
    with django_assert_max_num_queries(2):  # the data version (feeds are cached whole) + the updates
        assert client.get("/feeds/updates/").status_code == 200
    forget_data_version()
    with django_assert_max_num_queries(3):
        assert client.get(f"/feeds/initiatives/{initiatives[0].slug}/").status_code == 200


def test_error_templates_render_without_a_request():
    """Django renders 500.html with an empty context: it must not need the request or as_of."""
    from django.template.loader import render_to_string

    for name in ("400.html", "404.html", "500.html"):
        html = render_to_string(name)
        assert 'class="site-header"' in html and "<h1" in html


def test_server_error_page_is_styled(client, settings):
    from django.test import Client

    settings.ROOT_URLCONF = "tests.test_pages"
    crashing = Client(raise_request_exception=False)
    response = crashing.get("/boom/")
    assert response.status_code == 500
    assert "Something went wrong" in text(response)


def _boom(request):
    raise RuntimeError("boom")


from django.urls import include, path  # noqa: E402

urlpatterns = [
    path("boom/", _boom),
    path("api/", include("initiatives.api.urls")),
    path("", include("initiatives.urls")),
]


def test_templates_have_no_inline_styles_or_scripts():
    """The Content-Security-Policy (default-src 'self') would block them."""
    from pathlib import Path

    from django.conf import settings

    for template in (Path(settings.BASE_DIR) / "templates").rglob("*.html"):
        if "admin" in template.parts:
            continue
        source = template.read_text()
        # A script from a file (<script src=...>) is allowed by the policy; inline code is not.
        inline_script = re.search(r"<script(?![^>]*\bsrc=)", source)
        assert "style=" not in source and "<style" not in source and not inline_script, template


def test_as_of_ignores_milestones_achieved_later(client):
    initiative = InitiativeFactory(slug="late", proposed_on=datetime.date(2024, 1, 1))
    MilestoneFactory(
        initiative=initiative,
        title="Law passed",
        due_on=datetime.date(2024, 6, 30),
        achieved_on=datetime.date(2025, 3, 1),
    )
    today = text(client.get("/initiatives/late/"))
    assert "flag-achieved" in today and "flag-overdue" not in today
    past = text(client.get("/initiatives/late/?as_of=2024-12-31"))
    assert "flag-overdue" in past and "flag-achieved" not in past
    # Only the banner's "Next change" link names the later date.
    assert "1 March 2025" not in without_banner(past)


def test_timeline_chart_lists_programs_and_milestones_in_its_table(client):
    program = InitiativeFactory(
        title="Digital Code",
        kind=InitiativeKind.PROGRAM,
        period_start=datetime.date(2024, 1, 1),
        period_start_precision="year",
    )
    MilestoneFactory(
        initiative=program, title="Code signed", due_on=datetime.date(2025, 6, 30), due_on_precision="month"
    )
    body = text(client.get("/"))
    chart = body.split('class="chart chart-timeline"')[1].split("</svg>")[0]
    assert "Digital Code" in chart and "Code signed" in chart
    table = body.split("Programs, their periods and milestones")[1].split("</table>")[0]
    assert "Digital Code" in table and "Code signed" in table and "June 2025" in table
