"""Cite, download, compare and embed (issue 18): the citation formats and the pinned
permalink, the Frictionless data package (validated), JSON-LD, what changed between two
dates, the badge and the frameable card, and the index pages on a past date."""

import csv
import datetime
import io
import json
import re
import zipfile

import pytest
from frictionless import Package
from pyld import jsonld

from initiatives.models import InitiativeOrganisation
from initiatives.vocabularies import InitiativeKind, Role, Status
from tests.factories import (
    SOURCE_QUOTE,
    CitationFactory,
    InitiativeFactory,
    MilestoneFactory,
    OrganisationFactory,
    SourceFactory,
    StatusUpdateFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

START = datetime.date(2025, 1, 1)
END = datetime.date(2025, 6, 30)
PERIOD = f"from={START}&to={END}"


@pytest.fixture
def period():
    """One of each kind of change between START and END, and near-misses of each."""
    ai = ThemeFactory(name="Artificial intelligence", slug="ai")
    source = SourceFactory(title="Ministry report", url="https://example.org/report", reference="seed-02.md")
    changed = InitiativeFactory(title="Changed program", slug="changed", kind=InitiativeKind.PROGRAM)
    changed.themes.add(ai)
    StatusUpdateFactory(initiative=changed, reported_on=datetime.date(2024, 6, 1), status=Status.ADOPTED, progress=10)
    update = StatusUpdateFactory(
        initiative=changed,
        reported_on=datetime.date(2025, 3, 1),
        status=Status.IN_PROGRESS,
        progress=40,
        headline="Work began",
    )
    CitationFactory(update=update, source=source)
    # Re-affirmed, same status and progress: not a change.
    steady = InitiativeFactory(title="Steady program", slug="steady")
    StatusUpdateFactory(initiative=steady, reported_on=datetime.date(2024, 6, 1), status=Status.ADOPTED, progress=None)
    StatusUpdateFactory(initiative=steady, reported_on=datetime.date(2025, 2, 1), status=Status.ADOPTED, progress=None)
    # Proposed inside the period: a first announcement (its first update the same day).
    announced = InitiativeFactory(
        title="New proposal", slug="announced", kind=InitiativeKind.PROPOSAL, proposed_on=datetime.date(2025, 4, 10)
    )
    # Later than the period: neither announced nor changed.
    StatusUpdateFactory(initiative=InitiativeFactory(slug="later"), reported_on=datetime.date(2025, 9, 1))
    MilestoneFactory(
        initiative=changed,
        title="Law passed",
        due_on=datetime.date(2025, 12, 31),
        achieved_on=datetime.date(2025, 5, 5),
    )
    MilestoneFactory(initiative=changed, title="Portal live", due_on=datetime.date(2025, 2, 28))
    # Overdue before the period started, and achieved before it: neither counts.
    MilestoneFactory(initiative=steady, title="Old target", due_on=datetime.date(2024, 3, 31))
    MilestoneFactory(
        initiative=steady,
        title="Done long ago",
        due_on=datetime.date(2024, 3, 31),
        achieved_on=datetime.date(2024, 1, 1),
    )
    return {"changed": changed, "announced": announced, "update": update, "source": source}


# --- What changed between two dates ------------------------------------------------------


def test_each_kind_of_change_is_found_and_counted_once(client, period):
    response = client.get(f"/changes/?{PERIOD}")
    assert response.status_code == 200
    data = response.context["changes"]
    assert data["totals"] == {"status_changes": 1, "announced": 1, "milestones_achieved": 1, "milestones_overdue": 1}
    (change,) = data["sections"]["status_changes"]
    assert change["initiative"]["slug"] == "changed"
    assert (change["from_status"], change["to_status"]) == (Status.ADOPTED, Status.IN_PROGRESS)
    assert (change["from_progress"], change["to_progress"]) == (10, 40)
    assert change["update"]["headline"] == "Work began"
    assert change["update"]["sources"][0]["title"] == "Ministry report"
    assert change["update"]["sources"][0]["quote"] == SOURCE_QUOTE
    assert [entry["initiative"]["slug"] for entry in data["sections"]["announced"]] == ["announced"]
    assert [entry["title"] for entry in data["sections"]["milestones_achieved"]] == ["Law passed"]
    assert [entry["title"] for entry in data["sections"]["milestones_overdue"]] == ["Portal live"]
    groups = {(group["group"], group["code"]): group["counts"] for group in data["groups"]}
    assert groups["kind", "program"] == {
        "status_changes": 1,
        "announced": 0,
        "milestones_achieved": 1,
        "milestones_overdue": 1,
    }
    assert groups["kind", "proposal"]["announced"] == 1
    assert groups["theme", "ai"]["status_changes"] == 1
    page = response.content.decode()
    assert "Work began" in page and "Ministry report" in page and SOURCE_QUOTE in page
    assert "seed" not in page.lower()


def test_a_change_links_its_evidence_to_the_archived_passage(client, period):
    """The source is cited by its archived page, at the quoted paragraph, as of the period's
    end; not by the external address, which may change or vanish."""
    citation = period["update"].citations.get()
    passage = f"/sources/{period['source'].slug}/?as_of={END}&citation={citation.pk}#p-{citation.paragraph}"
    page = client.get(f"/changes/?{PERIOD}").content.decode()
    assert f'href="{passage.replace("&", "&amp;")}"' in page
    assert "https://example.org/report" not in page
    assert client.get(passage.split("#")[0]).status_code == 200
    rows = list(csv.DictReader(io.StringIO(b"".join(client.get(f"/changes.csv?{PERIOD}").streaming_content).decode())))
    (change,) = [row for row in rows if row["change"] == "status_changes"]
    assert change["sources"] == f"http://testserver{passage}"


def test_a_change_leaves_out_a_source_published_after_the_period(client, period):
    later = SourceFactory(title="Annual review", published_on=datetime.date(2025, 9, 1))
    CitationFactory(update=period["update"], source=later)
    page = client.get(f"/changes/?{PERIOD}").content.decode()
    assert "Work began" in page and "Annual review" not in page


def test_changes_filter_like_the_list(client, period):
    data = client.get(f"/changes/?{PERIOD}&kind=proposal").context["changes"]
    assert data["totals"] == {"status_changes": 0, "announced": 1, "milestones_achieved": 0, "milestones_overdue": 0}
    data = client.get(f"/changes/?{PERIOD}&theme=ai").context["changes"]
    assert data["totals"]["status_changes"] == 1 and data["totals"]["announced"] == 0


def test_api_and_csv_give_the_same_changes(client, period):
    data = client.get(f"/api/changes/?{PERIOD}").json()
    assert data["from"] == str(START) and data["to"] == str(END)
    assert data["totals"]["status_changes"] == 1
    change = data["status_changes"][0]
    assert change["update"]["sources"][0]["external_url"] == "https://example.org/report"
    assert change["initiative"]["html_url"].endswith(f"/initiatives/changed/?as_of={END}")
    assert "reference" not in json.dumps(data)
    response = client.get(f"/changes.csv?{PERIOD}")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert sorted(row["change"] for row in rows) == sorted(
        ["status_changes", "announced", "milestones_achieved", "milestones_overdue"]
    )


@pytest.mark.parametrize(
    "query",
    [
        "from=2025-13-01",
        "to=yesterday",
        "from=2025-06-30&to=2025-01-01",
        "from=2025-01-01&to=2025-01-01",
        "from=1980-01-01",
        f"{PERIOD}&status=nonsense",
    ],
)
def test_bad_dates_or_filters_are_a_400(client, period, query):
    assert client.get(f"/changes/?{query}").status_code == 400
    assert client.get(f"/changes.csv?{query}").status_code == 400
    response = client.get(f"/api/changes/?{query}")
    assert response.status_code == 400 and response.json()


@pytest.mark.parametrize("extra", [0, 12])
def test_changes_cost_the_same_queries_whatever_the_size(client, period, django_assert_num_queries, extra):
    for n in range(extra):
        initiative = InitiativeFactory(slug=f"more-{n}", proposed_on=datetime.date(2025, 2, 2))
        CitationFactory(
            update=StatusUpdateFactory(initiative=initiative, reported_on=datetime.date(2025, 3, 3)),
            source=period["source"],
        )
        initiative.themes.add(*period["changed"].themes.all())
        MilestoneFactory(initiative=initiative, due_on=datetime.date(2025, 3, 31))
    # 4 sections x (list, by kind, by theme), the changing updates and their citations, the listed
    # initiatives' themes, theme names for the counts and the form, and the data version read by each
    # of the two cached parts (the data, the rendered lists): 18 whatever the number of initiatives.
    with django_assert_num_queries(18):
        assert client.get(f"/changes/?{PERIOD}").status_code == 200


# --- Cite this -------------------------------------------------------------------------------


def test_cite_box_formats_and_downloads(client, period):
    page = client.get("/initiatives/changed/?as_of=2025-06-30").content.decode()
    assert "Cite this page" in page
    assert "http://testserver/initiatives/changed/?as_of=2025-06-30" in page
    assert "Policy-initiative tracker. (2025, March 1). Changed program [Status as of 2025-06-30: In progress]." in page
    assert "“Changed program.” Policy-initiative tracker. Last modified March 1, 2025. Accessed" in page
    bib = client.get("/initiatives/changed/cite.bib?as_of=2025-06-30")
    assert bib["Content-Type"].startswith("application/x-bibtex")
    text = bib.content.decode()
    assert text.startswith("@misc{changed-2025-06-30,")
    assert "url = {http://testserver/initiatives/changed/?as_of=2025-06-30}" in text
    (item,) = client.get("/initiatives/changed/cite.json?as_of=2025-06-30").json()
    assert item["type"] == "webpage" and item["title"] == "Changed program"
    assert item["issued"] == {"date-parts": [[2025, 3, 1]]}
    assert item["URL"].endswith("?as_of=2025-06-30")
    detail = client.get("/api/initiatives/changed/?as_of=2025-06-30").json()
    assert detail["citation"]["permalink"] == item["URL"]
    assert detail["citation"]["csl_json"]["title"] == "Changed program"


def test_bibtex_escapes_latex_specials(client):
    InitiativeFactory(slug="odd", title="R&D 100% {fast}")
    text = client.get("/initiatives/odd/cite.bib").content.decode()
    assert r"R\&D 100\% \{fast\}" in text


def test_pinned_permalink_renders_the_same_status_after_later_updates(client, period):
    response = client.get("/initiatives/changed/")
    permalink = re.search(r'id="cite-permalink"[^>]*value="([^"]+)"', response.content.decode()).group(1)
    assert f"as_of={datetime.date.today()}" in permalink
    assert response.context["initiative"].current_status == Status.IN_PROGRESS
    StatusUpdateFactory(
        initiative=period["changed"], reported_on=datetime.date.today() + datetime.timedelta(1), status=Status.COMPLETED
    )
    pinned = client.get(permalink.removeprefix("http://testserver"))
    assert pinned.context["initiative"].current_status == Status.IN_PROGRESS
    assert client.get("/initiatives/changed/?as_of=2030-01-01").context["initiative"].current_status == "completed"


# --- Open data -----------------------------------------------------------------------------


def package(client, query=""):
    response = client.get(f"/data/tracker-data.zip{query}")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.content))


@pytest.mark.parametrize("query", ["", "?as_of=2025-03-15"])
def test_data_package_validates_with_frictionless(client, period, tmp_path, query):
    archive = package(client, query)
    archive.extractall(tmp_path)
    descriptor = json.loads((tmp_path / "datapackage.json").read_text())
    report = Package(str(tmp_path / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert {resource["name"] for resource in descriptor["resources"]} >= {
        "initiatives",
        "status-updates",
        "citations",
        "milestones",
        "organisations",
        "organisation-roles",
        "themes",
        "sources",
        "relations",
        "links",
    }
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert descriptor["as_of"] == (query.removeprefix("?as_of=") or str(datetime.date.today()))
    status = next(f for f in descriptor["resources"][0]["schema"]["fields"] if f["name"] == "status")
    assert status["constraints"]["enum"] == list(Status.values)
    assert "Implementation under way." in status["description"]
    csv_text = "".join(archive.read(name).decode() for name in archive.namelist() if name.endswith(".csv"))
    assert "seed" not in csv_text.lower(), [line for line in csv_text.splitlines() if "seed" in line.lower()]
    assert "reference" not in archive.read("sources.csv").decode().splitlines()[0]


def test_data_package_on_a_past_date_leaves_out_what_came_later(client, period):
    archive = package(client, "?as_of=2025-03-15")
    updates = archive.read("status-updates.csv").decode()
    assert "Work began" in updates and "2025-09-01" not in updates
    initiatives = {row["slug"]: row for row in csv.DictReader(io.StringIO(archive.read("initiatives.csv").decode()))}
    assert initiatives["changed"]["status"] == "in_progress"
    milestones = {row["title"]: row for row in csv.DictReader(io.StringIO(archive.read("milestones.csv").decode()))}
    assert milestones["Law passed"]["achieved"] == "false" and milestones["Law passed"]["achieved_on"] == ""


def test_data_page_documents_every_file_and_the_licence(client, period):
    page = client.get("/data/").content.decode()
    for name in ("initiatives.csv", "status-updates.csv", "citations.csv", "milestones.csv", "links.csv"):
        assert name in page
    assert "has_overdue_milestones" in page and "Creative Commons Attribution 4.0" in page
    assert "Creative Commons Attribution 4.0" in client.get("/about/").content.decode()


def document_loader(url, options=None):
    """schema.org's context, offline: every term in its vocabulary."""
    assert url.rstrip("/") in ("https://schema.org", "http://schema.org"), url
    return {
        "contentType": "application/ld+json",
        "contextUrl": None,
        "documentUrl": url,
        "document": {"@context": {"@vocab": "https://schema.org/"}},
    }


def json_ld_blocks(html):
    return [
        json.loads(block) for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    ]


@pytest.mark.parametrize("url", ["/initiatives/changed/", "/initiatives/changed/?as_of=2025-03-15", "/data/"])
def test_json_ld_parses(client, period, url):
    (block,) = json_ld_blocks(client.get(url).content.decode())
    expanded = jsonld.expand(block, {"documentLoader": document_loader})
    types = {t for node in expanded for t in node.get("@type", [])}
    assert types & {"https://schema.org/WebPage", "https://schema.org/Dataset"}
    if url == "/data/":
        assert expanded[0]["https://schema.org/distribution"]
    else:
        assert expanded[0]["https://schema.org/name"][0]["@value"] == "Changed program"


# --- Embeds ------------------------------------------------------------------------------------


def test_badge_is_an_accessible_cacheable_svg(client, period):
    response = client.get("/initiatives/changed/badge.svg?as_of=2025-03-15")
    assert response["Content-Type"].startswith("image/svg+xml")
    assert "public" in response["Cache-Control"] and "max-age=86400" in response["Cache-Control"]
    assert response.has_header("ETag")
    svg = response.content.decode()
    assert 'role="img"' in svg and "<title" in svg and "In progress" in svg
    assert client.get("/initiatives/changed/badge.svg", HTTP_IF_NONE_MATCH=response["ETag"]).status_code in (200, 304)
    assert client.get("/initiatives/nothing/badge.svg").status_code == 404


def test_only_the_embed_may_be_framed(client, period):
    embed = client.get("/embed/initiatives/changed/")
    assert embed.status_code == 200
    assert "frame-ancestors *" in embed["Content-Security-Policy"]
    assert not embed.has_header("X-Frame-Options")
    for url in ("/initiatives/changed/", "/changes/", "/data/", "/organisations/"):
        response = client.get(url)
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"], url
        assert response["X-Frame-Options"] == "DENY", url


def test_initiative_page_offers_the_snippets_and_the_changes_link(client, period):
    page = client.get("/initiatives/changed/?as_of=2025-03-15").content.decode()
    assert "http://testserver/initiatives/changed/badge.svg?as_of=2025-03-15" in page
    assert "http://testserver/embed/initiatives/changed/?as_of=2025-03-15" in page
    assert "/changes/?from=2025-03-15" in page


# --- Index pages ----------------------------------------------------------------------------------


def test_index_pages_honour_as_of(client, period):
    ministry = OrganisationFactory(name="Digital ministry", slug="ministry")
    InitiativeOrganisation.objects.create(initiative=period["changed"], organisation=ministry, role=Role.LEAD)
    period["changed"].countries.create(country="KZ")
    for url, name in (
        ("/organisations/", "Digital ministry"),
        ("/themes/", "Artificial intelligence"),
        ("/countries/", "Kazakhstan"),
    ):
        past = client.get(f"{url}?as_of=2024-12-31")
        row = next(row for row in past.context["rows"] if str(row["name"]) == name)
        assert {s["code"]: s["count"] for s in row["statuses"] if s["count"]} == {"adopted": 1}, url
        today = client.get(url)
        row = next(row for row in today.context["rows"] if str(row["name"]) == name)
        assert {s["code"]: s["count"] for s in row["statuses"] if s["count"]} == {"in_progress": 1}, url
        assert f'href="{url}' in today.content.decode()  # linked from the navigation
    assert client.get("/themes/?as_of=junk").status_code == 400
