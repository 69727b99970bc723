"""Readers see a publication, not our workshop: a crawl of every public page,
feed, CSV and API list of the loaded dataset, in English, Russian and Kazakh,
finds no "seed" wording and no working file name (e.g. 001_ac6d1ebba44872c1).

The crawl follows the site's own links from the dashboard, /sources/ and the
API lists, so a new page is covered as soon as something links to it.
"""

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

LANGUAGE_PREFIXES = ["", "/ru", "/kk"]
API_LISTS = ["initiatives", "status-updates", "milestones", "organisations", "themes", "sources"]
# "seed" as a word in any inflection the dataset's notes use ("seed", "seeds", "seed's"),
# and the working copies' file names: three digits, an underscore and a hex digest.
WORKSHOP_WORDING = re.compile(r"\bseeds?\b|\b\d{3}_[0-9a-f]{16}(?:\.txt)?\b", re.IGNORECASE)
# Pages of the public site; the admin and the query-string variants of lists are not crawled.
# API resources are reached from the API lists (below), not from the pages' links.
SKIPPED_PREFIXES = ("/admin/", "/i18n/", "/static/", "/api/")
# Resources whose detail adds text to its list row: read once each, in English.
API_DETAILS = re.compile(r"/api/(initiatives|organisations|themes|sources)/[\w-]+/")
MAX_PAGES = 1500
TEXT_TYPES = ("text/", "application/json", "application/atom+xml", "application/xml", "application/rss+xml")


class LinkParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.links.extend(value for name, value in attrs if name == "href" and value)


def internal_path(base, href):
    url = urlsplit(urljoin(base, href))
    if url.netloc not in ("", "testserver") or url.query:
        return None
    if url.path.startswith(SKIPPED_PREFIXES):
        return None
    return url.path


def body(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8")
    return response.content.decode("utf-8")


def crawl(client):
    """{path: text} for every public page reachable from the starting points."""
    start = []
    for prefix in LANGUAGE_PREFIXES:
        start += [f"{prefix}/", f"{prefix}/sources/", f"{prefix}/about/", f"{prefix}/updates/"]
        start += [f"{prefix}/feeds/updates/", f"{prefix}/initiatives.csv", f"{prefix}/updates.csv"]
    for language in ("en", "ru", "kk"):
        start += [f"/api/{name}/?lang={language}&page_size=100" for name in API_LISTS]
    pages, queue = {}, list(start)
    while queue and len(pages) < MAX_PAGES:
        path = queue.pop(0)
        if path in pages:
            continue
        response = client.get(path)
        assert response.status_code == 200, path
        if not response["Content-Type"].startswith(TEXT_TYPES):
            continue  # a packaged download (e.g. a zip): its CSV and JSON are served as text too
        text = pages[path] = body(response)
        if response["Content-Type"].startswith("text/html"):
            parser = LinkParser()
            parser.feed(text)
            queue += [link for href in parser.links if (link := internal_path(path, href)) and link not in pages]
        elif response["Content-Type"].startswith("application/json"):
            for url in re.findall(r'"url":\s*"(http://testserver[^"]+)"', text):
                link = urlsplit(url).path
                if API_DETAILS.fullmatch(link) and link not in pages:
                    queue.append(link)
    return pages


def test_no_public_page_says_seed_or_names_a_working_file(client):
    call_command("load_dataset", verbosity=0)
    pages = crawl(client)

    assert len(pages) < MAX_PAGES, f"the crawl stopped early: {sorted(pages)[-40:]}"
    for prefix in LANGUAGE_PREFIXES:
        for kind in ("initiatives", "sources", "organisations", "themes"):
            assert any(re.fullmatch(rf"{prefix}/{kind}/[\w-]+/", path) for path in pages), (prefix, kind)
    assert any(API_DETAILS.fullmatch(path) and "/sources/" in path for path in pages)

    found = {
        path: sorted({match.group(0) for match in WORKSHOP_WORDING.finditer(text)})
        for path, text in pages.items()
        if WORKSHOP_WORDING.search(text)
    }
    occurrences = sum(len(WORKSHOP_WORDING.findall(text)) for text in pages.values())
    # EXPECTED TO FAIL until the data engineer's rewritten fixtures/dataset.json lands: its
    # notes, descriptions and texts still say "seed 000" and the like. The code no longer
    # shows a source's internal reference (the file name) anywhere public. Do not weaken.
    assert not found, f"{occurrences} occurrences on {len(found)} of {len(pages)} pages: " + "; ".join(
        f"{path}: {', '.join(words)}" for path, words in sorted(found.items())[:20]
    )
