"""Reading the ``as_of`` parameter that every public page and API endpoint accepts."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

AS_OF_PARAM = "as_of"
EARLIEST_AS_OF = datetime.date(1990, 1, 1)


def parse_as_of(value):
    """The date in ``value`` (YYYY-MM-DD), None when empty; ValidationError otherwise."""
    if value is None or value == "":
        return None
    try:
        parsed = datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValidationError(
            _("as_of must be a date written YYYY-MM-DD, for example 2025-06-30; got %(value)r.")
            % {"value": value[:40]},
            code="invalid_as_of",
        ) from None
    if len(value) != 10 or parsed < EARLIEST_AS_OF:
        raise ValidationError(
            _("as_of must be a date written YYYY-MM-DD on or after %(earliest)s.") % {"earliest": EARLIEST_AS_OF},
            code="invalid_as_of",
        )
    return parsed
