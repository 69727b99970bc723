"""Liveness, and answers that stay civil while the database is down."""

import logging
import sys

from django.db import DatabaseError, connection
from django.http import HttpResponseServerError, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_safe

logger = logging.getLogger("tracker.health")

RETRY_AFTER_SECONDS = "30"


@never_cache
@require_safe
def healthz(request):
    """200 when this process can reach its database, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        logger.warning("health check: database unreachable", exc_info=True)
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


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
