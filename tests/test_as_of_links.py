"""Time travel is kept while a reader follows links (issue 13): on a past ``as_of`` page,
every internal link and GET form that leads to a page, feed, CSV or API endpoint that
takes ``as_of`` keeps the same date. Walks the dataset's pages in the three languages."""

import datetime
from html.parser import HTMLParser
from pprint import pformat
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import Resolver404, resolve, reverse

from initiatives.models import Initiative, Organisation, Source, Theme
from initiatives.timetravel import AS_OF_PARAM, AsOf

pytestmark = pytest.mark.django_db

PAST = datetime.date(2025, 6, 30)
# Routes that show no dated state: an update's revision history, the API's schema and docs.
TIMELESS_ROUTES = {"initiatives:update-revisions", "api:schema", "api:docs"}
# The banner's links that move in time on purpose: back to today, to the neighbouring change dates.
LEAVES_THE_DATE = "as-of-today"
MOVES_THE_DATE = {"prev", "next"}


class Links(HTMLParser):
    """Every <a> and <link> with an href, and every GET <form>'s action with its field names."""

    def __init__(self):
        super().__init__()
        self.links = []
        self.forms = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("a", "link") and attrs.get("href"):
            self.links.append(attrs)
        elif tag == "form" and attrs.get("method", "get").lower() == "get":
            self.forms.append({"action": attrs.get("action") or "", "fields": set()})
        elif tag == "input" and self.forms and attrs.get("name"):
            self.forms[-1]["fields"].add(attrs["name"])


def takes_as_of(path):
    """Whether ``path`` is one of ours that shows the state on a date."""
    try:
        match = resolve(path)
    except Resolver404:
        return False
    if match.namespace not in ("initiatives", "api"):
        return False
    return f"{match.namespace}:{match.url_name}" not in TIMELESS_ROUTES


def links_dropping_as_of(html, page_path):
    parser = Links()
    parser.feed(html)
    dropped = []
    for link in parser.links:
        href = link["href"]
        parts = urlsplit(href)
        if (parts.netloc and parts.netloc != "testserver") or href.startswith("#"):
            continue
        if LEAVES_THE_DATE in link.get("class", "").split() or not takes_as_of(parts.path or page_path):
            continue
        dates = parse_qs(parts.query).get(AS_OF_PARAM)
        if dates != [PAST.isoformat()] and not (dates and set(link.get("rel", "").split()) & MOVES_THE_DATE):
            dropped.append(href)
    for form in parser.forms:
        path = urlsplit(form["action"]).path or page_path
        if takes_as_of(path) and AS_OF_PARAM not in form["fields"]:
            dropped.append(f"form -> {form['action'] or page_path}")
    return dropped


@pytest.fixture
def dataset():
    call_command("load_dataset", verbosity=0)


def pages():
    initiative = Initiative.objects.announced(PAST).filter(updates__isnull=False).order_by("pk").first()
    organisation = Organisation.objects.filter(responsible_for=initiative).first() or Organisation.objects.first()
    source = Source.objects.as_of(PAST).order_by("pk").first()
    return [
        reverse("initiatives:dashboard"),
        reverse("initiatives:initiative-list"),
        reverse("initiatives:initiative-list") + "?kind=program&ordering=-last_update&page=1",
        initiative.get_absolute_url(),
        organisation.get_absolute_url(),
        Theme.objects.order_by("pk").first().get_absolute_url(),
        source.get_absolute_url(),
        reverse("initiatives:source-list"),
        reverse("initiatives:update-list"),
        reverse("initiatives:changes"),
        reverse("initiatives:data"),
        reverse("initiatives:organisation-list"),
        reverse("initiatives:theme-list"),
        reverse("initiatives:country-list"),
        reverse("initiatives:about"),
    ]


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_every_link_on_a_past_date_page_keeps_the_date(client, dataset, language):
    dropped = {}
    for path in pages():
        url = path if language == "en" else f"/{language}{path}"
        separator = "&" if "?" in url else "?"
        response = client.get(f"{url}{separator}{AS_OF_PARAM}={PAST.isoformat()}")
        assert response.status_code == 200, url
        found = links_dropping_as_of(response.content.decode(), urlsplit(url).path)
        if found:
            dropped[url] = found
    assert not dropped, pformat(dropped)


def test_the_walk_catches_a_link_that_drops_the_date():
    html = (
        '<a href="/initiatives/?kind=program">x</a><a href="/about/?as_of=2025-06-30">y</a><a href="#top">z</a>'
        '<a href="?">today</a><a class="as-of-today" href="?">today</a><a rel="prev" href="?as_of=2025-01-01">p</a>'
        '<form action="/updates/"><input name="q"></form><a href="/admin/">admin</a>'
    )
    assert links_dropping_as_of(html, "/") == ["/initiatives/?kind=program", "?", "form -> /updates/"]


def test_the_api_root_keeps_the_date_in_its_links(client):
    links = client.get("/api/", {AS_OF_PARAM: PAST.isoformat()}).json()
    assert links["initiatives"].endswith(f"/api/initiatives/?{AS_OF_PARAM}={PAST.isoformat()}")
    assert all(parse_qs(urlsplit(url).query)[AS_OF_PARAM] == [PAST.isoformat()] for url in links.values())
    assert client.get("/api/").json()["initiatives"].endswith("/api/initiatives/")
    assert client.get("/api/", {AS_OF_PARAM: "2025-13-01"}).status_code == 400


def test_as_of_keeps_the_date_before_a_fragment_and_after_a_query():
    as_of = AsOf(PAST)
    assert as_of.keep("/initiatives/x/#update-3") == "/initiatives/x/?as_of=2025-06-30#update-3"
    assert as_of.keep("/initiatives/?kind=program") == "/initiatives/?kind=program&as_of=2025-06-30"
    assert AsOf().keep("/initiatives/#top") == "/initiatives/#top"
    assert not AsOf() and AsOf().is_today and AsOf().query == {}


def test_as_of_is_read_once_per_request_and_a_bad_date_is_refused_each_time(rf):
    request = rf.get("/", {AS_OF_PARAM: PAST.isoformat()})
    assert AsOf.of(request) is AsOf.of(request)
    assert AsOf.of(request).date == PAST
    bad = rf.get("/", {AS_OF_PARAM: "2025-W01-1"})
    for _ in range(2):
        with pytest.raises(ValidationError):
            AsOf.of(bad)
