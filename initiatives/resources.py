"""Reading status updates from the shared CSV format (csvformat.py), row by row,
with the same rules as the admin form, so a file is either wholly valid or
rejected with every bad row named."""

import csv
import io
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .csvformat import SOURCE_ID_SEPARATOR, STATUS_UPDATE_COLUMNS, is_formula
from .forms import StatusUpdateRulesMixin, percentage_field
from .models import Initiative, Source, StatusUpdate
from .vocabularies import DatePrecision, Status

TRUE_WORDS = {"true", "yes", "1"}
FALSE_WORDS = {"false", "no", "0", ""}


def restore_formula(text):
    """Undo the export's "'" guard, so an exported file imports back as it was."""
    if len(text) > 1 and text[0] == "'" and is_formula(text[1:]):
        return text[1:]
    return text


class CsvBooleanField(forms.Field):
    def to_python(self, value):
        word = (value or "").strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise ValidationError(_("Write true or false, not “%(value)s”."), params={"value": value})


class SourceIdsField(forms.ModelMultipleChoiceField):
    """Source ids separated by ";", as the export writes them."""

    def to_python(self, value):
        return [part.strip() for part in (value or "").split(SOURCE_ID_SEPARATOR) if part.strip()]

    def clean(self, value):
        return super().clean(self.to_python(value))


class StatusUpdateRowForm(StatusUpdateRulesMixin, forms.ModelForm):
    initiative = forms.ModelChoiceField(
        queryset=Initiative.objects.all(),
        to_field_name="slug",
        error_messages={"invalid_choice": _("No initiative has the slug “%(value)s”.")},
    )
    reported_on_precision = forms.ChoiceField(choices=DatePrecision.choices, required=False)
    status = forms.ChoiceField(
        choices=Status.choices,
        error_messages={
            "invalid_choice": _("“%(value)s” is not a status; use one of: %(choices)s."),
        },
    )
    progress = percentage_field()
    sources = SourceIdsField(queryset=Source.objects.all(), required=False)
    published = CsvBooleanField(required=False)

    class Meta:
        model = StatusUpdate
        fields = STATUS_UPDATE_COLUMNS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        status_field = self.fields["status"]
        status_field.error_messages["invalid_choice"] = status_field.error_messages["invalid_choice"] % {
            "value": "%(value)s",
            "choices": ", ".join(Status.values),
        }

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("published") and not cleaned_data.get("sources") and "sources" not in self.errors:
            self.add_error(
                "sources", _("A published update must cite at least one source. Add one, or keep it as a draft.")
            )
        return cleaned_data

    def clean_reported_on_precision(self):
        return self.cleaned_data["reported_on_precision"] or DatePrecision.DAY


@dataclass
class RowError:
    row: int
    messages: list


@dataclass
class ParsedFile:
    """The rows a file would create, the rows it repeats, and what is wrong with it."""

    rows: list = field(default_factory=list)
    duplicates: list = field(default_factory=list)
    file_errors: list = field(default_factory=list)
    row_errors: list = field(default_factory=list)

    @property
    def is_valid(self):
        return not self.file_errors and not self.row_errors


def _row_messages(form):
    """Each error, prefixed with the CSV column it is about."""
    return [
        str(error) if name == NON_FIELD_ERRORS else f"{name}: {error}"
        for name, errors in form.errors.items()
        for error in errors
    ]


def parse_status_updates(text):
    """Validate a whole file; rows are numbered as in a spreadsheet (the header is row 1)."""
    parsed = ParsedFile()
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    missing = [column for column in STATUS_UPDATE_COLUMNS if column not in header]
    unexpected = [column for column in header if column not in STATUS_UPDATE_COLUMNS]
    if missing or unexpected or len(header) != len(set(header)):
        parsed.file_errors.append(
            gettext("The header must be exactly: %(expected)s. Missing: %(missing)s. Unexpected: %(unexpected)s.")
            % {
                "expected": ",".join(STATUS_UPDATE_COLUMNS),
                "missing": ", ".join(missing) or "-",
                "unexpected": ", ".join(unexpected) or "-",
            }
        )
        return parsed
    forms_by_row = []
    for row_number, row in enumerate(reader, start=2):
        if None in row or any(value is None for value in row.values()):
            parsed.row_errors.append(RowError(row_number, [gettext("The row does not have one cell per column.")]))
            continue
        form = StatusUpdateRowForm(data={column: restore_formula(row[column]) for column in STATUS_UPDATE_COLUMNS})
        if form.is_valid():
            forms_by_row.append((row_number, form.cleaned_data))
        else:
            parsed.row_errors.append(RowError(row_number, _row_messages(form)))
    if not forms_by_row and not parsed.row_errors:
        parsed.file_errors.append(gettext("The file has no rows to import."))
    if parsed.is_valid:
        _split_duplicates(parsed, forms_by_row)
    return parsed


def _split_duplicates(parsed, rows):
    """Re-importing an exported file must not record the same updates twice:
    a row matching an existing update's initiative, date and headline is skipped."""
    initiative_ids = {row["initiative"].pk for _, row in rows}
    existing = set(
        StatusUpdate.objects.filter(initiative_id__in=initiative_ids).values_list(
            "initiative_id", "reported_on", "headline"
        )
    )
    for row_number, row in rows:
        key = (row["initiative"].pk, row["reported_on"], row["headline"])
        if key in existing:
            parsed.duplicates.append((row_number, row))
        else:
            existing.add(key)
            parsed.rows.append((row_number, row))
