"""Reading the ``as_of`` parameter that every public page and API endpoint accepts,
and every other date a visitor types: one parser, YYYY-MM-DD only.

Python's date.fromisoformat also reads ISO week dates (2025-W01-1), ordinal dates
(2025-001) and the basic format (20250101); the schema, the forms and the pages
promise YYYY-MM-DD, so anything else is a 400, not a silently different date.
"""

import datetime
import re
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

AS_OF_PARAM = "as_of"
EARLIEST_AS_OF = datetime.date(1990, 1, 1)
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_iso_date(value):
    """The date written YYYY-MM-DD in ``value``; ValueError for anything else."""
    if not isinstance(value, str) or not ISO_DATE.fullmatch(value):
        raise ValueError(f"not a YYYY-MM-DD date: {value!r}")
    return datetime.date.fromisoformat(value)


def parse_date_parameter(value, name):
    """The date in ``value`` (YYYY-MM-DD, on or after EARLIEST_AS_OF), None when empty;
    ValidationError naming the parameter otherwise (as_of, or /changes/'s from and to)."""
    if value is None or value == "":
        return None
    try:
        parsed = parse_iso_date(value)
    except ValueError:
        raise ValidationError(
            _("%(name)s must be a date written YYYY-MM-DD, for example 2025-06-30; got %(value)r.")
            % {"name": name, "value": value[:40]},
            code=f"invalid_{name}",
        ) from None
    if parsed < EARLIEST_AS_OF:
        raise ValidationError(
            _("%(name)s must be a date written YYYY-MM-DD on or after %(earliest)s.")
            % {"name": name, "earliest": EARLIEST_AS_OF},
            code=f"invalid_{name}",
        )
    return parsed


def parse_as_of(value):
    """The ``as_of`` date in ``value``, None when empty; ValidationError otherwise."""
    return parse_date_parameter(value, AS_OF_PARAM)


def resolve_as_of(as_of):
    """The day an ``as_of`` date stands for: None means today."""
    return as_of or timezone.localdate()


@dataclass(frozen=True)
class AsOf:
    """The date a request looks at, read from its query once (``AsOf.of(request)``).

    ``date`` is the past day asked for, None for today. False when the page is today's,
    so ``{% if as_of %}`` in a template means "a past-date page"."""

    date: datetime.date | None = None
    parameter = AS_OF_PARAM

    @classmethod
    def of(cls, request):
        """The request's AsOf, parsed the first time and kept on the request;
        ValidationError (every time it is asked) for a bad date."""
        parsed = getattr(request, "tracker_as_of", None)
        if parsed is None:
            try:
                parsed = cls(parse_as_of(request.GET.get(AS_OF_PARAM)))
            except ValidationError as error:
                parsed = error
            request.tracker_as_of = parsed
        if isinstance(parsed, ValidationError):
            raise parsed
        return parsed

    def __bool__(self):
        return self.date is not None

    @property
    def is_today(self):
        return self.date is None

    @property
    def day(self):
        """The day shown: the date asked for, or today."""
        return resolve_as_of(self.date)

    @property
    def value(self):
        """The query parameter's value: YYYY-MM-DD, empty for today."""
        return self.date.isoformat() if self.date else ""

    @property
    def query(self):
        """The query parameters that keep this date: {"as_of": "YYYY-MM-DD"}, none for today."""
        return {AS_OF_PARAM: self.value} if self.date else {}

    def keep(self, url):
        """``url`` (a fragment and query allowed), still looking at this date."""
        if not self.date:
            return url
        url, hash_sign, fragment = str(url).partition("#")
        separator = "&" if "?" in url else "?"
        return f"{url}{separator}{urlencode(self.query)}{hash_sign}{fragment}"


def as_of_context(request):
    """Context processor: ``as_of``, the page's AsOf (today's after a bad date, whose page
    says so with a 400 and links to today)."""
    try:
        return {"as_of": AsOf.of(request)}
    except ValidationError:
        return {"as_of": AsOf()}


class IsoDateField(forms.DateField):
    """A form date that accepts YYYY-MM-DD only (the filters' date ranges)."""

    default_error_messages = {"invalid": gettext_lazy("Enter a date written YYYY-MM-DD, for example 2025-06-30.")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.date):
            return value
        try:
            return parse_iso_date(str(value).strip())
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
