"""The dashboard's charts drawn by templates."""

from django import template
from django.utils.safestring import mark_safe

from initiatives.cache import cached
from initiatives.charts import Timeline
from initiatives.timetravel import AsOf

from .tracker_tags import render_in, render_kept

register = template.Library()

TIMELINE_FIGURE_TEMPLATE = "initiatives/_timeline_figure.html"


@register.inclusion_tag("initiatives/_timeline_chart.svg")
def timeline_chart(timeline):
    """``{% timeline_chart timeline %}``: the SVG of a charts.Timeline."""
    return {"timeline": timeline}


@register.simple_tag(takes_context=True)
def timeline_figure(context):
    """``{% timeline_figure %}``: the timeline of the page's date as a figure (its SVG,
    caption and table), made of the programs, their periods and milestones (two queries,
    charts.Timeline.on). Today's is kept under the catalogue version, so a status update,
    the usual save, neither queries nor draws it again; a past date's, whose programs
    are those known then (by their updates too), is kept for what it shows."""
    as_of = context.get("as_of") or AsOf()
    if as_of:
        timeline = Timeline.on(as_of.date)
        return render_kept(context, "timeline", TIMELINE_FIGURE_TEMPLATE, [timeline], variable="timeline")[0]
    figure = cached(
        "timeline-figure",
        as_of=None,
        catalogue=True,
        compute=lambda: str(render_in(context, TIMELINE_FIGURE_TEMPLATE, timeline=Timeline.on(None))),
    )
    return mark_safe(figure)  # noqa: S308 (rendered by the figure template, which escapes)
