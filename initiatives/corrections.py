"""Corrections in the open: what a published update said before each revision.

The audit trail (django-simple-history) keeps every saved version of an update.
A revision is a published version whose public fields differ from the previous
published version's; the earlier wording is that previous version.
"""

from dataclasses import dataclass

from django.apps import apps
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

#: What readers see of an update; changing any of these after publication is a revision.
PUBLIC_FIELDS = ("reported_on", "reported_on_precision", "status", "progress", "headline", "body")
#: What an update said on a given day: the public fields, their translations and the revision note.
WORDING_FIELDS = (*PUBLIC_FIELDS, "headline_ru", "headline_kk", "body_ru", "body_kk", "revised_on", "revision_note")


@dataclass
class Revision:
    revised_on: object
    note: str
    earlier: dict  # the public fields as they read before the revision


def _public(record):
    return {name: getattr(record, name) for name in PUBLIC_FIELDS}


def known_revisions(records, as_of):
    """The published audit records, on a past date only those of revisions dated by then."""
    records = records.filter(published=True)
    return records.filter(Q(revised_on__isnull=True) | Q(revised_on__lte=as_of)) if as_of else records


def revisions_by_update(update_ids, as_of=None):
    """{update id: [Revision, newest first]} for the given updates, from one query; on a
    past ``as_of``, the revisions made by then."""
    StatusUpdate = apps.get_model("initiatives", "StatusUpdate")
    records = (
        known_revisions(StatusUpdate.history.filter(id__in=list(update_ids)), as_of)
        .order_by("id", "history_date", "history_id")
        .only("id", "history_id", "history_date", "revised_on", "revision_note", *PUBLIC_FIELDS)
    )
    revisions, previous = {}, {}
    for record in records:
        current = (_public(record), record.revised_on, record.revision_note)
        before = previous.get(record.id)
        # A new note marks a revision even when only the citations changed.
        if before is not None and record.revised_on and current != before:
            revision = Revision(record.revised_on, record.revision_note, before[0])
            revisions.setdefault(record.id, []).insert(0, revision)
        previous[record.id] = current
    return revisions


# --- What an update said on a past date -----------------------------------------------


def revised_after(updates, as_of):
    """The updates (instances or API rows) revised after ``as_of``: their wording then
    is not the stored one. None on today's pages."""
    if not as_of:
        return []
    revised = [update["revised_on"] if isinstance(update, dict) else update.revised_on for update in updates]
    return [update for update, day in zip(updates, revised, strict=True) if day and day > as_of]


def wordings_on(update_ids, as_of):
    """{update id: audit record} of the wording each update had on ``as_of``: its latest
    published record whose revision, if any, is dated by then. One query; none for no ids.

    An update with no such record (published before the audit trail kept it) is missing
    from the answer, and keeps its stored wording."""
    if not update_ids:
        return {}
    StatusUpdate = apps.get_model("initiatives", "StatusUpdate")
    records = (
        known_revisions(StatusUpdate.history.filter(id__in=list(update_ids)), as_of)
        .order_by("id", "-history_date", "-history_id")
        .only("id", "history_id", *WORDING_FIELDS)
    )
    chosen = {}
    for record in records:
        chosen.setdefault(record.id, record)
    return chosen


def citations_of_records(records, as_of):
    """The citations the audit records held, of sources known by ``as_of``, in citation order."""
    HistoricalCitation = apps.get_model("initiatives", "HistoricalCitation")
    Source = apps.get_model("initiatives", "Source")
    return (
        HistoricalCitation.objects.filter(history_id__in=[record.history_id for record in records])
        .filter(source__in=Source.objects.as_of(as_of).values("pk"))
        .order_by("id")
    )


def word_as_on(updates, as_of, *, citations_attr):
    """On a past date, each of these update instances that was revised later reads as it
    did then: its public fields, revision note and citations (set as ``citations_attr``,
    with their sources) from the audit trail. Two queries for any number of updates,
    none when no update was revised after the date."""
    later = revised_after(updates, as_of)
    records = wordings_on([update.pk for update in later], as_of)
    if not records:
        return updates
    Citation = apps.get_model("initiatives", "Citation")
    cited = {}
    for row in citations_of_records(records.values(), as_of).select_related("source"):
        citation = Citation(**{field.attname: getattr(row, field.attname) for field in Citation._meta.concrete_fields})
        citation.source = row.source
        cited.setdefault(row.history_id, []).append(citation)
    for update in later:
        record = records.get(update.pk)
        if record is not None:
            for name in WORDING_FIELDS:
                setattr(update, name, getattr(record, name))
            setattr(update, citations_attr, cited.get(record.history_id, []))
    return updates


def source_citations_on(source, citations, as_of):
    """The citations of ``source`` (published updates', with their initiatives) as they
    stood on a past date: an update revised since is cited, and named, as its wording then
    was, which may have cited this source or not. One query, two more if an update known
    then was revised since."""
    StatusUpdate = apps.get_model("initiatives", "StatusUpdate")
    revised = list(
        StatusUpdate.objects.published().as_of(as_of).filter(revised_on__gt=as_of).select_related("initiative")
    )
    word_as_on(revised, as_of, citations_attr="citations_then")
    reworded = {update.pk: update for update in revised if hasattr(update, "citations_then")}
    kept = [citation for citation in citations if citation.update_id not in reworded]
    for update in reworded.values():
        for citation in update.citations_then:
            if citation.source_id == source.pk:
                citation.update = update
                kept.append(citation)
    return sorted(kept, key=lambda c: (c.paragraph is None, c.paragraph or 0, -c.update.reported_on.toordinal(), c.pk))


def ever_published(update_ids):
    """The ids among ``update_ids`` whose stored row, or any of its audit records,
    is published: the public record, which only a superuser may delete."""
    stored = set(
        apps.get_model("initiatives", "StatusUpdate")
        .objects.filter(pk__in=update_ids, published=True)
        .values_list("pk", flat=True)
    )
    recorded = set(
        apps.get_model("initiatives", "StatusUpdate")
        .history.filter(id__in=update_ids, published=True)
        .values_list("id", flat=True)
    )
    return stored | recorded


UNPUBLISH_REFUSED = _(
    "A published update stays on the public record. If it is wrong, correct it with a revision note, or "
    "withdraw it with a reason: readers then see what changed and why."
)


def deletion_refusal(*, user, updates):
    """Why ``user`` may not delete these updates, or None. The one check every
    delete path (change page, inline row, bulk action) goes through: it reads
    the stored rows and their history, never the values a form just edited."""
    if user.is_superuser:
        return None
    published = ever_published([update.pk for update in updates if update.pk])
    if not published:
        return None
    headlines = [update.headline for update in updates if update.pk in published]
    return gettext(
        "Published updates are the public record and are not deleted: %(updates)s. If one is wrong, correct it "
        "with a revision note, or withdraw it with a reason; readers then see what changed and why."
    ) % {"updates": "; ".join(f"“{headline}”" for headline in headlines)}
