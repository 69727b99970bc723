"""The guard that stops one analyst's save from silently overwriting another's,
for every admin change form and every inline row.

A version is the newest audit-trail record id of an object: every save (by a
form, an admin action, an import or a script) adds one, so the version an editor
saw travels with the form and is compared, under a row lock, when they save.
"""

import datetime
from dataclasses import dataclass

from django import forms
from django.contrib.admin.utils import flatten_fieldsets
from django.db import router, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator, get_text_list
from django.utils.translation import gettext
from simple_history.admin import SimpleHistoryAdmin
from simple_history.utils import get_m2m_reverse_field_name

from .partialdates import PartialDatesMixin

SEEN_VERSION = "seen_version"


def latest_versions(model, pks):
    """The newest audit-trail record id of each object: its version."""
    history = model.history.model
    pk_name = model._meta.pk.attname
    rows = history.objects.filter(**{f"{pk_name}__in": pks}).values(pk_name).annotate(version=Max("history_id"))
    return {row[pk_name]: row["version"] for row in rows}


def _editor_name(user):
    if user is None:
        return gettext("a script")
    return user.get_full_name() or user.get_username()


def comparable(model_field, value):
    """A field's value from a form or an audit record, in one comparable shape."""
    if model_field.many_to_many:
        key = get_m2m_reverse_field_name(model_field)
        return frozenset(item[key] if isinstance(item, dict) else getattr(item, "pk", item) for item in value or [])
    if model_field.is_relation:
        return getattr(value, "pk", value)
    if value in (None, ""):
        return None if model_field.null else value
    return model_field.get_prep_value(value)


def displayed(model_field, value):
    """A comparable value as an analyst reads it in a message."""
    if value in (None, "") or value == frozenset():
        return gettext("(empty)")
    if model_field.is_relation:
        related = model_field.related_model._default_manager
        if model_field.many_to_many:
            return ", ".join(sorted(str(obj) for obj in related.filter(pk__in=value)))
        return str(related.filter(pk=value).first() or value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return Truncator(str(value)).chars(120)


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
        """The conflict, or None when the records written since change no field
        (an unknown seen version always conflicts: what changed cannot be told)."""
        history = model.history.filter(**{model._meta.pk.attname: pk}).select_related("history_user")
        newer = list(history.filter(history_id__gt=seen_version or 0).order_by("history_id"))
        latest = newer[-1]
        seen_record = history.filter(history_id=seen_version).first() if seen_version else None
        seen, current = {}, {}
        if seen_record is not None:
            for change in latest.diff_against(seen_record).changes:
                model_field = model._meta.get_field(change.field)
                seen[change.field] = comparable(model_field, change.old)
                current[change.field] = comparable(model_field, change.new)
            if not current:
                return None
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
    and then sees the new version instead of racing past the check. New objects
    are never checked: adding a row cannot overwrite anyone.
    """

    #: Inline rows are checked only when edited; the main form always is.
    check_only_when_changed = False
    #: A revert from the history page posts an old version on purpose.
    is_revert = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            version = getattr(self.instance, "_current_version", None)
            if version is None:
                version = latest_versions(type(self.instance), [self.instance.pk]).get(self.instance.pk)
            self.fields[SEEN_VERSION].initial = version or ""

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk and (self.has_changed() or not self.check_only_when_changed):
            self._refuse_if_changed_since_seen()
        return cleaned_data

    def has_changed(self):
        return not getattr(self, "untouched_since_seen", False) and super().has_changed()

    def _refuse_if_changed_since_seen(self):
        model = type(self.instance)
        list(model._default_manager.select_for_update().filter(pk=self.instance.pk).values_list("pk", flat=True))
        current_version = latest_versions(model, [self.instance.pk]).get(self.instance.pk)
        raw = self.data.get(self.add_prefix(SEEN_VERSION), "")
        seen_version = int(raw) if str(raw).isdigit() else None
        if current_version is None or current_version == seen_version:
            return
        conflict = Conflict.since(model, self.instance.pk, seen_version)
        if conflict is None:
            return
        if not self.is_revert and self._only_their_changes_differ(conflict):
            # The editor changed nothing here: nothing of theirs to save, and
            # saving the stale copy would undo the other change.
            self.untouched_since_seen = True
            return
        # The form is shown again as a merge: their changes to fields this editor
        # left alone are taken in, so saving again overwrites only what both changed.
        self.data = self.data.copy()
        self.data[self.add_prefix(SEEN_VERSION)] = str(current_version)
        yours, both = {}, []
        for name, current in conflict.current.items():
            model_field = model._meta.get_field(name)
            mine = comparable(model_field, self.cleaned_data[name]) if name in self.cleaned_data else None
            yours[name] = mine if name in self.cleaned_data else conflict.seen[name]
            if name not in self.fields:
                continue
            if mine == conflict.seen[name]:
                self._show_value(name, current)
            elif mine != current:
                both.append(model_field.verbose_name)
        self.add_error(None, self._conflict_message(conflict, yours, both))

    def _only_their_changes_differ(self, conflict):
        model = type(self.instance)
        return all(
            name in conflict.seen
            and name in self.cleaned_data
            and comparable(model._meta.get_field(name), self.cleaned_data[name]) == conflict.seen[name]
            for name in self.changed_data
        )

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

    def _conflict_message(self, conflict, yours, both):
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
            message += " " + "; ".join(
                gettext("%(field)s: theirs “%(theirs)s”, yours “%(yours)s”")
                % {
                    "field": model._meta.get_field(name).verbose_name,
                    "theirs": displayed(model._meta.get_field(name), current),
                    "yours": displayed(model._meta.get_field(name), yours[name]),
                }
                for name, current in conflict.current.items()
            )
            message += "."
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


class ConflictGuardedModelForm(ConflictGuardMixin, PartialDatesMixin, forms.ModelForm):
    """Every admin form: guarded, with dates entered at their precision (their
    stored values are settled before the guard compares them)."""

    seen_version = SeenVersionField()


class ConflictGuardedInlineFormSet(forms.BaseInlineFormSet):
    """Inline rows: every row's version read in one query; a row is checked only
    when the editor changed it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rows = list(self.get_queryset())
        versions = latest_versions(self.model, [row.pk for row in rows])
        for row in rows:
            row._current_version = versions.get(row.pk, "")

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.check_only_when_changed = True
        return form


def _with_seen_version(fieldsets):
    if SEEN_VERSION in flatten_fieldsets(fieldsets):
        return fieldsets
    (name, options), *rest = fieldsets
    return [(name, {**options, "fields": [*options["fields"], SEEN_VERSION]}), *rest]


class ConflictGuardedAdmin(SimpleHistoryAdmin):
    """A change page guarded against silent overwrites. A save that changes
    nothing writes nothing, so the audit trail holds no empty rows."""

    form = ConflictGuardedModelForm

    def get_fieldsets(self, request, obj=None):
        return _with_seen_version(super().get_fieldsets(request, obj))

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if getattr(request, "reverting_to_version", False):
            form = type(form.__name__, (form,), {"is_revert": True})
        return form

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Reverting is a save too: in a transaction, as the change view's, so the
        # conflict check can lock the row.
        request.reverting_to_version = True
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().history_form_view(request, object_id, version_id, extra_context)

    def _changes_nothing(self, form, change):
        return change and not form.is_revert and not form.has_changed()

    def save_model(self, request, obj, form, change):
        if not self._changes_nothing(form, change):
            super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        if self._changes_nothing(form, change):
            for formset in formsets:
                self.save_formset(request, form, formset, change=change)
        else:
            super().save_related(request, form, formsets, change)


class ConflictGuardedInline:
    """Mixed into every inline: rows carry their version and are guarded."""

    form = ConflictGuardedModelForm
    formset = ConflictGuardedInlineFormSet

    def get_fieldsets(self, request, obj=None):
        return _with_seen_version(super().get_fieldsets(request, obj))


# --- Rows audited as part of their parent (a status update's citations) ---------------


class ParentVersionedRowForm(forms.ModelForm):
    """An inline row with no audit trail of its own, audited with its parent (a
    citation is part of what its status update says, and lands in the update's
    record). The parent's version the editor saw travels with the row; an edited
    or deleted row is refused when the row was changed since, by a save recorded
    in a newer parent version. The refusal names both versions and re-shows the
    row with theirs, keeping the fields this editor changed."""

    seen_version = SeenVersionField()
    #: The foreign key to the parent, and the parent's historical m2m that copies the rows.
    parent_field = "update"
    parent_history_rows = "sources"

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk and self.has_changed():
            self._refuse_if_changed_since_seen()
        return cleaned_data

    def has_changed(self):
        return not getattr(self, "untouched_since_seen", False) and super().has_changed()

    def _refuse_if_changed_since_seen(self):
        parent_model = self._meta.model._meta.get_field(self.parent_field).related_model
        parent_id = getattr(self.instance, f"{self.parent_field}_id")
        current_version = latest_versions(parent_model, [parent_id]).get(parent_id)
        raw = self.data.get(self.add_prefix(SEEN_VERSION), "")
        seen_version = int(raw) if str(raw).isdigit() else None
        if current_version is None or current_version == seen_version:
            return
        names = [field.name for field in self._meta.model._meta.concrete_fields if field.name in self.fields]
        stored = self._meta.model._default_manager.filter(pk=self.instance.pk).first()
        rows = getattr(parent_model.history.model, self.parent_history_rows).model
        seen = rows.objects.filter(history_id=seen_version, id=self.instance.pk).first() if seen_version else None
        if stored is None or (seen is not None and _row_values(seen, names) == _row_values(stored, names)):
            return
        yours = {name: getattr(self.cleaned_data.get(name), "pk", self.cleaned_data.get(name)) for name in names}
        if seen is not None and all(
            yours[name] == value for name, value in _row_values(seen, names).items() if name in self.changed_data
        ):
            # Untouched here: the form differs from the row only by the colleague's
            # change, and saving the stale copy would undo it.
            self.untouched_since_seen = True
            return
        newer = parent_model.history.filter(id=parent_id, history_id__gt=seen_version or 0).select_related(
            "history_user"
        )
        editors = list(dict.fromkeys(_editor_name(record.history_user) for record in newer))
        self.data = self.data.copy()
        self.data[self.add_prefix(SEEN_VERSION)] = str(current_version)
        for name, value in _row_values(stored, names).items():
            if name not in self.changed_data:
                self.data[self.add_prefix(name)] = "" if value is None else str(value)
        when = max(record.history_date for record in newer) if newer else timezone.now()
        self.add_error(
            None,
            gettext(
                "%(who)s changed this %(model)s at %(when)s, after you opened it (theirs: “%(theirs)s”; yours: "
                "“%(yours)s”). Your changes were not saved. The form now shows their changes together with yours. "
                "Check it and save again."
            )
            % {
                "who": get_text_list(editors, gettext("and")),
                "model": self._meta.model._meta.verbose_name,
                "when": date_format(timezone.localtime(when), "DATETIME_FORMAT"),
                "theirs": Truncator(str(stored)).chars(120),
                "yours": Truncator(_described(stored, yours)).chars(120),
            },
        )


def _row_values(row, names):
    """The row's values by form field name (a foreign key as its id)."""
    return {name: getattr(row, row._meta.get_field(name).attname) for name in names}


def _described(stored, values):
    """``str()`` of the stored row with the editor's values (by field name; a
    foreign key as its id)."""
    copy = type(stored)(**{field.attname: getattr(stored, field.attname) for field in stored._meta.concrete_fields})
    for name, value in values.items():
        setattr(copy, copy._meta.get_field(name).attname, value)
    return str(copy)


class ParentVersionedInlineFormSet(forms.BaseInlineFormSet):
    """Rows of one parent: the parent's version read once for all of them."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        if self.instance.pk:
            if not hasattr(self, "_parent_version"):
                self._parent_version = latest_versions(type(self.instance), [self.instance.pk]).get(self.instance.pk)
            form.fields[SEEN_VERSION].initial = self._parent_version or ""
        return form
