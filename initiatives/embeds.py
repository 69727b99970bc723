"""Embeds: a status badge (SVG) and a compact card meant for an iframe on other sites.

Only the card may be framed: its response replaces the site-wide CSP's
``frame-ancestors 'none'`` with ``*`` and is exempt from X-Frame-Options; every other
page keeps refusing to be framed.
"""

from csp.decorators import csp_replace
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.generic import DetailView, View

from .citing import site_name
from .dates import format_at_precision
from .models import Initiative
from .timetravel import resolve_as_of
from .views import AsOfMixin
from .vocabularies import Status

# The badge's colours: the site's status palette (static/css/site.css), white text (contrast over 4.5:1).
STATUS_COLOURS = {
    "proposed": "#5b4a9e",
    "adopted": "#0b5f8a",
    "in_progress": "#1d6b35",
    "stalled": "#8a5300",
    "completed": "#185c2e",
    "abandoned": "#8b1e1e",
    None: "#4a5260",  # not yet assessed
}
LABEL_COLOUR = "#1b1f24"
# Verdana-ish 11px text averages about 6.5px a character; enough room either way.
CHARACTER_WIDTH = 6.8
BADGE_TITLE_CHARACTERS = 40
# A badge of today's status may change whenever an analyst publishes; one of a past date will not.
TODAY_MAX_AGE = 60 * 10
PAST_MAX_AGE = 60 * 60 * 24


class EmbeddedInitiativeMixin(AsOfMixin):
    def get_initiative(self, slug):
        initiative = Initiative.objects.for_cards(self.as_of).filter(slug=slug).first()
        if initiative is None:
            raise Http404
        return initiative

    def cache_headers(self, response):
        patch_cache_control(response, public=True, max_age=PAST_MAX_AGE if self.as_of else TODAY_MAX_AGE)
        return response


class BadgeView(EmbeddedInitiativeMixin, View):
    """``/initiatives/<slug>/badge.svg``: title and status (and the date, when past), with
    an accessible name (role="img", <title>, <desc>)."""

    def get(self, request, slug):
        initiative = self.get_initiative(slug)
        described = Status.describe(initiative.current_status)
        label = str(initiative.tr.title)
        if len(label) > BADGE_TITLE_CHARACTERS:
            label = label[: BADGE_TITLE_CHARACTERS - 1].rstrip() + "…"
        status = str(described.label)
        if self.as_of:
            status = f"{status} · {format_at_precision(self.as_of)}"
        left = round(len(label) * CHARACTER_WIDTH) + 12
        right = round(len(status) * CHARACTER_WIDTH) + 12
        context = {
            "initiative": initiative,
            "label": label,
            "status": status,
            "meaning": described.meaning,
            "colour": STATUS_COLOURS[described.code],
            "label_colour": LABEL_COLOUR,
            "left": left,
            "right": right,
            "width": left + right,
            "left_middle": left / 2,
            "right_middle": left + right / 2,
            "description": _("Status as of %(date)s, from the %(site)s.")
            % {"date": resolve_as_of(self.as_of).isoformat(), "site": site_name()},
        }
        svg = render_to_string("initiatives/badge.svg", context, request=request)
        return self.cache_headers(HttpResponse(svg, content_type="image/svg+xml; charset=utf-8"))


@method_decorator(xframe_options_exempt, name="dispatch")
@method_decorator(csp_replace({"frame-ancestors": ["*"]}), name="dispatch")
class EmbedView(EmbeddedInitiativeMixin, DetailView):
    """``/embed/initiatives/<slug>/``: a compact card any site may frame."""

    template_name = "initiatives/embed.html"
    context_object_name = "initiative"

    def get_object(self, queryset=None):
        return self.get_initiative(self.kwargs["slug"])

    def render_to_response(self, context, **response_kwargs):
        return self.cache_headers(super().render_to_response(context, **response_kwargs))


EMBED_WIDTH = 360
EMBED_HEIGHT = 200


def snippets(request, initiative, as_of):
    """The copy-paste HTML for the badge and the card, absolute URLs, keeping ``as_of`` (an AsOf)."""
    kwargs = {"slug": initiative.slug}
    badge = request.build_absolute_uri(as_of.keep(reverse("initiatives:initiative-badge", kwargs=kwargs)))
    embed_path = as_of.keep(reverse("initiatives:initiative-embed", kwargs=kwargs))
    page = request.build_absolute_uri(as_of.keep(initiative.get_absolute_url()))
    return {
        "badge": render_to_string(
            "initiatives/_snippet_badge.txt", {"badge": badge, "page": page, "initiative": initiative}
        ).strip(),
        "embed": render_to_string(
            "initiatives/_snippet_embed.txt",
            {
                "src": request.build_absolute_uri(embed_path),
                "initiative": initiative,
                "width": EMBED_WIDTH,
                "height": EMBED_HEIGHT,
            },
        ).strip(),
    }
