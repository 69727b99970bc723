"""The yardstick for the API: hand-written ``.values()`` + ``JsonResponse`` views
that run the same queries and return the same JSON as /api/initiatives/ and
/api/status-updates/ (first page, default page size), with none of DRF's
machinery: no content negotiation, filters, throttling, ETag or serializers.

Deliberately written the plain way someone would write them by hand, without
importing anything from initiatives/api/.
"""

import datetime
from collections import defaultdict

from django.db.models import Q
from django.http import HttpResponse, JsonResponse
from django_countries import countries

from initiatives.corrections import revisions_by_update
from initiatives.models import (
    Citation,
    ExternalLink,
    Initiative,
    InitiativeCountry,
    InitiativeOrganisation,
    InitiativeRelation,
    StatusUpdate,
)
from initiatives.vocabularies import (
    NOT_ASSESSED_LABEL,
    NOT_ASSESSED_MEANING,
    RELATION_INVERSE_LABELS,
    STATUS_MEANINGS,
    InitiativeKind,
    LinkKind,
    RelationType,
    Role,
    SourceKind,
    Status,
)

PAGE_SIZE = 25


def page_of(request, queryset):
    page = int(request.GET.get("page", "1"))
    count = queryset.count()
    rows = list(queryset[(page - 1) * PAGE_SIZE : page * PAGE_SIZE])
    base = request.build_absolute_uri(request.path)
    return {
        "count": count,
        "next": f"{base}?page={page + 1}" if page * PAGE_SIZE < count else None,
        "previous": (f"{base}?page={page - 1}" if page > 2 else base) if page > 1 else None,
    }, rows


def initiatives(request):
    site = request.build_absolute_uri("/")[:-1]
    queryset = (
        Initiative.objects.with_current_status()
        .order_by("title", "pk")
        .values(
            "id", "slug", "title", "kind", "summary", "proposer", "venue", "proposed_on", "proposed_on_precision",
            "instrument", "responsible_body__slug", "responsible_body__name", "period_start",
            "period_start_precision", "period_end", "period_end_precision", "current_status", "current_progress",
            "last_reported_on", "is_stale", "has_overdue_milestones", "modified",
        )
    )  # fmt: skip
    body, rows = page_of(request, queryset)
    ids = [row["id"] for row in rows]
    themes, country_codes, organisations, relations, links = (defaultdict(list) for _ in range(5))
    for initiative_id, slug, name in (
        Initiative.themes.through.objects.filter(initiative_id__in=ids)
        .order_by("theme__name")
        .values_list("initiative_id", "theme__slug", "theme__name")
    ):
        themes[initiative_id].append(
            {"slug": slug, "name": name, "url": f"{site}/api/themes/{slug}/", "html_url": f"{site}/themes/{slug}/"}
        )
    for initiative_id, code in (
        InitiativeCountry.objects.filter(initiative_id__in=ids)
        .order_by("country")
        .values_list("initiative_id", "country")
    ):
        country_codes[initiative_id].append({"code": code, "name": str(countries.name(code))})
    for initiative_id, slug, name, role in (
        InitiativeOrganisation.objects.filter(initiative_id__in=ids)
        .order_by("role", "organisation__name")
        .values_list("initiative_id", "organisation__slug", "organisation__name", "role")
    ):
        organisations[initiative_id].append(
            {
                "slug": slug,
                "name": name,
                "url": f"{site}/api/organisations/{slug}/",
                "html_url": f"{site}/organisations/{slug}/",
                "role": role,
                "role_label": str(Role(role).label),
            }
        )
    for relation in (
        InitiativeRelation.objects.filter(Q(from_initiative_id__in=ids) | Q(to_initiative_id__in=ids))
        .order_by("relation_type", "pk")
        .values("relation_type", "note", "from_initiative_id", "from_initiative__slug", "from_initiative__title",
                "to_initiative_id", "to_initiative__slug", "to_initiative__title")
    ):  # fmt: skip
        for end, other, direction in (("from", "to", "outgoing"), ("to", "from", "incoming")):
            if relation[f"{end}_initiative_id"] in ids:
                kind = RelationType(relation["relation_type"])
                slug = relation[f"{other}_initiative__slug"]
                relations[relation[f"{end}_initiative_id"]].append(
                    {
                        "type": kind.value,
                        "direction": direction,
                        "label": str(kind.label if direction == "outgoing" else RELATION_INVERSE_LABELS[kind]),
                        "note": relation["note"],
                        "initiative": {
                            "slug": slug,
                            "title": relation[f"{other}_initiative__title"],
                            "url": f"{site}/api/initiatives/{slug}/",
                            "html_url": f"{site}/initiatives/{slug}/",
                        },
                    }
                )
    for initiative_id, kind, label, url in (
        ExternalLink.objects.filter(initiative_id__in=ids)
        .order_by("kind", "label")
        .values_list("initiative_id", "kind", "label", "url")
    ):
        links[initiative_id].append(
            {"kind": kind, "kind_label": str(LinkKind(kind).label), "label": label, "external_url": url}
        )
    results = []
    for row in rows:
        slug, status, body_slug = row["slug"], row["current_status"], row["responsible_body__slug"]
        results.append(
            {
                "url": f"{site}/api/initiatives/{slug}/",
                "html_url": f"{site}/initiatives/{slug}/",
                "slug": slug,
                "title": row["title"],
                "kind": row["kind"],
                "kind_label": str(InitiativeKind(row["kind"]).label),
                "summary": row["summary"],
                "status": status,
                "status_label": str(Status(status).label if status else NOT_ASSESSED_LABEL),
                "status_meaning": str(STATUS_MEANINGS[Status(status)] if status else NOT_ASSESSED_MEANING),
                "progress": row["current_progress"],
                "last_update": row["last_reported_on"],
                "stale": row["is_stale"],
                "has_overdue_milestones": row["has_overdue_milestones"],
                "proposer": row["proposer"],
                "venue": row["venue"],
                "proposed_on": row["proposed_on"],
                "proposed_on_precision": row["proposed_on_precision"],
                "instrument": row["instrument"],
                "responsible_body": {
                    "slug": body_slug,
                    "name": row["responsible_body__name"],
                    "url": f"{site}/api/organisations/{body_slug}/",
                    "html_url": f"{site}/organisations/{body_slug}/",
                }
                if body_slug
                else None,
                "period_start": row["period_start"],
                "period_start_precision": row["period_start_precision"],
                "period_end": row["period_end"],
                "period_end_precision": row["period_end_precision"],
                "themes": themes[row["id"]],
                "countries": country_codes[row["id"]],
                "organisations": organisations[row["id"]],
                "relations": relations[row["id"]],
                "links": links[row["id"]],
                "modified": row["modified"],
            }
        )
    return JsonResponse({**body, "results": results})


SOURCE_FIELDS = (
    "id", "slug", "title", "publisher", "author", "url", "published_on", "published_on_precision", "kind", "notes",
    "archive_url", "sha256",
)  # fmt: skip


def status_updates(request):
    site = request.build_absolute_uri("/")[:-1]
    queryset = (
        StatusUpdate.objects.published()
        .order_by("-reported_on", "-created", "-pk")
        .values(
            "id", "initiative__slug", "initiative__title", "reported_on", "reported_on_precision", "status",
            "progress", "headline", "body", "revised_on", "revision_note", "withdrawn_on", "withdrawal_reason",
            "created", "modified",
        )
    )  # fmt: skip
    body, rows = page_of(request, queryset)
    ids = [row["id"] for row in rows]
    citations, sources = defaultdict(list), defaultdict(dict)
    for citation in (
        Citation.objects.filter(update_id__in=ids)
        .order_by("pk")
        .values("id", "update_id", "quote", "paragraph", *(f"source__{field}" for field in SOURCE_FIELDS))
    ):
        slug, paragraph = citation["source__slug"], citation["paragraph"]
        anchor = f"#p-{paragraph}" if paragraph else ""
        citations[citation["update_id"]].append(
            {
                "source": slug,
                "quote": citation["quote"],
                "quote_translation": None,
                "paragraph": paragraph,
                "url": f"{site}/sources/{slug}/?citation={citation['id']}{anchor}",
            }
        )
        sources[citation["update_id"]][citation["source__id"]] = {
            "url": f"{site}/api/sources/{slug}/",
            "html_url": f"{site}/sources/{slug}/",
            "id": citation["source__id"],
            "slug": slug,
            "title": citation["source__title"],
            "publisher": citation["source__publisher"],
            "author": citation["source__author"],
            "external_url": citation["source__url"],
            "published_on": citation["source__published_on"],
            "published_on_precision": citation["source__published_on_precision"],
            "kind": citation["source__kind"],
            "kind_label": str(SourceKind(citation["source__kind"]).label),
            "notes": citation["source__notes"],
            "archive_url": citation["source__archive_url"],
            "sha256": citation["source__sha256"],
        }
    revisions = revisions_by_update(ids)
    results = []
    for row in rows:
        slug, status = row["initiative__slug"], Status(row["status"])
        cited = sorted(sources[row["id"]].values(), key=lambda source: source["title"])
        cited.sort(key=lambda source: source["published_on"] or datetime.date.min, reverse=True)
        results.append(
            {
                "url": f"{site}/api/status-updates/{row['id']}/",
                "html_url": f"{site}/initiatives/{slug}/#update-{row['id']}",
                "id": row["id"],
                "initiative": {
                    "slug": slug,
                    "title": row["initiative__title"],
                    "url": f"{site}/api/initiatives/{slug}/",
                    "html_url": f"{site}/initiatives/{slug}/",
                },
                "reported_on": row["reported_on"],
                "reported_on_precision": row["reported_on_precision"],
                "status": status.value,
                "status_label": str(status.label),
                "status_meaning": str(STATUS_MEANINGS[status]),
                "progress": row["progress"],
                "headline": row["headline"],
                "body": row["body"],
                "sources": cited,
                "citations": citations[row["id"]],
                "revised_on": row["revised_on"],
                "revision_note": row["revision_note"],
                "revisions": [
                    {"revised_on": revision.revised_on, "note": revision.note, "earlier": revision.earlier}
                    for revision in revisions.get(row["id"], [])
                ],
                "withdrawn_on": row["withdrawn_on"],
                "withdrawal_reason": row["withdrawal_reason"],
                "created": row["created"],
                "modified": row["modified"],
            }
        )
    return JsonResponse({**body, "results": results})


def hello(request):
    """The floor: the cheapest response this stack can give (middleware and all)."""
    return HttpResponse("hello", content_type="text/plain")
