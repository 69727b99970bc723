"""Staff register webhook endpoints and watch every delivery; events are read-only.
Readers' addresses are not listed here: they manage themselves from their mails."""

from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import DeliveryState, Event, EventType, WebhookDelivery, WebhookEndpoint
from .tasks import deliver_webhook
from .webhooks import validate_webhook_url


class WebhookEndpointForm(forms.ModelForm):
    event_types = forms.MultipleChoiceField(
        label=_("event types"),
        choices=EventType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked means every event type."),
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["description", "url", "event_types", "active", "secret"]

    def clean_url(self):
        url = self.cleaned_data["url"]
        validate_webhook_url(url)
        return url


class DeliveryInline(admin.TabularInline):
    model = WebhookDelivery
    fields = ["event", "state", "attempts", "last_status_code", "last_error", "next_attempt_at", "delivered_at"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    ordering = ["-pk"]
    show_change_link = True


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    form = WebhookEndpointForm
    list_display = ["description", "url", "active", "disabled_reason", "created"]
    list_filter = ["active"]
    readonly_fields = ["disabled_reason", "created"]
    inlines = [DeliveryInline]

    def save_model(self, request, obj, form, change):
        if obj.active:
            obj.disabled_reason = ""  # re-enabled by staff
        super().save_model(request, obj, form, change)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["event", "endpoint", "state", "attempts", "last_status_code", "next_attempt_at", "delivered_at"]
    list_filter = ["state", "endpoint", "event__type"]
    list_select_related = ["event__initiative", "endpoint"]
    readonly_fields = [field.name for field in WebhookDelivery._meta.fields]
    actions = ["retry_now"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Retry the selected deliveries now"))
    def retry_now(self, request, queryset):

        pks = list(queryset.exclude(state=DeliveryState.SENT).values_list("pk", flat=True))
        WebhookDelivery.objects.filter(pk__in=pks).update(state=DeliveryState.PENDING, next_attempt_at=timezone.now())
        for pk in pks:
            deliver_webhook.delay(pk)


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["uid", "type", "initiative", "occurred_at", "fanned_out_at"]
    list_filter = ["type"]
    list_select_related = ["initiative"]
    readonly_fields = [field.name for field in Event._meta.fields] + ["payload"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
