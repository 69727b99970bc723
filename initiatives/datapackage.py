"""The whole dataset as a Frictionless Data Package: a zip of CSV files with a
``datapackage.json`` whose Table Schemas give every column's type, description and
constraints, the status vocabulary with its meanings, and the foreign keys between files.

One package for today and one for any ``as_of`` date: status, progress, staleness and
achievements are then as they stood on that date (the QuerySet methods compute them),
and nothing dated later is included. The /data/ page documents the same RESOURCES.
Source.reference (internal) is never exported.
"""

import csv
import io
import json
import zipfile

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from .csvformat import neutralise_formula
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
from .timetravel import AsOf, resolve_as_of
from .views import AsOfMixin
from .vocabularies import (
    DatePrecision,
    InitiativeKind,
    LinkKind,
    OrganisationKind,
    RelationType,
    Role,
    SourceKind,
    Status,
)

PACKAGE_NAME = "policy-initiative-tracker"


def enum(choices):
    return {"enum": [value for value, _label in choices]}


def field(name, type_, description, **constraints):
    spec = {"name": name, "type": type_, "description": description}
    if constraints:
        spec["constraints"] = constraints
    return spec


def key(name="id", what="row"):
    return field(name, "integer", f"Identifier of the {what}, stable across downloads.", required=True, unique=True)


def ref(name, what, resource, required=True):
    description = f"The {what} (`{resource}.csv` `id`)."
    return field(name, "integer", description, **({"required": True} if required else {}))


def date(name, description, precision_field=None):
    if precision_field:
        description += f" Stored at the precision `{precision_field}` gives: a month or year on its first day."
    return field(name, "date", description)


def precision(name, of):
    return field(
        name,
        "string",
        f"How much of `{of}` the evidence supports: day, month or year.",
        **enum(DatePrecision.choices),
    )


STATUS_DESCRIPTION = "Status code. " + " ".join(
    f"`{described.code}`: {described.label}, {described.meaning}" for described in map(Status.describe, Status.values)
)


def fk(fields, resource, reference="id"):
    return {"fields": fields, "reference": {"resource": resource, "fields": reference}}


# name, description, fields, primary key, foreign keys
RESOURCES = [
    (
        "initiatives",
        "Tracked initiatives: international proposals and national programs, with their status as of the "
        "package's date.",
        [
            key(what="initiative"),
            field("slug", "string", "Short name used in the initiative's address.", required=True, unique=True),
            field(
                "kind",
                "string",
                "proposal (international) or program (national).",
                required=True,
                **enum(InitiativeKind.choices),
            ),
            field("title", "string", "Title.", required=True),
            field("summary", "string", "One-sentence summary."),
            field("description", "string", "Longer description (plain text)."),
            field("proposer", "string", "Who put a proposal forward."),
            field("venue", "string", "Where a proposal was put forward."),
            date("proposed_on", "When it was proposed.", "proposed_on_precision"),
            precision("proposed_on_precision", "proposed_on"),
            field("instrument", "string", "Legal or policy instrument of a program."),
            ref("responsible_body_id", "responsible body", "organisations", required=False),
            date("period_start", "Start of a program's period.", "period_start_precision"),
            precision("period_start_precision", "period_start"),
            date("period_end", "End of a program's period (a month or year on its last day).", None),
            precision("period_end_precision", "period_end"),
            field(
                "status",
                "string",
                STATUS_DESCRIPTION + " Empty: not yet assessed (no published update).",
                **enum(Status.choices),
            ),
            field(
                "progress",
                "integer",
                "Per cent complete from the latest published update, where evidenced.",
                minimum=0,
                maximum=100,
            ),
            date("last_reported_on", "`reported_on` of the latest published update."),
            field("stale", "boolean", "The latest published update is older than the staleness window.", required=True),
            field("has_overdue_milestones", "boolean", "A milestone is due and not achieved.", required=True),
            field("url", "string", "The initiative's public page.", required=True),
        ],
        ["id"],
        [fk("responsible_body_id", "organisations")],
    ),
    (
        "status-updates",
        "Published status updates: each a dated assessment of one initiative. Drafts are never exported.",
        [
            key(what="update"),
            ref("initiative_id", "initiative assessed", "initiatives"),
            date("reported_on", "The date the assessment is true as of.", "reported_on_precision"),
            precision("reported_on_precision", "reported_on"),
            field("status", "string", STATUS_DESCRIPTION, required=True, **enum(Status.choices)),
            field("progress", "integer", "Per cent complete, where evidence supports one.", minimum=0, maximum=100),
            field("headline", "string", "What the update says, in one line.", required=True),
            field("body", "string", "The assessment in full (plain text)."),
            date("revised_on", "When it was last corrected after publication (by the package's date)."),
            field("revision_note", "string", "What the correction changed, and why."),
            date("withdrawn_on", "When it was withdrawn (by the package's date); it then no longer counts."),
            field("withdrawal_reason", "string", "Why it was withdrawn."),
        ],
        ["id"],
        [fk("initiative_id", "initiatives")],
    ),
    (
        "citations",
        "The evidence of each status update: a passage of a source, quoted word for word.",
        [
            key(what="citation"),
            ref("update_id", "status update", "status-updates"),
            ref("source_id", "source cited", "sources"),
            field("quote", "string", "The passage, verbatim from the source's archived text."),
            field("quote_ru", "string", "A Russian translation of the quote, where made."),
            field("quote_kk", "string", "A Kazakh translation of the quote, where made."),
            field("paragraph", "integer", "The paragraph of the source's text holding the quote (from 1).", minimum=1),
        ],
        ["id"],
        [fk("update_id", "status-updates"), fk("source_id", "sources")],
    ),
    (
        "milestones",
        "Dated targets of initiatives, achieved or overdue as of the package's date.",
        [
            key(what="milestone"),
            ref("initiative_id", "initiative", "initiatives"),
            field("title", "string", "What is due.", required=True),
            field("description", "string", "Details (plain text)."),
            date("due_on", "Deadline (a month or year on its last day).", None),
            precision("due_on_precision", "due_on"),
            date("achieved_on", "When it was achieved; empty if not by the package's date.", "achieved_on_precision"),
            precision("achieved_on_precision", "achieved_on"),
            ref("source_id", "source evidencing it", "sources", required=False),
            field("achieved", "boolean", "Achieved by the package's date.", required=True),
            field("overdue", "boolean", "Due before the package's date and not achieved by it.", required=True),
        ],
        ["id"],
        [fk("initiative_id", "initiatives"), fk("source_id", "sources")],
    ),
    (
        "organisations",
        "Ministries, agencies, companies, universities, think tanks and international bodies.",
        [
            key(what="organisation"),
            field("slug", "string", "Short name used in the organisation's address.", required=True, unique=True),
            field("name", "string", "Name.", required=True),
            field("kind", "string", "Kind of organisation.", required=True, **enum(OrganisationKind.choices)),
            field("country", "string", "ISO 3166-1 alpha-2 country code.", pattern="[A-Z]{2}"),
            field("website", "string", "Website."),
            field("description", "string", "Description."),
        ],
        ["id"],
        [],
    ),
    (
        "organisation-roles",
        "The role each organisation plays in an initiative (the responsible body is in initiatives.csv).",
        [
            ref("initiative_id", "initiative", "initiatives"),
            ref("organisation_id", "organisation", "organisations"),
            field("role", "string", "lead, partner or supporter.", required=True, **enum(Role.choices)),
        ],
        ["initiative_id", "organisation_id", "role"],
        [fk("initiative_id", "initiatives"), fk("organisation_id", "organisations")],
    ),
    (
        "themes",
        "Policy themes.",
        [
            key(what="theme"),
            field("slug", "string", "Short name used in the theme's address.", required=True, unique=True),
            field("name", "string", "Name.", required=True),
            field("description", "string", "Description."),
        ],
        ["id"],
        [],
    ),
    (
        "initiative-themes",
        "The themes of each initiative.",
        [ref("initiative_id", "initiative", "initiatives"), ref("theme_id", "theme", "themes")],
        ["initiative_id", "theme_id"],
        [fk("initiative_id", "initiatives"), fk("theme_id", "themes")],
    ),
    (
        "initiative-countries",
        "The countries each initiative involves.",
        [
            ref("initiative_id", "initiative", "initiatives"),
            field("country", "string", "ISO 3166-1 alpha-2 country code.", required=True, pattern="[A-Z]{2}"),
        ],
        ["initiative_id", "country"],
        [fk("initiative_id", "initiatives")],
    ),
    (
        "sources",
        "The evidence: speeches, news, official documents, laws and reports, published by the package's date.",
        [
            key(what="source"),
            field("slug", "string", "Short name used in the source's address.", required=True, unique=True),
            field("title", "string", "Title.", required=True),
            field("publisher", "string", "Publisher."),
            field("author", "string", "Author."),
            field("url", "string", "The document's address."),
            date("published_on", "Publication date.", "published_on_precision"),
            precision("published_on_precision", "published_on"),
            field("kind", "string", "Kind of source.", required=True, **enum(SourceKind.choices)),
            field("archive_url", "string", "An archived copy elsewhere."),
            field("text", "string", "The archived full text; paragraphs are separated by blank lines."),
            field("sha256", "string", "SHA-256 of the archived file, or else of the text.", pattern="[0-9a-f]{64}"),
            field("notes", "string", "What the document supports, and what it does not."),
        ],
        ["id"],
        [],
    ),
    (
        "relations",
        "Typed links between initiatives: the first is part of, depends on or is related to the second.",
        [
            ref("from_initiative_id", "initiative the relation starts from", "initiatives"),
            ref("to_initiative_id", "initiative it points to", "initiatives"),
            field(
                "relation_type",
                "string",
                "part_of, depends_on or related_to.",
                required=True,
                **enum(RelationType.choices),
            ),
            field("note", "string", "Note on the relation."),
        ],
        ["from_initiative_id", "to_initiative_id", "relation_type"],
        [fk("from_initiative_id", "initiatives"), fk("to_initiative_id", "initiatives")],
    ),
    (
        "links",
        "External identifiers of initiatives: official sites, legal acts, OECD.AI entries.",
        [
            ref("initiative_id", "initiative", "initiatives"),
            field("kind", "string", "Kind of link.", required=True, **enum(LinkKind.choices)),
            field("label", "string", "Label or identifier."),
            field("url", "string", "Address."),
        ],
        ["initiative_id", "kind", "label"],
        [fk("initiative_id", "initiatives")],
    ),
]


def licence():
    return dict(settings.TRACKER_DATA_LICENCE)


# --- Rows ------------------------------------------------------------------------------


def cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return neutralise_formula(value)


def _initiative_rows(as_of, absolute):
    initiatives = Initiative.objects.with_current_status(as_of=as_of).order_by("pk")
    for row in initiatives.values():
        page = absolute(reverse("initiatives:initiative-detail", kwargs={"slug": row["slug"]}))
        yield {
            **row,
            "status": row["current_status"],
            "progress": row["current_progress"],
            "stale": row["is_stale"],
            "url": page,
        }


def _as_it_stood(update, as_of):
    """An update's corrections and withdrawal, left out when dated after the package's date."""
    for dated, note in (("revised_on", "revision_note"), ("withdrawn_on", "withdrawal_reason")):
        if as_of and update[dated] and update[dated] > as_of:
            update[dated], update[note] = None, ""
    return update


def resource_rows(name, as_of, absolute):
    """The rows of one resource as dicts keyed by its field names."""
    # Only what existed on the date, so every foreign key finds its row.
    initiatives = Initiative.objects.announced(as_of).values("pk")
    updates = StatusUpdate.objects.published().as_of(as_of).filter(initiative__in=initiatives)
    sources = Source.objects.as_of(as_of)
    if name == "initiatives":
        return _initiative_rows(as_of, absolute)
    if name == "status-updates":
        return (_as_it_stood(row, as_of) for row in updates.order_by("pk").values())
    if name == "citations":
        return Citation.objects.filter(update__in=updates, source__in=sources).order_by("pk").values()
    if name == "milestones":
        source_ids = set(sources.values_list("pk", flat=True))
        return (
            {
                **row,
                "achieved_on": row["achieved_on"] if row["is_achieved"] else None,
                "source_id": row["source_id"] if row["source_id"] in source_ids else None,
                "achieved": row["is_achieved"],
                "overdue": row["is_overdue"],
            }
            for row in Milestone.objects.with_state(as_of).order_by("pk").values()
        )
    simple = {
        "organisations": Organisation.objects.order_by("pk"),
        "organisation-roles": InitiativeOrganisation.objects.filter(initiative__in=initiatives).order_by("pk"),
        "themes": Theme.objects.order_by("pk"),
        "initiative-themes": Initiative.themes.through.objects.filter(initiative__in=initiatives).order_by("pk"),
        "initiative-countries": InitiativeCountry.objects.filter(initiative__in=initiatives).order_by("pk"),
        "sources": sources.order_by("pk"),
        "relations": InitiativeRelation.objects.as_of(as_of).order_by("pk"),
        "links": ExternalLink.objects.filter(initiative__in=initiatives).order_by("pk"),
    }
    return simple[name].values()


# --- The package -------------------------------------------------------------------------


def descriptor(as_of, absolute):
    """datapackage.json: the package's metadata, and a Table Schema per CSV file."""
    shown_on = resolve_as_of(as_of)
    return {
        "profile": "tabular-data-package",
        "name": PACKAGE_NAME if not as_of else f"{PACKAGE_NAME}-as-of-{as_of.isoformat()}",
        "title": f"Policy-initiative tracker: the dataset as of {shown_on.isoformat()}",
        "description": (
            f"Kazakhstan's digital-policy initiatives and programs, their dated and sourced status updates, "
            f"milestones, organisations, themes and sources, as the tracker stood on {shown_on.isoformat()}: "
            "updates reported, milestones achieved and sources published after that date are left out."
        ),
        "as_of": shown_on.isoformat(),
        "created": timezone.now().replace(microsecond=0).isoformat(),
        "homepage": absolute(reverse("initiatives:data")),
        "licenses": [licence()],
        "resources": [
            {
                "name": name,
                "path": f"{name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "description": description,
                "schema": {
                    "fields": fields,
                    "primaryKey": primary_key,
                    "foreignKeys": foreign_keys,
                    "missingValues": [""],
                },
            }
            for name, description, fields, primary_key, foreign_keys in RESOURCES
        ],
    }


def build_package(as_of, absolute):
    """The zip's bytes: datapackage.json and one CSV per resource."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("datapackage.json", json.dumps(descriptor(as_of, absolute), ensure_ascii=False, indent=2))
        for name, _description, fields, _primary_key, _foreign_keys in RESOURCES:
            text = io.StringIO()
            writer = csv.writer(text, lineterminator="\n")
            names = [spec["name"] for spec in fields]
            writer.writerow(names)
            for row in resource_rows(name, as_of, absolute):
                writer.writerow([cell(row.get(column)) for column in names])
            archive.writestr(f"{name}.csv", text.getvalue())
    return buffer.getvalue()


class PackageView(AsOfMixin, View):
    def get(self, request):
        package = build_package(self.as_of, request.build_absolute_uri)
        response = HttpResponse(package, content_type="application/zip")
        name = PACKAGE_NAME + (f"-as-of-{self.as_of.isoformat()}" if self.as_of else "") + ".zip"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class DataView(AsOfMixin, TemplateView):
    """/data/: what the package holds, file by file and column by column, with its
    schema.org Dataset (DCAT-compatible) description."""

    template_name = "initiatives/data.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        absolute = self.request.build_absolute_uri
        package_url = AsOf(self.as_of).keep(reverse("initiatives:data-package"))
        context.update(
            resources=[
                {"name": name, "description": description, "fields": fields, "primary_key": primary_key}
                for name, description, fields, primary_key, _foreign_keys in RESOURCES
            ],
            licence=licence(),
            package_url=package_url,
            dataset_json_ld=dataset_json_ld(self.as_of, absolute, absolute(package_url)),
        )
        return context


def dataset_json_ld(as_of, absolute, package_url):
    shown_on = resolve_as_of(as_of).isoformat()
    return {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": str(_("Policy-initiative tracker: Kazakhstan's digital-policy initiatives")),
        "description": str(
            _("Initiatives, dated and sourced status updates, milestones, organisations, themes and sources.")
        ),
        "url": absolute(reverse("initiatives:data")),
        "license": licence()["path"],
        "isAccessibleForFree": True,
        "temporalCoverage": f"../{shown_on}",
        "dateModified": shown_on,
        "spatialCoverage": {"@type": "Place", "name": "Kazakhstan"},
        "creator": {"@type": "Organization", "name": str(_("Policy-initiative tracker"))},
        "distribution": [
            {
                "@type": "DataDownload",
                "name": "Frictionless Data Package",
                "encodingFormat": "application/zip",
                "contentUrl": package_url,
            },
            {
                "@type": "DataDownload",
                "name": "initiatives.csv",
                "encodingFormat": "text/csv",
                "contentUrl": absolute(AsOf(as_of).keep(reverse("initiatives:initiative-csv"))),
            },
            {
                "@type": "DataDownload",
                "name": "JSON API",
                "encodingFormat": "application/json",
                "contentUrl": absolute("/api/initiatives/"),
            },
        ],
    }
