"""Settings for the policy-initiative tracker, read from the environment.

With nothing set it runs in development mode on a SQLite file. Production mode
(DEBUG off) has no default secret and refuses to start without SECRET_KEY.
"""

import os
import shutil
import subprocess
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from tracker.email_url import parse_email_url
from tracker.static_headers import add_security_headers

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


# --- Core -------------------------------------------------------------------

DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # Development only: a fixed, obviously unsafe key so sessions survive restarts.
    SECRET_KEY = "django-insecure-development-only-key-never-used-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_countries",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "import_export",
    "axes",
    "csp",
    "initiatives",
    "alerts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Whole public pages per data version: 304s and stored pages answered before the
    # middleware below run; Cache-Control for shared caches (tracker/pagecache.py).
    "tracker.pagecache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Django's, plus ?lang= on the API and the remembered choice (tracker/locale.py).
    "tracker.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # ETag on every page that has none, so unchanged pages answer 304 Not Modified.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # django-axes wants to be last so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tracker.urls"
WSGI_APPLICATION = "tracker.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "initiatives.timetravel.as_of_context",
            ],
        },
    },
]

# --- Database and cache ---------------------------------------------------------

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Short web queries: JIT compilation cost more than it saved (36-460 ms on
    # searches at 10k initiatives, measured with EXPLAIN ANALYZE).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
else:
    # Covering indexes (INCLUDE) are PostgreSQL's; SQLite builds the same index on its
    # key columns (initiative_facets_idx), as the warning says, and needs no reminder.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def current_release():
    """The deployed code's name: RELEASE, else the git commit, else "unreleased". It is in
    every cache key and ETag, so a deploy never serves a page or value the old code stored."""
    release = os.environ.get("RELEASE", "")
    if release:
        return release
    git = shutil.which("git")
    if git is None:
        return "unreleased"
    try:
        found = subprocess.run(  # noqa: S603 - a fixed command, no input
            [git, "rev-parse", "--short=12", "HEAD"], cwd=BASE_DIR, capture_output=True, text=True, timeout=5
        )
    except (OSError, subprocess.SubprocessError):
        return "unreleased"
    return found.stdout.strip() or "unreleased"


RELEASE = current_release()

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    # Redis is optional at run time: while it is unreachable each process caches and
    # throttles in its own memory and logs the outage (tracker/cache_backend.py).
    CACHES = {
        "default": {
            "BACKEND": "tracker.cache_backend.DegradingRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"{os.environ.get('CACHE_KEY_PREFIX', 'tracker')}:{RELEASE}",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "KEY_PREFIX": RELEASE}}

# The data version keys every cached page and value (initiatives/cache.py). A process
# keeps the number it read this long: another process's save shows there within it.
DATA_VERSION_MEMO_SECONDS = float(os.environ.get("DATA_VERSION_MEMO_SECONDS", "1"))
# The number published in the cache expires after this: the longest a publish lost
# with its process (between commit and publish) could leave readers on the old one.
DATA_VERSION_PUBLISHED_SECONDS = int(os.environ.get("DATA_VERSION_PUBLISHED_SECONDS", "10"))
# Whole public pages (tracker/pagecache.py): kept this long at most under one version.
PAGE_CACHE_TIMEOUT = int(os.environ.get("PAGE_CACHE_TIMEOUT", str(60 * 60)))
# ... and the most recently served this many also in each process's memory (about 50 KB each).
PAGE_CACHE_LOCAL_ENTRIES = int(os.environ.get("PAGE_CACHE_LOCAL_ENTRIES", "200"))
# What shared caches (nginx, a CDN) are told: an analyst's save reaches readers behind
# one within PAGE_CACHE_MAX_AGE seconds; for STALE_WHILE_REVALIDATE seconds after that
# the old page may be served while one request fetches the new one (docs/deploy.md).
PAGE_CACHE_MAX_AGE = int(os.environ.get("PAGE_CACHE_MAX_AGE", "30"))
PAGE_CACHE_STALE_WHILE_REVALIDATE = int(os.environ.get("PAGE_CACHE_STALE_WHILE_REVALIDATE", "300"))

# --- Authentication -------------------------------------------------------------

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# How many reverse proxies (nginx, a load balancer) stand between clients and gunicorn
# and append to X-Forwarded-For. 0: gunicorn faces clients, the connection's address
# is the client's. The API throttle and the login lockout read the address through
# tracker/clientaddr.py, so a client-sent X-Forwarded-For buys nothing.
NUM_PROXIES = int(os.environ.get("NUM_PROXIES", "0"))
AXES_CLIENT_IP_CALLABLE = "tracker.clientaddr.client_address"

# Lock out a username+address pair after repeated failures; the counts live in
# the database, so every app server agrees.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# A page that says how long the lock lasts and who can lift it (HTTP 429).
AXES_LOCKOUT_CALLABLE = "initiatives.admin.axes_lockout_response"

# --- Internationalisation -----------------------------------------------------

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ru", _("Russian")), ("kk", _("Kazakh"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Kazakh date and number formats (Django ships none) and lower-case month names.
FORMAT_MODULE_PATH = ["tracker.formats"]
TIME_ZONE = "Asia/Almaty"
USE_I18N = True
USE_TZ = True

# Full CSV exports, built once per data version (initiatives/exports.py); any local directory.
EXPORTS_ROOT = Path(os.environ.get("EXPORTS_ROOT", BASE_DIR / "var" / "exports"))

# --- Static files ---------------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- Security headers -------------------------------------------------------------

# Static files carry the same policy as pages (WhiteNoise answers before the middleware below).
WHITENOISE_ADD_HEADERS_FUNCTION = add_security_headers

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
if not DEBUG:
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SAMESITE = "Lax"
    if env_bool("BEHIND_TLS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Django REST framework --------------------------------------------------------

# Anonymous API clients may make this many requests per address (DRF rate syntax:
# N/second|minute|hour|day). Counted in the default cache, so Redis (REDIS_URL)
# makes every app server share the count.
API_ANON_RATE = os.environ.get("API_ANON_RATE", "600/minute")

REST_FRAMEWORK = {
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "UNAUTHENTICATED_USER": None,
    # The API's filters are the pages' FilterSets, which carry their own `q` and `ordering`.
    "DEFAULT_FILTER_BACKENDS": ["initiatives.api.filters.FilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "initiatives.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["initiatives.api.throttling.AnonymousRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": API_ANON_RATE},
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Policy-initiative tracker API",
    "DESCRIPTION": (
        "Read-only API over tracked government initiatives, their dated status updates and milestones. "
        "Anonymous, no writes (every write method is a 405). Every endpoint takes `as_of=YYYY-MM-DD` to answer "
        "as things stood on that date. Lists are paginated (`page`, `page_size` up to 100, `count` in the body) "
        "and filtered with the same definitions as the public pages. Bad input is a 400 naming the parameter. "
        "Responses carry an ETag; send it back in If-None-Match for a 304. Anonymous clients are throttled "
        "(API_ANON_RATE, default 600 requests a minute per address; over it, a 429 with Retry-After). "
        "Answers come in English, Russian or Kazakh: `lang=en|ru|kk`, else the Accept-Language header; "
        "Content-Language names the language and Vary: Accept-Language is sent. Text not yet translated "
        "is given in its English original."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Append each status value's meaning (vocabularies.STATUS_MEANINGS) to the description;
    # declare that an empty query parameter counts as absent.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "initiatives.api.schema.describe_statuses",
        "initiatives.api.schema.allow_empty_query_values",
    ],
    "ENUM_NAME_OVERRIDES": {
        "StatusEnum": "initiatives.api.serializers.STATUS_CHOICES",
        "InitiativeKindEnum": "initiatives.vocabularies.InitiativeKind",
        "OrganisationKindEnum": "initiatives.vocabularies.OrganisationKind",
        "SourceKindEnum": "initiatives.vocabularies.SourceKind",
        "LinkKindEnum": "initiatives.vocabularies.LinkKind",
        "DatePrecisionEnum": "initiatives.vocabularies.DatePrecision",
    },
}

# --- Tracker ------------------------------------------------------------------------

# An initiative is stale when its last published update is older than this.
TRACKER_STALE_AFTER_DAYS = int(os.environ.get("TRACKER_STALE_AFTER_DAYS", "180"))

# The licence of the published data: on /about/, /data/ and in the data package.
TRACKER_DATA_LICENCE = {
    "name": os.environ.get("DATA_LICENCE_NAME", "CC-BY-4.0"),
    "title": os.environ.get("DATA_LICENCE_TITLE", "Creative Commons Attribution 4.0 International"),
    "path": os.environ.get("DATA_LICENCE_URL", "https://creativecommons.org/licenses/by/4.0/"),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "tracker.logformat.JsonFormatter"}},
    "handlers": {"stdout": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "json"}},
    "root": {"handlers": ["stdout"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "django.request": {"handlers": ["stdout"], "level": "ERROR", "propagate": False},
    },
}

# --- Alerts: mail, webhooks and the task queue (alerts/, tracker/celery.py) ----------

# The site's public address, for links in mails and webhook bodies (sent outside any request).
SITE_URL = os.environ.get("SITE_URL", "http://localhost:8000").rstrip("/")
# Feed entry ids are tag: URIs (RFC 4151) minted under SITE_URL's host name and this
# date, when the name was the site's; never change either once feeds are read.
FEED_TAG_DATE = os.environ.get("FEED_TAG_DATE", "2025")

# Mail: EMAIL_URL (tracker/email_url.py), e.g. smtp://user:pass@host:587, console:, file:///path.
globals().update(parse_email_url(os.environ.get("EMAIL_URL", "console:")))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Policy-initiative tracker <alerts@localhost>")

# Celery on Redis. Without CELERY_BROKER_URL tasks run in-process once the
# transaction that sent them commits, so nothing else has to run in development.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = int(os.environ.get("CELERY_TASK_SOFT_TIME_LIMIT", "120"))
CELERY_TASK_TIME_LIMIT = CELERY_TASK_SOFT_TIME_LIMIT + 30
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    # Webhook retries that are due, and any task lost between commit and queue.
    "alerts-sweep": {"task": "alerts.tasks.sweep", "schedule": 30.0},
    "alerts-overdue-milestones": {"task": "alerts.tasks.announce_overdue_milestones", "schedule": crontab(minute=15)},
    "alerts-weekly-digests": {
        "task": "alerts.tasks.send_weekly_digests",
        "schedule": crontab(minute=0, hour=7, day_of_week="mon"),
    },
    "alerts-purge-unconfirmed": {"task": "alerts.tasks.purge_unconfirmed", "schedule": crontab(minute=45)},
}

# Subscription requests allowed per hour, per client address and per email address.
ALERTS_REQUESTS_PER_IP_PER_HOUR = int(os.environ.get("ALERTS_REQUESTS_PER_IP_PER_HOUR", "10"))
ALERTS_REQUESTS_PER_ADDRESS_PER_HOUR = int(os.environ.get("ALERTS_REQUESTS_PER_ADDRESS_PER_HOUR", "3"))
# How long a confirmation link works; unconfirmed requests are deleted after it.
ALERTS_CONFIRM_DAYS = int(os.environ.get("ALERTS_CONFIRM_DAYS", "3"))

# Webhooks go only to public addresses; tests and benches on this machine allow private ones.
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = env_bool("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", False)
WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("WEBHOOK_TIMEOUT_SECONDS", "10"))
