"""CSV exports of the filtered initiative list and of status updates.

Streamed row by row from ``.iterator()`` so a large export runs in constant
memory; UTF-8 with a header row; every cell passed through neutralise_formula so
a spreadsheet never runs user text as a formula. The updates file uses the
shared column list, so an export can be edited and imported back in the admin.
"""

import csv

from django.db.models import Prefetch
from django.http import StreamingHttpResponse
from django.views import View

from .csvformat import SOURCE_ID_SEPARATOR, STATUS_UPDATE_COLUMNS, neutralise_formula
from .filters import InitiativeFilter, StatusUpdateFilter
from .models import Initiative, InitiativeCountry, Source, StatusUpdate, Theme
from .views import AsOfMixin

CHUNK_SIZE = 500

INITIATIVE_COLUMNS = [
    "slug",
    "title",
    "kind",
    "status",
    "status_label",
    "progress",
    "last_reported_on",
    "stale",
    "has_overdue_milestones",
    "themes",
    "countries",
    "summary",
    "url",
]


class Echo:
    """A file-like object whose write() hands the line back for streaming."""

    def write(self, value):
        return value


class CsvExportView(AsOfMixin, View):
    filterset_class = None
    filename = "export.csv"
    columns = []

    def get_queryset(self):
        raise NotImplementedError

    def row(self, obj):
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        filterset = self.filterset_class(request.GET or None, queryset=self.get_queryset(), request=request)
        queryset = filterset.qs if (not filterset.is_bound or filterset.is_valid()) else filterset.queryset.none()
        writer = csv.writer(Echo())

        def lines():
            yield writer.writerow(self.columns)
            for obj in queryset.iterator(chunk_size=CHUNK_SIZE):
                yield writer.writerow([neutralise_formula(cell) for cell in self.row(obj)])

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        name = self.filename if not self.as_of else self.filename.replace(".csv", f"-as-of-{self.as_of}.csv")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


def _bool(value):
    return "true" if value else "false"


class InitiativeCsvView(CsvExportView):
    filterset_class = InitiativeFilter
    filename = "initiatives.csv"
    columns = INITIATIVE_COLUMNS

    def get_queryset(self):
        return (
            Initiative.objects.with_current_status(as_of=self.as_of)
            .prefetch_related(
                Prefetch("themes", queryset=Theme.objects.only("pk", "slug")),
                Prefetch("countries", queryset=InitiativeCountry.objects.only("pk", "initiative_id", "country")),
            )
            .order_by("title", "pk")
        )

    def row(self, obj):
        from .templatetags.tracker_tags import status_info

        info = status_info(obj.current_status)
        return [
            obj.slug,
            # Title, summary and status label in the language of the URL (/ru/initiatives.csv),
            # English where untranslated, like the list page.
            obj.tr.title,
            obj.kind,
            obj.current_status or "",
            info["label"],
            "" if obj.current_progress is None else obj.current_progress,
            obj.last_reported_on.isoformat() if obj.last_reported_on else "",
            _bool(obj.is_stale),
            _bool(obj.has_overdue_milestones),
            ";".join(theme.slug for theme in obj.themes.all()),
            ";".join(str(country.country) for country in obj.countries.all()),
            obj.tr.summary,
            self.request.build_absolute_uri(obj.get_absolute_url()),
        ]


class UpdateCsvView(CsvExportView):
    """The import format (csvformat): headline and body are the English source text in
    every language, so that a file exported and edited imports back as it is."""

    filterset_class = StatusUpdateFilter
    filename = "status-updates.csv"
    columns = STATUS_UPDATE_COLUMNS

    def get_queryset(self):
        return (
            StatusUpdate.objects.published()
            .as_of(self.as_of)
            .latest_first()
            .select_related("initiative")
            .only(
                "pk",
                "reported_on",
                "reported_on_precision",
                "status",
                "progress",
                "headline",
                "body",
                "published",
                "created",
                "initiative__slug",
            )
            .prefetch_related(Prefetch("sources", queryset=Source.objects.as_of(self.as_of).only("pk").order_by("pk")))
        )

    def row(self, obj):
        values = {
            "initiative": obj.initiative.slug,
            "reported_on": obj.reported_on.isoformat(),
            "reported_on_precision": obj.reported_on_precision,
            "status": obj.status,
            "progress": "" if obj.progress is None else obj.progress,
            "headline": obj.headline,
            "body": obj.body,
            "sources": SOURCE_ID_SEPARATOR.join(str(source.pk) for source in obj.sources.all()),
            "published": _bool(obj.published),
        }
        return [values[column] for column in self.columns]
