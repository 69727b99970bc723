"""Quoted evidence: a source's archived text in numbered paragraphs, and the
check that a quote is found in it word for word.

Quotes are compared after normalising what copying text commonly changes and
readers do not: runs of whitespace (line breaks, non-breaking spaces) and
typographic quotation marks and apostrophes. Everything else, including case
and punctuation, must match.
"""

import re
from dataclasses import dataclass
from urllib.parse import urlencode

from django.utils.html import escape, format_html
from django.utils.translation import gettext

PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")
WHITESPACE = re.compile(r"\s")
TYPOGRAPHIC = str.maketrans(
    {
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "«": '"',
        "»": '"',
        "″": '"',
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "′": "'",
    }
)
# How much of a quote an error message repeats.
QUOTE_PREVIEW = 80


def split_paragraphs(text):
    """The blocks of ``text`` separated by blank lines, stripped; paragraph n is
    item n - 1. Numbering depends only on the text, so anchors are stable."""
    return [block.strip() for block in PARAGRAPH_BREAK.split(text or "") if block.strip()]


@dataclass(frozen=True)
class Normalised:
    """A text in comparable form, remembering where each character came from."""

    text: str
    origins: tuple

    @classmethod
    def of(cls, original):
        chars, origins = [], []
        for index, char in enumerate(original):
            if WHITESPACE.match(char):
                if not chars or chars[-1] == " ":
                    continue
                char = " "
            chars.append(char.translate(TYPOGRAPHIC))
            origins.append(index)
        while chars and chars[-1] == " ":
            chars.pop()
            origins.pop()
        return cls("".join(chars), tuple(origins))

    def span_of(self, needle):
        """The (start, end) of ``needle`` (normalised) in the original text, or None."""
        start = self.text.find(needle)
        if start < 0 or not needle:
            return None
        return self.origins[start], self.origins[start + len(needle) - 1] + 1


def normalise(text):
    return Normalised.of(text or "").text


def find_paragraph(paragraphs, quote, *, preferred=None):
    """The 1-based number of the paragraph holding ``quote`` (``preferred`` if it
    does), or None when no single paragraph holds it."""
    needle = normalise(quote)
    if not needle:
        return None
    if preferred and 0 < preferred <= len(paragraphs) and needle in normalise(paragraphs[preferred - 1]):
        return preferred
    for number, paragraph in enumerate(paragraphs, start=1):
        if needle in normalise(paragraph):
            return number
    return None


def quote_preview(quote):
    quote = normalise(quote)
    return quote if len(quote) <= QUOTE_PREVIEW else quote[: QUOTE_PREVIEW - 1] + "…"


def quote_problem(update, source, quote):
    """Why ``quote`` cannot stand as evidence from ``source``, or None.

    The message names the update (when known), the quote and the source, so that
    it is clear on its own in a CSV import report as well as beside a form field.
    """
    params = {
        "update": getattr(update, "headline", "") or gettext("this update"),
        "quote": quote_preview(quote),
        "source": source.title,
    }
    if not normalise(quote):
        return gettext("Quote the passage of “%(source)s” that supports “%(update)s”.") % params
    if not source.text.strip():
        return (
            gettext("“%(source)s” has no archived text yet, so the quote for “%(update)s” cannot be checked.") % params
        )
    if find_paragraph(source.paragraphs, quote) is None:
        return (
            gettext(
                "The quote “%(quote)s” for “%(update)s” is not found word for word in one paragraph "
                "of the archived text of “%(source)s”."
            )
            % params
        )
    return None


def passage_url(source_url, paragraph, *, citation_id=None, as_of=None):
    """The link to a quoted passage: the paragraph's anchor, and the citation
    whose quote the page marks within it (on the archived page as of a date, if given)."""
    params = {"as_of": as_of.isoformat()} if as_of else {}
    if citation_id:
        params["citation"] = citation_id
    query = f"?{urlencode(params)}" if params else ""
    anchor = f"#p-{paragraph}" if paragraph else ""
    return f"{source_url}{query}{anchor}"


@dataclass
class Passage:
    """One numbered paragraph of an archived source, with the citations of it."""

    number: int
    html: str
    citations: list
    highlighted: bool

    @property
    def anchor(self):
        return f"p-{self.number}"


def marked_paragraph(paragraph, quote):
    """The paragraph as HTML, with ``quote`` (if found in it) in <mark>."""
    span = Normalised.of(paragraph).span_of(normalise(quote)) if quote else None
    if span is None:
        return escape(paragraph), False
    start, end = span
    return format_html("{}<mark>{}</mark>{}", paragraph[:start], paragraph[start:end], paragraph[end:]), True


def passages(source, citations, *, highlight=None):
    """The source's paragraphs, each with the citations placed in it; the
    ``highlight`` citation's quote is marked in its paragraph."""
    by_paragraph = {}
    for citation in citations:
        by_paragraph.setdefault(citation.paragraph, []).append(citation)
    result = []
    for number, paragraph in enumerate(source.paragraphs, start=1):
        if highlight is not None and highlight.paragraph == number:
            html, highlighted = marked_paragraph(paragraph, highlight.quote)
        else:
            html, highlighted = escape(paragraph), False
        result.append(Passage(number, html, by_paragraph.get(number, []), highlighted))
    return result
