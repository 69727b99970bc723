"""The analysts' admin: initiatives with their updates and milestones inline,
sourced status updates with drafts, a full audit trail, conflict-safe editing
and a CSV import of status updates."""

from axes.helpers import get_cool_off, get_failure_limit
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.admin.views.main import ORDER_VAR, PAGE_VAR
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.timesince import timeuntil
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from . import services
from .cache import CachedPaginator
from .conflicts import SEEN_VERSION, ConflictGuardedAdmin, ConflictGuardedInline, ParentVersionedRowForm
from .corrections import UNPUBLISH_REFUSED, deletion_refusal
from .csvformat import COLUMNS, REQUIRED_COLUMNS, StatusUpdateResource, run_import
from .dates import format_at_precision
from .forms import (
    CitationInlineFormSet,
    StatusUpdateAdminForm,
    StatusUpdateInlineAdminForm,
    StatusUpdateInlineFormSet,
)
from .models import (
    Citation,
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
from .preview import draft_preview
from .translation import TRANSLATED_LANGUAGES, translated, translation_columns
from .vocabularies import Status

# The changelist's page and sort: they do not change how many rows it counts.
CHANGELIST_NOT_FILTERS = (PAGE_VAR, ORDER_VAR)

# Every row is validated before anything is written; beyond this a file is
# better split than held in one request.
MAX_IMPORT_BYTES = 2 * 1024 * 1024


def status_label(status):
    """The status as its label, with its meaning as the tooltip."""
    described = Status.describe(status)
    return format_html('<span title="{}">{}</span>', described.meaning, described.label)


def shortened(text, length):
    """Text cut to ``length`` characters for a list column, whole in the tooltip. Cut by
    slicing, where Truncator walked every character to skip combining marks: that walk
    was a tenth of the status-update changelist's rows, and a cut through a combining
    mark only drops that mark from the shortened column."""
    if len(text) <= length:
        return text
    return format_html('<span title="{}">{}…</span>', text, text[: length - 1])


def warning(flag, label):
    """A condition that needs an analyst's attention, shown as a warning, not a tick."""
    if not flag:
        return ""
    return format_html('<span class="tracker-warning" role="img" aria-label="{0}">⚠ {0}</span>', label)


class TrackerAdmin(ConflictGuardedAdmin):
    """Every tracked model's admin."""

    def action_checkbox(self, obj):
        """The row's checkbox, as Django's CheckboxInput renders it but without the form
        renderer's template per row: those fifty renders were half the status-update
        changelist's time (profiled at 250,000 updates)."""
        label = format_html(gettext("Select this object for an action - {}"), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            label,
        )


class MyDraftsFilter(admin.SimpleListFilter):
    """One click to the drafts the signed-in analyst wrote."""

    title = _("my updates")
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return [("drafts", _("My drafts")), ("all", _("All I wrote"))]

    def queryset(self, request, queryset):
        if self.value() == "drafts":
            return queryset.drafts_by(request.user)
        if self.value() == "all":
            return queryset.filter(author=request.user)
        return queryset


class ChosenInitiativeFilter(admin.SimpleListFilter):
    """Updates of one initiative (``?initiative__id__exact=<id>``, as links from elsewhere
    give it), shown only while chosen. Listing every initiative that has updates read
    all 250k updates and rendered 10,000 links on each changelist view; to find an
    initiative's updates, search its title or slug."""

    title = _("initiative")
    parameter_name = "initiative__id__exact"

    def lookups(self, request, model_admin):
        value = self.value()
        if not (value and value.isdigit()):
            return []
        initiative = Initiative.objects.filter(pk=value).only("title").first()
        return [(value, initiative.title)] if initiative else []

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if not value.isdigit():
            raise IncorrectLookupParameters(value)
        return queryset.filter(initiative_id=value)


def axes_lockout_response(request, original_response=None, credentials=None):
    """django-axes' lockout page (AXES_LOCKOUT_CALLABLE), saying in words how
    long the wait is and who can lift it."""
    now = timezone.now()
    cool_off = get_cool_off(request)
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "wait": timeuntil(now + cool_off, now) if cool_off else None,
    }
    return render(request, "admin/lockout.html", context, status=429)


# --- Initiatives ----------------------------------------------------------------------


class CurrentStatusFilter(admin.SimpleListFilter):
    title = _("current status")
    parameter_name = "status"
    not_assessed = "none"

    def lookups(self, request, model_admin):
        return [*Status.choices, (self.not_assessed, Status.describe(None).label)]

    def queryset(self, request, queryset):
        if self.value() == self.not_assessed:
            return queryset.not_assessed()
        if self.value() in Status.values:
            return queryset.with_status([self.value()])
        return queryset


class StaleFilter(admin.SimpleListFilter):
    title = _("stale")
    parameter_name = "stale"

    def lookups(self, request, model_admin):
        return [("yes", _("Stale")), ("no", _("Up to date or not yet assessed"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.stale()
        if self.value() == "no":
            return queryset.exclude(pk__in=queryset.stale().values("pk"))
        return queryset


class StatusUpdateInline(ConflictGuardedInline, admin.StackedInline):
    """Newest first, new rows at the top, older rows folded to one line each
    (a <details>), so a long history does not bury the page."""

    model = StatusUpdate
    form = StatusUpdateInlineAdminForm
    formset = StatusUpdateInlineFormSet
    template = "admin/initiatives/edit_inline/newest_first.html"
    extra = 0
    ordering = ["-reported_on", "-created"]
    fields = [
        ("reported_on", "reported_on_precision"),
        ("status", "progress"),
        # English, Russian and Kazakh side by side; blank translations fall back to English.
        tuple(translated("headline")),
        tuple(translated("body")),
        "published",
        ("revision_note", "revised_on"),
        ("withdrawn_on", "withdrawal_reason"),
        "author",
    ]
    readonly_fields = ["author", "revised_on", "withdrawn_on", "withdrawal_reason"]
    show_change_link = True

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.request_user = request.user
        return formset

    class Media:
        js = ["js/newest_first_inline.js"]
        css = {"all": ["css/admin.css"]}


class MilestoneInline(ConflictGuardedInline, admin.StackedInline):
    # Stacked: as a table row its eight fields were 1,900 px wide on a 1366 px laptop.
    model = Milestone
    extra = 0
    fields = [
        tuple(translated("title")),
        ("due_on", "due_on_precision"),
        ("achieved_on", "achieved_on_precision"),
        "source",
    ]
    autocomplete_fields = ["source"]
    show_change_link = True


class OrganisationRoleInline(ConflictGuardedInline, admin.TabularInline):
    model = InitiativeOrganisation
    extra = 0
    autocomplete_fields = ["organisation"]


class CountryInline(ConflictGuardedInline, admin.TabularInline):
    model = InitiativeCountry
    extra = 0


class RelationInline(ConflictGuardedInline, admin.TabularInline):
    model = InitiativeRelation
    fk_name = "from_initiative"
    extra = 0
    autocomplete_fields = ["to_initiative"]


class ExternalLinkInline(ConflictGuardedInline, admin.TabularInline):
    model = ExternalLink
    extra = 0


class FieldsetsThenTheRest:
    """The declared fieldsets, then one more holding every other field of the model's form
    (side by side with its translations), so a field added to the model shows in the admin
    without being listed here too."""

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        placed = set(flatten_fieldsets(fieldsets))
        rest = [name for name in self.get_fields(request, obj) if name not in placed]
        return [*fieldsets, (_("More"), {"fields": side_by_side(rest)})] if rest else fieldsets


@admin.register(Initiative)
class InitiativeAdmin(FieldsetsThenTheRest, TrackerAdmin):
    list_display = ["title", "kind", "current_status_label", "progress", "last_update", "stale"]
    list_filter = ["kind", CurrentStatusFilter, "themes", "organisations", StaleFilter]
    search_fields = [*translated("title"), "slug", "summary"]
    autocomplete_fields = ["responsible_body", "themes", "sources"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [
        StatusUpdateInline,
        MilestoneInline,
        OrganisationRoleInline,
        CountryInline,
        RelationInline,
        ExternalLinkInline,
    ]
    fieldsets = [
        (
            None,
            {
                # English (the source), Russian and Kazakh side by side; a blank translation
                # shows the English text on the page, marked as English.
                "fields": [
                    "kind",
                    tuple(translated("title")),
                    "slug",
                    tuple(translated("summary")),
                    tuple(translated("description")),
                    "themes",
                    "sources",
                ]
            },
        ),
        (_("Proposal"), {"fields": ["proposer", "venue", ("proposed_on", "proposed_on_precision")]}),
        (
            _("Program"),
            {
                "fields": [
                    tuple(translated("instrument")),
                    "responsible_body",
                    ("period_start", "period_start_precision"),
                    ("period_end", "period_end_precision"),
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_current_status()

    def get_readonly_fields(self, request, obj=None):
        # The slug is in every public URL and API link: it stays as first saved.
        return ["slug"] if obj else []

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj else self.prepopulated_fields

    @admin.display(description=_("current status"), ordering="current_status")
    def current_status_label(self, obj):
        return status_label(obj.current_status)

    @admin.display(description=_("progress"), ordering="current_progress")
    def progress(self, obj):
        return "" if obj.current_progress is None else f"{obj.current_progress}%"

    @admin.display(description=_("last update"), ordering="last_reported_on")
    def last_update(self, obj):
        return obj.last_reported_on

    @admin.display(description=_("stale"), ordering="is_stale")
    def stale(self, obj):
        return warning(obj.is_stale, gettext("Stale"))

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj.delete()
        for instance in instances:
            if isinstance(instance, StatusUpdate) and instance._state.adding:
                instance.author = request.user
            instance.save()
        formset.save_m2m()


# --- Status updates -----------------------------------------------------------------


class CitationInline(admin.StackedInline):
    """The evidence: each quote is checked against its source's archived text."""

    model = Citation
    form = ParentVersionedRowForm
    formset = CitationInlineFormSet
    extra = 0
    min_num = 0
    fields = ["source", "quote", translation_columns("quote"), "paragraph", SEEN_VERSION]
    autocomplete_fields = ["source"]


@admin.register(StatusUpdate)
class StatusUpdateAdmin(TrackerAdmin):
    form = StatusUpdateAdminForm
    # Seven narrow columns that fit a 1366 px laptop beside the filters: long
    # headlines and titles are cut, with the full text as the tooltip.
    list_display = ["headline_short", "initiative_short", "reported", "status_label", "progress", "published", "author"]
    list_display_links = ["headline_short"]
    list_filter = [
        MyDraftsFilter,
        ChosenInitiativeFilter,
        "status",
        "published",
        # Every account (a few analysts), not only those with updates: that took a
        # DISTINCT over every update.
        "author",
        "initiative__kind",
        # Today / past 7 days / this month / this year: no query of its own, where a
        # date hierarchy ran SELECT DISTINCT over every update's date (53 ms at 250k).
        "reported_on",
    ]
    list_select_related = ["initiative", "author"]
    # "N results (M total)": a second COUNT(*) over every update on each filtered page.
    show_full_result_count = False
    # Rendering the rows was most of the page once the queries were cut (profiled at
    # 250k updates on a loaded machine: about 400 of 500 ms for 100 rows); 50 a page.
    list_per_page = 50

    search_fields = [*translated("headline"), "body", "initiative__title", "initiative__slug"]
    autocomplete_fields = ["initiative"]
    readonly_fields = ["author", "created", "modified", "revised_on", "withdrawn_on", "withdrawal_reason"]
    actions = ["publish", "unpublish", "withdraw", "delete_selected"]
    inlines = [CitationInline]
    fields = [
        "initiative",
        ("reported_on", "reported_on_precision"),
        ("status", "progress"),
        tuple(translated("headline")),
        tuple(translated("body")),
        "published",
        ("revision_note", "revised_on"),
        ("withdrawn_on", "withdrawal_reason"),
        ("author", "created", "modified"),
    ]

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        """The count (COUNT(*) over 250,000 updates: 20 ms) is kept until the data changes,
        per analyst and filter state, so paging and coming back to the list count once."""
        state = (
            "admin-status-updates",
            request.user.pk,
            *sorted(
                (name, tuple(values)) for name, values in request.GET.lists() if name not in CHANGELIST_NOT_FILTERS
            ),
        )
        return CachedPaginator(
            queryset, per_page, orphans=orphans, allow_empty_first_page=allow_empty_first_page, count_parts=state
        )

    @admin.display(description=_("status"), ordering="status")
    def status_label(self, obj):
        return status_label(obj.status)

    @admin.display(description=_("headline"), ordering="headline")
    def headline_short(self, obj):
        return shortened(obj.headline, 60)

    @admin.display(description=_("initiative"), ordering="initiative__title")
    def initiative_short(self, obj):
        return shortened(obj.initiative.title, 32)

    @admin.display(description=_("reported on"), ordering="reported_on")
    def reported(self, obj):
        return format_at_precision(obj.reported_on, obj.reported_on_precision)

    def has_delete_permission(self, request, obj=None):
        # Published updates are the public record: only a superuser deletes one
        # (corrections.deletion_refusal, checked against the stored row).
        if obj is not None and deletion_refusal(user=request.user, updates=[obj]):
            return False
        return super().has_delete_permission(request, obj)

    @admin.action(description=_("Delete selected status updates"), permissions=["delete"])
    def delete_selected(self, request, queryset):
        refusal = deletion_refusal(
            user=request.user, updates=list(queryset.select_related(None).only("pk", "headline"))
        )
        if refusal:
            self.message_user(request, refusal, messages.ERROR)
            return None
        return delete_selected(self, request, queryset)

    @admin.action(description=_("Withdraw the selected published updates (with a reason)"), permissions=["change"])
    def withdraw(self, request, queryset):
        """Asks for the reason readers will see, then withdraws."""
        reason = request.POST.get("withdrawal_reason", "").strip()
        if "apply" in request.POST and reason:
            result = services.withdraw_updates(updates=queryset, reason=reason, user=request.user)
            self.report(
                request,
                result,
                changed=lambda n: ngettext("Withdrew %(count)d update.", "Withdrew %(count)d updates.", n),
                refused=gettext("Not withdrawn (drafts, or already withdrawn): %(updates)s."),
                refused_level=messages.WARNING,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Withdraw status updates"),
            "updates": queryset,
            "reason_missing": "apply" in request.POST,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/initiatives/statusupdate/withdraw.html", context)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.author = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if self._changes_nothing(form, change) and any(formset.has_changed() for formset in formsets):
            # Only the citations changed: they are part of what the update says, so
            # they get an audit record (and a new version) of their own. A fresh copy
            # is saved: the form's instance holds the values the editor was shown.
            update = StatusUpdate.objects.get(pk=form.instance.pk)
            update._history_user = request.user
            update.save()
        # The audit record was written with the update, before its citations.
        services.record_citations_in_history(update=form.instance)

    @admin.action(description=_("Publish the selected updates"), permissions=["change"])
    def publish(self, request, queryset):
        result = services.publish_updates(updates=queryset, user=request.user)
        self.report(
            request,
            result,
            changed=lambda n: ngettext("Published %(count)d update.", "Published %(count)d updates.", n),
            refused=gettext("Not published, because they cite no source: %(updates)s. Add a source first."),
        )

    @admin.action(description=_("Unpublish the selected updates (back to draft)"), permissions=["change"])
    def unpublish(self, request, queryset):
        result = services.unpublish_updates(updates=queryset, user=request.user)
        self.report(
            request,
            result,
            changed=lambda n: ngettext("Unpublished %(count)d update.", "Unpublished %(count)d updates.", n),
            refused=str(UNPUBLISH_REFUSED),
        )

    def report(self, request, result, *, changed, refused, refused_level=messages.ERROR):
        """A bulk action's outcome (services.PublishResult): how many updates changed,
        ``changed(n)`` worded, and the ones refused, ``refused`` given their headlines as
        %(updates)s."""
        if result.changed:
            count = len(result.changed)
            self.message_user(request, changed(count) % {"count": count}, messages.SUCCESS)
        if result.refused:
            headlines = "; ".join(update.headline for update in result.refused)
            self.message_user(request, refused % {"updates": headlines}, refused_level)

    def get_urls(self):
        return [
            path(
                "import-csv/",
                self.admin_site.admin_view(self.import_csv_view),
                name="initiatives_statusupdate_import_csv",
            ),
            path(
                "<path:object_id>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="initiatives_statusupdate_preview",
            ),
            path(
                "export-csv/",
                self.admin_site.admin_view(self.export_csv_view),
                name="initiatives_statusupdate_export_csv",
            ),
            *super().get_urls(),
        ]

    def view_on_site(self, obj):
        """A draft's "View on site" is its preview: the public page does not show it."""
        if obj.published:
            return obj.get_absolute_url()
        return reverse("admin:initiatives_statusupdate_preview", args=[obj.pk])

    def preview_view(self, request, object_id):
        """The initiative's page as it will look with this draft published (staff
        only: admin_view sends anyone else to the login page)."""
        update = self.get_object(request, object_id)
        if update is None:
            raise Http404
        if not self.has_view_permission(request, update):
            raise PermissionDenied
        if update.published:
            return HttpResponseRedirect(update.get_absolute_url())
        return draft_preview(request, update=update)

    def export_csv_view(self, request):
        """The updates of the changelist as filtered (drafts too), in the import's
        format: each row with its id and the version it was exported at."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        queryset = self.get_changelist_instance(request).get_queryset(request)
        dataset = StatusUpdateResource().export(StatusUpdateResource.export_queryset(queryset))
        response = HttpResponse(dataset.csv, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="status-updates-for-editing.csv"'
        return response

    def import_csv_view(self, request):
        """Upload, dry run (writes nothing), then confirm (applies exactly that)."""
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Import status updates from CSV"),
            "columns": COLUMNS,
            "required_columns": REQUIRED_COLUMNS,
        }
        if request.method == "POST" and "csv_text" in request.POST:
            try:
                report = services.import_status_updates(csv_text=request.POST["csv_text"], author=request.user)
            except services.ImportRejected as rejected:
                context["report"] = rejected.report
            else:
                self.message_user(
                    request,
                    gettext("Imported: %(created)d created, %(changed)d changed, %(unchanged)d unchanged.")
                    % {"created": report.created, "changed": report.changed, "unchanged": report.unchanged},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse("admin:initiatives_statusupdate_changelist"))
        elif request.method == "POST":
            csv_text, context["upload_error"] = self._read_upload(request.FILES.get("csv_file"))
            if csv_text is not None:
                context["report"] = run_import(csv_text, user=request.user, dry_run=True)
                context["csv_text"] = csv_text
        return TemplateResponse(request, "admin/initiatives/statusupdate/import_csv.html", context)

    @staticmethod
    def _read_upload(upload):
        """(text, None) or (None, why not)."""
        if upload is None:
            return None, gettext("Choose a CSV file.")
        if upload.size > MAX_IMPORT_BYTES:
            return None, gettext("The file is larger than %(size)s; split it into smaller files.") % {
                "size": filesizeformat(MAX_IMPORT_BYTES)
            }
        try:
            return upload.read().decode("utf-8-sig"), None
        except UnicodeDecodeError:
            return None, gettext("The file is not UTF-8 text; save it as CSV UTF-8.")


# --- Milestones and reference data -------------------------------------------------------


class TranslationsSideBySide:
    """A form whose fields follow the model: each text field on one row with its
    Russian and Kazakh versions (English, the original, first), so a translator
    sees what they translate; fields added to the model later appear by themselves."""

    def get_fields(self, request, obj=None):
        if self.fields:
            return self.fields
        return side_by_side(super().get_fields(request, obj))


def side_by_side(fields):
    names = set(fields)
    rows = []
    for name in fields:
        versions = translated(name)
        if name.endswith(tuple(f"_{code}" for code in TRANSLATED_LANGUAGES)) and name.rsplit("_", 1)[0] in names:
            continue
        present = [version for version in versions if version in names]
        rows.append(tuple(present) if len(present) > 1 else name)
    return rows


class OverdueFilter(admin.SimpleListFilter):
    """The start page's "overdue milestones", in full."""

    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Overdue"))]

    def queryset(self, request, queryset):
        return queryset.overdue() if self.value() == "yes" else queryset


@admin.register(Milestone)
class MilestoneAdmin(TranslationsSideBySide, TrackerAdmin):
    list_display = ["title", "initiative", "due", "achieved", "overdue"]
    list_filter = [OverdueFilter, "initiative__kind", "due_on", "achieved_on"]
    list_select_related = ["initiative"]
    search_fields = [*translated("title"), "description", "initiative__title"]
    autocomplete_fields = ["initiative", "source"]
    date_hierarchy = "due_on"

    def get_queryset(self, request):
        return super().get_queryset(request).with_state()

    @admin.display(description=_("overdue"), ordering="is_overdue")
    def overdue(self, obj):
        return warning(obj.is_overdue, gettext("Overdue"))

    @admin.display(description=_("due on"), ordering="due_on")
    def due(self, obj):
        return format_at_precision(obj.due_on, obj.due_on_precision)

    @admin.display(description=_("achieved on"), ordering="achieved_on")
    def achieved(self, obj):
        return format_at_precision(obj.achieved_on, obj.achieved_on_precision)


@admin.register(Organisation)
class OrganisationAdmin(TranslationsSideBySide, TrackerAdmin):
    list_display = ["name", "kind", "country"]
    list_filter = ["kind", "country"]
    search_fields = [*translated("name"), "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Theme)
class ThemeAdmin(TrackerAdmin):
    list_display = [*translated("name"), "slug"]
    search_fields = [*translated("name"), "slug"]
    fields = [tuple(translated("name")), "slug", tuple(translated("description"))]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Source)
class SourceAdmin(TranslationsSideBySide, TrackerAdmin):
    list_display = ["title", "publisher", "kind", "published_on", "reference"]
    list_filter = ["kind", "published_on"]
    search_fields = [*translated("title"), "publisher", "author", "reference", "url"]
    date_hierarchy = "published_on"


# The links hang off an initiative and are edited inline there; they are listed
# here too so that their own audit trail is one click away.


@admin.register(InitiativeOrganisation)
class InitiativeOrganisationAdmin(TrackerAdmin):
    list_display = ["initiative", "organisation", "role"]
    list_filter = ["role"]
    list_select_related = ["initiative", "organisation"]
    search_fields = ["initiative__title", "organisation__name"]
    autocomplete_fields = ["initiative", "organisation"]


@admin.register(InitiativeCountry)
class InitiativeCountryAdmin(TrackerAdmin):
    list_display = ["initiative", "country"]
    list_filter = ["country"]
    list_select_related = ["initiative"]
    search_fields = ["initiative__title", "country"]
    autocomplete_fields = ["initiative"]


@admin.register(InitiativeRelation)
class InitiativeRelationAdmin(TrackerAdmin):
    list_display = ["from_initiative", "relation_type", "to_initiative"]
    list_filter = ["relation_type"]
    list_select_related = ["from_initiative", "to_initiative"]
    search_fields = ["from_initiative__title", "to_initiative__title", "note"]
    autocomplete_fields = ["from_initiative", "to_initiative"]


@admin.register(ExternalLink)
class ExternalLinkAdmin(TrackerAdmin):
    list_display = ["initiative", "kind", "label", "url"]
    list_filter = ["kind"]
    list_select_related = ["initiative"]
    search_fields = ["initiative__title", "label", "url"]
    autocomplete_fields = ["initiative"]
