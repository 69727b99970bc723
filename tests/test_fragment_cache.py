"""Initiative cards, the list's facet sections and the dashboard's timeline kept for
what they show (cache.cached_fragments, {% initiative_cards %}, {% facet_sections %},
{% timeline_figure %}): after an analyst's save every page is rendered again, but of a
list's cards and facets only those whose own values changed; a card never shows
another state, language, date or role."""

import datetime

import pytest

from initiatives.models import InitiativeOrganisation
from initiatives.vocabularies import Role, Status

from .conftest import forget_stored_pages
from .factories import InitiativeFactory, MilestoneFactory, OrganisationFactory, StatusUpdateFactory, ThemeFactory

pytestmark = pytest.mark.django_db

CARD = "initiatives/_initiative_row.html"


def rendered(client, path, template):
    """How many times the page rendered ``template``, and the page."""
    response = client.get(path)
    assert response.status_code == 200
    return [t.name for t in response.templates].count(template), response.content.decode()


def cards_rendered(client, path):
    return rendered(client, path, CARD)


@pytest.fixture
def listed():
    theme = ThemeFactory(name="Connectivity")
    initiatives = [InitiativeFactory(title=f"Programme {n}") for n in range(3)]
    for initiative in initiatives:
        initiative.themes.add(theme)
        StatusUpdateFactory(initiative=initiative, status=Status.PROPOSED, reported_on=datetime.date(2025, 1, 1))
    return initiatives


def test_after_a_save_only_the_changed_initiatives_card_is_rendered_again(client, listed):
    assert cards_rendered(client, "/initiatives/")[0] == 3

    StatusUpdateFactory(initiative=listed[1], status=Status.COMPLETED, reported_on=datetime.date(2025, 6, 1))
    count, html = cards_rendered(client, "/initiatives/")

    assert count == 1
    forget_stored_pages()
    assert cards_rendered(client, "/initiatives/") == (3, html)  # the same page as rendered afresh
    assert "Completed" in html


def test_a_card_follows_its_theme_tags(client, listed):
    cards_rendered(client, "/initiatives/")
    theme = listed[0].themes.get()
    theme.name = "Networks"
    theme.save()

    count, html = cards_rendered(client, "/initiatives/")

    assert count == 3 and "Networks" in html and "Connectivity" not in html


def test_a_card_is_kept_per_language_and_per_date(client, listed):
    listed[0].title_ru = "Программа"
    listed[0].save()
    cards_rendered(client, "/initiatives/")

    assert cards_rendered(client, "/ru/initiatives/")[0] == 3
    assert "Программа" in cards_rendered(client, "/ru/initiatives/?kind=program")[1]
    count, html = cards_rendered(client, "/initiatives/?as_of=2025-03-01")
    assert count == 3
    assert f"{listed[0].get_absolute_url()}?as_of=2025-03-01" in html


def test_each_organisation_page_shows_its_own_role_on_a_shared_initiative(client):
    shared = InitiativeFactory(title="Shared programme")
    leader, partner = OrganisationFactory(), OrganisationFactory()
    InitiativeOrganisation.objects.create(initiative=shared, organisation=leader, role=Role.LEAD)
    InitiativeOrganisation.objects.create(initiative=shared, organisation=partner, role=Role.PARTNER)

    leads = cards_rendered(client, leader.get_absolute_url())[1]
    partners = cards_rendered(client, partner.get_absolute_url())[1]

    assert "Role: Lead" in leads and "Role: Partner" not in leads
    assert "Role: Partner" in partners and "Role: Lead" not in partners


TIMELINE = "initiatives/_timeline_figure.html"


@pytest.fixture
def program():
    program = InitiativeFactory(
        kind="program", title="Digital Code", period_start=datetime.date(2024, 1, 1), period_end=None
    )
    MilestoneFactory(initiative=program, title="Code adopted", due_on=datetime.date(2030, 1, 1))
    return program


def test_a_status_update_leaves_the_dashboard_timeline_as_it_was_rendered(client, program):
    assert rendered(client, "/", TIMELINE)[0] == 1

    StatusUpdateFactory(initiative=program, status=Status.ADOPTED, reported_on=datetime.date(2025, 6, 1))
    count, html = rendered(client, "/", TIMELINE)

    assert count == 0
    forget_stored_pages()
    assert rendered(client, "/", TIMELINE) == (1, html)  # the same page as rendered afresh


def test_after_a_status_update_the_dashboard_does_not_ask_for_the_timeline(client, program):
    """Today's timeline figure is kept under the catalogue version: not even its two
    queries (the programs by period, their milestones) run again."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def timeline_queries():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/").status_code == 200
        by_period = 'ORDER BY "initiatives_initiative"."period_start"'
        return [q["sql"] for q in queries.captured_queries if by_period in q["sql"]]

    assert len(timeline_queries()) == 1
    StatusUpdateFactory(initiative=program, status=Status.ADOPTED, reported_on=datetime.date(2025, 6, 1))
    assert timeline_queries() == []
    program.period_end = datetime.date(2029, 12, 31)
    program.save()
    assert len(timeline_queries()) == 1


def test_the_dashboard_timeline_follows_its_programs_and_milestones(client, program):
    rendered(client, "/", TIMELINE)
    milestone = program.milestones.get()
    milestone.achieved_on = datetime.date(2025, 1, 1)
    milestone.save()

    count, html = rendered(client, "/", TIMELINE)

    assert count == 1 and "(achieved)" in html
    program.title = "The Digital Code"
    program.save()
    assert "The Digital Code" in rendered(client, "/", TIMELINE)[1]


FACET = "initiatives/_facet.html"


def test_after_a_status_update_only_the_facets_whose_counts_moved_are_drawn_again(client, listed):
    """Six sections (organisation and country empty here): a status update moves the
    status counts and, as the update is recent, the stale count; the others are kept."""
    assert rendered(client, "/initiatives/", FACET)[0] == 6

    StatusUpdateFactory(initiative=listed[1], status=Status.COMPLETED, reported_on=datetime.date(2026, 11, 1))
    count, html = rendered(client, "/initiatives/", FACET)

    assert count == 2
    assert 'Completed <span class="count">(1)</span>' in html
    forget_stored_pages()
    assert rendered(client, "/initiatives/", FACET) == (6, html)  # the same page as rendered afresh


def test_a_facet_section_follows_the_query_its_links_toggle(client, listed):
    plain = rendered(client, "/initiatives/", FACET)[1]
    count, filtered = rendered(client, "/initiatives/?kind=proposal", FACET)
    assert count == 6  # every section's links now keep kind=proposal
    assert "kind=proposal&amp;status=proposed" in filtered and "kind=proposal&amp;status=proposed" not in plain
