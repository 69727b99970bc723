"""Corrections in the open: a published update changes only with a revision note,
readers see the note and the earlier wording, a withdrawn update stays public
with its reason, and an analyst never deletes published history."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from initiatives import services
from initiatives.models import Initiative, StatusUpdate

from .factories import SOURCE_QUOTE, CitationFactory, SourceFactory, StatusUpdateFactory, UserFactory
from .test_admin import analyst, change_url, citations_data, form_data  # noqa: F401 (a fixture)
from .test_admin import analyst_client as analyst_client  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def published():
    update = StatusUpdateFactory(headline="Law adopted", body="The Mazhilis adopted the law.", status="adopted")
    CitationFactory(update=update, source=SourceFactory())
    return update


# --- Revisions ------------------------------------------------------------------------------


def test_admin_refuses_to_change_a_published_update_without_a_revision_note(analyst_client, published):
    data = form_data(analyst_client.get(change_url(published)))
    data["headline"] = "Law signed"
    response = analyst_client.post(change_url(published), data)
    assert response.status_code == 200
    assert "Write a new revision note" in response.content.decode()
    published.refresh_from_db()
    assert published.headline == "Law adopted"


def test_admin_refuses_to_change_a_published_update_s_citations_without_a_note(analyst_client, published):
    data = form_data(analyst_client.get(change_url(published)))
    data["citations-0-quote"] = "implementation is under way"
    response = analyst_client.post(change_url(published), data)
    assert response.status_code == 200
    assert "its citations change only with a new revision note" in response.content.decode()


def test_a_revised_update_shows_its_note_and_earlier_wording(analyst_client, client, published):
    data = form_data(analyst_client.get(change_url(published)))
    data["headline"] = "Law signed"
    data["revision_note"] = "The law was signed, not adopted: corrected the headline."
    assert analyst_client.post(change_url(published), data).status_code == 302
    published.refresh_from_db()
    assert published.revised_on == timezone.localdate()

    page = client.get(published.initiative.get_absolute_url()).content.decode()
    assert "Revised on" in page and "The law was signed, not adopted: corrected the headline." in page
    revisions_url = reverse("initiatives:update-revisions", args=[published.pk])
    assert revisions_url in page
    earlier = client.get(revisions_url).content.decode()
    assert "Law adopted" in earlier and "The Mazhilis adopted the law." in earlier

    api = APIClient().get(f"/api/status-updates/{published.pk}/").json()
    assert api["revised_on"] == timezone.localdate().isoformat()
    assert api["revisions"][0]["note"] == "The law was signed, not adopted: corrected the headline."
    assert api["revisions"][0]["earlier"]["headline"] == "Law adopted"


def test_the_revision_service_needs_a_note_and_checks_the_quotes(published):
    user = UserFactory()
    with pytest.raises(ValidationError):
        services.revise_update(update=published, note=" ", user=user, changes={"status": "completed"})
    source = SourceFactory()
    with pytest.raises(ValidationError):
        services.revise_update(update=published, note="New evidence", user=user, citations=[(source, "not there")])
    revised = services.revise_update(
        update=published,
        note="Completed",
        user=user,
        changes={"status": "completed"},
        citations=[(source, SOURCE_QUOTE)],
    )
    assert revised.status == "completed" and revised.revised_on == timezone.localdate()
    assert [(c.source, c.paragraph) for c in revised.citations.all()] == [(source, 2)]


# --- Withdrawal -----------------------------------------------------------------------------


def test_a_withdrawn_update_shows_its_reason_and_no_longer_counts(analyst_client, client, published):
    url = reverse("admin:initiatives_statusupdate_changelist")
    selected = {"action": "withdraw", "_selected_action": [published.pk]}
    asked = analyst_client.post(url, selected)
    assert "Reason shown to readers" in asked.content.decode()
    analyst_client.post(url, {**selected, "apply": "1", "withdrawal_reason": "The source was misread."})

    published.refresh_from_db()
    assert published.withdrawn_on == timezone.localdate() and published.published
    page = client.get(published.initiative.get_absolute_url()).content.decode()
    assert "Withdrawn on" in page and "The source was misread." in page
    assert Initiative.objects.with_current_status().get(pk=published.initiative_id).current_status is None
    past = timezone.localdate() - datetime.timedelta(days=1)
    assert Initiative.objects.with_current_status(past).get(pk=published.initiative_id).current_status == "adopted"
    api = APIClient().get(f"/api/status-updates/{published.pk}/").json()
    assert api["withdrawn_on"] == timezone.localdate().isoformat()
    assert api["withdrawal_reason"] == "The source was misread."


# --- Deletion -------------------------------------------------------------------------------


def test_analyst_cannot_delete_even_after_unpublishing_in_the_same_save(analyst_client, published):
    data = form_data(analyst_client.get(change_url(published.initiative)))
    data.pop("updates-0-published", None)
    data["updates-0-DELETE"] = "on"
    response = analyst_client.post(change_url(published.initiative), data)
    assert response.status_code == 200
    assert "Published updates are the public record" in response.content.decode()
    assert StatusUpdate.objects.get(pk=published.pk).published


def test_analyst_cannot_untick_published_on_a_published_update(analyst_client, published):
    url = reverse("admin:initiatives_statusupdate_change", args=[published.pk])
    data = form_data(analyst_client.get(url))
    data.pop("published", None)
    response = analyst_client.post(url, data)
    assert response.status_code == 200
    assert "stays on the public record" in response.content.decode()
    assert StatusUpdate.objects.get(pk=published.pk).published


def test_analyst_cannot_delete_an_update_unpublished_earlier(analyst_client, published):
    services.unpublish_updates(updates=[published], user=None)
    delete_url = reverse("admin:initiatives_statusupdate_delete", args=[published.pk])
    assert analyst_client.post(delete_url, {"post": "yes"}).status_code == 403
    assert StatusUpdate.objects.filter(pk=published.pk).exists()


def test_only_a_superuser_deletes_a_published_update_and_the_history_keeps_it(client, published):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    delete_url = reverse("admin:initiatives_statusupdate_delete", args=[published.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 302
    assert not StatusUpdate.objects.filter(pk=published.pk).exists()
    assert StatusUpdate.history.filter(id=published.pk, history_type="-").exists()


def test_about_states_the_corrections_policy(client):
    content = client.get("/about/").content.decode()
    assert "Published updates are corrected in the open." in content
