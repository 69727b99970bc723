"""The ``citation`` object (how to cite the page) of an initiative's API detail (initiatives/citing.py makes it)."""

from rest_framework import serializers

from ..citing import page_citation
from ..timetravel import resolve_as_of
from ..translation import localized_value
from ..vocabularies import DatePrecision


class PageCitationSerializer(serializers.Serializer):
    """How to cite the initiative's page as it stood on the date asked (today or `as_of`)."""

    permalink = serializers.URLField(
        read_only=True, help_text="The page pinned to `shown_on` with ?as_of=, so it shows what was cited."
    )
    shown_on = serializers.DateField(read_only=True, help_text="The date the citation is pinned to.")
    apa = serializers.CharField(read_only=True, help_text="APA style (7th edition), plain text.")
    chicago = serializers.CharField(read_only=True, help_text="Chicago style (notes and bibliography), plain text.")
    bibtex = serializers.CharField(read_only=True, help_text="A BibTeX @misc entry.")
    csl_json = serializers.DictField(read_only=True, help_text="A CSL-JSON item (type webpage).")
    bibtex_url = serializers.URLField(read_only=True, help_text="The BibTeX entry as a download.")
    csl_json_url = serializers.URLField(read_only=True, help_text="The CSL-JSON as a download (a list of one item).")


def page_citation_dict(row, links, vocabulary):
    """The detail row's citation; the last update's precision comes from its newest update."""
    updates = row.get("updates") or []
    return page_citation(
        slug=row["slug"],
        title=localized_value(row, "title", vocabulary.language),
        status=row["current_status"],
        last_reported_on=row["last_reported_on"],
        last_reported_precision=updates[0]["reported_on_precision"] if updates else DatePrecision.DAY,
        shown_on=resolve_as_of(links.as_of),
        absolute=links.request.build_absolute_uri,
    )
