"""Liveness, and answers that stay civil while the database is down."""

import logging
import sys

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpResponseServerError, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_safe

logger = logging.getLogger("tracker.health")

RETRY_AFTER_SECONDS = "30"


def database_reachable():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        logger.warning("health check: database unreachable", exc_info=True)
        return False
    return True


def cache_reachable():
    """Whether the shared cache answers; a cache without ping() is in-process and always does."""
    ping = getattr(cache, "ping", None)
    return ping() if ping else True


@never_cache
@require_safe
def healthz(request):
    """The database and the cache, reported separately. Only the database is essential:
    without it the node answers 503 (take it out of service); without the cache it still
    serves every page, uncached, so it answers 200 with status "degraded"."""
    database = database_reachable()
    cache_ok = cache_reachable()
    body = {
        "status": "ok" if database and cache_ok else ("degraded" if database else "unavailable"),
        "database": "ok" if database else "unreachable",
        "cache": "ok" if cache_ok else "unreachable",
    }
    return JsonResponse(body, status=200 if database else 503)


@requires_csrf_token
def server_error(request, template_name="500.html"):
    """Django's handler500, except that a database outage is a 503 with Retry-After:
    the load balancer and clients should retry, and the app reconnects by itself
    (CONN_HEALTH_CHECKS) once the database is back."""
    exception = sys.exc_info()[1]
    if isinstance(exception, DatabaseError):
        wants_json = request.path.startswith("/api/") or request.path == "/healthz"
        if wants_json:
            response = JsonResponse({"detail": _("The service is temporarily unavailable; try again shortly.")})
            response.status_code = 503
        else:
            # Rendered without a request context: the session and user live in the database.
            response = HttpResponseServerError(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = RETRY_AFTER_SECONDS
        return response
    return HttpResponseServerError(loader.render_to_string(template_name))
