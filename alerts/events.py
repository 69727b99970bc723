"""Events, derived from django-simple-history's records (COMMON.md decision 6).

Every write path saves through the model, so every write path leaves a history
record: the admin, the CSV import, a bulk action, the shell. Comparing each new
record with the one before it says what readers were shown to change:

- update.published: a published update appears (created published, or a draft published);
- update.revised: a published update's status or progress changes, or revised_on is set;
- update.withdrawn: withdrawn_on is set on a published update;
- milestone.achieved: a milestone's achieved_on is set.

Drafts never make an event. The event row is written in the same transaction as
the change, keyed by the history record that caused it, and its fan-out is
queued only once that transaction commits.
"""

from django.db import IntegrityError, transaction
from django.dispatch import receiver
from django.utils import timezone
from simple_history.signals import post_create_historical_record

from initiatives.models import Milestone, StatusUpdate

from .models import Event, EventType

# What a reader sees change in a published update (decision 6). revised_on and
# withdrawn_on arrive with issue 14's corrections; until then they read as None.
REVISION_FIELDS = ("status", "progress")


def _value(record, field):
    return getattr(record, field, None) if record is not None else None


def update_event_type(record, previous):
    """The event a StatusUpdate history record makes, or None."""
    if record.history_type == "-" or not record.published:
        return None
    if previous is None or not previous.published:
        return EventType.UPDATE_PUBLISHED
    withdrawn_on = _value(record, "withdrawn_on")
    if withdrawn_on and withdrawn_on != _value(previous, "withdrawn_on"):
        return EventType.UPDATE_WITHDRAWN
    revised_on = _value(record, "revised_on")
    if revised_on and revised_on != _value(previous, "revised_on"):
        return EventType.UPDATE_REVISED
    if any(_value(record, field) != _value(previous, field) for field in REVISION_FIELDS):
        return EventType.UPDATE_REVISED
    return None


def milestone_event_type(record, previous):
    if record.history_type == "-" or not record.achieved_on:
        return None
    if previous is None or previous.achieved_on != record.achieved_on:
        return EventType.MILESTONE_ACHIEVED
    return None


def previous_status(update):
    """The initiative's status before ``update``: its latest other published update
    reported on or before it (blank if there was none)."""
    earlier = (
        StatusUpdate.objects.published()
        .filter(initiative_id=update.initiative_id, reported_on__lte=update.reported_on)
        .exclude(pk=update.pk)
        .latest_first()
        .values_list("status", flat=True)
        .first()
    )
    return earlier or ""


def record_event(*, type, key, initiative_id, update=None, milestone=None, previous=""):
    """Write the event once (a second call with the same key does nothing) and fan
    it out after commit. Returns the event, or None if it already existed."""
    from .tasks import fan_out

    try:
        with transaction.atomic():
            event = Event.objects.create(
                type=type,
                key=key,
                occurred_at=timezone.now(),
                initiative_id=initiative_id,
                update=update,
                milestone=milestone,
                previous_status=previous,
            )
    except IntegrityError:
        return None
    transaction.on_commit(lambda: fan_out.delay(event.pk))
    return event


@receiver(post_create_historical_record, dispatch_uid="alerts.events_from_history")
def event_from_history(sender, instance, history_instance, **kwargs):
    if isinstance(instance, StatusUpdate):
        previous = history_instance.prev_record
        event_type = update_event_type(history_instance, previous)
        if event_type is None:
            return
        old = previous_status(instance) if event_type == EventType.UPDATE_PUBLISHED else previous.status
        record_event(
            type=event_type,
            key=f"{event_type}:history-{history_instance.history_id}",
            initiative_id=instance.initiative_id,
            update=instance,
            previous=old,
        )
    elif isinstance(instance, Milestone):
        event_type = milestone_event_type(history_instance, history_instance.prev_record)
        if event_type is not None:
            record_event(
                type=event_type,
                key=f"{event_type}:history-{history_instance.history_id}",
                initiative_id=instance.initiative_id,
                milestone=instance,
            )
