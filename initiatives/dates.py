"""Dates at the precision the evidence gives: "2023", "June 2025", "12 January 2026",
in the active language, never with a made-up day. Pages (the ``show_date`` tag and
``at_precision`` filter), feeds, charts, badges and the admin all write dates here."""

import functools

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import formats, translation

from .translation import language_code
from .vocabularies import DatePrecision

# Russian and Kazakh write month names in lower case inside a sentence; Django's
# catalogues capitalise the stand-alone ones ("Июнь", "Маусым").
LOWER_CASE_MONTHS = {"ru", "kk"}
# A day in the language's own order: "12 января 2026 г.", "2026 ж. 12 қаңтар" (Kazakh puts the year first).
DAY_FORMATS = {"ru": "j E Y г.", "kk": "Y ж. j E"}


def format_at_precision(value, precision=DatePrecision.DAY):
    """ "2023", "June 2025" / "июнь 2025 г." / "2025 ж. маусым", or "12 January 2026":
    never a day the evidence does not support. In the active language."""
    if not value:
        return ""
    return _formatted(value, str(precision or DatePrecision.DAY), translation.get_language())


# Each date written once per process and language: Django's date_format reads the
# language's formats and walks the format string on every call (a changelist page of
# fifty updates spent about a tenth of its time here). Forgotten when a setting
# changes (tests' override_settings), as Django's own format cache is.
@functools.lru_cache(maxsize=4096)
def _formatted(value, precision, language):
    if precision == DatePrecision.YEAR:
        return str(value.year)
    code = language_code(language)
    if precision == DatePrecision.MONTH:
        text = formats.date_format(value, "YEAR_MONTH_FORMAT")
    else:
        # "E" is the month name in the form used inside a date (genitive in Russian).
        text = formats.date_format(value, DAY_FORMATS.get(code, "j E Y"))
    return text.lower() if code in LOWER_CASE_MONTHS else text


def machine_date_at_precision(value, precision=DatePrecision.DAY):
    """The ISO 8601 form stopping at the precision: "2023", "2025-06", "2026-01-12"."""
    precision = precision or DatePrecision.DAY
    if precision == DatePrecision.YEAR:
        return f"{value.year:04d}"
    if precision == DatePrecision.MONTH:
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


def sentence(text):
    """The text as a sentence, ending in one full stop: Russian dates end in an
    abbreviation ("12 января 2026 г."), whose full stop also ends the sentence."""
    text = str(text).rstrip()
    return text if text.endswith((".", "!", "?", "…")) else f"{text}."


@receiver(setting_changed)
def _forget_written_dates(**kwargs):
    _formatted.cache_clear()
