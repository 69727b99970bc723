"""The dashboard's charts drawn by templates."""

from django import template

from .tracker_tags import render_kept

register = template.Library()

TIMELINE_FIGURE_TEMPLATE = "initiatives/_timeline_figure.html"


@register.inclusion_tag("initiatives/_timeline_chart.svg")
def timeline_chart(timeline):
    """``{% timeline_chart timeline %}``: the SVG of a charts.Timeline."""
    return {"timeline": timeline}


@register.simple_tag(takes_context=True)
def timeline_figure(context, timeline):
    """``{% timeline_figure timeline %}``: the timeline's figure (its SVG, caption and table),
    kept for what it shows (render_kept: the programs, their periods and milestones):
    a status update, the usual save, leaves it as it was, and it was a third of the
    dashboard's template work."""
    return render_kept(context, "timeline", TIMELINE_FIGURE_TEMPLATE, [timeline], variable="timeline")[0]
