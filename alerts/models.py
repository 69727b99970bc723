"""Following: readers' email subscriptions, staff-registered webhook endpoints,
and the events both are told about, with one delivery row per recipient so
that nothing is sent twice.

A subscription keeps only the address and its preferences (what, how often,
which language). Tokens in links are signed, never stored.
"""

import base64
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from initiatives.models import Initiative, Milestone, Organisation, StatusUpdate, Theme
from initiatives.translation import localized


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", _("At once, one mail per change")
    WEEKLY = "weekly", _("A weekly digest")


class Subscription(models.Model):
    """One address following one thing: an initiative, a theme, an organisation, or
    everything (no target)."""

    email = models.EmailField(_("email address"), db_index=True)
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency, default=Frequency.IMMEDIATE)
    confirmed = models.BooleanField(_("confirmed"), default=False)
    # Only to delete requests that were never confirmed (ALERTS_CONFIRM_DAYS); cleared on confirmation.
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now, null=True, blank=True)

    class Meta:
        ordering = ["email", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(initiative__isnull=True, theme__isnull=True)
                | Q(initiative__isnull=True, organisation__isnull=True)
                | Q(theme__isnull=True, organisation__isnull=True),
                name="subscription_one_target",
            ),
            models.UniqueConstraint(
                fields=["email"],
                condition=Q(initiative__isnull=True, theme__isnull=True, organisation__isnull=True),
                name="subscription_unique_everything",
            ),
            models.UniqueConstraint(
                fields=["email", "initiative"],
                condition=Q(initiative__isnull=False),
                name="subscription_unique_initiative",
            ),
            models.UniqueConstraint(
                fields=["email", "theme"], condition=Q(theme__isnull=False), name="subscription_unique_theme"
            ),
            models.UniqueConstraint(
                fields=["email", "organisation"],
                condition=Q(organisation__isnull=False),
                name="subscription_unique_organisation",
            ),
        ]
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")

    def __str__(self):
        return str(self.target_label)

    @property
    def target(self):
        return self.initiative or self.theme or self.organisation

    @property
    def target_label(self):
        target = self.target
        if target is None:
            return _("Every status update")
        return localized(target, "title" if self.initiative_id else "name")


class EventType(models.TextChoices):
    UPDATE_PUBLISHED = "update.published", _("Update published")
    UPDATE_REVISED = "update.revised", _("Update revised")
    UPDATE_WITHDRAWN = "update.withdrawn", _("Update withdrawn")
    MILESTONE_ACHIEVED = "milestone.achieved", _("Milestone achieved")
    MILESTONE_OVERDUE = "milestone.overdue", _("Milestone overdue")


# Readers are mailed about what a published update says; webhooks hear everything.
MAILED_EVENT_TYPES = (EventType.UPDATE_PUBLISHED, EventType.UPDATE_REVISED, EventType.UPDATE_WITHDRAWN)


def new_event_id():
    return f"evt_{uuid.uuid4().hex}"


class Event(models.Model):
    """Something readers and clients are told about, once. ``key`` names its cause
    (a history record, or a milestone's due date), so the same cause can never
    make a second event."""

    uid = models.CharField(_("event id"), max_length=40, unique=True, default=new_event_id, editable=False)
    type = models.CharField(_("type"), max_length=30, choices=EventType)
    key = models.CharField(_("cause"), max_length=100, unique=True)
    occurred_at = models.DateTimeField(_("occurred at"))
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="+")
    update = models.ForeignKey(StatusUpdate, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    previous_status = models.CharField(_("previous status"), max_length=12, blank=True)
    payload = models.JSONField(_("payload"), null=True, blank=True, editable=False)
    fanned_out_at = models.DateTimeField(_("fanned out at"), null=True, blank=True)

    class Meta:
        ordering = ["-occurred_at"]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self):
        return f"{self.get_type_display()}: {self.initiative} ({self.uid})"


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Delivered")
    FAILED = "failed", _("Failed")


class Mailing(models.Model):
    """One event for one subscription: sent at once, or kept for the weekly digest."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="mailings")
    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="mailings")
    digest = models.BooleanField(default=False)
    state = models.CharField(max_length=10, choices=DeliveryState, default=DeliveryState.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "subscription"], name="mailing_once_per_event")]
        indexes = [models.Index(fields=["state", "digest"], name="mailing_state_idx")]

    def __str__(self):
        return f"{self.event.uid} → {self.subscription_id}"


def new_webhook_secret():
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


class WebhookEndpoint(models.Model):
    """An API client's receiver, registered by staff."""

    url = models.URLField(_("URL"), max_length=500, help_text=_("http(s) only; must resolve to a public address."))
    description = models.CharField(_("description"), max_length=200, help_text=_("Who runs it and why."))
    secret = models.CharField(
        _("signing secret"),
        max_length=100,
        default=new_webhook_secret,
        help_text=_("Give this to the client: it verifies the webhook-signature header (Standard Webhooks)."),
    )
    event_types = models.JSONField(
        _("event types"), default=list, blank=True, help_text=_("Empty means every event type.")
    )
    active = models.BooleanField(_("active"), default=True)
    disabled_reason = models.CharField(_("why disabled"), max_length=300, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["description"]
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self):
        return f"{self.description} ({self.url})"

    def wants(self, event_type):
        return not self.event_types or event_type in self.event_types


class WebhookDelivery(models.Model):
    """One event to one endpoint, with its retries."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")
    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    state = models.CharField(_("state"), max_length=10, choices=DeliveryState, default=DeliveryState.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(_("last HTTP status"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        ordering = ["-pk"]
        constraints = [models.UniqueConstraint(fields=["event", "endpoint"], name="webhookdelivery_once_per_event")]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="webhookdelivery_due_idx")]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")

    def __str__(self):
        return f"{self.event.uid} → {self.endpoint.url}"
