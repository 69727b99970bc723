"""Every response carries the security headers the SPEC asks for, in production mode."""

import json

import pytest

from .test_settings import PRODUCTION_ENV, manage

# Runs in a production-mode process against an in-memory database.
PROBE = """
import json
from django.core.management import call_command
from django.test import Client
call_command("migrate", verbosity=0)
client = Client()
out = {}
for path in ["/", "/initiatives/", "/api/initiatives/", "/api/"]:
    response = client.get(path, secure=True, headers={"host": "tracker.example.org"})
    out[path] = {"status": response.status_code, "headers": dict(response.headers)}
static = client.get("/static/css/site.css", secure=True, headers={"host": "tracker.example.org"})
out["static"] = {"status": static.status_code, "headers": dict(static.headers)}
switched = client.post(
    "/i18n/setlang/", {"language": "ru", "next": "/"}, secure=True, headers={"host": "tracker.example.org"}
)
out["language_cookie"] = switched.cookies["django_language"].output()
plain = client.get("/initiatives/", headers={"host": "tracker.example.org"})
out["http"] = {"status": plain.status_code, "location": plain.headers.get("Location")}
print("PROBE" + json.dumps(out))
"""


@pytest.fixture(scope="module")
def production_responses(tmp_path_factory):
    # Production pages name their static files through the manifest that collectstatic
    # writes, as `make serve` does before gunicorn starts; a clean clone has none.
    environment = {
        **PRODUCTION_ENV,
        "DATABASE_URL": "sqlite://:memory:",
        "STATIC_ROOT": str(tmp_path_factory.mktemp("static")),
    }
    collected = manage("collectstatic", "--noinput", "--verbosity", "0", **environment)
    assert collected.returncode == 0, collected.stderr
    result = manage("shell", "-c", PROBE, **environment)
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if line.startswith("PROBE"))
    return json.loads(line.removeprefix("PROBE"))


PATHS = ["/", "/initiatives/", "/api/initiatives/", "/api/", "static"]


@pytest.mark.parametrize("path", PATHS)
def test_content_security_policy_allows_only_the_site_itself(production_responses, path):
    response = production_responses[path]
    assert response["status"] == 200
    directives = {
        part.strip().split(" ", 1)[0]: part.strip().split(" ", 1)[1]
        for part in response["headers"]["Content-Security-Policy"].split(";")
    }
    assert directives["default-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in response["headers"]["Content-Security-Policy"]


@pytest.mark.parametrize("path", PATHS)
def test_hsts_nosniff_and_referrer_policy(production_responses, path):
    headers = production_responses[path]["headers"]
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "includeSubDomains" in headers["Strict-Transport-Security"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["X-Frame-Options"] == "DENY"


def test_the_language_cookie_is_secure_and_same_site_lax_in_production(production_responses):
    cookie = production_responses["language_cookie"]
    assert "django_language=ru" in cookie
    assert "Secure" in cookie
    assert "SameSite=Lax" in cookie


def test_plain_http_is_redirected_to_https(production_responses):
    assert production_responses["http"]["status"] == 301
    assert production_responses["http"]["location"].startswith("https://tracker.example.org/")


@pytest.mark.django_db
def test_development_pages_also_carry_the_policy(client):
    response = client.get("/healthz")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
