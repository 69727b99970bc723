"""Admin forms: the status-update rules analysts must follow, on top of the
conflict guard (conflicts.py) that every admin form carries."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .conflicts import ConflictGuardedInlineFormSet, ConflictGuardedModelForm, ParentVersionedInlineFormSet
from .corrections import PUBLIC_FIELDS, UNPUBLISH_REFUSED, deletion_refusal, ever_published
from .models import StatusUpdate

# --- Status updates -----------------------------------------------------------------


class StatusUpdateRulesMixin:
    """The rules a status update must meet, whichever way it comes in. Its
    citations are checked by their own formset (CitationInlineFormSet)."""

    def clean(self):
        cleaned_data = super().clean()
        for name, message in status_update_rule_errors(reported_on=cleaned_data.get("reported_on")).items():
            self.add_error(name, message)
        return cleaned_data


class RevisionNoteMixin:
    """Once published, an update's public fields change only with a new revision
    note; the note dates the revision (revised_on) and readers see both."""

    def clean(self):
        cleaned_data = super().clean()
        self.instance._new_revision_note = False
        if not self.instance.pk or not ever_published([self.instance.pk]):
            return cleaned_data
        stored = (
            StatusUpdate.objects.filter(pk=self.instance.pk)
            .values(*PUBLIC_FIELDS, "revision_note", "published")
            .first()
        )
        if stored is None:
            return cleaned_data
        if stored["published"] and "published" in cleaned_data and not cleaned_data["published"]:
            self.add_error("published", UNPUBLISH_REFUSED)
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


def status_update_rule_errors(*, reported_on):
    """The rules above, by field: shared by the admin forms and the CSV import."""
    errors = {}
    if reported_on and reported_on > timezone.localdate():
        errors["reported_on"] = _("An update cannot be reported as of a future date.")
    return errors


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


class StatusUpdateAdminForm(RevisionNoteMixin, StatusUpdateRulesMixin, ConflictGuardedModelForm):
    progress = percentage_field()

    class Meta:
        model = StatusUpdate
        # Which fields an analyst edits is said once, by StatusUpdateAdmin.fields and
        # StatusUpdateInline.fields: the admin builds the form from those, never from here.
        fields = "__all__"


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


class CitationInlineFormSet(ParentVersionedInlineFormSet):
    """An update's citations: a published update keeps at least one, and once
    published its evidence changes only with a revision note. Each edited row is
    guarded against a colleague's change (conflicts.ParentVersionedRowForm)."""

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


class StatusUpdateInlineFormSet(ConflictGuardedInlineFormSet):
    """The updates inline on an initiative: published updates protected from deletion."""

    #: Set per request by the inline (StatusUpdateInline.get_formset).
    request_user = None

    def clean(self):
        super().clean()
        deleted = [form.instance for form in self.deleted_forms if form.instance.pk]
        refusal = deletion_refusal(user=self.request_user, updates=deleted) if deleted else None
        if refusal:
            raise ValidationError(refusal, code="published_not_deleted")
