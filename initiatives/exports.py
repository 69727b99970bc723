"""CSV exports of the filtered initiative list and of status updates.

A filtered export is streamed row by row from ``.iterator()``, so it runs in
constant memory; its query runs before the first byte is sent, so a database
outage is an honest 503 with Retry-After, and a stream that breaks later is
aborted (the server closes the connection without the end of the chunked body,
which every HTTP client reports as an incomplete download) rather than ended as
if complete. The full export (no filters) is a file built once per data version,
date and language and served with Content-Length, so a client can always tell a
complete download. Bad filters are a 400 with a plain-text reason.

UTF-8 with a header row; every cell passed through neutralise_formula so a
spreadsheet never runs user text as a formula. The updates file uses the shared
column list, so an export can be edited and imported back in the admin.
"""

import csv
import logging
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError
from django.db.models import Prefetch
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import View

from .cache import data_version
from .corrections import word_as_on
from .csvformat import PUBLIC_COLUMNS, neutralise_formula, quotes_cell
from .filters import InitiativeFilter, StatusUpdateFilter, filter_state
from .models import Initiative, InitiativeCountry, StatusUpdate, Theme
from .querysets import resolve_as_of
from .views import AsOfMixin
from .vocabularies import Status

logger = logging.getLogger("tracker.exports")

RETRY_AFTER_SECONDS = "30"
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

    def bad_request(self, message):
        return plain_text(message, status=400)

    def get(self, request, *args, **kwargs):
        filterset = self.filterset_class(request.GET or None, queryset=self.get_queryset(), request=request)
        state = filter_state(filterset)
        if state is None:
            reasons = [f"{name}: {' '.join(errors)}" for name, errors in filterset.form.errors.items()]
            return self.bad_request("\n".join([_("Some filters were not understood:"), *reasons]))
        try:
            return self.stream(filterset.qs) if state else self.full_export()
        except DatabaseError:
            logger.warning("CSV export: database unavailable", exc_info=True)
            response = plain_text(_("The service is temporarily unavailable; try again shortly."), status=503)
            response["Retry-After"] = RETRY_AFTER_SECONDS
            return response

    def download_name(self):
        return self.filename if not self.as_of else self.filename.replace(".csv", f"-as-of-{self.as_of}.csv")

    def lines(self, first, rows):
        writer = csv.writer(Echo())
        yield writer.writerow(self.columns)
        if first is None:
            return
        try:
            yield writer.writerow([neutralise_formula(cell) for cell in self.row(first)])
            for obj in rows:
                yield writer.writerow([neutralise_formula(cell) for cell in self.row(obj)])
        except DatabaseError:
            # Re-raised: the server aborts the response, so the client sees it incomplete.
            logger.warning("CSV export: database lost mid-stream; aborting the response", exc_info=True)
            raise

    def stream(self, queryset):
        rows = queryset.iterator(chunk_size=CHUNK_SIZE)
        first = next(rows, None)  # runs the query now, before any byte is sent
        response = StreamingHttpResponse(self.lines(first, rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.download_name()}"'
        return response

    def full_export(self):
        """The whole export as a file, built once per data version, date and language."""
        stem = f"{self.filename.removesuffix('.csv')}-{translation.get_language()}"
        version = data_version()  # read before the rows, so the file is never older than its name says
        path = Path(settings.EXPORTS_ROOT) / f"{stem}-{resolve_as_of(self.as_of)}-v{version}.csv"
        if not path.exists():
            self.build(path, stem)
        return FileResponse(
            path.open("rb"),
            as_attachment=True,
            filename=self.download_name(),
            content_type="text/csv; charset=utf-8",
        )

    def build(self, path, stem):
        path.parent.mkdir(parents=True, exist_ok=True)
        rows = self.get_queryset().iterator(chunk_size=CHUNK_SIZE)
        first = next(rows, None)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False, newline="") as file:
            try:
                file.writelines(self.lines(first, rows))
            except BaseException:
                os.unlink(file.name)
                raise
        os.replace(file.name, path)  # atomic: a reader sees the whole file or none
        for older in path.parent.glob(f"{stem}-*.csv"):
            if older != path:
                older.unlink(missing_ok=True)


def plain_text(message, *, status):
    return HttpResponse(message + "\n", status=status, content_type="text/plain; charset=utf-8")


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
        return [
            obj.slug,
            # Title, summary and status label in the language of the URL (/ru/initiatives.csv),
            # English where untranslated, like the list page.
            obj.tr.title,
            obj.kind,
            obj.current_status or "",
            Status.describe(obj.current_status).label,
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
    """The import's columns (csvformat.PUBLIC_COLUMNS), with each update's quoted
    evidence: headline, body and quotes are the English source text in every
    language, so that a downloaded file imports back as it is."""

    filterset_class = StatusUpdateFilter
    filename = "status-updates.csv"
    columns = PUBLIC_COLUMNS

    def get_queryset(self):
        return StatusUpdate.objects.for_timeline(self.as_of)

    def row(self, obj):
        # On a past date, an update revised later reads as it did then: a query for each
        # such row only (the export streams in chunks).
        word_as_on([obj], self.as_of, citations_attr="citation_list")
        values = {
            "initiative": obj.initiative.slug,
            "reported_on": obj.reported_on.isoformat(),
            "reported_on_precision": obj.reported_on_precision,
            "status": obj.status,
            "progress": "" if obj.progress is None else obj.progress,
            "headline": obj.headline,
            "body": obj.body,
            "quotes": quotes_cell(obj.citation_list),
            "published": _bool(obj.published),
        }
        return [values[column] for column in self.columns]


def csv_response(columns, rows, filename):
    """A streamed UTF-8 CSV of rows that are not one queryset (the changes between two
    dates): the header, then each row with every cell neutralised."""
    writer = csv.writer(Echo())

    def lines():
        yield writer.writerow(columns)
        for row in rows:
            yield writer.writerow([neutralise_formula(cell) for cell in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
