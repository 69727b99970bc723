"""The analyst's start page (the admin index): what needs doing, from the same
QuerySet methods the site and the admin lists use, and what everyone changed
lately, from the audit trail. A fixed number of queries whatever the data size."""

from dataclasses import dataclass

from django.db import connection
from django.db.models import F, Value

from .models import (
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

#: How many rows each list shows; each links to the whole of it.
LIST_LENGTH = 10
CHANGE_LOG_LENGTH = 20

#: Each audited model, with what names one of its records in the change log.
CHANGE_LOG_LABELS = {
    Initiative: "title",
    StatusUpdate: "headline",
    Milestone: "title",
    Source: "title",
    Organisation: "name",
    Theme: "name",
    InitiativeOrganisation: "initiative__title",
    InitiativeCountry: "initiative__title",
    InitiativeRelation: "from_initiative__title",
    ExternalLink: "initiative__title",
}


@dataclass
class Listed:
    """The first rows of a list, and how many there are in all."""

    rows: list
    total: int


def _listed(queryset):
    rows = list(queryset[:LIST_LENGTH])
    total = len(rows) if len(rows) < LIST_LENGTH else queryset.order_by().count()
    return Listed(rows, total)


def stale_initiatives():
    """Initiatives needing an update: the longest without one first."""
    stale = Initiative.objects.stale()
    return _listed(stale.only("pk", "title", "slug").order_by("last_reported_on", "title", "pk"))


def overdue_milestones():
    """Milestones past their due date and not achieved: the longest overdue first."""
    overdue = Milestone.objects.overdue().select_related("initiative")
    return _listed(
        overdue.only("pk", "title", "due_on", "due_on_precision", "initiative__title").order_by("due_on", "pk")
    )


def drafts_of(user):
    """The analyst's own drafts, the latest worked on first."""
    drafts = StatusUpdate.objects.drafts_by(user).select_related("initiative")
    return _listed(
        drafts.only("pk", "headline", "reported_on", "reported_on_precision", "modified", "initiative__title").order_by(
            "-modified", "-pk"
        )
    )


@dataclass
class ChangeLogEntry:
    model: type
    object_id: int
    label: str
    kind: str  # "+" added, "~" changed, "-" deleted (simple-history's history_type)
    when: object
    who: str

    @property
    def verbose_name(self):
        return self.model._meta.verbose_name

    @property
    def history_url_name(self):
        return f"admin:{self.model._meta.app_label}_{self.model._meta.model_name}_history"


def latest_changes(length=CHANGE_LOG_LENGTH):
    """The newest audit records of every audited model, newest first: one query
    (a UNION of the history tables, each read newest first along its
    history_date index where the database can limit each part)."""
    parts = []
    for index, (model, label) in enumerate(CHANGE_LOG_LABELS.items()):
        records = model.history.annotate(
            log_model=Value(index),
            log_object=F("id"),
            log_label=F(label),
            log_kind=F("history_type"),
            log_when=F("history_date"),
            log_who=F("history_user__username"),
        ).values("log_model", "log_object", "log_label", "log_kind", "log_when", "log_who")
        if connection.features.supports_slicing_ordering_in_compound:
            records = records.order_by("-history_date")[:length]
        else:
            records = records.order_by()
        parts.append(records)
    first, *rest = parts
    union = first.union(*rest, all=True).order_by("-log_when")[:length]
    models = list(CHANGE_LOG_LABELS)
    return [
        ChangeLogEntry(
            model=models[row["log_model"]],
            object_id=row["log_object"],
            label=row["log_label"] or "",
            kind=row["log_kind"],
            when=row["log_when"],
            who=row["log_who"] or "",
        )
        for row in union
    ]


def start_page(user):
    return {
        "stale": stale_initiatives(),
        "overdue": overdue_milestones(),
        "drafts": drafts_of(user),
        "changes": latest_changes(),
    }
