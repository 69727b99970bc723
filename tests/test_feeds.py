"""Atom feeds per theme and organisation, and RFC 4287 validity of every feed:
author, unique tag: (RFC 4151) entry ids, required elements, RFC 3339 dates."""

import datetime
import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest

from initiatives.models import InitiativeOrganisation
from initiatives.vocabularies import Role

from .factories import InitiativeFactory, OrganisationFactory, StatusUpdateFactory, ThemeFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
# RFC 4151: tag:<DNS name or email>,<YYYY[-MM[-DD]]>:<specific>
TAG_URI = re.compile(
    r"\Atag:(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|[^@\s]+@[^@\s]+),"
    r"\d{4}(?:-\d{2}(?:-\d{2})?)?:[\w.~!$&'()*+,;=:@/?-]*\Z",
    re.IGNORECASE,
)
RFC3339 = re.compile(r"\A\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})\Z")


def is_absolute_iri(value):
    parts = urlsplit(value)
    return bool(parts.scheme) and (bool(parts.netloc) or parts.scheme in ("tag", "urn"))


def validate_atom(xml_bytes):
    """The RFC 4287 MUSTs a feed reader relies on; returns the entries' ids."""
    feed = ET.fromstring(xml_bytes)
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert len(feed.findall(f"{ATOM}{name}")) == 1, f"atom:feed needs exactly one atom:{name}"
    assert is_absolute_iri(feed.findtext(f"{ATOM}id"))
    assert RFC3339.match(feed.findtext(f"{ATOM}updated"))
    feed_has_author = feed.find(f"{ATOM}author/{ATOM}name") is not None
    assert feed.find(f"{ATOM}link[@rel='self']") is not None
    ids = []
    for entry in feed.findall(f"{ATOM}entry"):
        for name in ("id", "title", "updated"):
            assert len(entry.findall(f"{ATOM}{name}")) == 1, f"atom:entry needs exactly one atom:{name}"
        entry_id = entry.findtext(f"{ATOM}id")
        assert TAG_URI.match(entry_id), f"entry id {entry_id!r} is not a tag: URI"
        assert RFC3339.match(entry.findtext(f"{ATOM}updated"))
        published = entry.findtext(f"{ATOM}published")
        assert published is None or RFC3339.match(published)
        assert feed_has_author or entry.find(f"{ATOM}author/{ATOM}name") is not None, "no atom:author"
        alternate = entry.find(f"{ATOM}link[@rel='alternate']")
        assert alternate is not None and is_absolute_iri(alternate.get("href"))
        # An entry without atom:content needs an atom:summary (RFC 4287 4.1.2).
        assert entry.find(f"{ATOM}content") is not None or entry.find(f"{ATOM}summary") is not None
        ids.append(entry_id)
    assert len(ids) == len(set(ids)), "entry ids repeat"
    return ids


@pytest.fixture
def world():
    theme, other_theme = ThemeFactory(name="Connectivity"), ThemeFactory()
    ministry, other = OrganisationFactory(name="Ministry of Digital Development"), OrganisationFactory()
    led = InitiativeFactory(title="Rural broadband", responsible_body=ministry)
    led.themes.add(theme)
    partnered = InitiativeFactory(title="Open data portal")
    InitiativeOrganisation.objects.create(initiative=partnered, organisation=ministry, role=Role.PARTNER)
    elsewhere = InitiativeFactory(title="Elsewhere")
    elsewhere.themes.add(other_theme)
    updates = {
        "led": StatusUpdateFactory(initiative=led, headline="Fibre reached 500 villages"),
        "partnered": StatusUpdateFactory(initiative=partnered, headline="Portal opened"),
        "elsewhere": StatusUpdateFactory(initiative=elsewhere, headline="Unrelated news"),
        "draft": StatusUpdateFactory(initiative=led, headline="Draft never shown", published=False),
    }
    return {"theme": theme, "ministry": ministry, "other": other, "updates": updates}


def test_a_theme_feed_has_the_updates_of_its_initiatives(client, world):
    response = client.get(f"/feeds/themes/{world['theme'].slug}/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert "Fibre reached 500 villages" in body
    assert "Portal opened" not in body and "Unrelated news" not in body and "Draft never shown" not in body
    assert validate_atom(response.content) == [f"tag:localhost,2025:status-update/{world['updates']['led'].pk}"]
    assert client.get("/feeds/themes/no-such-theme/").status_code == 404


def test_an_organisation_feed_has_the_updates_it_leads_or_takes_part_in(client, world):
    response = client.get(f"/feeds/organisations/{world['ministry'].slug}/")
    body = response.content.decode()
    assert "Fibre reached 500 villages" in body and "Portal opened" in body
    assert "Unrelated news" not in body and "Draft never shown" not in body
    assert len(validate_atom(response.content)) == 2
    empty = client.get(f"/feeds/organisations/{world['other'].slug}/")
    assert validate_atom(empty.content) == []


def test_every_feed_is_valid_atom_with_stable_tag_ids_in_every_language(client, world):
    theme, ministry = world["theme"].slug, world["ministry"].slug
    update = world["updates"]["led"]
    for prefix in ("", "/ru", "/kk"):
        for path in (
            "/feeds/updates/",
            f"/feeds/initiatives/{update.initiative.slug}/",
            f"/feeds/themes/{theme}/",
            f"/feeds/organisations/{ministry}/",
        ):
            response = client.get(prefix + path)
            assert response.status_code == 200, prefix + path
            assert f"tag:localhost,2025:status-update/{update.pk}" in validate_atom(response.content)
            assert b"<author><name>" in response.content


def test_the_pages_link_their_feeds(client, world):
    assert f"/feeds/themes/{world['theme'].slug}/".encode() in client.get(f"/themes/{world['theme'].slug}/").content
    page = client.get(f"/organisations/{world['ministry'].slug}/")
    assert f"/feeds/organisations/{world['ministry'].slug}/".encode() in page.content


def test_updated_dates_are_rfc_3339(client):
    StatusUpdateFactory(reported_on=datetime.date(2024, 2, 29))
    validate_atom(client.get("/feeds/updates/").content)
