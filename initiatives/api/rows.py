"""The API's reads: plain ``.values()`` rows, with related rows attached in one
query per relation for a whole page.

Rows are dicts, not model instances: a list page builds no model objects and
runs a fixed number of queries whatever its size (one for the page, one for
``count``, one per relation). The status logic itself is not here: it comes
from ``Initiative.objects.with_current_status(as_of)`` and friends in
``initiatives/querysets.py``.
"""

import datetime
from collections import defaultdict

from django.db.models import Q

from ..corrections import WORDING_FIELDS, citations_of_records, revised_after, revisions_by_update, wordings_on
from ..models import (
    Citation,
    ExternalLink,
    Initiative,
    InitiativeCountry,
    InitiativeOrganisation,
    InitiativeRelation,
    Milestone,
    Source,
    StatusUpdate,
)
from ..translation import translated
from . import serializers

# The .values() names each serializer's declared fields read (serializers.RowSerializer).
INITIATIVE_FIELDS = serializers.InitiativeSerializer.values_names()
INITIATIVE_DETAIL_FIELDS = serializers.InitiativeDetailSerializer.values_names()
SOURCE_FIELDS = serializers.SourceSerializer.values_names()
SOURCE_DETAIL_FIELDS = serializers.SourceDetailSerializer.values_names()
STATUS_UPDATE_FIELDS = serializers.StatusUpdateSerializer.values_names()
MILESTONE_FIELDS = serializers.MilestoneSerializer.values_names()
ORGANISATION_FIELDS = serializers.OrganisationSerializer.values_names()
THEME_FIELDS = serializers.ThemeSerializer.values_names()
# An initiative as it appears inside an organisation or a theme.
INITIATIVE_SUMMARY_FIELDS = serializers.InitiativeSummarySerializer.values_names()


def _grouped(pairs):
    grouped = defaultdict(list)
    for key, value in pairs:
        grouped[key].append(value)
    return grouped


def _prefixed(row, prefix):
    return {key[len(prefix) :]: value for key, value in row.items() if key.startswith(prefix)}


# --- Initiatives ---------------------------------------------------------------------


def attach_initiative_relations(rows, as_of=None):
    """Themes, countries, organisations with roles, relations both ways (to initiatives
    that existed on ``as_of``) and links, five queries for any number of rows."""
    if not rows:
        return rows
    ids = [row["id"] for row in rows]
    themes = _grouped(
        (row.pop("initiative_id"), _prefixed(row, "theme__"))
        for row in Initiative.themes.through.objects.filter(initiative_id__in=ids)
        .order_by("theme__name")
        .values("initiative_id", *serializers.ThemeRefSerializer.values_names("theme__"))
    )
    countries = _grouped(
        InitiativeCountry.objects.filter(initiative_id__in=ids)
        .order_by("country")
        .values_list("initiative_id", "country")
    )
    organisations = _grouped(
        (row.pop("initiative_id"), {**_prefixed(row, "organisation__"), "role": row["role"]})
        for row in InitiativeOrganisation.objects.filter(initiative_id__in=ids)
        .order_by("role", "organisation__name")
        .values("initiative_id", *serializers.OrganisationRefSerializer.values_names("organisation__"), "role")
    )
    relations = defaultdict(list)
    id_set = set(ids)
    for relation in (
        InitiativeRelation.objects.as_of(as_of)
        .filter(Q(from_initiative_id__in=ids) | Q(to_initiative_id__in=ids))
        .order_by("relation_type", "pk")
        .values(
            "relation_type",
            *translated("note"),
            "from_initiative_id",
            *serializers.InitiativeRefSerializer.values_names("from_initiative__"),
            "to_initiative_id",
            *serializers.InitiativeRefSerializer.values_names("to_initiative__"),
        )
    ):
        if relation["from_initiative_id"] in id_set:
            relations[relation["from_initiative_id"]].append(
                (relation["relation_type"], "outgoing", relation, _prefixed(relation, "to_initiative__"))
            )
        if relation["to_initiative_id"] in id_set:
            relations[relation["to_initiative_id"]].append(
                (relation["relation_type"], "incoming", relation, _prefixed(relation, "from_initiative__"))
            )
    links = _grouped(
        (row.pop("initiative_id"), row)
        for row in ExternalLink.objects.filter(initiative_id__in=ids)
        .order_by("kind", "label")
        .values("initiative_id", *serializers.ExternalLinkSerializer.values_names())
    )
    for row in rows:
        key = row["id"]
        row["themes"] = themes.get(key, [])
        row["countries"] = countries.get(key, [])
        row["organisations"] = organisations.get(key, [])
        row["relations"] = relations.get(key, [])
        row["links"] = links.get(key, [])
    return rows


def attach_initiative_detail(row, as_of):
    """The detail's extra parts: sources, published updates (newest first, with
    their sources) and milestones, all as they stood on ``as_of``."""
    initiative_id = row["id"]
    row["sources"] = list(
        Source.objects.as_of(as_of)
        .filter(initiatives=initiative_id)
        .order_by("-published_on", "title")
        .values(*SOURCE_FIELDS)
    )
    updates = StatusUpdate.objects.published().as_of(as_of).filter(initiative_id=initiative_id)
    row["updates"] = list(updates.latest_first().values(*STATUS_UPDATE_FIELDS))
    attach_update_evidence(row["updates"], as_of)
    row["milestones"] = list(
        Milestone.objects.with_state(as_of)
        .filter(initiative_id=initiative_id)
        .order_by("due_on", "title", "pk")
        .values(*MILESTONE_FIELDS)
    )
    return row


# --- Status updates -------------------------------------------------------------------


def attach_update_evidence(rows, as_of=None):
    """Citations, sources and revisions of a page of updates: two queries. On a past date,
    an update revised later reads as it did then, with the revisions made by then (two
    more queries when there is one)."""
    records = wordings_on([row["id"] for row in revised_after(rows, as_of)], as_of)
    for row in rows:
        if row["id"] in records:
            row.update({name: getattr(records[row["id"]], name) for name in WORDING_FIELDS if name in row})
    attach_update_sources(rows, as_of, records)
    revisions = revisions_by_update([row["id"] for row in rows], as_of) if rows else {}
    for row in rows:
        row["revisions"] = [vars(revision) for revision in revisions.get(row["id"], [])]
    return rows


def attach_update_sources(rows, as_of=None, records=None):
    """Each update's citations (source, quote, paragraph) and the sources they
    cite, from one query for the whole page; none of a source published after
    ``as_of``. The updates with an audit record in ``records`` (wordings_on) get the
    citations that record held, from one more query."""
    if not rows:
        return rows
    records = records or {}
    cited = Citation.objects.filter(update_id__in=[row["id"] for row in rows if row["id"] not in records])
    if as_of:
        cited = cited.exclude(source__known_from__gt=as_of)
    fields = (
        "update_id",
        *serializers.CitationSerializer.values_names(),
        *serializers.SourceSerializer.values_names("source__"),
    )
    found = list(cited.order_by("pk").values(*fields))
    if records:
        found += citations_of_records(records.values(), as_of).values(*fields)
    citations = _grouped((row.pop("update_id"), row) for row in found)
    for row in rows:
        row["citations"] = citations.get(row["id"], [])
        sources = {citation["source__id"]: _prefixed(citation, "source__") for citation in row["citations"]}
        # Newest first, then by title, as the sources of an initiative are listed.
        row["sources"] = sorted(sources.values(), key=lambda source: source["title"])
        row["sources"].sort(key=lambda source: source["published_on"] or datetime.date.min, reverse=True)
    return rows


# --- Organisations and themes ------------------------------------------------------


def attach_organisation_initiatives(row, as_of):
    """One entry per role the organisation has (and one for being the responsible body):
    the initiatives Initiative.objects.involving matches, as the page and the filter do."""
    involvement = Initiative.objects.involvement(row["id"])
    initiatives = (
        Initiative.objects.with_current_status(as_of)
        .involving([row["id"]])
        .order_by("title", "pk")
        .values(*INITIATIVE_SUMMARY_FIELDS)
    )
    row["initiatives"] = [
        {**initiative, "role": role} for initiative in initiatives for role in involvement.get(initiative["id"], [])
    ]
    return row


def attach_theme_initiatives(row, as_of):
    row["initiatives"] = list(
        Initiative.objects.with_current_status(as_of)
        .filter(themes=row["id"])
        .order_by("title")
        .values(*INITIATIVE_SUMMARY_FIELDS)
    )
    return row
