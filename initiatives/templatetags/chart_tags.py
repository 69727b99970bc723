"""The dashboard's charts drawn by templates."""

from django import template

register = template.Library()


@register.inclusion_tag("initiatives/_timeline_chart.svg")
def timeline_chart(timeline):
    """``{% timeline_chart timeline %}``: the SVG of a charts.Timeline."""
    return {"timeline": timeline}
