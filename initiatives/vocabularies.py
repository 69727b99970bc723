"""The tracker's controlled vocabularies, with the meanings shown beside them."""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ADOPTED = "adopted", _("Adopted")
    IN_PROGRESS = "in_progress", _("In progress")
    STALLED = "stalled", _("Stalled")
    COMPLETED = "completed", _("Completed")
    ABANDONED = "abandoned", _("Abandoned")

    @property
    def meaning(self):
        return STATUS_MEANINGS[self]

    @classmethod
    def describe(cls, code):
        """What a status value says to a reader: ``Status.describe("stalled")``, and
        ``Status.describe(None)`` for an initiative not yet assessed. The one answer the
        badges, admin, API, schema, CSV, feeds and charts all give; an unknown code is a
        ValueError."""
        # str(): a Status member hashes by its name, not its value.
        description = STATUS_DESCRIPTIONS.get(str(code) if code else None)
        if description is None:
            raise ValueError(f"{code!r} is not a status")
        return description

    @classmethod
    def descriptions(cls):
        """Every status in vocabulary order, then "not yet assessed"."""
        return list(STATUS_DESCRIPTIONS.values())


# One mapping, read by the badge tooltip, the about page and the OpenAPI schema.
STATUS_MEANINGS = {
    Status.PROPOSED: _("Announced or put forward; not yet adopted."),
    Status.ADOPTED: _("Formally approved, enacted or signed; implementation not yet evidenced."),
    Status.IN_PROGRESS: _("Implementation under way."),
    Status.STALLED: _("Behind schedule, or no evidence of progress."),
    Status.COMPLETED: _("Delivered."),
    Status.ABANDONED: _("Withdrawn, cancelled or superseded."),
}

NOT_ASSESSED_LABEL = _("Not yet assessed")
NOT_ASSESSED_MEANING = _("No published status update yet.")


@dataclass(frozen=True)
class StatusDescription:
    """A status value as a reader sees it. ``code`` is None for "not yet assessed";
    label and meaning are lazy, so one description serves every language."""

    code: str | None
    label: str
    meaning: str

    @property
    def css_class(self):
        """The badge's class: status-in_progress, status-none (static/css/site.css)."""
        return f"status-{self.code or 'none'}"


STATUS_DESCRIPTIONS = {
    **{status.value: StatusDescription(status.value, status.label, STATUS_MEANINGS[status]) for status in Status},
    None: StatusDescription(None, NOT_ASSESSED_LABEL, NOT_ASSESSED_MEANING),
}


class InitiativeKind(models.TextChoices):
    PROPOSAL = "proposal", _("International proposal")
    PROGRAM = "program", _("National program")


class DatePrecision(models.TextChoices):
    """How much of a stored date the evidence supports.

    A date known only to the month or year is stored as the first day of that
    period (for a deadline, the last day: "by the end of 2025" is 2025-12-31)
    and always shown at its precision ("June 2025", "2025"), never as a made-up
    exact day.
    """

    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")


class OrganisationKind(models.TextChoices):
    MINISTRY = "ministry", _("Ministry")
    AGENCY = "agency", _("Government agency")
    GOVERNMENT = "government", _("Government or head of state")
    COMPANY = "company", _("Company")
    UNIVERSITY = "university", _("University or research institute")
    THINK_TANK = "think_tank", _("Think tank")
    INTERNATIONAL_BODY = "international_body", _("International body")
    OTHER = "other", _("Other")


class SourceKind(models.TextChoices):
    SPEECH = "speech", _("Speech")
    NEWS = "news", _("News article")
    OFFICIAL_DOCUMENT = "official_document", _("Official document")
    LAW = "law", _("Law")
    REPORT = "report", _("Report or analysis")


class Role(models.TextChoices):
    LEAD = "lead", _("Lead")
    PARTNER = "partner", _("Partner")
    SUPPORTER = "supporter", _("Supporter")


class Involvement(models.TextChoices):
    """How an organisation is involved in an initiative: a role, or being its responsible body."""

    LEAD = Role.LEAD.value, Role.LEAD.label
    PARTNER = Role.PARTNER.value, Role.PARTNER.label
    SUPPORTER = Role.SUPPORTER.value, Role.SUPPORTER.label
    RESPONSIBLE_BODY = "responsible_body", _("Responsible body")


class RelationType(models.TextChoices):
    PART_OF = "part_of", _("Part of")
    DEPENDS_ON = "depends_on", _("Depends on")
    RELATED_TO = "related_to", _("Related to")


# How a relation reads from its other end ("A part of B" shows on B as "includes A").
RELATION_INVERSE_LABELS = {
    RelationType.PART_OF: _("Includes"),
    RelationType.DEPENDS_ON: _("Needed by"),
    RelationType.RELATED_TO: _("Related to"),
}


class LinkKind(models.TextChoices):
    OFFICIAL_SITE = "official_site", _("Official site")
    LEGAL_ACT = "legal_act", _("Legal act")
    OECD_AI = "oecd_ai", _("OECD.AI policy database")
    OTHER = "other", _("Other")
