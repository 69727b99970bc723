"""The dashboard's charts drawn by templates."""

from django import template

from initiatives.cache import cached_fragment
from initiatives.timetravel import AsOf

register = template.Library()

TIMELINE_FIGURE_TEMPLATE = "initiatives/_timeline_figure.html"


@register.inclusion_tag("initiatives/_timeline_chart.svg")
def timeline_chart(timeline):
    """``{% timeline_chart timeline %}``: the SVG of a charts.Timeline."""
    return {"timeline": timeline}


@register.simple_tag(takes_context=True)
def timeline_figure(context, timeline):
    """``{% timeline_figure timeline %}``: the timeline's figure (its SVG, caption and table),
    kept for what it shows (cache.cached_fragment: the programs, their periods and
    milestones): a status update, the usual save, leaves it as it was, and it was a
    third of the dashboard's template work."""
    template = context.template.engine.get_template(TIMELINE_FIGURE_TEMPLATE)
    as_of = context.get("as_of") or AsOf()

    def render(timeline):
        with context.push(timeline=timeline):
            return template.render(context)

    return cached_fragment("timeline", timeline, as_of=as_of.date, render=render)
