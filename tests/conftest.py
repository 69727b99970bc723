import os
import shutil

import pytest
from django.core.cache import cache

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


@pytest.fixture(autouse=True)
def clear_cache():
    """Each test starts with an empty cache (throttle counts, cached fragments)."""
    cache.clear()
    yield
    cache.clear()


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
