"""The analyst's start page on the admin index (templates/admin/index.html)."""

from django import template

from ..start import start_page

register = template.Library()


@register.inclusion_tag("admin/initiatives/_start_page.html", takes_context=True)
def analyst_start_page(context):
    return start_page(context["request"].user)
