"""What changed between two dates: status and progress changes, first announcements,
milestones achieved and milestones that fell overdue.

Every answer comes from the QuerySet methods (``changed_between``,
``announced_between``, ``achieved_between``, ``fell_overdue_between``, all built on
``with_current_status`` and ``overdue``), over the initiatives the list's FilterSet
selects, so "what changed" and "what was true" can never disagree. The result is plain
data (dicts), shared by the page, the API and the CSV, in a fixed number of queries
whatever the number of initiatives.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from .cache import cached
from .evidence import passage_url
from .exports import csv_response
from .filters import InitiativeFilter
from .models import Citation, Initiative, Milestone, Source, StatusUpdate, Theme
from .timetravel import AS_OF_PARAM, parse_date_parameter
from .translation import localized_value, translated
from .views import bad_request
from .vocabularies import DatePrecision, InitiativeKind, Status

FROM_PARAM = "from"
TO_PARAM = "to"
DEFAULT_PERIOD_DAYS = 30
# Each section lists this many entries on the page and in the API; the counts are always
# complete, and the CSV holds every entry.
LIST_LIMIT = 50

SECTIONS = {
    "status_changes": gettext_lazy("Status or progress changed"),
    "announced": gettext_lazy("First announced"),
    "milestones_achieved": gettext_lazy("Milestones achieved"),
    "milestones_overdue": gettext_lazy("Milestones that fell overdue"),
}

INITIATIVE_VALUES = ("id", "slug", "kind", *translated("title"))
MILESTONE_VALUES = (
    "id",
    *translated("title"),
    "due_on",
    "due_on_precision",
    "achieved_on",
    "achieved_on_precision",
    *(f"initiative__{field}" for field in INITIATIVE_VALUES),
)


def parse_period(params):
    """(start, end) from ``from`` and ``to``: ``to`` defaults to today and ``from`` to
    30 days before it; a malformed date, or a start not before the end, is a
    ValidationError keyed by the parameter."""
    errors = {}
    dates = {}
    # as_of is checked even when ``to`` is given (and wins): a malformed date is a 400 wherever it is.
    for name in (FROM_PARAM, TO_PARAM, AS_OF_PARAM):
        try:
            dates[name] = parse_date_parameter(params.get(name), name)
        except ValidationError as error:
            errors[name] = error.messages
    if errors:
        raise ValidationError(errors)
    end = dates[TO_PARAM] or timezone.localdate()
    start = dates[FROM_PARAM] or end - datetime.timedelta(days=DEFAULT_PERIOD_DAYS)
    if start >= end:
        raise ValidationError({FROM_PARAM: [_("from must be a date before to.")]})
    return start, end


def filtered_initiatives(params, end, filterset_class=InitiativeFilter):
    """The initiatives the list's filters select (status as of ``end``); a filter that
    does not validate is a ValidationError with the FilterSet's messages."""
    filterset = filterset_class(params, queryset=Initiative.objects.with_current_status(as_of=end))
    if not filterset.is_valid():
        raise ValidationError({name: list(errors) for name, errors in filterset.form.errors.items()})
    return filterset.qs.order_by()


class Changes:
    """The changes between ``start`` and ``end`` (after the start, up to and on the end)
    among ``initiatives``; ``limit`` entries listed per section (None: all)."""

    def __init__(self, initiatives, start, end, limit=LIST_LIMIT):
        self.initiatives = initiatives
        self.start, self.end, self.limit = start, end, limit

    # -- the four kinds of change, as querysets

    def status_changes(self):
        return self.initiatives.changed_between(self.start, self.end)

    def announced(self):
        return self.initiatives.announced_between(self.start, self.end)

    def milestones_achieved(self):
        return Milestone.objects.achieved_between(self.start, self.end).filter(
            initiative__in=self.initiatives.values("pk")
        )

    def milestones_overdue(self):
        return Milestone.objects.fell_overdue_between(self.start, self.end).filter(
            initiative__in=self.initiatives.values("pk")
        )

    # -- as data

    def sections(self):
        """{section: {"entries": [...], "count": n, "by_kind": {...}, "by_theme": {...}}}."""
        status_changes = self.status_changes()
        announced = self.announced()
        achieved = self.milestones_achieved()
        overdue = self.milestones_overdue()
        sections = {
            "status_changes": self._initiative_section(
                status_changes.order_by("title", "pk").values(
                    *INITIATIVE_VALUES,
                    "previous_status",
                    "previous_progress",
                    "current_status",
                    "current_progress",
                    "current_update_id",
                ),
                status_changes,
            ),
            "announced": self._initiative_section(
                announced.order_by("title", "pk").values(*INITIATIVE_VALUES, "known_from", "first_update_known_from"),
                announced,
            ),
            "milestones_achieved": self._milestone_section(achieved.order_by("achieved_on", "title", "pk"), achieved),
            "milestones_overdue": self._milestone_section(overdue.order_by("due_on", "title", "pk"), overdue),
        }
        self._attach_updates(sections["status_changes"]["entries"])
        self._attach_themes(sections)
        return sections

    def _limited(self, rows):
        return list(rows if self.limit is None else rows[: self.limit])

    def _initiative_section(self, rows, queryset):
        by_kind = dict(queryset.values_list("kind").annotate(n=Count("pk")).order_by())
        by_theme = dict(
            queryset.filter(themes__isnull=False).values_list("themes__slug").annotate(n=Count("pk")).order_by()
        )
        entries = [{"initiative": initiative_entry(row)} | change_fields(row) for row in self._limited(rows)]
        return {"entries": entries, "count": sum(by_kind.values()), "by_kind": by_kind, "by_theme": by_theme}

    def _milestone_section(self, rows, queryset):
        by_kind = dict(queryset.values_list("initiative__kind").annotate(n=Count("pk")).order_by())
        by_theme = dict(
            queryset.filter(initiative__themes__isnull=False)
            .values_list("initiative__themes__slug")
            .annotate(n=Count("pk"))
            .order_by()
        )
        entries = [milestone_entry(row) for row in self._limited(rows.values(*MILESTONE_VALUES))]
        return {"entries": entries, "count": sum(by_kind.values()), "by_kind": by_kind, "by_theme": by_theme}

    def _attach_updates(self, entries):
        """The update that made each change, with its evidence known by the end (two queries)."""
        ids = [entry["update_id"] for entry in entries]
        citations = Citation.objects.filter(source__in=Source.objects.as_of(self.end).values("pk"))
        updates = StatusUpdate.objects.filter(pk__in=ids).prefetch_related(
            Prefetch("citations", queryset=citations.select_related("source").order_by("pk"))
        )
        by_id = {update.pk: update_entry(update, as_of=self.end) for update in updates} if ids else {}
        for entry in entries:
            entry["update"] = by_id.get(entry.pop("update_id"))

    @staticmethod
    def _attach_themes(sections):
        """Each listed initiative's themes, in one query for every section."""
        initiatives = [entry["initiative"] for section in sections.values() for entry in section["entries"]]
        if not initiatives:
            return
        through = Initiative.themes.through.objects.filter(initiative_id__in={i["id"] for i in initiatives})
        themes = {}
        for row in through.order_by("theme__name").values("initiative_id", "theme__slug", *translated("theme__name")):
            themes.setdefault(row["initiative_id"], []).append(
                {"slug": row["theme__slug"], "name": str(localized_value(row, "theme__name"))}
            )
        for initiative in initiatives:
            initiative["themes"] = themes.get(initiative["id"], [])

    def groups(self, sections):
        """Rows of counts, one per initiative kind and one per theme that has any change:
        {"kind"|"theme", code, label, counts: {section: n}}."""
        rows = [
            {
                "group": "kind",
                "code": kind.value,
                "label": str(kind.label),
                "counts": {name: section["by_kind"].get(kind.value, 0) for name, section in sections.items()},
            }
            for kind in InitiativeKind
        ]
        slugs = {slug for section in sections.values() for slug in section["by_theme"]}
        themes = Theme.objects.filter(slug__in=slugs).only("slug", *translated("name")) if slugs else []
        for theme in sorted(themes, key=lambda theme: str(theme.tr.name).casefold()):
            rows.append(
                {
                    "group": "theme",
                    "code": theme.slug,
                    "label": str(theme.tr.name),
                    "counts": {name: section["by_theme"].get(theme.slug, 0) for name, section in sections.items()},
                }
            )
        return rows

    def as_data(self):
        sections = self.sections()
        return {
            "from": self.start,
            "to": self.end,
            "totals": {name: section["count"] for name, section in sections.items()},
            "groups": self.groups(sections),
            "sections": {name: section["entries"] for name, section in sections.items()},
            "listed_limit": self.limit,
        }


# --- Plain rows -----------------------------------------------------------------------


def initiative_entry(row, prefix=""):
    return {
        "id": row[f"{prefix}id"],
        "slug": row[f"{prefix}slug"],
        "title": str(localized_value(row, f"{prefix}title")),
        "kind": row[f"{prefix}kind"],
        "kind_label": str(InitiativeKind(row[f"{prefix}kind"]).label),
        "themes": [],
    }


def change_fields(row):
    if "current_update_id" in row:
        return {
            "from_status": row["previous_status"],
            "from_progress": row["previous_progress"],
            "to_status": row["current_status"],
            "to_progress": row["current_progress"],
            "update_id": row["current_update_id"],
        }
    # The day the tracker first has it on record (Initiative.announced_on, from the same two dates).
    days = [day for day in (row["known_from"], row["first_update_known_from"]) if day]
    return {"on": min(days), "on_precision": DatePrecision.DAY}


def milestone_entry(row):
    return {
        "id": row["id"],
        "title": str(localized_value(row, "title")),
        "due_on": row["due_on"],
        "due_on_precision": row["due_on_precision"],
        "achieved_on": row["achieved_on"],
        "achieved_on_precision": row["achieved_on_precision"],
        "initiative": initiative_entry(row, prefix="initiative__"),
    }


def update_entry(update, *, as_of):
    return {
        "id": update.pk,
        "reported_on": update.reported_on,
        "reported_on_precision": update.reported_on_precision,
        "status": update.status,
        "progress": update.progress,
        "headline": str(update.tr.headline),
        # The evidence: each cited source with the passage quoted from it.
        "sources": [
            {
                "title": str(citation.source.tr.title),
                "publisher": citation.source.publisher,
                "url": citation.source.url,
                "published_on": citation.source.published_on,
                "published_on_precision": citation.source.published_on_precision,
                "quote": citation.quote,
                "paragraph": citation.paragraph,
                # The archived source as of the period's end, the quoted passage marked.
                "passage_url": passage_url(
                    citation.source.get_absolute_url(), citation.paragraph, citation_id=citation.pk, as_of=as_of
                ),
            }
            for citation in update.citations.all()
        ],
    }


# --- The page and the CSV ---------------------------------------------------------------


def period_and_initiatives(params, filterset_class=InitiativeFilter):
    """(start, end, initiatives) for a request's parameters; ``to`` defaults to ``as_of``
    when a past-date page links here. ValidationError on bad input."""
    params = params.copy()
    # A form's empty fields ("any kind") count as absent.
    for name in list(params):
        values = [value for value in params.getlist(name) if value != ""]
        if values:
            params.setlist(name, values)
        else:
            del params[name]
    if not params.get(TO_PARAM) and params.get(AS_OF_PARAM):
        params[TO_PARAM] = params[AS_OF_PARAM]
    start, end = parse_period(params)
    return start, end, filtered_initiatives(params, end, filterset_class)


def changes_data(params, start, end, initiatives):
    """The page's and the API's data, cached per data version, language and parameters."""
    state = sorted((key, value) for key, value in params.lists() if key != "page")
    return cached(
        "changes", as_of=end, parts=[start, *state], compute=lambda: Changes(initiatives, start, end).as_data()
    )


class ChangesView(TemplateView):
    template_name = "initiatives/changes.html"

    def get(self, request, *args, **kwargs):
        try:
            self.start, self.end, self.initiatives = period_and_initiatives(request.GET)
        except ValidationError as error:
            return bad_request(request, " ".join(error.messages))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        data = changes_data(self.request.GET, self.start, self.end, self.initiatives)
        sections = {
            "changes": data,
            "sections": [
                {"key": key, "label": label, "entries": data["sections"][key], "count": data["totals"][key]}
                for key, label in SECTIONS.items()
            ],
            "section_labels": list(SECTIONS.values()),
        }
        # Up to 400 entries: the rendered lists are cached like the data they show.
        state = sorted((key, value) for key, value in self.request.GET.lists())
        sections_html = cached(
            "changes-html",
            as_of=self.end,
            parts=[self.start, *state],
            compute=lambda: render_to_string("initiatives/_changes_sections.html", sections),
        )
        context.update(
            changes=data,
            sections_html=mark_safe(sections_html),  # noqa: S308 - rendered by our own template
            statuses=Status.choices,
            kinds=InitiativeKind.choices,
            themes=sorted(Theme.objects.only("slug", *translated("name")), key=lambda t: str(t.tr.name).casefold()),
            selected={key: self.request.GET.getlist(key) for key in ("kind", "status", "theme")},
        )
        return context


CSV_COLUMNS = [
    "change",
    "date",
    "initiative",
    "initiative_title",
    "initiative_kind",
    "themes",
    "from_status",
    "to_status",
    "from_progress",
    "to_progress",
    "update_id",
    "update_headline",
    "update_url",
    "sources",
    "milestone",
    "milestone_due_on",
    "milestone_achieved_on",
]


class ChangesCsvView(View):
    """Every change in the period (no listing limit), one row each, streamed."""

    def get(self, request, *args, **kwargs):
        try:
            start, end, initiatives = period_and_initiatives(request.GET)
        except ValidationError as error:
            return bad_request(request, " ".join(error.messages))
        sections = Changes(initiatives, start, end, limit=None).sections()
        response = csv_response(
            CSV_COLUMNS, self.rows(request, sections), f"changes-{start.isoformat()}-to-{end.isoformat()}.csv"
        )
        return response

    @staticmethod
    def rows(request, sections):
        def blank(value):
            return "" if value is None else value

        for key, section in sections.items():
            for entry in section["entries"]:
                initiative = entry["initiative"]
                row = dict.fromkeys(CSV_COLUMNS, "")
                row.update(
                    change=key,
                    initiative=initiative["slug"],
                    initiative_title=initiative["title"],
                    initiative_kind=initiative["kind"],
                    themes=";".join(theme["slug"] for theme in initiative["themes"]),
                )
                if key == "status_changes":
                    update = entry["update"]
                    page = reverse("initiatives:initiative-detail", kwargs={"slug": initiative["slug"]})
                    row.update(
                        date=update["reported_on"].isoformat(),
                        from_status=blank(entry["from_status"]),
                        to_status=entry["to_status"],
                        from_progress=blank(entry["from_progress"]),
                        to_progress=blank(entry["to_progress"]),
                        update_id=update["id"],
                        update_headline=update["headline"],
                        update_url=request.build_absolute_uri(f"{page}#update-{update['id']}"),
                        sources="\n".join(request.build_absolute_uri(s["passage_url"]) for s in update["sources"]),
                    )
                elif key == "announced":
                    row.update(date=entry["on"].isoformat())
                else:
                    achieved = entry["achieved_on"]
                    row.update(
                        date=(achieved if key == "milestones_achieved" else entry["due_on"]).isoformat(),
                        milestone=entry["title"],
                        milestone_due_on=entry["due_on"].isoformat(),
                        milestone_achieved_on=achieved.isoformat() if achieved else "",
                    )
                yield [row[column] for column in CSV_COLUMNS]
