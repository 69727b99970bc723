"""The draft preview: a staff-only page showing a draft on its initiative's public
page, exactly as it will look once published, and nothing of it left behind."""

import datetime

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from alerts.models import Event
from initiatives.cache import PUBLISHED_VERSION_KEY
from initiatives.models import DataVersion, StatusUpdate
from initiatives.vocabularies import Status

from .factories import AnalystFactory, CitationFactory, InitiativeFactory, StatusUpdateFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst_client():
    client = Client()
    client.force_login(AnalystFactory())
    return client


@pytest.fixture
def draft():
    initiative = InitiativeFactory(title="Digital Code", with_updates=1)
    update = StatusUpdateFactory(
        initiative=initiative,
        reported_on=datetime.date(2025, 6, 1),
        status=Status.STALLED,
        progress=15,
        headline="Digital Code stalled in the Senate",
        published=False,
    )
    CitationFactory(update=update)
    return update


def preview_url(update):
    return reverse("admin:initiatives_statusupdate_preview", args=[update.pk])


def test_the_preview_shows_the_draft_on_its_initiatives_page_as_it_will_look(analyst_client, draft):
    response = analyst_client.get(preview_url(draft))

    assert response.status_code == 200
    assert response.templates[0].name == "initiatives/initiative_preview.html"
    html = response.content.decode()
    timeline = response.context["initiative"].timeline
    assert [update.pk for update in timeline][0] == draft.pk
    assert f'id="update-{draft.pk}"' in html
    # The page's own status follows the draft, as it will once published.
    assert response.context["initiative"].current_status == Status.STALLED
    assert response.context["initiative"].current_progress == 15
    assert "Preview of a draft." in html
    assert "Digital Code stalled in the Senate" in html


def test_the_preview_is_never_indexed_nor_kept_by_a_shared_cache(analyst_client, draft):
    response = analyst_client.get(preview_url(draft))

    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control
    assert "public" not in cache_control
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()


def test_previewing_leaves_the_draft_a_draft_and_writes_nothing(analyst_client, draft):
    Client().get(draft.initiative.get_absolute_url())
    version = DataVersion.objects.get().number
    published_version = cache.get(PUBLISHED_VERSION_KEY)
    records = draft.history.count()
    events = Event.objects.count()

    analyst_client.get(preview_url(draft))

    draft.refresh_from_db()
    assert not draft.published
    assert draft.history.count() == records
    assert DataVersion.objects.get().number == version
    # No number that is then rolled back reaches the other processes' page caches.
    assert cache.get(PUBLISHED_VERSION_KEY) == published_version
    assert Event.objects.count() == events
    public = Client().get(draft.initiative.get_absolute_url())
    assert "Digital Code stalled in the Senate" not in public.content.decode()


def test_an_anonymous_visitor_is_sent_to_the_login_page_and_never_sees_the_draft(draft):
    response = Client().get(preview_url(draft))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert b"Digital Code stalled" not in response.content


def test_a_signed_in_reader_who_is_not_staff_never_sees_the_draft(draft):
    client = Client()
    client.force_login(UserFactory())

    response = client.get(preview_url(draft))

    assert response.status_code == 302
    assert b"Digital Code stalled" not in response.content


def test_a_staff_member_without_permission_to_view_updates_is_refused(draft):
    client = Client()
    client.force_login(UserFactory(is_staff=True))

    response = client.get(preview_url(draft))

    assert response.status_code == 403
    assert b"Digital Code stalled" not in response.content


def test_a_draft_without_a_source_is_previewed_with_the_warning_that_it_cannot_be_published_yet(analyst_client):
    update = StatusUpdateFactory(published=False, headline="Not yet sourced")

    html = analyst_client.get(preview_url(update)).content.decode()

    assert "Not yet sourced" in html
    assert "It cites no source yet" in html


def test_view_on_site_of_a_draft_opens_its_preview_and_of_a_published_update_the_public_page(analyst_client, draft):
    change = reverse("admin:initiatives_statusupdate_change", args=[draft.pk])
    assert f'href="{preview_url(draft)}"' in analyst_client.get(change).content.decode()

    published = StatusUpdate.objects.filter(initiative=draft.initiative, published=True).get()
    change = reverse("admin:initiatives_statusupdate_change", args=[published.pk])
    assert f'href="{published.get_absolute_url()}"' in analyst_client.get(change).content.decode()


def test_the_preview_of_a_published_update_is_its_public_page(analyst_client, draft):
    published = StatusUpdate.objects.filter(initiative=draft.initiative, published=True).get()

    response = analyst_client.get(preview_url(published))

    assert response.status_code == 302
    assert response["Location"] == published.get_absolute_url()


def test_the_preview_of_an_unknown_update_is_not_found(analyst_client):
    assert analyst_client.get(reverse("admin:initiatives_statusupdate_preview", args=[999999])).status_code == 404


def test_the_preview_is_of_today_whatever_date_is_asked(analyst_client, draft):
    response = analyst_client.get(preview_url(draft) + "?as_of=2020-01-01")

    assert response.status_code == 200
    assert "Digital Code stalled in the Senate" in response.content.decode()
    assert not response.context["as_of"]
