"""The CSV format of status updates, shared by the export and the admin import so
that an exported file can be edited and imported back as it is."""

import unicodedata

# `sources` holds source ids separated by ";" (ids are stable; titles are not unique).
STATUS_UPDATE_COLUMNS = [
    "initiative",
    "reported_on",
    "reported_on_precision",
    "status",
    "progress",
    "headline",
    "body",
    "sources",
    "published",
]
SOURCE_ID_SEPARATOR = ";"

# Spreadsheets execute cells that start with these; exports prefix them with "'".
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Spreadsheets also skip leading spaces and line breaks before a formula, and read the
# full-width forms (＝ ＋ － ＠, as typed with an East Asian input method) as the ASCII ones.
FORMULA_CHARACTERS = {"=", "+", "-", "@"}


def is_formula(text):
    """Whether a spreadsheet could read the cell ``text`` as a formula."""
    if text.startswith(FORMULA_PREFIXES):
        return True
    stripped = text.lstrip()  # spaces, tabs, line breaks, ideographic space
    return bool(stripped) and unicodedata.normalize("NFKC", stripped[0]) in FORMULA_CHARACTERS


def neutralise_formula(value):
    """The cell text, made inert if a spreadsheet would read it as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if is_formula(text) else text
