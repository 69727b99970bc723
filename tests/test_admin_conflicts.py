"""The conflict guard on every admin change page and inline row: two logged-in
analysts, the second save refused naming what the first changed, the form
re-shown as a merge, nothing lost; new rows and empty saves never conflict."""

import datetime

import pytest

from initiatives.models import (
    ExternalLink,
    Initiative,
    InitiativeCountry,
    InitiativeOrganisation,
    InitiativeRelation,
    Milestone,
    Organisation,
    Source,
    StatusUpdate,
    Theme,
)
from initiatives.vocabularies import Role, Status

from .factories import (
    CitationFactory,
    InitiativeFactory,
    MilestoneFactory,
    OrganisationFactory,
    SourceFactory,
    StatusUpdateFactory,
)
from .test_admin import change_url, form_data, make, two_analysts

pytestmark = pytest.mark.django_db


# model: (first analyst's field, value, shown as), (second analyst's field, value)
EDITS = {
    Initiative: (("summary", "Their summary", "Their summary"), ("title", "My title")),
    StatusUpdate: (("headline", "Their headline", "Their headline"), ("status", Status.STALLED)),
    Milestone: (("title", "Their milestone", "Their milestone"), ("description", "My description")),
    Organisation: (("name", "Their name", "Their name"), ("description", "My description")),
    Theme: (("name", "Their theme", "Their theme"), ("description", "My description")),
    Source: (("title", "Their source title", "Their source title"), ("notes", "My notes")),
    InitiativeOrganisation: (("role", Role.PARTNER, "Partner"), ("role", Role.SUPPORTER)),
    InitiativeCountry: (("country", "CN", "China"), ("country", "RU")),
    InitiativeRelation: (("note", "Their note", "Their note"), ("relation_type", "related_to")),
    ExternalLink: (("label", "Their label", "Their label"), ("url", "https://example.org/mine")),
}


def editable(model):
    if model is StatusUpdate:
        # A draft from the start: a published update must cite a source and, once
        # published, changes only with a revision note (the corrections rule).
        return StatusUpdateFactory(published=False)
    return make(model)


def stored(obj, name):
    value = getattr(type(obj).objects.get(pk=obj.pk), name)
    return getattr(value, "code", value)


@pytest.mark.parametrize("model", list(EDITS), ids=lambda model: model.__name__)
def test_second_save_is_refused_naming_their_change_and_nothing_is_lost(model):
    obj = editable(model)
    (their_field, their_value, their_label), (my_field, my_value) = EDITS[model]
    original = stored(obj, their_field)
    url = change_url(obj)
    first, second = two_analysts()
    first_data = form_data(first.get(url))
    second_data = form_data(second.get(url))

    first_data[their_field] = their_value
    assert first.post(url, first_data).status_code == 302
    second_data[my_field] = my_value
    refused = second.post(url, second_data)

    assert refused.status_code == 200
    message = " ".join(refused.context["adminform"].form.non_field_errors())
    assert "first_analyst changed" in message
    assert f"theirs “{their_label}”" in message
    assert "not saved" in message
    assert stored(obj, their_field) == their_value
    if their_field != my_field:
        # Their value is taken into the re-shown form; mine is kept beside it.
        assert f"yours “{original or '(empty)'}”" in message
        merged = form_data(refused)
        assert merged[their_field] == their_value
        assert merged[my_field] == my_value
        assert second.post(url, merged).status_code == 302
        assert stored(obj, their_field) == their_value
        assert stored(obj, my_field) == my_value
    else:
        # Both changed one field: the form keeps mine, and saving again is a deliberate choice.
        assert "You both changed" in message
        assert form_data(refused)[my_field] == my_value
        assert second.post(url, form_data(refused)).status_code == 302
        assert stored(obj, my_field) == my_value


def test_inline_milestone_conflict_shows_their_title_and_keeps_my_date():
    milestone = MilestoneFactory(title="Original milestone", due_on=datetime.date(2025, 12, 31))
    url = change_url(milestone.initiative)
    first, second = two_analysts()
    first_data = form_data(first.get(url))
    second_data = form_data(second.get(url))

    first_data["milestones-0-title"] = "Renamed milestone"
    assert first.post(url, first_data).status_code == 302
    second_data["milestones-0-due_on"] = "2026-06-30"
    refused = second.post(url, second_data)

    assert refused.status_code == 200
    content = refused.content.decode()
    assert "first_analyst changed title of this milestone" in content
    assert "theirs “Renamed milestone”, yours “Original milestone”" in content
    merged = form_data(refused)
    assert merged["milestones-0-title"] == "Renamed milestone"
    assert merged["milestones-0-due_on"] == "2026-06-30"
    assert second.post(url, merged).status_code == 302
    milestone.refresh_from_db()
    assert milestone.title == "Renamed milestone"
    assert milestone.due_on == datetime.date(2026, 6, 30)


def add_update_inline(data, headline):
    total = int(data["updates-TOTAL_FORMS"])
    prefix = f"updates-{total}-"
    data.update(
        {
            "updates-TOTAL_FORMS": str(total + 1),
            f"{prefix}reported_on": "2025-05-01",
            f"{prefix}reported_on_precision": "day",
            f"{prefix}status": Status.ADOPTED,
            f"{prefix}headline": headline,
        }
    )
    return data


def test_two_analysts_adding_updates_to_one_initiative_never_conflict():
    initiative = InitiativeFactory()
    url = change_url(initiative)
    first, second = two_analysts()
    first_data = form_data(first.get(url))
    second_data = form_data(second.get(url))

    assert first.post(url, add_update_inline(first_data, "First analyst's update")).status_code == 302
    assert second.post(url, add_update_inline(second_data, "Second analyst's update")).status_code == 302

    assert sorted(initiative.updates.values_list("headline", flat=True)) == [
        "First analyst's update",
        "Second analyst's update",
    ]
    # Neither save changed the initiative itself, so its audit trail has no empty "Changed" rows.
    assert initiative.history.count() == 1


def test_an_edit_to_the_initiative_meanwhile_does_not_block_adding_an_update():
    initiative = InitiativeFactory(summary="Original")
    url = change_url(initiative)
    first, second = two_analysts()
    first_data = form_data(first.get(url))
    second_data = form_data(second.get(url))

    first_data["summary"] = "Their summary"
    first.post(url, first_data)
    assert second.post(url, add_update_inline(second_data, "New update")).status_code == 302

    initiative.refresh_from_db()
    assert initiative.summary == "Their summary"
    assert initiative.updates.get().headline == "New update"


@pytest.mark.parametrize("model", list(EDITS), ids=lambda model: model.__name__)
def test_a_save_that_changes_nothing_writes_no_history_row(model):
    analyst_client, _second = two_analysts()
    obj = editable(model)
    url = change_url(obj)
    before = model.history.filter(**{model._meta.pk.attname: obj.pk}).count()

    assert analyst_client.post(url, form_data(analyst_client.get(url))).status_code == 302

    assert model.history.filter(**{model._meta.pk.attname: obj.pk}).count() == before


def test_an_untouched_organisation_role_row_does_not_undo_their_change():
    initiative = InitiativeFactory()
    role = InitiativeOrganisation.objects.create(
        initiative=initiative, organisation=OrganisationFactory(), role=Role.LEAD
    )
    first, second = two_analysts()
    first_data = form_data(first.get(change_url(role)))
    second_data = form_data(second.get(change_url(initiative)))

    first_data["role"] = Role.PARTNER
    first.post(change_url(role), first_data)
    second_data["title"] = "New title"

    assert second.post(change_url(initiative), second_data).status_code == 302
    role.refresh_from_db()
    assert role.role == Role.PARTNER


def test_a_draft_edited_meanwhile_by_a_script_is_refused_naming_a_script():
    update = StatusUpdateFactory(published=False, headline="Original")
    first, _second = two_analysts()
    data = form_data(first.get(change_url(update)))
    update.headline = "Scripted"
    update.save()

    data["body"] = "Mine"
    refused = first.post(change_url(update), data)

    assert "a script changed headline" in refused.content.decode()


# --- Citation rows: audited with their status update ----------------------------------------

PASSAGES = "First paragraph here.\n\nSecond paragraph says alpha beta gamma.\n\nThird one delta."


@pytest.fixture
def cited_draft():
    update = StatusUpdateFactory(published=False, headline="Original headline")
    CitationFactory(update=update, source=SourceFactory(text=PASSAGES), quote="alpha beta gamma")
    return update


def test_two_analysts_editing_one_citation_the_second_is_refused_and_loses_nothing(cited_draft):
    url = change_url(cited_draft)
    first, second = two_analysts()
    first_data, second_data = form_data(first.get(url)), form_data(second.get(url))

    first_data["citations-0-quote"] = "Second paragraph says alpha"
    assert first.post(url, first_data).status_code == 302
    second_data["citations-0-quote"] = "Third one delta"
    response = second.post(url, second_data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "first_analyst changed this citation" in html
    assert "Second paragraph says alpha" in html and "Third one delta" in html
    assert list(cited_draft.citations.values_list("quote", flat=True)) == ["Second paragraph says alpha"]
    # Saving the re-shown form again is a deliberate choice of this analyst's quote.
    assert second.post(url, form_data(response)).status_code == 302
    assert list(cited_draft.citations.values_list("quote", flat=True)) == ["Third one delta"]


def test_a_citation_edited_while_a_colleague_changed_the_headline_keeps_both(cited_draft):
    url = change_url(cited_draft)
    first, second = two_analysts()
    first_data, second_data = form_data(first.get(url)), form_data(second.get(url))

    first_data["headline"] = "Their headline"
    assert first.post(url, first_data).status_code == 302
    second_data["citations-0-quote"] = "Third one delta"
    assert second.post(url, second_data).status_code == 302

    cited_draft.refresh_from_db()
    assert cited_draft.headline == "Their headline"
    assert list(cited_draft.citations.values_list("quote", flat=True)) == ["Third one delta"]


def test_adding_a_citation_never_conflicts_nor_undoes_a_colleagues_edit_of_another(cited_draft):
    url = change_url(cited_draft)
    first, second = two_analysts()
    first_data, second_data = form_data(first.get(url)), form_data(second.get(url))

    first_data["citations-0-quote"] = "Second paragraph says alpha"
    assert first.post(url, first_data).status_code == 302
    source = cited_draft.citations.get().source
    second_data.update(
        {"citations-TOTAL_FORMS": "2", "citations-1-source": str(source.pk), "citations-1-quote": "Third one delta"}
    )
    assert second.post(url, second_data).status_code == 302

    quotes = sorted(cited_draft.citations.values_list("quote", flat=True))
    assert quotes == ["Second paragraph says alpha", "Third one delta"]
