"""Django's Redis cache, made optional at run time.

Redis holds cached pages and the API throttle's counts; the data itself and the
data version that keys the cached pages live in the database
(initiatives/cache.py). So when Redis fails, nothing is lost by carrying on
without it: every cache operation falls back to a small per-process memory cache
(pages are computed and cached per process, the throttle counts per process),
the outage is logged once per interval, and Redis is tried again after a short
pause rather than on every call, so a down or hung Redis costs at most one
timeout per RETRY_SECONDS per process. A request never fails because of Redis.
"""

import logging
import threading
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger("tracker.cache")

# How long a process stays on its local fallback before trying Redis again.
RETRY_SECONDS = 2.0
# At most one "Redis unreachable" log line per process per interval.
LOG_INTERVAL_SECONDS = 60.0
# Connecting to or waiting on Redis never takes longer than this (redis-py waits forever by default).
SOCKET_TIMEOUT_SECONDS = 0.5
FALLBACK_MAX_ENTRIES = 1000

# Compared as decimal strings: Lua's numbers are doubles, too coarse for nanoseconds.
RAISE_TO_SCRIPT = """
local current = redis.call('GET', KEYS[1])
local new = ARGV[1]
if not current or #current < #new or (#current == #new and current < new) then
  redis.call('SET', KEYS[1], new, 'EX', ARGV[2])
  return 1
end
return 0
"""

DEGRADED_OPERATIONS = (
    "add",
    "get",
    "set",
    "touch",
    "delete",
    "get_many",
    "has_key",
    "incr",
    "set_many",
    "delete_many",
)


class _Outage:
    def __init__(self):
        self.lock = threading.Lock()
        self.retry_at = 0.0
        self.logged_at = None


_OUTAGES = {}


class DegradingRedisCache(RedisCache):
    """RedisCache whose every operation falls back to a per-process memory cache while
    Redis is unreachable (see the module docstring)."""

    def __init__(self, server, params):
        options = {
            "socket_connect_timeout": SOCKET_TIMEOUT_SECONDS,
            "socket_timeout": SOCKET_TIMEOUT_SECONDS,
            **params.get("OPTIONS", {}),
        }
        super().__init__(server, {**params, "OPTIONS": options})
        # Django makes one backend instance per thread; the fallback store (LocMemCache
        # shares storage by name) and the outage state are per process and location.
        self.fallback = LocMemCache(
            f"redis-fallback-{server}", {**params, "OPTIONS": {"MAX_ENTRIES": FALLBACK_MAX_ENTRIES}}
        )
        self._state = _OUTAGES.setdefault(str(server), _Outage())

    def _redis_down(self, error):
        now = time.monotonic()
        state = self._state
        with state.lock:
            state.retry_at = now + RETRY_SECONDS
            if state.logged_at is None or now - state.logged_at >= LOG_INTERVAL_SECONDS:
                state.logged_at = now
                logger.warning(
                    "cache: Redis unreachable (%s: %s); serving uncached and throttling per process, "
                    "retrying every %.0f s",
                    type(error).__name__,
                    error,
                    RETRY_SECONDS,
                )

    def _redis_up(self):
        state = self._state
        if state.logged_at is not None:
            with state.lock:
                if state.logged_at is not None:
                    state.logged_at = None
                    logger.warning("cache: Redis reachable again")

    def degraded(self):
        """True while this process is serving from its fallback."""
        return time.monotonic() < self._state.retry_at

    def ping(self):
        """Whether Redis answers now (for /healthz); a failure starts the fallback."""
        try:
            self._cache.get_client(write=False).ping()
        except RedisError as error:
            self._redis_down(error)
            return False
        self._state.retry_at = 0.0
        self._redis_up()
        return True

    def raise_to(self, key, number, timeout):
        """Set ``key`` to the whole number ``number`` unless it already holds a larger one,
        atomically in Redis (the published data version, initiatives/cache.py). False,
        writing nothing anywhere, while Redis is unreachable: a number kept only in this
        process's fallback would outlive the outage."""
        if self.degraded():
            return False
        try:
            client = self._cache.get_client(key, write=True)
            client.eval(RAISE_TO_SCRIPT, 1, self.make_and_validate_key(key), int(number), int(timeout))
        except RedisError as error:
            self._redis_down(error)
            return False
        self._redis_up()
        return True

    def clear(self):
        self.fallback.clear()
        try:
            return super().clear()
        except RedisError as error:
            self._redis_down(error)
            return False


def _degrading(name):
    redis_operation = getattr(RedisCache, name)
    fallback_operation = getattr(LocMemCache, name)

    def operation(self, *args, **kwargs):
        if not self.degraded():
            try:
                result = redis_operation(self, *args, **kwargs)
            except RedisError as error:
                self._redis_down(error)
            else:
                self._redis_up()
                return result
        return fallback_operation(self.fallback, *args, **kwargs)

    operation.__name__ = name
    operation.__doc__ = f"RedisCache.{name}, or the per-process fallback's while Redis is unreachable."
    return operation


for _name in DEGRADED_OPERATIONS:
    setattr(DegradingRedisCache, _name, _degrading(_name))
