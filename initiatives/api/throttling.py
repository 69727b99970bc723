"""Anonymous throttling, counted in Django's cache (Redis when REDIS_URL is set,
so every app server shares the counts; each process's own memory while Redis is
unreachable, see tracker/cache_backend.py)."""

import time

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import AnonRateThrottle

from tracker.clientaddr import client_address


class AnonymousRateThrottle(AnonRateThrottle):
    """At most ``settings.API_ANON_RATE`` requests (default 600/minute) per client
    address, counted in fixed windows.

    DRF's own throttle keeps a list of every request's timestamp in the cache and
    rewrites it on each request: the cost grows with the rate, and two workers
    reading and writing the same list lose counts. A counter per address and
    window is one atomic ``incr`` (INCR in Redis), whatever the rate. A client
    can burst up to twice the rate across a window boundary; the rate holds
    over any two consecutive windows.

    The rate is read on every request rather than once at import, so a deploy
    (or a test) can change it through settings; ``None`` switches it off.
    """

    cache = cache

    def get_rate(self):
        return getattr(settings, "API_ANON_RATE", "600/minute")

    def get_ident(self, request):
        # Not DRF's: with its NUM_PROXIES unset it keys on the client-sent X-Forwarded-For.
        return client_address(request)

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        now = time.time()
        window = int(now // self.duration)
        key = f"throttle:{self.scope}:{self.get_ident(request)}:{self.duration}:{window}"
        self.retry_after = (window + 1) * self.duration - now
        # add() starts the window's count; incr() bumps it atomically.
        if self.cache.add(key, 1, self.duration + 1):
            return True
        try:
            count = self.cache.incr(key)
        except ValueError:  # the window expired between add() and incr()
            self.cache.set(key, 1, self.duration + 1)
            return True
        return count <= self.num_requests

    def wait(self):
        return max(self.retry_after, 0)
