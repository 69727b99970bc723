"""Corrections in the open: what a published update said before each revision.

The audit trail (django-simple-history) keeps every saved version of an update.
A revision is a published version whose public fields differ from the previous
published version's; the earlier wording is that previous version.
"""

from dataclasses import dataclass

from django.apps import apps
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

#: What readers see of an update; changing any of these after publication is a revision.
PUBLIC_FIELDS = ("reported_on", "reported_on_precision", "status", "progress", "headline", "body")


@dataclass
class Revision:
    revised_on: object
    note: str
    earlier: dict  # the public fields as they read before the revision


def _public(record):
    return {name: getattr(record, name) for name in PUBLIC_FIELDS}


def revisions_by_update(update_ids):
    """{update id: [Revision, newest first]} for the given updates, from one query."""
    StatusUpdate = apps.get_model("initiatives", "StatusUpdate")
    records = (
        StatusUpdate.history.filter(id__in=list(update_ids), published=True)
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
