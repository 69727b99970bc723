"""How to cite an initiative's page: a permalink pinned to the date shown (``?as_of=``),
so that the citation reproduces what the reader saw, in APA and Chicago styles, and as
BibTeX and CSL-JSON downloads. The page's box, the downloads and the API's ``citation``
object all come from ``page_citation``.
"""

import json
import re

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views import View

from .models import Initiative
from .timetravel import AsOf, resolve_as_of
from .views import AsOfMixin
from .vocabularies import DatePrecision, Status

BIBTEX_SPECIAL = re.compile(r"[\\{}&%$#_~^]")
BIBTEX_WORDS = {"\\": r"\textbackslash{}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def site_name():
    return _("Policy-initiative tracker")


def date_parts(value, precision=DatePrecision.DAY):
    """CSL's [[year, month, day]], stopping at the precision."""
    if precision == DatePrecision.YEAR:
        return [[value.year]]
    if precision == DatePrecision.MONTH:
        return [[value.year, value.month]]
    return [[value.year, value.month, value.day]]


def apa_date(value, precision):
    """APA's "2025, March 1" / "2025, March" / "2025"."""
    if precision == DatePrecision.YEAR:
        return str(value.year)
    month = formats.date_format(value, "F")
    return f"{value.year}, {month}" if precision == DatePrecision.MONTH else f"{value.year}, {month} {value.day}"


def chicago_date(value, precision=DatePrecision.DAY):
    """Chicago's "March 1, 2025" / "March 2025" / "2025"."""
    if precision == DatePrecision.YEAR:
        return str(value.year)
    if precision == DatePrecision.MONTH:
        return formats.date_format(value, "F Y")
    return formats.date_format(value, "F j, Y")


def bibtex_escape(text):
    """Text safe inside a BibTeX field: LaTeX's special characters escaped."""
    return BIBTEX_SPECIAL.sub(lambda match: BIBTEX_WORDS.get(match.group(), "\\" + match.group()), text)


def page_citation(*, slug, title, status, last_reported_on, last_reported_precision, shown_on, absolute):
    """The citation of an initiative's page as it stood on ``shown_on``: a dict with the
    permalink, APA and Chicago text, BibTeX text and the CSL-JSON item. ``absolute`` turns
    a path into an absolute URL (request.build_absolute_uri)."""
    page = reverse("initiatives:initiative-detail", kwargs={"slug": slug})
    pinned = AsOf(shown_on)
    permalink = absolute(pinned.keep(page))
    accessed = timezone.localdate()
    site = str(site_name())
    status_label = str(Status.describe(status).label)
    shown = shown_on.isoformat()
    note = _("Status as of %(date)s: %(status)s") % {"date": shown, "status": status_label}
    precision = last_reported_precision or DatePrecision.DAY
    apa_issued = apa_date(last_reported_on, precision) if last_reported_on else _("n.d.")
    chicago_modified = (
        _("Last modified %(date)s.") % {"date": chicago_date(last_reported_on, precision)} + " "
        if last_reported_on
        else ""
    )
    csl = {
        "id": f"{slug}-{shown}",
        "type": "webpage",
        "title": str(title),
        "container-title": site,
        "author": [{"literal": site}],
        "URL": permalink,
        "accessed": {"date-parts": date_parts(accessed)},
        "note": note,
    }
    if last_reported_on:
        csl["issued"] = {"date-parts": date_parts(last_reported_on, precision)}
    bibtex_fields = [
        ("author", "{" + bibtex_escape(site) + "}"),
        ("title", "{" + bibtex_escape(str(title)) + "}"),
        ("howpublished", bibtex_escape(site)),
        *([("year", str(last_reported_on.year))] if last_reported_on else []),
        ("url", permalink),
        ("urldate", accessed.isoformat()),
        ("note", bibtex_escape(note)),
    ]
    bibtex = (
        f"@misc{{{slug}-{shown},\n" + ",\n".join(f"  {name} = {{{value}}}" for name, value in bibtex_fields) + "\n}\n"
    )
    return {
        "permalink": permalink,
        "shown_on": shown_on,
        "apa": f"{site}. ({apa_issued}). {title} [{note}]. "
        + _("Retrieved %(date)s, from %(url)s") % {"date": chicago_date(accessed), "url": permalink},
        "chicago": f"“{title}.” {site}. {chicago_modified}"
        + _("Accessed %(date)s.") % {"date": chicago_date(accessed)}
        + f" {permalink}.",
        "bibtex": bibtex,
        "csl_json": csl,
        "bibtex_url": absolute(pinned.keep(reverse("initiatives:initiative-cite-bibtex", kwargs={"slug": slug}))),
        "csl_json_url": absolute(pinned.keep(reverse("initiatives:initiative-cite-csl", kwargs={"slug": slug}))),
    }


def initiative_citation(request, initiative, as_of):
    """The citation of an initiative annotated by with_current_status for the date the
    page shows."""
    return page_citation(
        slug=initiative.slug,
        title=initiative.tr.title,
        status=initiative.current_status,
        last_reported_on=initiative.last_reported_on,
        last_reported_precision=initiative.last_reported_on_precision,
        shown_on=resolve_as_of(as_of),
        absolute=request.build_absolute_uri,
    )


class CitationDownloadView(AsOfMixin, View):
    content_type = ""
    extension = ""

    def render(self, citation):
        raise NotImplementedError

    def get(self, request, slug):
        initiative = Initiative.objects.with_current_status(as_of=self.as_of).filter(slug=slug).first()
        if initiative is None:
            raise Http404
        citation = initiative_citation(request, initiative, self.as_of)
        response = HttpResponse(self.render(citation), content_type=self.content_type)
        name = f"{slug}-{citation['shown_on'].isoformat()}.{self.extension}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class BibTeXView(CitationDownloadView):
    content_type = "application/x-bibtex; charset=utf-8"
    extension = "bib"

    def render(self, citation):
        return citation["bibtex"]


class CslJsonView(CitationDownloadView):
    """CSL-JSON: a list of items, as citation managers (Zotero, Pandoc) import it."""

    content_type = "application/vnd.citationstyles.csl+json; charset=utf-8"
    extension = "json"

    def render(self, citation):
        return json.dumps([citation["csl_json"]], ensure_ascii=False, indent=2)
