"""The status-update CSV, in one place: its columns, the spreadsheet-formula guard,
the public export's rows and the admin's round trip on django-import-export.

The admin exports every update with its stable ``id`` and the ``version`` it was
exported at; an edited file imported back updates the rows that carry an id,
creates the rows without one and leaves unchanged rows alone. The dry run says
what each row would do (created; changed, field by field, old → new; unchanged);
the confirmation does exactly that in one transaction, and refuses a row that
someone changed after the export. One bad row rejects the whole file, with every
bad row named by its spreadsheet row number (the header is row 1).

Writes go through services as the admin's do: a change to a published update
with a new revision note is ``services.revise_update`` (the corrections rule,
dated and audited), and citations are replaced by ``services.replace_citations``.
The public ``/updates.csv`` writes a subset of the same columns (PUBLIC_COLUMNS),
so a downloaded file imports as new rows.
"""

import csv
import datetime
import functools
import io
import re
import unicodedata
from dataclasses import dataclass, field

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext
from import_export import fields, resources, widgets
from import_export.results import RowResult

from .conflicts import Conflict, comparable, displayed, latest_versions
from .corrections import PUBLIC_FIELDS, UNPUBLISH_REFUSED, ever_published
from .evidence import normalise, quote_preview, quote_problem
from .forms import status_update_rule_errors
from .models import Citation, Initiative, Source, StatusUpdate
from .vocabularies import DatePrecision

# --- Cells a spreadsheet would run ------------------------------------------------------

# Spreadsheets execute cells that start with these; exports prefix them with "'".
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Spreadsheets also skip leading spaces and line breaks before a formula, and read the
# full-width forms (＝ ＋ － ＠, as typed with an East Asian input method) as the ASCII ones.
FORMULA_CHARACTERS = {"=", "+", "-", "@"}


def is_formula(text):
    """Whether a spreadsheet could read the cell ``text`` as a formula (the export's
    guard: wide, so that "-5" is written inert too)."""
    if text.startswith(FORMULA_PREFIXES):
        return True
    stripped = text.lstrip()  # spaces, tabs, line breaks, ideographic space
    return bool(stripped) and unicodedata.normalize("NFKC", stripped[0]) in FORMULA_CHARACTERS


def neutralise_formula(value):
    """The cell text, made inert if a spreadsheet would read it as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if is_formula(text) else text


# --- Columns ---------------------------------------------------------------------------

COLUMNS = [
    "id",
    "version",
    "initiative",
    "reported_on",
    "reported_on_precision",
    "status",
    "progress",
    "headline",
    "headline_ru",
    "headline_kk",
    "body",
    "body_ru",
    "body_kk",
    "quotes",
    "published",
    "revision_note",
]
REQUIRED_COLUMNS = ["initiative", "reported_on", "status", "headline"]
TEXT_COLUMNS = ["headline", "headline_ru", "headline_kk", "body", "body_ru", "body_kk", "revision_note"]
# One citation per line: "<source slug> | <quote>".
QUOTE_SEPARATOR = "|"
#: The public /updates.csv: what readers see of a published update, in the import's
#: columns (no id: a downloaded file imports as new rows, repeats refused).
PUBLIC_COLUMNS = [
    "initiative",
    "reported_on",
    "reported_on_precision",
    "status",
    "progress",
    "headline",
    "body",
    "quotes",
    "published",
]
# The columns compared to say what a row changes ("id" and "version" identify it).
DATA_COLUMNS = COLUMNS[2:]

TRUE_WORDS = {"true", "yes", "1"}
FALSE_WORDS = {"false", "no", "0", ""}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def looks_like_formula(text):
    """Text a spreadsheet would run: "=" anything, or "+", "-", "@" before a
    non-digit, also behind leading spaces and in their full-width forms."""
    stripped = (text or "").lstrip()
    if not stripped:
        return False
    first = unicodedata.normalize("NFKC", stripped[0])
    if first == "=":
        return True
    return first in "+-@" and (len(stripped) == 1 or not stripped[1].isdigit())


def restore_formula(text):
    """Undo the export's "'" guard (neutralise_formula), so an exported cell reads
    back as stored."""
    if len(text) > 1 and text[0] == "'" and is_formula(text[1:]):
        return text[1:]
    return text


# --- Widgets: one column each, every lookup read once per file ---------------------------


class IsoDateWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = (value or "").strip()
        if not text:
            return None
        try:
            if not ISO_DATE.match(text):
                raise ValueError
            return datetime.date.fromisoformat(text)
        except ValueError:
            raise ValueError(
                gettext("“%(value)s” is not a date: write it as YYYY-MM-DD, e.g. 2025-06-30.") % {"value": text}
            ) from None

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


class InitiativeSlugWidget(widgets.ForeignKeyWidget):
    def __init__(self):
        super().__init__(Initiative, field="slug")
        self.by_slug = None

    def clean(self, value, row=None, **kwargs):
        if self.by_slug is None:
            initiatives = Initiative.objects.only("pk", "slug", "title")
            self.by_slug = {initiative.slug: initiative for initiative in initiatives}
        slug = (value or "").strip()
        if slug not in self.by_slug:
            raise ValueError(gettext("No initiative has the slug “%(value)s”.") % {"value": slug})
        return self.by_slug[slug]


class QuotesWidget(widgets.Widget):
    """The citations, one a line: "<source slug> | <quote>"; cleaned to
    ((source, quote), ...) with every source read once per file."""

    def __init__(self):
        super().__init__()
        self.by_slug = self.by_pk = None

    def load(self):
        """Every source, read once per file (with its text, to check quotes)."""
        if self.by_slug is None:
            sources = list(Source.objects.only("pk", "slug", "title", "text"))
            self.by_slug = {source.slug: source for source in sources}
            self.by_pk = {source.pk: source for source in sources}
        return self

    def clean(self, value, row=None, **kwargs):
        self.load()
        citations, problems = [], []
        lines = [line.strip() for line in restore_formula(str(value or "")).splitlines() if line.strip()]
        for number, line in enumerate(lines, start=1):
            slug, separator, quote = (part.strip() for part in line.partition(QUOTE_SEPARATOR))
            if not separator or not quote:
                problems.append(gettext("line %(line)d: write “source-slug | quote”.") % {"line": number})
            elif slug not in self.by_slug:
                problems.append(
                    gettext("line %(line)d: no source has the slug “%(slug)s”.") % {"line": number, "slug": slug}
                )
            else:
                citations.append((self.by_slug[slug], quote))
        if problems:
            raise ValueError(" ".join(problems))
        return tuple(citations)

    def render(self, value, obj=None, **kwargs):
        return quotes_cell(value.all())


def quotes_cell(citations):
    """The ``quotes`` cell of an update: one "<source slug> | <quote>" a line."""
    return "\n".join(f"{citation.source.slug} {QUOTE_SEPARATOR} {citation.quote}" for citation in citations)


class TrueFalseWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        word = (value or "").strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise ValueError(gettext("Write true or false, not “%(value)s”.") % {"value": value})

    def render(self, value, obj=None, **kwargs):
        return "true" if value else "false"


class TextWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        return restore_formula(str(value or ""))


class PercentageWidget(widgets.IntegerWidget):
    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        if not text:
            return None
        if not text.isdigit():
            raise ValueError(gettext("Progress is a percentage, 0 to 100."))
        return int(text)


def services():
    """The services module (it imports this one to run an import)."""
    from . import services as module

    return module


CITATIONS = Prefetch("citations", queryset=Citation.objects.select_related("source").order_by("pk"))
# On import the sources come from the quotes column's one read of them, so each
# stored citation is read bare, into a list (no queryset per update).
STORED_CITATIONS = Prefetch(
    "citations",
    queryset=Citation.objects.only("pk", "update_id", "source_id", "quote").order_by("pk"),
    to_attr="stored_citations",
)


@functools.lru_cache(maxsize=4096)
def _normalised_quote(quote):
    # Most rows of a file repeat their stored quotes: each distinct quote is normalised once.
    return normalise(quote)


def _comparable(name, value):
    if name == "quotes":
        return tuple((source.pk, _normalised_quote(quote)) for source, quote in value)
    return comparable(StatusUpdate._meta.get_field(name), value)


def _displayed(name, value):
    if name == "quotes":
        lines = [f"{source.slug} {QUOTE_SEPARATOR} {quote_preview(quote)}" for source, quote in value]
        return "; ".join(lines) or gettext("(empty)")
    return displayed(StatusUpdate._meta.get_field(name), comparable(StatusUpdate._meta.get_field(name), value))


class IdOnlyRowResult(RowResult):
    """The row's update id, without rendering the update as text for each row."""

    def add_instance_info(self, instance):
        self.object_id = instance.pk


# --- The resource ---------------------------------------------------------------------


def _row_number(dataset_index):
    return dataset_index + 1  # the header is row 1


class StatusUpdateResource(resources.ModelResource):
    id = fields.Field(attribute="id", column_name="id", widget=widgets.IntegerWidget(), readonly=True)
    version = fields.Field(column_name="version", readonly=True)
    initiative = fields.Field(attribute="initiative", column_name="initiative", widget=InitiativeSlugWidget())
    reported_on = fields.Field(attribute="reported_on", column_name="reported_on", widget=IsoDateWidget())
    reported_on_precision = fields.Field(
        attribute="reported_on_precision",
        column_name="reported_on_precision",
        widget=widgets.CharWidget(),
        default=DatePrecision.DAY,
    )
    progress = fields.Field(attribute="progress", column_name="progress", widget=PercentageWidget())
    quotes = fields.Field(attribute="citations", column_name="quotes", widget=QuotesWidget(), readonly=True)
    published = fields.Field(attribute="published", column_name="published", widget=TrueFalseWidget())

    class Meta:
        model = StatusUpdate
        fields = COLUMNS
        import_id_fields = ["id"]
        skip_unchanged = True
        report_skipped = True
        # The diff is ours (field by field, from one prefetch), not the library's HTML.
        skip_diff = True
        clean_model_instances = False

    def __init__(self, *, user=None):
        super().__init__()
        self.user = user
        for name in TEXT_COLUMNS:
            self.fields[name].widget = TextWidget()
        self.instances, self.versions, self.duplicates, self.ever_published = {}, {}, {}, set()
        self._revision = False
        self._row, self._original, self._current_changes = {}, None, []
        self._import_fields = None

    def get_import_fields(self):
        # The library works this list out again for every row; it never changes.
        if self._import_fields is None:
            self._import_fields = super().get_import_fields()
        return self._import_fields

    def get_row_result_class(self):
        return IdOnlyRowResult

    # Export

    @staticmethod
    def export_queryset(queryset):
        return queryset.select_related("initiative").prefetch_related(CITATIONS)

    def before_export(self, queryset, **kwargs):
        self.versions = latest_versions(StatusUpdate, list(queryset.values_list("pk", flat=True)))

    def dehydrate_version(self, update):
        return self.versions.get(update.pk, "")

    def export_field(self, field, instance, **kwargs):
        # Every cell is made inert for spreadsheets, as in the public CSV.
        return neutralise_formula(super().export_field(field, instance, **kwargs))

    # Import

    def before_import(self, dataset, **kwargs):
        ids = {int(value) for value in dataset["id"] if str(value or "").strip().isdigit()}
        # The initiative comes from the file's column (one read of all of them), not a join.
        queryset = StatusUpdate.objects.filter(pk__in=ids).prefetch_related(STORED_CITATIONS)
        if kwargs.get("lock_rows"):
            # Nobody writes these rows between the version check and the save.
            queryset = queryset.select_for_update(of=("self",))
        self.instances = {update.pk: update for update in queryset}
        self.versions = latest_versions(StatusUpdate, list(self.instances))
        self.ever_published = ever_published(list(self.instances))
        self.duplicates = self._existing_keys(dataset)

    def _existing_keys(self, dataset):
        """(initiative slug, date, headline) of the stored updates a row without
        an id could repeat: a file exported without ids must not record them twice."""
        slugs = set(dataset["initiative"])
        return {
            (slug, reported_on, headline): pk
            for pk, slug, reported_on, headline in StatusUpdate.objects.filter(initiative__slug__in=slugs).values_list(
                "pk", "initiative__slug", "reported_on", "headline"
            )
        }

    def get_instance(self, instance_loader, row):
        raw = str(row.get("id") or "").strip()
        if not raw:
            return None
        if not raw.isdigit() or int(raw) not in self.instances:
            raise ValidationError(
                {
                    "id": gettext("No status update has the id “%(value)s”; leave id empty to add a new one.")
                    % {"value": raw}
                }
            )
        return self.instances[int(raw)]

    def init_instance(self, row=None):
        return StatusUpdate(reported_on_precision=DatePrecision.DAY, published=False)

    def after_init_instance(self, instance, new, row, **kwargs):
        self._original = None
        if not new:
            sources = self.fields["quotes"].widget.load().by_pk
            stored = tuple((sources[citation.source_id], citation.quote) for citation in instance.stored_citations)
            self._original = self._snapshot(instance, citations=stored)
            self._refuse_if_changed_since_export(instance, row)

    @staticmethod
    def _snapshot(update, *, citations):
        values = {name: getattr(update, name) for name in DATA_COLUMNS if name not in ("initiative", "quotes")}
        values["initiative"] = update.initiative_id
        values["quotes"] = citations
        return values

    def _refuse_if_changed_since_export(self, update, row):
        raw = str(row.get("version") or "").strip()
        current = self.versions.get(update.pk)
        if raw == str(current):
            return
        if not raw:
            raise ValidationError(
                {"version": gettext("A row with an id needs the version the export gave it; export again.")}
            )
        conflict = Conflict.since(StatusUpdate, update.pk, int(raw) if raw.isdigit() else None)
        if conflict is None:
            return
        if conflict.current:
            what = ", ".join(
                gettext("%(field)s now “%(theirs)s”")
                % {
                    "field": name,
                    "theirs": displayed(StatusUpdate._meta.get_field(name), value),
                }
                for name, value in conflict.current.items()
            )
        else:
            what = gettext("a version this file does not name")
        raise ValidationError(
            {
                "version": gettext(
                    "%(who)s changed this update after the export (%(what)s). Export again and redo this row."
                )
                % {"who": ", ".join(conflict.editors), "what": what}
            }
        )

    def before_import_row(self, row, **kwargs):
        self._row = row

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        for name in TEXT_COLUMNS:
            raw = row.get(name)
            value = restore_formula(str(raw or ""))
            stored = self._original[name] if self._original else ""
            if looks_like_formula(value) and value != stored:
                errors[name] = ValidationError(
                    gettext("“%(value)s” starts like a spreadsheet formula; remove the leading “%(sign)s”.")
                    % {"value": value[:40], "sign": value[0]}
                )
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        citations = self._citations(errors)
        try:
            instance.clean_fields(exclude=[*errors, "initiative", "author", "id"])
            instance.clean()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for name, message in status_update_rule_errors(reported_on=instance.reported_on).items():
            errors.setdefault(name, [message])
        problems = [quote_problem(instance, source, quote) for source, quote in citations]
        problems = [problem for problem in problems if problem]
        if instance.published and not citations and "quotes" not in errors:
            problems.append(
                gettext("A published update must cite at least one source. Add one, or keep it as a draft.")
            )
        if problems:
            errors.setdefault("quotes", []).extend(problems)
        self._require_revision_note(instance, errors)
        if errors:
            raise ValidationError(errors)

    def _require_revision_note(self, instance, errors):
        """The corrections rule, as the admin applies it (forms.RevisionNoteMixin):
        once an update has ever been published, a row that changes what readers
        see (its date, status, progress, headline, body or quotes) says in a new
        revision note what changed and why; a new note marks it revised today;
        and only a superuser (or a script) takes it off the record."""
        self._revision = False
        if not (self._original and instance.pk in self.ever_published):
            return
        if self._original["published"] and not instance.published and not services().may_unpublish(self.user):
            errors.setdefault("published", []).append(str(UNPUBLISH_REFUSED))
        note = (instance.revision_note or "").strip()
        if note and note != (self._original["revision_note"] or "").strip():
            self._revision = True
            instance.revised_on = timezone.localdate()
            return
        public = [name for name, _old, _new in self._current_changes if name in (*PUBLIC_FIELDS, "quotes")]
        if public:
            errors.setdefault("revision_note", []).append(
                gettext(
                    "This update is published: say in revision_note what changed and why (readers see it), "
                    "or leave the row as exported."
                )
            )

    def _citations(self, errors):
        """((source, quote), ...) as the row gives them, else as stored."""
        if "quotes" not in self._row:
            return self._original["quotes"] if self._original else ()
        try:
            return self.fields["quotes"].clean(self._row)
        except ValueError as error:
            errors["quotes"] = [str(error)]
            return ()

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """An existing update the row does not change is left alone: no write, no history row."""
        self._current_changes = []
        if import_validation_errors:
            return False
        if self._original is None:
            self._refuse_repeat(instance)
            return False
        self._current_changes = self._changes(instance)
        return not self._current_changes

    def _refuse_repeat(self, instance):
        key = (instance.initiative.slug, instance.reported_on, instance.headline)
        if key in self.duplicates:
            raise ValidationError(
                {
                    NON_FIELD_ERRORS: gettext(
                        "Status update %(id)s already has this initiative, date and headline; give its id to change it."
                    )
                    % {"id": self.duplicates[key] or "-"}
                }
            )
        self.duplicates[key] = None

    def _changes(self, instance):
        """[(column, old, new)] for each column the row changes."""
        new = self._snapshot(instance, citations=self._citations({}))
        return [
            (name, self._original[name], new[name])
            for name in DATA_COLUMNS
            if name in self._row and _comparable(name, self._original[name]) != _comparable(name, new[name])
        ]

    def save_instance(self, instance, is_create, row, **kwargs):
        # The dry run validates and compares; it writes nothing, not even to roll back.
        if kwargs.get("dry_run"):
            return
        if self._revision:
            # A correction in the open, exactly as the admin's: dated, noted, audited.
            changes = {
                name: getattr(instance, name)
                for name, _old, _new in self._current_changes
                if name not in ("quotes", "revision_note")
            }
            services().revise_update(
                update=instance,
                note=instance.revision_note,
                user=self.user,
                changes=changes,
                citations=self._citations({}) if self._quotes_changed() else None,
            )
            return
        super().save_instance(instance, is_create, row, **kwargs)

    def _quotes_changed(self):
        return self._original is None or any(name == "quotes" for name, _old, _new in self._current_changes)

    def before_save_instance(self, instance, row, **kwargs):
        if instance._state.adding:
            instance.author = self.user
        instance._history_user = self.user

    def save_m2m(self, instance, row, **kwargs):
        if kwargs.get("dry_run") or self._revision or not self._quotes_changed():
            return
        services().replace_citations(update=instance, citations=self._citations({}))
        services().record_citations_in_history(update=instance)

    def after_import_row(self, row, row_result, **kwargs):
        row_result.changes = [
            (name, _displayed(name, old), _displayed(name, new)) for name, old, new in self._current_changes
        ]


# --- Reading a file and saying what it would do --------------------------------------


@dataclass
class RowError:
    row: int
    messages: list


@dataclass
class RowOutcome:
    row: int
    kind: str  # "created", "changed" or "unchanged"
    update_id: int | None
    label: str
    changes: list


@dataclass
class ImportReport:
    """What a file does, row by row, or why it is rejected."""

    outcomes: list = field(default_factory=list)
    file_errors: list = field(default_factory=list)
    row_errors: list = field(default_factory=list)

    @property
    def is_valid(self):
        return not self.file_errors and not self.row_errors

    def count(self, kind):
        return sum(1 for outcome in self.outcomes if outcome.kind == kind)

    @property
    def created(self):
        return self.count("created")

    @property
    def changed(self):
        return self.count("changed")

    @property
    def unchanged(self):
        return self.count("unchanged")


def _header_errors(header):
    if len(header) == 1 and ";" in header[0]:
        return [
            gettext(
                "The columns are separated by semicolons (;). Save the file as CSV with commas "
                "(in Excel: “CSV UTF-8 (Comma delimited)”; in LibreOffice: field delimiter “,”)."
            )
        ]
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    unexpected = [column for column in header if column not in COLUMNS]
    repeated = sorted({column for column in header if header.count(column) > 1})
    if not (missing or unexpected or repeated):
        return []
    return [
        gettext(
            "The header names columns from: %(expected)s (%(required)s required). "
            "Missing: %(missing)s. Unexpected: %(unexpected)s. Repeated: %(repeated)s."
        )
        % {
            "expected": ",".join(COLUMNS),
            "required": ", ".join(REQUIRED_COLUMNS),
            "missing": ", ".join(missing) or "-",
            "unexpected": ", ".join(unexpected) or "-",
            "repeated": ", ".join(repeated) or "-",
        }
    ]


def read_dataset(text, report):
    """The file as a tablib Dataset with an id column, plus the spreadsheet row
    number of each dataset row; errors go into ``report``."""
    reader = csv.reader(io.StringIO(text))
    header = [column.strip() for column in next(reader, [])]
    if not header:
        report.file_errors.append(gettext("The file has no rows to import."))
        return None, []
    report.file_errors.extend(_header_errors(header))
    if report.file_errors:
        return None, []
    padded = header if "id" in header else [*header, "id"]
    rows, numbers = [], []
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            report.row_errors.append(
                RowError(
                    number,
                    [
                        gettext("The row has %(cells)d cells; the header has %(columns)d.")
                        % {"cells": len(cells), "columns": len(header)}
                    ],
                )
            )
            continue
        rows.append(tuple(cells) + (("",) if len(padded) > len(header) else ()))
        numbers.append(number)
    if not rows and not report.row_errors:
        report.file_errors.append(gettext("The file has no rows to import."))
    return tablib.Dataset(*rows, headers=padded), numbers


def _messages(error_dict):
    """Each error, prefixed with the CSV column it is about."""
    return [
        message if name == NON_FIELD_ERRORS else f"{name}: {message}"
        for name, messages in error_dict.items()
        for message in messages
    ]


KINDS = {"new": "created", "update": "changed", "skip": "unchanged"}


def run_import(text, *, user, dry_run):
    """Validate the whole file and, unless ``dry_run``, apply it; the report says
    what each row does. Applying happens only when every row is valid (the
    caller's transaction is rolled back otherwise)."""
    report = ImportReport()
    dataset, numbers = read_dataset(text, report)
    if dataset is None or not len(dataset):
        return report
    resource = StatusUpdateResource(user=user)
    if dry_run:
        # import_data() would wrap the dry run in a transaction and a savepoint per
        # row, only to roll back writes that the dry run never makes.
        result = resource.import_data_inner(
            dataset, dry_run=True, raise_errors=False, using_transactions=False, collect_failed_rows=False
        )
    else:
        result = resource.import_data(
            dataset, dry_run=False, use_transactions=True, rollback_on_validation_errors=True, lock_rows=True
        )
    report.file_errors.extend(str(error.error) for error in result.base_errors)
    for invalid in result.invalid_rows:
        report.row_errors.append(RowError(numbers[invalid.number - 1], _messages(invalid.error_dict)))
    for number, errors in result.row_errors():
        report.row_errors.append(RowError(numbers[number - 1], [str(error.error) for error in errors]))
    report.row_errors.sort(key=lambda error: error.row)
    for index, row_result in enumerate(result.rows):
        if row_result.import_type not in KINDS:
            continue
        row = dataset[index]
        values = dict(zip(dataset.headers, row, strict=True))
        report.outcomes.append(
            RowOutcome(
                row=numbers[index],
                kind=KINDS[row_result.import_type],
                update_id=row_result.object_id,
                label=f"{values['initiative']} · {values['headline']}",
                changes=getattr(row_result, "changes", []),
            )
        )
    return report
