"""The status logic, once: every page, API endpoint, admin list and feed asks these.

Each method takes an optional ``as_of`` date: the answer is then the one that
was true on that date, counting only updates reported on or before it and
milestones achieved on or before it.
"""

import datetime

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import BooleanField, Case, Exists, OuterRef, Q, Subquery, Value, When
from django.utils import timezone


def resolve_as_of(as_of):
    """The date a question is asked as of: the given one, or today."""
    return as_of or timezone.localdate()


class StatusUpdateQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)

    def as_of(self, as_of=None):
        """Updates that had been reported by the date (all of them when no date)."""
        return self.filter(reported_on__lte=as_of) if as_of else self

    def latest_first(self):
        return self.order_by("-reported_on", "-created", "-pk")


class InitiativeQuerySet(models.QuerySet):
    def with_current_status(self, as_of=None, stale_after_days=None):
        """Annotate current_status, current_progress, last_reported_on,
        current_update_id and is_stale from the latest published update, and
        has_overdue_milestones, all as they stood on ``as_of``.

        Latest means by ``reported_on``, ties broken by the newest ``created``;
        an initiative with no published update gets None for all of them and
        is not stale (it is "not yet assessed").
        """
        StatusUpdate = apps.get_model("initiatives", "StatusUpdate")
        latest = StatusUpdate.objects.published().as_of(as_of).filter(initiative=OuterRef("pk")).latest_first()
        Milestone = apps.get_model("initiatives", "Milestone")
        overdue = Milestone.objects.overdue(as_of).filter(initiative=OuterRef("pk"))
        cutoff = self._stale_cutoff(as_of, stale_after_days)
        return self.annotate(
            current_status=Subquery(latest.values("status")[:1]),
            current_progress=Subquery(latest.values("progress")[:1]),
            last_reported_on=Subquery(latest.values("reported_on")[:1]),
            current_update_id=Subquery(latest.values("pk")[:1]),
            has_overdue_milestones=Exists(overdue),
        ).annotate(
            is_stale=Case(
                When(last_reported_on__lt=cutoff, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )

    def _ensure_current_status(self, as_of=None, stale_after_days=None):
        if "current_status" in self.query.annotations:
            return self
        return self.with_current_status(as_of=as_of, stale_after_days=stale_after_days)

    @staticmethod
    def _stale_cutoff(as_of=None, stale_after_days=None):
        days = settings.TRACKER_STALE_AFTER_DAYS if stale_after_days is None else stale_after_days
        return resolve_as_of(as_of) - datetime.timedelta(days=days)

    def stale(self, as_of=None, stale_after_days=None):
        """Initiatives whose last published update is older than the staleness window."""
        return self._ensure_current_status(as_of, stale_after_days).filter(is_stale=True)

    def not_assessed(self, as_of=None):
        return self._ensure_current_status(as_of).filter(current_status__isnull=True)

    def with_status(self, statuses, as_of=None):
        return self._ensure_current_status(as_of).filter(current_status__in=statuses)

    def search(self, query):
        """Initiatives whose text, or the text of a published update, contains the query."""
        query = (query or "").strip()
        if not query:
            return self
        StatusUpdate = apps.get_model("initiatives", "StatusUpdate")
        matching_updates = StatusUpdate.objects.published().filter(
            Q(headline__icontains=query) | Q(body__icontains=query), initiative=OuterRef("pk")
        )
        return self.filter(
            Q(title__icontains=query)
            | Q(summary__icontains=query)
            | Q(description__icontains=query)
            | Exists(matching_updates)
        )


class MilestoneQuerySet(models.QuerySet):
    @staticmethod
    def _achieved_by(as_of):
        return Q(achieved_on__isnull=False, achieved_on__lte=as_of)

    def with_state(self, as_of=None):
        """Annotate is_achieved and is_overdue as they stood on the date."""
        as_of = resolve_as_of(as_of)
        achieved = self._achieved_by(as_of)
        return self.annotate(
            is_achieved=Case(When(achieved, then=Value(True)), default=Value(False), output_field=BooleanField()),
            is_overdue=Case(
                When(Q(due_on__lt=as_of) & ~achieved, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )

    def overdue(self, as_of=None):
        """Due before the date and not achieved by it."""
        as_of = resolve_as_of(as_of)
        return self.filter(due_on__lt=as_of).exclude(self._achieved_by(as_of))

    def upcoming(self, as_of=None, within_days=None):
        """Due on or after the date and not achieved by it, soonest first."""
        as_of = resolve_as_of(as_of)
        pending = self.filter(due_on__gte=as_of).exclude(self._achieved_by(as_of))
        if within_days is not None:
            pending = pending.filter(due_on__lte=as_of + datetime.timedelta(days=within_days))
        return pending.order_by("due_on", "title")
