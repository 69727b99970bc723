from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def alerts_confirm_days():
    """How long a confirmation link works (and an unconfirmed request is kept)."""
    return settings.ALERTS_CONFIRM_DAYS
