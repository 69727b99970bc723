"""What the tasks do: fan an event out to its recipients, then send each mail and
webhook exactly once.

"Exactly once" rests on the database, not on the queue: one Event per cause,
one Mailing per (event, subscription), one WebhookDelivery per (event,
endpoint), each claimed with a conditional UPDATE (pending -> sending) that
only one worker can win. A task that runs twice, or on two workers at once,
finds nothing left to claim.
"""

import datetime
import logging
import smtplib
from collections import OrderedDict

from django.conf import settings
from django.core.mail import get_connection
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from initiatives.models import InitiativeOrganisation

from . import mail, webhooks
from .models import (
    MAILED_EVENT_TYPES,
    DeliveryState,
    Event,
    Frequency,
    Mailing,
    Subscription,
    WebhookDelivery,
    WebhookEndpoint,
)

logger = logging.getLogger(__name__)

MAILS_PER_TASK = 100
MAIL_ATTEMPTS = 5
# Retries after the first attempt: 5 s, then x4 each time (20 s, 80 s, ... 22.8 h),
# 8 retries spread over 30 hours before the endpoint is disabled.
WEBHOOK_RETRY_BASE = datetime.timedelta(seconds=5)
WEBHOOK_RETRY_FACTOR = 4
WEBHOOK_RETRIES = 8
# A claim older than this belongs to a worker that died: give it back.
STALE_CLAIM = datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT * 2)


def retry_delay(attempts):
    """The wait after the ``attempts``-th failed attempt."""
    return WEBHOOK_RETRY_BASE * WEBHOOK_RETRY_FACTOR ** (attempts - 1)


# --- Fan-out ------------------------------------------------------------------------


def subscribers(event):
    """Confirmed subscriptions that want ``event``, one per address: an address
    following the initiative, its theme and everything gets one mail. An
    immediate subscription wins over a weekly one; then the oldest."""
    initiative_id = event.initiative_id
    organisations = InitiativeOrganisation.objects.filter(initiative_id=initiative_id).values("organisation_id")
    wanted = (
        Q(initiative_id=initiative_id)
        | Q(theme__initiatives=initiative_id)
        | Q(organisation__in=organisations)
        | Q(organisation__responsible_for=initiative_id)
        | Q(initiative__isnull=True, theme__isnull=True, organisation__isnull=True)
    )
    chosen = OrderedDict()
    rows = (
        Subscription.objects.filter(wanted, confirmed=True)
        .order_by("email", "-frequency", "pk")  # "weekly" > "immediate", so immediate first
        .values_list("pk", "email", "frequency")
        .distinct()
    )
    for pk, email, frequency in rows:
        chosen.setdefault(email, (pk, frequency))
    return list(chosen.values())


@transaction.atomic
def fan_out(event_id):
    """Create the event's mailings and webhook deliveries; True if this call did it."""
    event = Event.objects.select_for_update().filter(pk=event_id, fanned_out_at__isnull=True).first()
    if event is None:
        return False
    if event.update_id and not event.update.published:
        # Unpublished again before the queue got to it: a draft is never announced.
        event.fanned_out_at = timezone.now()
        event.save(update_fields=["fanned_out_at"])
        return False
    from .representation import event_payload

    event.payload = event_payload(event)
    now = timezone.now()
    endpoints = [endpoint for endpoint in WebhookEndpoint.objects.filter(active=True) if endpoint.wants(event.type)]
    WebhookDelivery.objects.bulk_create(
        [WebhookDelivery(event=event, endpoint=endpoint, next_attempt_at=now) for endpoint in endpoints],
        ignore_conflicts=True,
    )
    if event.type in MAILED_EVENT_TYPES:
        Mailing.objects.bulk_create(
            [
                Mailing(event=event, subscription_id=pk, digest=frequency == Frequency.WEEKLY)
                for pk, frequency in subscribers(event)
            ],
            ignore_conflicts=True,
            batch_size=1000,
        )
    event.fanned_out_at = now
    event.save(update_fields=["payload", "fanned_out_at"])
    return True


def pending_work(event_id=None):
    """(immediate mailing ids in chunks, webhook delivery ids) waiting to be sent."""
    mailings = Mailing.objects.filter(state=DeliveryState.PENDING, digest=False)
    deliveries = WebhookDelivery.objects.filter(state=DeliveryState.PENDING, next_attempt_at__lte=timezone.now())
    if event_id is not None:
        mailings, deliveries = mailings.filter(event_id=event_id), deliveries.filter(event_id=event_id)
    mailing_ids = list(mailings.order_by("pk").values_list("pk", flat=True))
    chunks = [mailing_ids[i : i + MAILS_PER_TASK] for i in range(0, len(mailing_ids), MAILS_PER_TASK)]
    return chunks, list(deliveries.values_list("pk", flat=True))


# --- Mail ------------------------------------------------------------------------------


def claim(pks, *, digest=False):
    """The mailings among ``pks`` this worker now owns (pending -> sending)."""
    pending = Mailing.objects.filter(pk__in=pks, state=DeliveryState.PENDING, digest=digest)
    if connection.features.has_select_for_update_skip_locked:
        # Two statements for a whole batch: rows another worker is claiming are skipped.
        with transaction.atomic():
            owned = list(pending.select_for_update(skip_locked=True).values_list("pk", flat=True))
            Mailing.objects.filter(pk__in=owned).update(state=DeliveryState.SENDING, changed_at=timezone.now())
        return owned
    # SQLite (development): one conditional UPDATE per row, which only one worker can win.
    owned = []
    for pk in pending.values_list("pk", flat=True):
        if Mailing.objects.filter(pk=pk, state=DeliveryState.PENDING).update(
            state=DeliveryState.SENDING, changed_at=timezone.now()
        ):
            owned.append(pk)
    return owned


def _finish_mailings(pks, sent):
    if sent:
        Mailing.objects.filter(pk__in=pks).update(state=DeliveryState.SENT, changed_at=timezone.now())
        return
    for mailing in Mailing.objects.filter(pk__in=pks):
        mailing.attempts += 1
        mailing.state = DeliveryState.FAILED if mailing.attempts >= MAIL_ATTEMPTS else DeliveryState.PENDING
        mailing.save(update_fields=["attempts", "state", "changed_at"])


def send_mailings(mailing_ids):
    """Send the immediate alerts among ``mailing_ids`` over one connection."""
    owned = claim(mailing_ids)
    if not owned:
        return 0
    smtp = get_connection(fail_silently=False)
    sent = 0
    entries = {}  # what an event says in a language, worked out once per batch
    try:
        smtp.open()
        mailings = Mailing.objects.filter(pk__in=owned).select_related("subscription", "event__update__initiative")
        for mailing in mailings:
            subscription = mailing.subscription
            message = mail.alert(subscription.email, subscription.language, [mailing.event], entries=entries)
            ok = _send(smtp, message)
            _finish_mailings([mailing.pk], ok)
            sent += ok
    except (OSError, smtplib.SMTPException):
        logger.warning("alerts: mail server unreachable; alerts stay queued", exc_info=True)
        unsent = Mailing.objects.filter(pk__in=owned, state=DeliveryState.SENDING).values_list("pk", flat=True)
        _finish_mailings(list(unsent), False)
    finally:
        smtp.close()
    return sent


def _send(smtp, message):
    try:
        smtp.send_messages([message])
    except smtplib.SMTPRecipientsRefused:
        logger.warning("alerts: recipient refused")
        return False
    return True


def send_digests(now=None):
    """One digest per address of everything its weekly subscriptions collected."""
    now = now or timezone.now()
    by_email = OrderedDict()
    for pk, email, language in (
        Mailing.objects.filter(state=DeliveryState.PENDING, digest=True)
        .order_by("subscription__email", "event__occurred_at")
        .values_list("pk", "subscription__email", "subscription__language")
    ):
        by_email.setdefault((email, language), []).append(pk)
    smtp = get_connection(fail_silently=False)
    sent = 0
    entries = {}
    try:
        for (email, language), pks in by_email.items():
            owned = claim(pks, digest=True)
            if not owned:
                continue
            events = [
                mailing.event
                for mailing in Mailing.objects.filter(pk__in=owned)
                .select_related("event__update__initiative")
                .order_by("event__occurred_at")
            ]
            ok = _send(smtp, mail.alert(email, language, events, digest=True, entries=entries))
            _finish_mailings(owned, ok)
            sent += ok
    except (OSError, smtplib.SMTPException):
        logger.warning("alerts: mail server unreachable; digests stay queued", exc_info=True)
        Mailing.objects.filter(state=DeliveryState.SENDING, digest=True).update(state=DeliveryState.PENDING)
    finally:
        smtp.close()
    return sent


# --- Webhooks --------------------------------------------------------------------------


def deliver_webhook(delivery_id):
    """One attempt at one delivery; returns its state afterwards."""
    now = timezone.now()
    claimed = WebhookDelivery.objects.filter(
        pk=delivery_id, state=DeliveryState.PENDING, next_attempt_at__lte=now
    ).update(state=DeliveryState.SENDING, last_attempt_at=now)
    if not claimed:
        return None
    delivery = WebhookDelivery.objects.select_related("endpoint", "event").get(pk=delivery_id)
    endpoint = delivery.endpoint
    delivery.attempts += 1
    delivery.last_status_code = None
    if not endpoint.active:
        return _settle(delivery, DeliveryState.FAILED, "endpoint disabled")
    try:
        status = webhooks.post(
            endpoint.url, secret=endpoint.secret, message_id=delivery.event.uid, payload=delivery.event.payload
        )
    except webhooks.UnsafeDestination as error:
        return _give_up(delivery, "; ".join(error.messages))
    except (OSError, webhooks.http.client.HTTPException) as error:
        return _retry_or_give_up(delivery, f"{type(error).__name__}: {error}"[:300])
    delivery.last_status_code = status
    if 200 <= status < 300:
        delivery.delivered_at = timezone.now()
        return _settle(delivery, DeliveryState.SENT, "")
    return _retry_or_give_up(delivery, f"HTTP {status}")


def _settle(delivery, state, error):
    delivery.state = state
    delivery.last_error = error
    delivery.save()
    return state


def _retry_or_give_up(delivery, error):
    if delivery.attempts > WEBHOOK_RETRIES:
        return _give_up(delivery, error)
    delivery.next_attempt_at = timezone.now() + retry_delay(delivery.attempts)
    return _settle(delivery, DeliveryState.PENDING, error)


def _give_up(delivery, error):
    endpoint = delivery.endpoint
    endpoint.active = False
    endpoint.disabled_reason = f"{timezone.now():%Y-%m-%d %H:%M} UTC: {error}"[:300]
    endpoint.save(update_fields=["active", "disabled_reason"])
    return _settle(delivery, DeliveryState.FAILED, error)


def release_stale_claims(now=None):
    """Claims older than STALE_CLAIM were left by a worker that died: pending again."""
    cutoff = (now or timezone.now()) - STALE_CLAIM
    Mailing.objects.filter(state=DeliveryState.SENDING, changed_at__lt=cutoff).update(state=DeliveryState.PENDING)
    WebhookDelivery.objects.filter(state=DeliveryState.SENDING, last_attempt_at__lt=cutoff).update(
        state=DeliveryState.PENDING
    )
