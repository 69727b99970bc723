"""Celery tasks. Each is idempotent (delivery.py claims rows before sending) and
time-limited (CELERY_TASK_SOFT_TIME_LIMIT / CELERY_TASK_TIME_LIMIT)."""

import datetime

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from initiatives.models import Milestone

from . import delivery, mail
from .events import record_event
from .models import DeliveryState, EventType, Mailing, Subscription

TARGETS = ("initiative", "theme", "organisation")

# A milestone is announced overdue only if it fell due this recently, so the first
# run on an existing tracker does not announce years-old deadlines.
OVERDUE_LOOKBACK_DAYS = 30
# Which alert went to which subscription is kept this long after sending, then deleted.
SENT_MAILINGS_KEPT = datetime.timedelta(days=7)


def enqueue(event_id=None):
    chunks, deliveries = delivery.pending_work(event_id)
    # Webhooks first: a few quick requests, not queued behind thousands of mails.
    for pk in deliveries:
        deliver_webhook.delay(pk)
    for chunk in chunks:
        send_mailings.delay(chunk)


@shared_task
def fan_out(event_id):
    delivery.fan_out(event_id)
    enqueue(event_id)


@shared_task
def send_mailings(mailing_ids):
    return delivery.send_mailings(mailing_ids)


@shared_task
def deliver_webhook(delivery_id):
    return delivery.deliver_webhook(delivery_id)


@shared_task
def sweep():
    """Periodic: webhook retries that are due, and work whose task was lost."""
    delivery.release_stale_claims()
    enqueue()


@shared_task
def announce_overdue_milestones():
    today = timezone.localdate()
    recent = Milestone.objects.overdue(today).filter(due_on__gte=today - datetime.timedelta(days=OVERDUE_LOOKBACK_DAYS))
    count = 0
    for milestone in recent.only("pk", "initiative_id", "due_on"):
        with transaction.atomic():
            # Keyed by the due date: a milestone re-dated and missed again is news again.
            count += bool(
                record_event(
                    type=EventType.MILESTONE_OVERDUE,
                    key=f"milestone.overdue:{milestone.pk}:{milestone.due_on.isoformat()}",
                    initiative_id=milestone.initiative_id,
                    milestone=milestone,
                )
            )
    return count


@shared_task
def send_weekly_digests():
    """Scheduled for Monday mornings (CELERY_BEAT_SCHEDULE)."""
    return delivery.send_digests()


@shared_task
def purge_unconfirmed():
    """Delete requests never confirmed, and the record of which alerts went to whom
    once it is no longer needed to send each one once (the event is fanned out)."""
    now = timezone.now()
    cutoff = now - datetime.timedelta(days=settings.ALERTS_CONFIRM_DAYS)
    deleted, _ = Subscription.objects.filter(confirmed=False, requested_at__lt=cutoff).delete()
    Mailing.objects.filter(
        state__in=[DeliveryState.SENT, DeliveryState.FAILED], changed_at__lt=now - SENT_MAILINGS_KEPT
    ).delete()
    return deleted


@shared_task
def send_confirmation(email, language):
    pending = list(Subscription.objects.filter(email=email, confirmed=False).select_related(*TARGETS))
    if pending:
        mail.confirmation(email, language, pending).send()


@shared_task
def send_manage_link(email, language):
    mail.manage_link_mail(email, language).send()
