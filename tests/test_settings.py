"""Settings come from the environment; production mode has no default secret."""

import os
import subprocess
import sys

from django.conf import settings

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "test-only-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJKLMNOP",
    "ALLOWED_HOSTS": "tracker.example.org",
}


def manage(*args, **env):
    # The test process's own knobs (the browser tests' async flag) are not part of a deployment.
    ignored = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in ignored}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", DEBUG="0")

    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_production_has_no_permissive_hosts_by_default():
    result = manage(
        "shell", "-c", "from django.conf import settings; print(settings.ALLOWED_HOSTS)", DEBUG="0", SECRET_KEY="x" * 60
    )

    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_check_deploy_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout
