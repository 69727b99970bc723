"""Browsing: the organisation, theme and country index pages (counts by status, honouring
as_of) and the one definition of "the initiatives an organisation is involved in" that the
organisation page, the list's filter and the API share."""

import pytest

from initiatives.models import InitiativeOrganisation
from initiatives.vocabularies import Role
from tests.factories import InitiativeFactory, OrganisationFactory, StatusUpdateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def involved():
    """An organisation leading one initiative and only the responsible body of another."""
    ministry = OrganisationFactory(name="Ministry of Digital Development", slug="mdd")
    led = InitiativeFactory(title="Led by the ministry", slug="led")
    InitiativeOrganisation.objects.create(initiative=led, organisation=ministry, role=Role.LEAD)
    InitiativeFactory(title="Ministry responsible", slug="responsible", responsible_body=ministry)
    both = InitiativeFactory(title="Both at once", slug="both", responsible_body=ministry)
    InitiativeOrganisation.objects.create(initiative=both, organisation=ministry, role=Role.PARTNER)
    InitiativeFactory(title="Someone else's", slug="other")
    return ministry


def slugs(rows):
    return sorted({row["slug"] for row in rows})


def test_responsible_body_without_a_role_is_on_the_page_the_filter_and_the_api_alike(client, involved):
    expected = ["both", "led", "responsible"]
    page = client.get("/organisations/mdd/").content.decode()
    assert all(f"/initiatives/{slug}/" in page for slug in expected)
    assert "/initiatives/other/" not in page
    assert "Responsible body" in page

    listed = client.get("/api/initiatives/?organisation=mdd").json()["results"]
    assert slugs(listed) == expected
    detail = client.get("/api/organisations/mdd/").json()["initiatives"]
    assert slugs(detail) == expected
    assert sorted((row["slug"], row["role"]) for row in detail) == [
        ("both", "partner"),
        ("both", "responsible_body"),
        ("led", "lead"),
        ("responsible", "responsible_body"),
    ]
    html_list = client.get("/initiatives/?organisation=mdd").content.decode()
    assert all(f"/initiatives/{slug}/" in html_list for slug in expected)


def test_organisation_facet_counts_what_the_filter_gives(client, involved):
    response = client.get("/initiatives/")
    facet = next(facet for facet in response.context["facets"] if facet["key"] == "organisation")
    counts = {value["value"]: value["count"] for value in facet["values"]}
    assert counts["mdd"] == 3


def test_updates_filtered_by_organisation_include_the_responsible_bodys(client, involved):
    StatusUpdateFactory(initiative=InitiativeFactory._meta.model.objects.get(slug="responsible"))
    rows = client.get("/api/status-updates/?organisation=mdd").json()["results"]
    assert [row["initiative"]["slug"] for row in rows] == ["responsible"]
