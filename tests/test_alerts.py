"""Following by email and webhooks (issue 17): opt-in, throttles, unsubscribe,
events from history, one alert per event, language, signatures, retries and
refusal of private addresses."""

import datetime
import json
import re
from email import message_from_bytes
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from alerts import delivery, tokens, webhooks
from alerts.models import DeliveryState, Event, EventType, Frequency, Mailing, Subscription, WebhookDelivery
from alerts.tasks import announce_overdue_milestones, fan_out, send_mailings
from initiatives.models import StatusUpdate
from initiatives.vocabularies import Status
from tracker.celery import app as celery_app
from tracker.email_url import parse_email_url

from .factories import (
    InitiativeFactory,
    MilestoneFactory,
    SourceFactory,
    StatusUpdateFactory,
    SubscriptionFactory,
    ThemeFactory,
    WebhookEndpointFactory,
)
from .receivers import WebhookReceiver

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def tasks_run_in_process(settings):
    """Tasks run in-process (as with no broker) and their errors fail the test."""
    settings.SITE_URL = "https://tracker.example"
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_eager_propagates = False


def follow(client, email="reader@example.org", ip="203.0.113.5", prefix="", **data):
    return client.post(f"{prefix}/alerts/follow/", {"email": email, "frequency": "immediate", **data}, REMOTE_ADDR=ip)


def link_in(message, name):
    """The path of the first link to the named alerts view in a mail's text."""
    pattern = re.escape("https://tracker.example") + r"(/(?:[a-z]{2}/)?alerts/" + name + r"/[^/\s]+/)"
    return re.search(pattern, message.body).group(1)


def publish(captured, **kwargs):
    with captured(execute=True):
        update = StatusUpdateFactory(**kwargs)
    return update


# --- Double opt-in --------------------------------------------------------------------


def test_following_mails_a_confirmation_and_nothing_is_sent_before_it(client, django_capture_on_commit_callbacks):
    initiative = InitiativeFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = follow(client, initiative=initiative.slug)
    assert response.status_code == 302
    assert response["Location"] == reverse("alerts:requested")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["reader@example.org"]
    assert initiative.title in mail.outbox[0].body
    subscription = Subscription.objects.get()
    assert (subscription.initiative, subscription.confirmed, subscription.language) == (initiative, False, "en")

    publish(django_capture_on_commit_callbacks, initiative=initiative)
    assert len(mail.outbox) == 1  # still only the confirmation
    assert Mailing.objects.count() == 0


def test_the_confirmation_link_confirms_with_a_post(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        follow(client)
    path = link_in(mail.outbox[0], "confirm")
    page = client.get(path)
    assert page.status_code == 200
    assert not Subscription.objects.get().confirmed  # a link scanner's GET confirms nothing
    response = client.post(path)
    assert response.status_code == 302
    assert Subscription.objects.get().confirmed
    assert client.get(response["Location"]).status_code == 200


def test_an_expired_confirmation_link_is_refused(client, settings, monkeypatch):
    SubscriptionFactory(email="late@example.org", confirmed=False)
    fresh = tokens.make(tokens.CONFIRM, "late@example.org")
    made_at = timezone.now() - datetime.timedelta(days=settings.ALERTS_CONFIRM_DAYS, minutes=1)
    with monkeypatch.context() as patched:
        patched.setattr("django.core.signing.time.time", made_at.timestamp)
        expired = tokens.make(tokens.CONFIRM, "late@example.org")
    assert client.get(reverse("alerts:confirm", kwargs={"token": fresh})).status_code == 200
    assert client.get(reverse("alerts:confirm", kwargs={"token": expired})).status_code == 400
    assert client.post(reverse("alerts:confirm", kwargs={"token": expired})).status_code == 400
    assert not Subscription.objects.get().confirmed


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
        lambda token: "x" + token,
        lambda token: tokens.make(tokens.MANAGE, "reader@example.org"),  # another purpose's token
    ],
)
def test_a_tampered_confirmation_link_is_refused(client, tamper):
    SubscriptionFactory(email="reader@example.org", confirmed=False)
    token = tamper(tokens.make(tokens.CONFIRM, "reader@example.org"))
    assert client.get(reverse("alerts:confirm", kwargs={"token": token})).status_code == 400
    assert client.post(reverse("alerts:confirm", kwargs={"token": token})).status_code == 400
    assert not Subscription.objects.get().confirmed


def test_asking_again_within_the_hour_sends_no_second_mail(client, django_capture_on_commit_callbacks):
    theme = ThemeFactory()
    with django_capture_on_commit_callbacks(execute=True):
        follow(client)
        follow(client, theme=theme.slug)
    assert len(mail.outbox) == 1
    # The one link confirms both requests.
    client.post(link_in(mail.outbox[0], "confirm"))
    assert Subscription.objects.filter(confirmed=True).count() == 2


# --- Abuse ----------------------------------------------------------------------------


def test_requests_are_throttled_per_client_address(client, settings):
    settings.ALERTS_REQUESTS_PER_IP_PER_HOUR = 2
    assert follow(client, email="a@example.org").status_code == 302
    assert follow(client, email="b@example.org").status_code == 302
    assert follow(client, email="c@example.org").status_code == 429
    assert follow(client, email="d@example.org", ip="198.51.100.7").status_code == 302


def test_requests_are_throttled_per_email_address(client, settings):
    settings.ALERTS_REQUESTS_PER_ADDRESS_PER_HOUR = 2
    for ip in ("198.51.100.1", "198.51.100.2"):
        assert follow(client, ip=ip).status_code == 302
    assert follow(client, ip="198.51.100.3").status_code == 429
    assert follow(client, email="other@example.org", ip="198.51.100.4").status_code == 302


@pytest.mark.parametrize(
    "address",
    ["reader@example.org\r\nBcc: victim@example.org", "reader@example.org\nSubject: hi", "not an address", ""],
)
def test_bad_addresses_and_header_injection_are_refused(client, address, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = follow(client, email=address)
    assert response.status_code == 400
    assert not Subscription.objects.exists()
    assert mail.outbox == []


def test_a_cross_site_post_is_refused(client):
    response = client.post(
        "/alerts/follow/",
        {"email": "a@example.org", "frequency": "immediate"},
        headers={"Origin": "https://evil.example"},
    )
    assert response.status_code == 403
    assert not Subscription.objects.exists()


def test_no_page_reveals_whether_an_address_is_subscribed(client):
    SubscriptionFactory(email="known@example.org")
    known = follow(client, email="known@example.org")
    unknown = follow(client, email="unknown@example.org", ip="198.51.100.9")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    known = client.post("/alerts/manage/", {"email": "known@example.org"}, REMOTE_ADDR="192.0.2.1")
    unknown = client.post("/alerts/manage/", {"email": "unknown@example.org"}, REMOTE_ADDR="192.0.2.2")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])


def test_an_unknown_target_is_a_400(client):
    assert follow(client, initiative="no-such-thing").status_code == 400
    theme = ThemeFactory()
    assert follow(client, initiative=InitiativeFactory().slug, theme=theme.slug).status_code == 400


# --- Unsubscribe and manage -----------------------------------------------------------


def test_rfc_8058_one_click_post_unsubscribes_without_a_csrf_token(django_capture_on_commit_callbacks):
    from django.test import Client

    subscription = SubscriptionFactory(email="reader@example.org")
    SubscriptionFactory(email="reader@example.org", theme=ThemeFactory())
    kept = SubscriptionFactory(email="other@example.org")
    publish(django_capture_on_commit_callbacks, initiative=InitiativeFactory())
    message = [m for m in mail.outbox if m.to == [subscription.email]][0]
    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert url.startswith("https://")
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        urlsplit(url).path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert list(Subscription.objects.all()) == [kept]


def test_the_manage_page_changes_and_deletes_subscriptions(client):
    everything = SubscriptionFactory(email="reader@example.org")
    theme = SubscriptionFactory(email="reader@example.org", theme=ThemeFactory(name="Connectivity"))
    SubscriptionFactory(email="other@example.org")
    path = reverse("alerts:manage", kwargs={"token": tokens.make(tokens.MANAGE, "reader@example.org")})
    page = client.get(path)
    assert page.status_code == 200
    assert b"Connectivity" in page.content
    assert b"other@example.org" not in page.content
    response = client.post(
        path,
        {
            f"frequency_{everything.pk}": "weekly",
            f"frequency_{theme.pk}": "immediate",
            f"delete_{theme.pk}": "on",
        },
    )
    assert response.status_code == 302
    everything.refresh_from_db()
    assert everything.frequency == Frequency.WEEKLY
    assert not Subscription.objects.filter(pk=theme.pk).exists()
    assert client.get(reverse("alerts:manage", kwargs={"token": "forged"})).status_code == 400


# --- Events from history ---------------------------------------------------------------


def events():
    return list(Event.objects.order_by("pk").values_list("type", flat=True))


def test_drafts_never_make_events_or_alerts(django_capture_on_commit_callbacks):
    SubscriptionFactory()
    with django_capture_on_commit_callbacks(execute=True):
        draft = StatusUpdateFactory(published=False)
        draft.status = Status.COMPLETED
        draft.headline = "Changed while a draft"
        draft.save()
    assert events() == []
    assert mail.outbox == []


def test_publishing_revising_and_unpublishing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        update = StatusUpdateFactory(published=False, status=Status.PROPOSED)
        update.published = True
        update.save()
        update.headline = "A typo fixed"
        update.save()  # headline only: no event
        update.status = Status.IN_PROGRESS
        update.save()
        update.progress = 55
        update.save()
        update.published = False
        update.save()  # unpublished: no event
    assert events() == [EventType.UPDATE_PUBLISHED, EventType.UPDATE_REVISED, EventType.UPDATE_REVISED]
    revised = Event.objects.filter(type=EventType.UPDATE_REVISED).order_by("pk").first()
    assert revised.previous_status == Status.PROPOSED


@pytest.mark.skipif(not hasattr(StatusUpdate, "withdrawn_on"), reason="corrections (issue 14) not merged yet")
def test_revision_and_withdrawal_make_their_events(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        update = StatusUpdateFactory()
        update.revised_on = datetime.date(2025, 4, 1)
        update.revision_note = "Source re-read."
        update.save()
        update.withdrawn_on = datetime.date(2025, 5, 1)
        update.withdrawal_reason = "The report was retracted."
        update.save()
    assert events() == [EventType.UPDATE_PUBLISHED, EventType.UPDATE_REVISED, EventType.UPDATE_WITHDRAWN]


def test_milestones_announce_achievement_and_overdue_once(django_capture_on_commit_callbacks):
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        milestone = MilestoneFactory(due_on=today + datetime.timedelta(days=30))
        milestone.achieved_on = today
        milestone.save()
        MilestoneFactory(due_on=today - datetime.timedelta(days=2))
        MilestoneFactory(due_on=today - datetime.timedelta(days=400))  # long overdue: not news
    with django_capture_on_commit_callbacks(execute=True):
        assert announce_overdue_milestones() == 1
        assert announce_overdue_milestones() == 0
    assert events() == [EventType.MILESTONE_ACHIEVED, EventType.MILESTONE_OVERDUE]


# --- Alerts: once, in the right language, with evidence ----------------------------------


def test_one_alert_per_event_even_when_tasks_run_twice(django_capture_on_commit_callbacks):
    initiative = InitiativeFactory()
    theme = ThemeFactory()
    initiative.themes.add(theme)
    SubscriptionFactory(email="reader@example.org", initiative=initiative)
    SubscriptionFactory(email="reader@example.org", theme=theme)  # same address, two ways in
    SubscriptionFactory(email="reader@example.org")
    SubscriptionFactory(email="weekly@example.org", frequency=Frequency.WEEKLY)
    SubscriptionFactory(email="unconfirmed@example.org", confirmed=False)
    update = publish(django_capture_on_commit_callbacks, initiative=initiative)
    assert [m.to for m in mail.outbox] == [["reader@example.org"]]
    event = Event.objects.get()
    fan_out(event.pk)  # the worker retried the fan-out
    send_mailings(list(Mailing.objects.values_list("pk", flat=True)))  # and the sends
    with django_capture_on_commit_callbacks(execute=True):
        update.save()  # saved again, nothing a reader sees changed
    assert len(mail.outbox) == 1
    assert Mailing.objects.filter(digest=True, state=DeliveryState.PENDING).count() == 1
    # The weekly digest collects it, once.
    assert delivery.send_digests() == 1
    assert delivery.send_digests() == 0
    assert mail.outbox[1].to == ["weekly@example.org"]


def test_two_workers_cannot_both_send_a_mailing(django_capture_on_commit_callbacks):
    SubscriptionFactory()
    with django_capture_on_commit_callbacks(execute=False):
        StatusUpdateFactory()
    event = Event.objects.get()
    delivery.fan_out(event.pk)
    pks = list(Mailing.objects.values_list("pk", flat=True))
    assert delivery.claim(pks) == pks
    assert delivery.claim(pks) == []  # the second worker finds nothing to claim
    assert delivery.send_mailings(pks) == 0


def test_the_alert_is_in_the_language_followed_from(client, django_capture_on_commit_callbacks):
    initiative = InitiativeFactory(
        title="Digital Kazakhstan", title_ru="Цифровой Казахстан", title_kk="Цифрлық Қазақстан"
    )
    with django_capture_on_commit_callbacks(execute=True):
        follow(client, email="ru@example.org", prefix="/ru", initiative=initiative.slug)
        follow(client, email="kk@example.org", prefix="/kk", ip="198.51.100.8", initiative=initiative.slug)
    assert {s.email: s.language for s in Subscription.objects.all()} == {"ru@example.org": "ru", "kk@example.org": "kk"}
    confirmations = {m.to[0]: m for m in mail.outbox}
    assert "/ru/alerts/confirm/" in confirmations["ru@example.org"].body
    assert "Цифровой Казахстан" in confirmations["ru@example.org"].body
    Subscription.objects.update(confirmed=True)
    mail.outbox.clear()
    publish(django_capture_on_commit_callbacks, initiative=initiative, status=Status.COMPLETED, progress=None)
    alerts = {m.to[0]: m for m in mail.outbox}
    assert alerts["ru@example.org"].subject.startswith("Цифровой Казахстан")
    assert "Завершено" in alerts["ru@example.org"].body or "Выполнено" in alerts["ru@example.org"].body
    assert alerts["kk@example.org"].subject.startswith("Цифрлық Қазақстан")
    assert "/kk/initiatives/" in alerts["kk@example.org"].body


def test_the_alert_names_the_change_quotes_its_source_and_links_to_that_date(django_capture_on_commit_callbacks):
    initiative = InitiativeFactory(title="Digital Code")
    SubscriptionFactory(email="reader@example.org", initiative=initiative)
    with django_capture_on_commit_callbacks(execute=True):
        StatusUpdateFactory(initiative=initiative, status=Status.PROPOSED, reported_on=datetime.date(2025, 1, 1))
        update = StatusUpdateFactory(
            initiative=initiative,
            status=Status.IN_PROGRESS,
            reported_on=datetime.date(2025, 3, 1),
            headline="Parliament passed the code",
            published=False,
        )
        update.sources.add(SourceFactory(title="Parliament news", publisher="Mazhilis"))
        update.published = True
        update.save()
    message = mail.outbox[-1]
    assert message.subject == "Digital Code: Proposed → In progress"
    assert "Proposed → In progress" in message.body
    assert "Parliament passed the code" in message.body
    assert "Parliament news" in message.body and "Mazhilis" in message.body
    assert f"https://tracker.example/initiatives/{initiative.slug}/?as_of=2025-03-01#update-{update.pk}" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "Parliament passed the code" in html
    raw = message_from_bytes(message.message().as_bytes())
    assert raw["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert " ".join(raw["List-Unsubscribe"].split()).startswith("<https://tracker.example/alerts/unsubscribe/")
    assert "/alerts/manage/" in message.body


# --- Webhooks ------------------------------------------------------------------------


def test_a_webhook_is_signed_per_standard_webhooks_and_carries_the_api_representation(
    client, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    with WebhookReceiver() as receiver:
        endpoint = WebhookEndpointFactory(url=receiver.url)
        update = publish(django_capture_on_commit_callbacks)
        assert len(receiver.requests) == 1
    received = receiver.requests[0]
    # The spec's reference verification (the standardwebhooks library) accepts it...
    payload = Webhook(endpoint.secret).verify(received["body"], received["headers"])
    event = Event.objects.get()
    assert payload["id"] == event.uid == received["headers"]["webhook-id"]
    assert payload["type"] == "update.published"
    # ...and refuses it with another secret or an altered body.
    with pytest.raises(Exception, match="signature"):
        Webhook(WebhookEndpointFactory().secret).verify(received["body"], received["headers"])
    with pytest.raises(Exception, match="signature"):
        Webhook(endpoint.secret).verify(received["body"].replace(b"update", b"updatE"), received["headers"])
    # The data is what the read API says about the update.
    settings.ALLOWED_HOSTS = ["tracker.example"]
    api = client.get(f"/api/status-updates/{update.pk}/", HTTP_HOST="tracker.example", secure=True).json()
    data = dict(payload["data"])
    assert data.pop("object") == "status_update"
    assert data == api
    delivery_row = WebhookDelivery.objects.get()
    assert (delivery_row.state, delivery_row.last_status_code, delivery_row.attempts) == (DeliveryState.SENT, 204, 1)


def test_failed_webhooks_back_off_exponentially_then_the_endpoint_is_disabled(
    settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    with WebhookReceiver(status=500) as receiver:
        endpoint = WebhookEndpointFactory(url=receiver.url)
        publish(django_capture_on_commit_callbacks)
        row = WebhookDelivery.objects.get()
        waits = []
        while row.state == DeliveryState.PENDING:
            waits.append(round((row.next_attempt_at - row.last_attempt_at).total_seconds()))
            assert delivery.deliver_webhook(row.pk) is None  # not due yet: nothing sent
            WebhookDelivery.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
            delivery.deliver_webhook(row.pk)
            row.refresh_from_db()
    assert waits == [5 * 4**n for n in range(8)]
    assert sum(waits) >= 24 * 3600
    assert (row.state, row.attempts, row.last_status_code) == (DeliveryState.FAILED, 9, 500)
    assert len(receiver.requests) == 9
    endpoint.refresh_from_db()
    assert not endpoint.active and "HTTP 500" in endpoint.disabled_reason
    # A disabled endpoint gets nothing more.
    publish(django_capture_on_commit_callbacks)
    assert WebhookDelivery.objects.count() == 1


def test_a_receiver_that_recovers_gets_the_retry(settings, django_capture_on_commit_callbacks):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    with WebhookReceiver(status=503) as receiver:
        WebhookEndpointFactory(url=receiver.url)
        publish(django_capture_on_commit_callbacks)
        row = WebhookDelivery.objects.get()
        assert row.state == DeliveryState.PENDING
        receiver.status = 200
        WebhookDelivery.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
        delivery.deliver_webhook(row.pk)
        delivery.deliver_webhook(row.pk)  # run twice: sent once
    row.refresh_from_db()
    assert (row.state, row.attempts) == (DeliveryState.SENT, 2)
    assert len(receiver.requests) == 2
    assert receiver.requests[0]["headers"]["webhook-id"] == receiver.requests[1]["headers"]["webhook-id"]


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/hook",
        "http://localhost/hook",
        "http://10.1.2.3/",
        "http://192.168.0.10/",
        "http://172.16.5.5/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://[fe80::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://0.0.0.0/",
        "ftp://example.org/",
        "file:///etc/passwd",
        "http://user:pass@example.org/",
    ],
)
def test_private_and_non_http_destinations_are_refused(url, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    with pytest.raises(webhooks.UnsafeDestination):
        webhooks.validate_webhook_url(url)


def test_a_refused_destination_is_never_contacted(settings, django_capture_on_commit_callbacks):
    with WebhookReceiver() as receiver:
        endpoint = WebhookEndpointFactory(url=receiver.url)  # loopback, setting off
        publish(django_capture_on_commit_callbacks)
    assert receiver.requests == []
    row = WebhookDelivery.objects.get()
    assert row.state == DeliveryState.FAILED and "loopback" in row.last_error
    endpoint.refresh_from_db()
    assert not endpoint.active


def test_the_admin_refuses_a_private_webhook_address(admin_client, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    response = admin_client.post(
        reverse("admin:alerts_webhookendpoint_add"),
        {
            "description": "Internal",
            "url": "http://10.0.0.5/hook",
            "secret": "whsec_" + "A" * 43 + "=",
            "active": "on",
            "deliveries-TOTAL_FORMS": "0",
            "deliveries-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert b"non-public" in response.content


# --- Settings ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("console:", {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}),
        (
            "file:///var/mail/tracker",
            {
                "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                "EMAIL_FILE_PATH": "/var/mail/tracker",
            },
        ),
        (
            "smtp://user%40x:p%3Ass@mail.example:587",
            {
                "EMAIL_HOST": "mail.example",
                "EMAIL_PORT": 587,
                "EMAIL_HOST_USER": "user@x",
                "EMAIL_HOST_PASSWORD": "p:ss",
                "EMAIL_USE_TLS": True,
                "EMAIL_USE_SSL": False,
            },
        ),
        ("smtps://mail.example", {"EMAIL_PORT": 465, "EMAIL_USE_SSL": True, "EMAIL_USE_TLS": False}),
    ],
)
def test_email_url_is_read_into_django_settings(url, expected):
    parsed = parse_email_url(url)
    assert {key: parsed[key] for key in expected} == expected


def test_a_bad_email_url_stops_start_up():
    from django.core.exceptions import ImproperlyConfigured

    for url in ("gopher://x", "smtp://", "file://"):
        with pytest.raises(ImproperlyConfigured):
            parse_email_url(url)


def test_payload_json_is_the_stored_event_payload(settings, django_capture_on_commit_callbacks):
    publish(django_capture_on_commit_callbacks)
    event = Event.objects.get()
    assert json.loads(webhooks.encode(event.payload)) == event.payload


def test_only_the_address_and_choices_outlive_confirmation_and_old_records_are_purged(
    client, settings, django_capture_on_commit_callbacks
):
    from alerts.tasks import purge_unconfirmed

    with django_capture_on_commit_callbacks(execute=True):
        follow(client)
    client.post(link_in(mail.outbox[0], "confirm"))
    assert Subscription.objects.get().requested_at is None  # confirmed: no request time kept
    stale = SubscriptionFactory(email="never@example.org", confirmed=False)
    Subscription.objects.filter(pk=stale.pk).update(
        requested_at=timezone.now() - datetime.timedelta(days=settings.ALERTS_CONFIRM_DAYS, hours=1)
    )
    publish(django_capture_on_commit_callbacks)
    assert Mailing.objects.filter(state=DeliveryState.SENT).count() == 1
    Mailing.objects.update(changed_at=timezone.now() - datetime.timedelta(days=8))
    assert purge_unconfirmed() == 1
    assert list(Subscription.objects.values_list("email", flat=True)) == ["reader@example.org"]
    assert not Mailing.objects.exists()
