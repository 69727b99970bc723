"""The client's address, as the proxies we trust report it.

With NUM_PROXIES = 0 (the default: gunicorn faces clients) it is the connection's
address. Behind N trusted proxies each appends the address it received the request
from to X-Forwarded-For, so the client is the N-th entry from the right; anything
further left was written by the client and is ignored. Used by the API throttle and
by django-axes' login lockout, so neither can be fooled by a made-up header.
"""

import ipaddress

from django.conf import settings


def client_address(request):
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = settings.NUM_PROXIES
    if not trusted:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(forwarded) < trusted:  # not sent through every trusted proxy
        return remote
    candidate = forwarded[-trusted]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
