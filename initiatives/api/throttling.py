"""Anonymous throttling, counted in Django's cache (Redis when REDIS_URL is set,
so every app server shares the counts)."""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle


class AnonymousRateThrottle(AnonRateThrottle):
    """Requests per client address at ``settings.API_ANON_RATE`` (default 600/minute).

    The rate is read on every request rather than once at import, so a deploy
    (or a test) can change it through settings; ``None`` switches it off.
    """

    def get_rate(self):
        return getattr(settings, "API_ANON_RATE", "600/minute")
