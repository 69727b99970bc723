"""EMAIL_URL: the mail settings in one environment variable.

smtp://user:password@host:587    SMTP with STARTTLS (port 587, or ?tls=1)
smtps://user:password@host:465   SMTP over TLS
smtp://127.0.0.1:1025            plain SMTP (a local relay or a test server)
console:                         print each mail to standard output
file:///var/mail/tracker         write each mail to a file in that folder
memory:                          keep mails in django.core.mail.outbox (tests)
"""

from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtps": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "memory": "django.core.mail.backends.locmem.EmailBackend",
}
TRUE = {"1", "true", "yes", "on"}


def parse_email_url(url):
    """The Django EMAIL_* settings an EMAIL_URL stands for."""
    parts = urlsplit(url.strip())
    backend = BACKENDS.get(parts.scheme)
    if backend is None:
        raise ImproperlyConfigured(f"EMAIL_URL: unknown scheme {parts.scheme!r}; use one of {', '.join(BACKENDS)}.")
    settings = {"EMAIL_BACKEND": backend}
    if parts.scheme == "file":
        if not parts.path:
            raise ImproperlyConfigured("EMAIL_URL: file:// needs a folder, e.g. file:///var/mail/tracker")
        settings["EMAIL_FILE_PATH"] = unquote(parts.path)
    elif parts.scheme in ("smtp", "smtps"):
        if not parts.hostname:
            raise ImproperlyConfigured("EMAIL_URL: smtp:// needs a host, e.g. smtp://user:pass@host:587")
        query = {key: values[-1].lower() for key, values in parse_qs(parts.query).items()}
        ssl = parts.scheme == "smtps" or query.get("ssl") in TRUE
        port = parts.port or (465 if ssl else 25)
        settings.update(
            EMAIL_HOST=parts.hostname,
            EMAIL_PORT=port,
            EMAIL_HOST_USER=unquote(parts.username or ""),
            EMAIL_HOST_PASSWORD=unquote(parts.password or ""),
            EMAIL_USE_SSL=ssl,
            EMAIL_USE_TLS=not ssl and (query.get("tls") in TRUE or port == 587),
            EMAIL_TIMEOUT=int(query.get("timeout", "20")),
        )
    return settings
