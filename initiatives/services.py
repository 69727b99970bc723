"""Writes with consequences beyond one form: publishing, unpublishing and the CSV
import. Each runs in one transaction and saves object by object, so that every
change lands in the audit trail with the analyst who made it."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext

from .corrections import deletion_refusal
from .csvformat import run_import
from .evidence import normalise
from .models import Citation, StatusUpdate


@dataclass
class PublishResult:
    changed: list
    refused: list


def _locked(updates):
    """The updates, locked for the rest of the transaction, with has_source."""
    cited = Citation.objects.filter(update_id=OuterRef("pk"))
    return list(
        StatusUpdate.objects.select_for_update()
        .filter(pk__in=[update.pk for update in updates])
        .annotate(has_source=Exists(cited))
        .order_by("pk")
    )


def _save_as(update, user):
    update._history_user = user
    update.save(update_fields=["published", "modified"])


@transaction.atomic
def publish_updates(*, updates, user):
    """Publish the drafts among ``updates``; an update citing no source is refused."""
    result = PublishResult(changed=[], refused=[])
    for update in _locked(updates):
        if update.published:
            continue
        if not update.has_source:
            result.refused.append(update)
            continue
        update.published = True
        _save_as(update, user)
        result.changed.append(update)
    return result


def may_unpublish(user):
    """Taking an update off the public record silently is a superuser's act (or a
    script's, with no user); an analyst withdraws it, and readers see why."""
    return user is None or user.is_superuser


@transaction.atomic
def unpublish_updates(*, updates, user):
    """Turn the published updates among ``updates`` back into drafts; refused for
    anyone ``may_unpublish`` does not allow."""
    result = PublishResult(changed=[], refused=[])
    for update in _locked(updates):
        if not update.published:
            continue
        if not may_unpublish(user):
            result.refused.append(update)
            continue
        update.published = False
        _save_as(update, user)
        result.changed.append(update)
    return result


def record_citations_in_history(*, update):
    """Make the update's newest audit record hold its citations as saved.

    simple-history copies the citations when it writes the update's record; the
    admin and the CSV import save the citations after the update itself, so the
    copy is taken again once they are in place."""
    record = update.history.order_by("-history_id").first()
    if record is None:
        return
    HistoricalCitation = type(record).sources.model
    HistoricalCitation.objects.filter(history=record).delete()
    HistoricalCitation.objects.bulk_create(
        HistoricalCitation(
            history=record,
            **{field.attname: getattr(citation, field.attname) for field in Citation._meta.concrete_fields},
        )
        for citation in update.citations.order_by("pk")
    )


# --- Corrections -----------------------------------------------------------------------


def check_deletable(*, user, updates):
    refusal = deletion_refusal(user=user, updates=updates)
    if refusal:
        raise PermissionDenied(refusal)


@transaction.atomic
def revise_update(*, update, note, user, changes=None, citations=None):
    """Change a published update in the open: ``changes`` (public field values)
    and ``citations`` ((source, quote) pairs replacing the current ones) are
    applied with the revision note, dated today, in one audited save."""
    note = (note or "").strip()
    if not note:
        raise ValidationError(gettext("A published update changes only with a revision note saying what and why."))
    update = StatusUpdate.objects.select_for_update().get(pk=update.pk)
    for name, value in (changes or {}).items():
        setattr(update, name, value)
    update.revision_note = note
    update.revised_on = timezone.localdate()
    update.full_clean()
    if citations is not None:
        replace_citations(update=update, citations=citations)
    update._history_user = user
    update.save()
    return update


def replace_citations(*, update, citations):
    """Replace the update's citations with (source, quote) pairs, each checked; a
    quote that stays keeps its translations."""
    kept = {(citation.source_id, normalise(citation.quote)): citation for citation in update.citations.all()}
    new = []
    for source, quote in citations:
        previous = kept.get((source.pk, normalise(quote)))
        new.append(
            Citation(
                update=update,
                source=source,
                quote=quote,
                quote_ru=previous.quote_ru if previous else "",
                quote_kk=previous.quote_kk if previous else "",
            )
        )
    for citation in new:
        citation.full_clean(exclude=["update"])
    update.citations.all().delete()
    Citation.objects.bulk_create(new)
    # bulk_create sends no signal: the update is not known before its new evidence.
    StatusUpdate.objects.filter(pk=update.pk).refresh_known_dates()


@transaction.atomic
def withdraw_updates(*, updates, reason, user):
    """Withdraw published updates: they stay public, marked "Withdrawn on <date>:
    <reason>", and no longer count towards a status. Drafts are left alone."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(gettext("Give readers the reason for the withdrawal."))
    result = PublishResult(changed=[], refused=[])
    for update in _locked(updates):
        if not update.published or update.withdrawn_on:
            result.refused.append(update)
            continue
        update.withdrawn_on = timezone.localdate()
        update.withdrawal_reason = reason
        update._history_user = user
        update.save(update_fields=["withdrawn_on", "withdrawal_reason", "modified"])
        result.changed.append(update)
    return result


class ImportRejected(Exception):
    def __init__(self, report):
        super().__init__("the file has errors")
        self.report = report


@transaction.atomic
def import_status_updates(*, csv_text, author):
    """Apply a status-update CSV all or nothing: rows with an id update that
    update, rows without one create one, unchanged rows write nothing.

    The file is validated again here, inside the transaction that writes it and
    with the rows it updates locked, so what is written is exactly what passed
    and no row changed since the export is overwritten. Raises ImportRejected,
    writing nothing, if any row is bad. Returns the report of what was done.
    """
    report = run_import(csv_text, user=author, dry_run=False)
    if not report.is_valid:
        raise ImportRejected(report)
    return report
