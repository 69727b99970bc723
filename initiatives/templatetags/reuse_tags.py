"""Template tags of the cite, embed and open-data features: JSON-LD blocks and the
initiative page's "Cite this page" and "Embed" boxes."""

import datetime
import json

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from initiatives.citing import initiative_citation, site_name
from initiatives.embeds import snippets
from initiatives.timetravel import AsOf
from initiatives.vocabularies import Status

register = template.Library()

# "What changed since" on today's page looks back this far.
CHANGES_LOOKBACK_DAYS = 365


@register.simple_tag
def json_ld(data):
    """A <script type="application/ld+json"> block; "<", ">" and "&" are escaped so the
    text can never close the element."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308


@register.simple_tag(takes_context=True)
def initiative_json_ld(context, initiative):
    """schema.org: the page (a WebPage about a government initiative), its status as of
    the date shown, and its evidence."""
    request = context["request"]
    page = request.build_absolute_uri(context.get("as_of", AsOf()).keep(initiative.get_absolute_url()))
    data = {
        "@context": "https://schema.org",
        "@type": "WebPage",
        "url": page,
        "name": str(initiative.tr.title),
        "description": str(initiative.tr.summary),
        "inLanguage": context.get("LANGUAGE_CODE") or "en",
        "isPartOf": {"@type": "WebSite", "name": str(site_name()), "url": request.build_absolute_uri("/")},
        "license": settings.TRACKER_DATA_LICENCE["path"],
        "about": {
            "@type": "CreativeWork",
            "name": str(initiative.tr.title),
            "abstract": str(initiative.tr.summary),
            "creativeWorkStatus": str(Status.describe(initiative.current_status).label),
        },
        "citation": [
            {"@type": "CreativeWork", "name": source.title, **({"url": source.url} if source.url else {})}
            for source in getattr(initiative, "source_list", [])
        ],
    }
    if initiative.last_reported_on:
        data["dateModified"] = initiative.last_reported_on.isoformat()
    return json_ld(data)


@register.inclusion_tag("includes/_initiative_reuse.html", takes_context=True)
def initiative_reuse(context, initiative):
    """The initiative page's "Cite this page", "Embed" and "What changed since" boxes."""
    request = context["request"]
    as_of = context.get("as_of", AsOf())
    since = as_of.date or timezone.localdate() - datetime.timedelta(days=CHANGES_LOOKBACK_DAYS)
    return {
        "initiative": initiative,
        "as_of": as_of,
        "citation": initiative_citation(request, initiative, as_of.date),
        "snippets": snippets(request, initiative, as_of),
        "since": since,
        "changes_url": f"{reverse('initiatives:changes')}?from={since.isoformat()}",
        "request": request,
    }


@register.simple_tag
def data_licence():
    """The data's licence (settings.TRACKER_DATA_LICENCE): name, title and path."""
    return settings.TRACKER_DATA_LICENCE
