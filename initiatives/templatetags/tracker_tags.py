"""Template helpers for the public site: dates at their precision and status
descriptions (thin tags over initiatives/dates.py and Status.describe), and
query-string building for facets, sorting and paging."""

from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from initiatives import dates
from initiatives.cache import cached_fragments
from initiatives.country_names import country_name
from initiatives.safeurls import is_http_url
from initiatives.timetravel import AS_OF_PARAM, AsOf
from initiatives.translation import LocalizedText, in_original
from initiatives.translation import prose as translation_prose
from initiatives.vocabularies import DatePrecision, Status

register = template.Library()

CARD_TEMPLATE = "initiatives/_initiative_row.html"
FACET_TEMPLATE = "initiatives/_facet.html"

# --- Initiative cards ---------------------------------------------------------------


def render_in(context, template_name, **variables):
    """``template_name`` rendered in the page's context, with ``variables`` added."""
    template = context.template.engine.get_template(template_name)
    with context.push(variables):
        return template.render(context)


def render_kept(context, name, template_name, sources, *, variable, parts=(), **extra):
    """``template_name`` rendered in the page's context once per source (given to it as
    ``variable``, beside ``extra``), each kept for what it shows (cache.cached_fragments,
    under ``name``, the language, the page's date and ``parts``)."""
    as_of = context.get("as_of") or AsOf()

    def render(source):
        return render_in(context, template_name, **{variable: source, **extra})

    return cached_fragments(name, sources, as_of=as_of.date, parts=parts, render=render)


@register.simple_tag(takes_context=True)
def initiative_cards(context, initiatives, show_themes=False):
    """The cards of ``initiatives`` (for_cards()), each rendered once for what it shows
    and kept: the twenty cards were most of a list page's template work, and an
    analyst's save changes one initiative's card, not the rest."""
    cards = render_kept(
        context,
        "card",
        CARD_TEMPLATE,
        list(initiatives),
        variable="initiative",
        parts=(show_themes,),
        show_themes=show_themes,
    )
    return mark_safe("".join(cards))  # noqa: S308 (rendered by the card template, which escapes)


@register.simple_tag(takes_context=True)
def facet_sections(context, facets):
    """The list's facets (facets.facet_values), each section rendered once for what it
    shows (its values and this page's query, which its links toggle) and kept: after a
    status update only the facets whose counts moved are drawn again."""
    request = context.get("request")
    query = request.GET.urlencode() if request is not None else ""
    sections = render_kept(context, "facet", FACET_TEMPLATE, list(facets), variable="facet", parts=(query,))
    return mark_safe("".join(sections))  # noqa: S308 (rendered by the facet template, which escapes)


# --- External links ---------------------------------------------------------------


@register.simple_tag
def external_link(url, label=""):
    """A link to ``url`` only when it is http(s) (safeurls); any other address, such as a
    ``javascript:`` one that reached the database before the rule, shows as plain text."""
    text = label or url
    if is_http_url(url):
        return format_html('<a href="{}" rel="noopener">{}</a>', url, text)
    return format_html("{}", text)


# --- Dates at their precision (initiatives/dates.py) ----------------------------------


@register.filter
def sentence(text):
    """``{{ facts|sentence }}``: ends in one full stop (dates.sentence)."""
    return dates.sentence(text)


@register.filter
def at_precision(value, precision=DatePrecision.DAY):
    """``{{ update.reported_on|at_precision:update.reported_on_precision }}``"""
    return dates.format_at_precision(value, precision)


@register.simple_tag
def show_date(value, precision=DatePrecision.DAY):
    """A <time> element whose text and datetime attribute both stop at the precision."""
    if not value:
        return ""
    return format_html(
        '<time datetime="{}">{}</time>',
        dates.machine_date_at_precision(value, precision),
        dates.format_at_precision(value, precision),
    )


# --- Status vocabulary -------------------------------------------------------------


@register.filter
def status_info(code):
    """``{% with info=status|status_info %}``: Status.describe(code), so the badge reads
    info.label, info.meaning and info.css_class (None: not yet assessed)."""
    return Status.describe(code)


# --- URLs that carry the page's state ----------------------------------------------------


@register.simple_tag(takes_context=True)
def public_url(context, target, *args, **query):
    """Any public URL, keeping the page's ``as_of`` date (the AsOf the context processor gives).

    ``target`` is a route name (``"initiatives:initiative-list"``, ``args`` filling it), a
    path, or an object with get_absolute_url; keyword arguments are the query, empty ones
    left out. ``as_of=`` names another date (a pinned link in a fragment rendered alone).
    ``{% public_url initiative %}#update-1``, ``{% public_url "initiatives:initiative-list" kind=k %}``."""
    if hasattr(target, "get_absolute_url"):
        url = target.get_absolute_url()
    elif ":" in target and "/" not in target:
        url = reverse(target, args=args)
    else:
        url = str(target)
    as_of = AsOf(query.pop(AS_OF_PARAM)) if AS_OF_PARAM in query else context.get("as_of") or AsOf()
    kept = [(key, value) for key, value in query.items() if value not in (None, "")]
    if kept:
        url = f"{url}{'&' if '?' in url else '?'}{urlencode(kept)}"
    return as_of.keep(url)


def _query(request):
    return request.GET.copy() if request is not None else None


def _encode(query):
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def query_toggle(context, key, value):
    """This page's query string with one value of a multi-valued facet switched on or off."""
    query = _query(context.get("request"))
    if query is None:
        return "?"
    query.pop("page", None)
    value = str(value)
    values = query.getlist(key)
    if value in values:
        values.remove(value)
    else:
        values.append(value)
    query.setlist(key, values)
    return _encode(query)


@register.simple_tag(takes_context=True)
def query_items_without(context, *keys):
    """(name, value) pairs of this page's query, less some keys: hidden fields for a form
    that changes one parameter (the date) and keeps the filters."""
    query = _query(context.get("request"))
    if query is None:
        return []
    return [(key, value) for key, values in query.lists() if key not in keys for value in values]


@register.filter
def selected_in(value, values):
    return str(value) in [str(v) for v in (values or [])]


@register.filter
def known_on(day, as_of):
    """``{% if update.withdrawn_on|known_on:as_of %}``: the date is set and, on a past
    page, not after the date shown (a later withdrawal is not yet known then)."""
    return day is not None and (not as_of or day <= as_of.date)


# --- Languages ---------------------------------------------------------------------------


@register.filter
def marked(value):
    """Translated content for the page: English fallback text is marked with
    lang="en" and a note "(in English)" (see initiatives.translation)."""
    if isinstance(value, LocalizedText):
        return value.marked()
    return value


@register.filter
def original(value):
    """``{{ initiative.proposer|original }}``: text kept as recorded, in English,
    marked lang="en" on Russian and Kazakh pages."""
    return in_original(str(value)).marked()


@register.filter
def country(value):
    """``{{ organisation.country|country|marked }}``: the name in the language shown."""
    return country_name(getattr(value, "code", value))


@register.filter
def prose(value):
    """Paragraphs of translated content (translation.prose): the English fallback is
    marked lang="en", with the note "(in English)" before it."""
    return translation_prose(value)


@register.simple_tag(takes_context=True)
def language_versions(context):
    """This page in each of the site's languages: code, name (in that language), URL
    (absolute, query kept) and whether it is the one shown. Feeds hreflang alternates
    and the switcher."""
    request = context.get("request")
    if request is None:
        return []
    current = translation.get_language()
    path = request.get_full_path()
    versions = []
    for code, _name in settings.LANGUAGES:
        url = translate_url(path, code)
        info = translation.get_language_info(code)
        versions.append(
            {
                "code": code,
                "name": info["name_local"],
                "url": request.build_absolute_uri(url),
                "path": url,
                "current": code == current,
            }
        )
    return versions
