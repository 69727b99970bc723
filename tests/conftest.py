import os
import shutil
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings
from django.utils import translation

from initiatives.cache import forget_data_version
from tracker.pagecache import local_pages

# Playwright's sync API runs an event loop in the test thread; the ORM calls the
# tests make around it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


REDIS_DATABASES = 16


@pytest.fixture(scope="session", autouse=True)
def cache_of_this_worker(worker_id):
    """Parallel workers share one Redis server, and clear_cache empties a whole Redis
    database: each worker gets its own database (the one REDIS_URL names, plus the
    worker's number), so one worker's clear never drops another's cached pages or
    data version mid-test."""
    default = settings.CACHES["default"]
    if not default["BACKEND"].endswith("RedisCache") or worker_id == "master":
        yield
        return
    parts = urlsplit(default["LOCATION"])
    number = (int(parts.path.strip("/") or 0) + int(worker_id.removeprefix("gw"))) % REDIS_DATABASES
    location = parts._replace(path=f"/{number}").geturl()
    with override_settings(CACHES={"default": {**default, "LOCATION": location}}):
        yield


def forget_stored_pages():
    """As in a process that has served nothing since the last save: no stored page, the
    data version read afresh. For a query count of the render, not of a page-cache hit."""
    cache.clear()
    forget_data_version()
    local_pages.clear()


@pytest.fixture(autouse=True)
def clear_cache():
    """Each test starts with an empty cache (throttle counts, cached pages) and reads the
    data version afresh (a process keeps it for a second: initiatives/cache.py)."""
    cache.clear()
    forget_data_version()
    local_pages.clear()
    yield
    cache.clear()
    forget_data_version()
    local_pages.clear()


@pytest.fixture(autouse=True)
def exports_of_this_test(settings, tmp_path):
    """Full CSV exports are files named by data version: each test (and xdist worker,
    with its own database counting its own versions) gets its own directory."""
    settings.EXPORTS_ROOT = tmp_path / "exports"


@pytest.fixture(autouse=True)
def default_language():
    """A request through the test client leaves its language active in the test's
    thread, and reverse() then prefixes URLs with it: each test starts in English."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright launches Debian's chromium: it cannot download its own."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


def pytest_collection_modifyitems(config, items):
    """Browser tests skip, saying why, where no chromium is installed; CI sets
    REQUIRE_BROWSER=1 so they are never skipped there."""
    if shutil.which(CHROMIUM) or os.path.exists(CHROMIUM):
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(f"REQUIRE_BROWSER=1 but no chromium at {CHROMIUM}")
    skip = pytest.mark.skip(reason=f"no chromium at {CHROMIUM}; install Debian's chromium to run browser tests")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)
