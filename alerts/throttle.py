"""Subscription requests counted per client address and per email address, in the
shared cache (Redis in production, so every app server agrees)."""

import hashlib

from django.conf import settings
from django.core.cache import cache

HOUR = 60 * 60


def _key(kind, value):
    return f"alerts:{kind}:{hashlib.sha256(value.encode()).hexdigest()[:32]}"


def _count(key):
    cache.add(key, 0, HOUR)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, HOUR)
        return 1


def allowed(*, ip, email):
    """Count this request; False when the client or the address is over its hourly limit."""
    by_ip = _count(_key("ip", ip or "unknown")) <= settings.ALERTS_REQUESTS_PER_IP_PER_HOUR
    by_address = _count(_key("address", email)) <= settings.ALERTS_REQUESTS_PER_ADDRESS_PER_HOUR
    return by_ip and by_address


def first_mail_this_hour(email):
    """True once an hour per address: at most one confirmation mail an hour."""
    return cache.add(_key("mailed", email), 1, HOUR)
