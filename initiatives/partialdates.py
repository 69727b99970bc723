"""Dates entered at the precision the evidence gives: "2025", "2025-06" or
"2025-06-30", never a made-up day.

Stored as the models store them (a date and its precision: a coarse date on the
first day of its period, a deadline on the last; models.precision_errors).
Each admin form with a date and its ``<date>_precision`` select gets a text
field for the date; the precision saved is the coarser of what the text gives
and what the select says, so "2025-06" saves as June 2025 with the select left
at "day", and a year chosen in the select needs no month or day typed.
"""

import calendar
import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .vocabularies import DatePrecision

PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")
#: Coarse to fine.
PRECISIONS = [DatePrecision.YEAR, DatePrecision.MONTH, DatePrecision.DAY]
#: Deadlines are stored on the last day of their period, so that "overdue" is honest.
DEADLINE_FIELDS = {"due_on", "period_end"}
FORMAT_HINT = _("YYYY, YYYY-MM or YYYY-MM-DD")


def coarser(first, second):
    return PRECISIONS[min(PRECISIONS.index(first), PRECISIONS.index(second))]


def stored_date(value, precision, *, deadline=False):
    """The day a date known to ``precision`` is stored as."""
    if precision == DatePrecision.YEAR:
        return value.replace(month=12, day=31) if deadline else value.replace(month=1, day=1)
    if precision == DatePrecision.MONTH:
        last = calendar.monthrange(value.year, value.month)[1]
        return value.replace(day=last) if deadline else value.replace(day=1)
    return value


def written(value, precision):
    """How a stored date reads in the field: only as much as is known."""
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{value.year:04d}"
    if precision == DatePrecision.MONTH:
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


class PartialDateField(forms.Field):
    """Text read as (date, precision): "2025" -> (2025-01-01, year)."""

    widget = forms.TextInput
    default_error_messages = {
        "invalid": _("Write the date as YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2025, 2025-06 or 2025-06-30."),
    }

    def __init__(self, *, precision=DatePrecision.DAY, deadline=False, **kwargs):
        super().__init__(**kwargs)
        # The stored precision, to show and compare the stored date as written.
        self.precision = precision or DatePrecision.DAY
        self.deadline = deadline
        self.widget.attrs.update({"placeholder": str(FORMAT_HINT), "size": 10, "inputmode": "numeric"})

    def prepare_value(self, value):
        if isinstance(value, datetime.date):
            return written(value, self.precision)
        return value

    def to_python(self, value):
        text = (value or "").strip() if isinstance(value, str) else value
        if text in (None, ""):
            return None
        if isinstance(text, datetime.date):
            return text, self.precision
        match = PARTIAL_DATE.match(text)
        if not match:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        year, month, day = (int(part) if part else None for part in match.groups())
        if day is not None and month is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            value = datetime.date(year, month or 1, day or 1)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        precision = DatePrecision.DAY if day else DatePrecision.MONTH if month else DatePrecision.YEAR
        return value, precision

    def has_changed(self, initial, data):
        """Whether saving the text would store another date or a coarser precision
        (so "2025-01-01" for a stored "2025" is no change, and "2025" for a stored
        day is one even while the precision select still says "day")."""
        try:
            entered = self.to_python(data)
        except ValidationError:
            return True
        if entered is None or initial is None:
            return (entered is None) != (initial is None)
        value, text_precision = entered
        precision = coarser(text_precision, self.precision)
        return precision != self.precision or stored_date(value, precision, deadline=self.deadline) != initial


class PartialDatesMixin:
    """For a ModelForm: each model date with a ``<name>_precision`` field in the
    form is entered as a PartialDateField, and saved at the coarser precision."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.partial_dates = []
        for name, field in list(self.fields.items()):
            precision_name = f"{name}_precision"
            if not isinstance(field, forms.DateField) or precision_name not in self.fields:
                continue
            precision = self.initial.get(precision_name) or self.fields[precision_name].initial
            self.fields[name] = PartialDateField(
                precision=precision,
                deadline=name in DEADLINE_FIELDS,
                required=field.required,
                label=field.label,
                help_text=field.help_text,
                initial=field.initial,
            )
            self.partial_dates.append((name, precision_name))

    def clean(self):
        for name, precision_name in self.partial_dates:
            entered = self.cleaned_data.get(name)
            if isinstance(entered, tuple):
                value, text_precision = entered
                precision = coarser(text_precision, self.cleaned_data.get(precision_name) or DatePrecision.DAY)
                self.cleaned_data[name] = stored_date(value, precision, deadline=name in DEADLINE_FIELDS)
                self.cleaned_data[precision_name] = precision
        return super().clean()
