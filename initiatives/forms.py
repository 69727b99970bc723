"""Admin forms: the status-update rules analysts must follow, and the guard that
stops one analyst's save from silently overwriting another's."""

import datetime
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import get_text_list
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.utils import get_m2m_reverse_field_name

from .corrections import PUBLIC_FIELDS, deletion_refusal, ever_published
from .models import Initiative, StatusUpdate

# --- Conflict-safe editing ----------------------------------------------------------


def latest_versions(model, pks):
    """The newest audit-trail record id of each object: its version.

    Every save (by a form, an admin action, an import or a script) adds a
    history record, so an unchanged id means nobody has written since.
    """
    history = model.history.model
    pk_name = model._meta.pk.attname
    rows = history.objects.filter(**{f"{pk_name}__in": pks}).values(pk_name).annotate(version=Max("history_id"))
    return {row[pk_name]: row["version"] for row in rows}


def _editor_name(user):
    if user is None:
        return gettext("a script")
    return user.get_full_name() or user.get_username()


def _comparable(model_field, value):
    """A field's value from a form or an audit record, in one comparable shape."""
    if model_field.many_to_many:
        key = get_m2m_reverse_field_name(model_field)
        return frozenset(item[key] if isinstance(item, dict) else getattr(item, "pk", item) for item in value or [])
    return getattr(value, "pk", value)


@dataclass
class Conflict:
    """Writes made after the version an editor saw: by whom, when, and how the
    changed fields stood then (``seen``) and stand now (``current``)."""

    editors: list
    when: datetime.datetime
    seen: dict
    current: dict

    @classmethod
    def since(cls, model, pk, seen_version):
        history = model.history.filter(**{model._meta.pk.attname: pk}).select_related("history_user")
        newer = list(history.filter(history_id__gt=seen_version or 0).order_by("history_id"))
        latest = newer[-1]
        seen_record = history.filter(history_id=seen_version).first() if seen_version else None
        seen, current = {}, {}
        if seen_record is not None:
            for change in latest.diff_against(seen_record).changes:
                model_field = model._meta.get_field(change.field)
                seen[change.field] = _comparable(model_field, change.old)
                current[change.field] = _comparable(model_field, change.new)
        editors = list(dict.fromkeys(_editor_name(record.history_user) for record in newer))
        return cls(editors=editors, when=latest.history_date, seen=seen, current=current)


class SeenVersionField(forms.CharField):
    """The version the editor saw, carried in a hidden input. It is never a change
    in itself, so an untouched inline row is not saved (nor checked) for it."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def has_changed(self, initial, data):
        return False


class ConflictGuardMixin:
    """Refuses the save when the object was written after the editor opened it.

    The admin runs validation and save in one transaction; the row is locked
    (on PostgreSQL) before the version is compared, so a concurrent save waits
    and then sees the new version instead of racing past the check.
    """

    #: Inline rows are saved only when edited; the main form is always saved.
    check_only_when_changed = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            version = getattr(self.instance, "_current_version", None)
            if version is None:
                version = latest_versions(type(self.instance), [self.instance.pk]).get(self.instance.pk)
            self.fields["seen_version"].initial = version or ""

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk and (self.has_changed() or not self.check_only_when_changed):
            self._refuse_if_changed_since_seen()
        return cleaned_data

    def _refuse_if_changed_since_seen(self):
        model = type(self.instance)
        list(model._default_manager.select_for_update().filter(pk=self.instance.pk).values_list("pk", flat=True))
        current_version = latest_versions(model, [self.instance.pk]).get(self.instance.pk)
        raw = self.data.get(self.add_prefix("seen_version"), "")
        seen_version = int(raw) if str(raw).isdigit() else None
        if current_version is None or current_version == seen_version:
            return
        conflict = Conflict.since(model, self.instance.pk, seen_version)
        if self.check_only_when_changed and self._only_their_changes_differ(conflict):
            # An inline row the editor never touched: nothing of theirs to save,
            # and saving the stale copy would undo the other change.
            self.untouched_since_seen = True
            return
        # The form is shown again as a merge: their changes to fields this editor
        # left alone are taken in, so saving again overwrites only what both changed.
        self.data = self.data.copy()
        self.data[self.add_prefix("seen_version")] = str(current_version)
        both = []
        for name, current in conflict.current.items():
            if name not in self.fields:
                continue
            model_field = model._meta.get_field(name)
            if name in self.cleaned_data and _comparable(model_field, self.cleaned_data[name]) == conflict.seen[name]:
                self._show_value(name, current)
            else:
                both.append(model_field.verbose_name)
        self.add_error(None, self._conflict_message(conflict, both))

    def _only_their_changes_differ(self, conflict):
        return all(
            name in conflict.seen
            and name in self.cleaned_data
            and _comparable(type(self.instance)._meta.get_field(name), self.cleaned_data[name]) == conflict.seen[name]
            for name in self.changed_data
        )

    def has_changed(self):
        return not getattr(self, "untouched_since_seen", False) and super().has_changed()

    def _show_value(self, name, value):
        key = self.add_prefix(name)
        if isinstance(value, frozenset):
            self.data.setlist(key, [str(item) for item in sorted(value)])
        elif isinstance(value, bool):
            if value:
                self.data[key] = "on"
            else:
                self.data.pop(key, None)
        elif isinstance(value, datetime.date):
            self.data[key] = value.isoformat()
        else:
            self.data[key] = "" if value is None else str(value)

    def _conflict_message(self, conflict, both):
        model = type(self.instance)
        params = {
            "model": model._meta.verbose_name,
            "who": get_text_list(conflict.editors, gettext("and")),
            "when": date_format(timezone.localtime(conflict.when), "DATETIME_FORMAT"),
            "fields": get_text_list(
                [str(model._meta.get_field(name).verbose_name) for name in conflict.current], gettext("and")
            ),
            "both": get_text_list([str(name) for name in both], gettext("and")),
        }
        if conflict.current:
            message = gettext("%(who)s changed %(fields)s of this %(model)s at %(when)s, after you opened it.") % params
        else:
            message = gettext("%(who)s changed this %(model)s at %(when)s, after you opened it.") % params
        message += " " + gettext("Your changes were not saved. The form now shows their changes together with yours.")
        if both:
            message += (
                " "
                + gettext(
                    "You both changed %(both)s: the form shows your version; save again to keep it, "
                    "or reload the page to start from theirs."
                )
                % params
            )
        else:
            message += " " + gettext("Check it and save again.")
        return message


# --- Status updates -----------------------------------------------------------------


class StatusUpdateRulesMixin:
    """The rules a status update must meet, whichever way it comes in. Its
    citations are checked by their own formset (CitationInlineFormSet)."""

    def clean(self):
        cleaned_data = super().clean()
        reported_on = cleaned_data.get("reported_on")
        if reported_on and reported_on > timezone.localdate():
            self.add_error("reported_on", _("An update cannot be reported as of a future date."))
        return cleaned_data


class RevisionNoteMixin:
    """Once published, an update's public fields change only with a new revision
    note; the note dates the revision (revised_on) and readers see both."""

    def clean(self):
        cleaned_data = super().clean()
        self.instance._new_revision_note = False
        if not self.instance.pk or not ever_published([self.instance.pk]):
            return cleaned_data
        stored = StatusUpdate.objects.filter(pk=self.instance.pk).values(*PUBLIC_FIELDS, "revision_note").first()
        if stored is None:
            return cleaned_data
        changed = [name for name in PUBLIC_FIELDS if name in cleaned_data and cleaned_data[name] != stored[name]]
        note = (cleaned_data.get("revision_note") or "").strip()
        if note and note != (stored["revision_note"] or "").strip():
            self.instance._new_revision_note = True
            self.instance.revised_on = timezone.localdate()
        elif changed:
            self.add_error(
                "revision_note",
                _(
                    "This update has been published, and you changed %(fields)s. Write a new revision note "
                    "saying what changed and why: readers will see it beside the update."
                )
                % {
                    "fields": get_text_list(
                        [str(StatusUpdate._meta.get_field(name).verbose_name) for name in changed], gettext("and")
                    )
                },
            )
        return cleaned_data


def percentage_field():
    # Checked on the form so that a bad value reads as one clear message instead
    # of that plus the database constraint's generic one.
    return forms.IntegerField(
        label=_("progress"),
        required=False,
        min_value=0,
        max_value=100,
        help_text=StatusUpdate._meta.get_field("progress").help_text,
        error_messages={
            "min_value": _("Progress is a percentage, 0 to 100."),
            "max_value": _("Progress is a percentage, 0 to 100."),
        },
    )


class StatusUpdateAdminForm(RevisionNoteMixin, StatusUpdateRulesMixin, ConflictGuardMixin, forms.ModelForm):
    progress = percentage_field()
    seen_version = SeenVersionField()

    class Meta:
        model = StatusUpdate
        fields = [
            "initiative",
            "reported_on",
            "reported_on_precision",
            "status",
            "progress",
            "headline",
            "headline_ru",
            "headline_kk",
            "body",
            "body_ru",
            "body_kk",
            "published",
            "revision_note",
        ]


class StatusUpdateInlineAdminForm(StatusUpdateAdminForm):
    """An update edited on its initiative's page, where its citations cannot be
    edited: it is published only once its own page has given it one."""

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("published") and not (self.instance.pk and self.instance.citations.exists()):
            self.add_error(
                "published",
                _(
                    "A published update must cite at least one source. Save it as a draft, add its "
                    "citations on its own page, then publish it."
                ),
            )
        return cleaned_data


class CitationInlineFormSet(forms.BaseInlineFormSet):
    """An update's citations: a published update keeps at least one, and once
    published its evidence changes only with a revision note."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        edited = any(form.has_changed() for form in self.forms) or self.deleted_forms
        if (
            edited
            and self.instance.pk
            and not getattr(self.instance, "_new_revision_note", False)
            and ever_published([self.instance.pk])
        ):
            raise ValidationError(
                _(
                    "This update has been published: its citations change only with a new revision note "
                    "saying what changed and why."
                ),
                code="revision_note_needed",
            )
        if not self.instance.published:
            return
        kept = [form for form in self.forms if form.has_changed() or form.instance.pk]
        kept = [form for form in kept if not self._should_delete_form(form) and form.cleaned_data.get("source")]
        if not kept:
            raise ValidationError(
                _("A published update must cite at least one source. Add one, or keep it as a draft."),
                code="no_citation",
            )


class StatusUpdateInlineFormSet(forms.BaseInlineFormSet):
    """The updates inline on an initiative: versions read in one query, and
    published updates protected from deletion."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        updates = list(self.get_queryset())
        versions = latest_versions(StatusUpdate, [update.pk for update in updates])
        for update in updates:
            update._current_version = versions.get(update.pk, "")

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.check_only_when_changed = True
        return form

    #: Set per request by the inline (StatusUpdateInline.get_formset).
    request_user = None

    def clean(self):
        super().clean()
        deleted = [form.instance for form in self.deleted_forms if form.instance.pk]
        refusal = deletion_refusal(user=self.request_user, updates=deleted) if deleted else None
        if refusal:
            raise ValidationError(refusal, code="published_not_deleted")


# --- Initiatives ----------------------------------------------------------------------


class InitiativeAdminForm(ConflictGuardMixin, forms.ModelForm):
    seen_version = SeenVersionField()

    class Meta:
        model = Initiative
        fields = [
            "kind",
            "title",
            "title_ru",
            "title_kk",
            "slug",
            "summary",
            "summary_ru",
            "summary_kk",
            "description",
            "description_ru",
            "description_kk",
            "themes",
            "sources",
            "proposer",
            "venue",
            "proposed_on",
            "proposed_on_precision",
            "instrument",
            "responsible_body",
            "period_start",
            "period_start_precision",
            "period_end",
            "period_end_precision",
        ]
