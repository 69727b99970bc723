"""The CSV format of status updates, shared by the export and the admin import so
that an exported file can be edited and imported back as it is."""

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


def neutralise_formula(value):
    """The cell text, made inert if a spreadsheet would read it as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text
