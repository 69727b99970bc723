"""Security headers on static files.

WhiteNoise answers for /static/ before the CSP and clickjacking middleware run,
so its responses got neither; this adds the same policy the pages carry."""

from csp.utils import build_policy
from django.conf import settings


def add_security_headers(headers, path, url):
    headers["Content-Security-Policy"] = build_policy()
    headers["X-Frame-Options"] = settings.X_FRAME_OPTIONS
    headers["X-Content-Type-Options"] = "nosniff"
