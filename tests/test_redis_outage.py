"""Redis is optional at run time: a real Redis (this test's own, on its own port) is
killed or paused while requests run, and the site keeps answering 200, saves keep
working, nothing stale is served when Redis returns, and /healthz tells the two apart."""

import datetime
import os
import shutil
import signal
import socket
import subprocess
import threading
import time

import pytest
import redis
from django.test import Client, override_settings

from initiatives.vocabularies import Status
from tracker import cache_backend

from .factories import InitiativeFactory, StatusUpdateFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("redis-server"), reason="needs redis-server (apt-get install redis-server)"),
]

# Engineer i11's port range; each xdist worker probes for a free one.
PORTS = range(18110, 18160)
PATHS = ["/", "/initiatives/", "/initiatives/?status=stalled", "/updates/", "/api/initiatives/", "/api/status-updates/"]


def free_port():
    for port in PORTS:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    pytest.skip(f"no free port in {PORTS}")


class OwnRedis:
    def __init__(self):
        self.port = free_port()
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port)
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def kill(self):
        self.process.kill()
        self.process.wait()

    def keys(self):
        return redis.Redis(port=self.port).dbsize()


@pytest.fixture
def own_redis(monkeypatch):
    """A Redis server of this test's own, as the site's cache; retried quickly after an outage."""
    monkeypatch.setattr(cache_backend, "RETRY_SECONDS", 0.2)
    monkeypatch.setattr(cache_backend, "_OUTAGES", {})
    server = OwnRedis()
    server.start()
    location = f"redis://127.0.0.1:{server.port}/0"
    with override_settings(
        CACHES={"default": {"BACKEND": "tracker.cache_backend.DegradingRedisCache", "LOCATION": location}}
    ):
        yield server
    if server.process.poll() is None:
        os.kill(server.process.pid, signal.SIGCONT)
        server.kill()


@pytest.fixture
def site():
    for _ in range(3):
        InitiativeFactory(with_updates=2, with_relations=True)
    return Client(raise_request_exception=False)


def request_all(client, statuses, until):
    while time.monotonic() < until:
        for path in PATHS:
            statuses.append((path, client.get(path).status_code))


def test_killing_redis_while_requests_run_gives_only_200s_and_recovers(own_redis, site, caplog):
    statuses = []
    request_all(site, statuses, time.monotonic() + 0.3)
    assert own_redis.keys() > 0  # pages were being cached in Redis

    killer = threading.Timer(0.2, own_redis.kill)
    killer.start()
    request_all(site, statuses, time.monotonic() + 1.0)
    killer.join()
    down = site.get("/healthz")

    own_redis.start()
    time.sleep(0.3)
    request_all(site, statuses, time.monotonic() + 0.3)
    up = site.get("/healthz")

    assert {status for _, status in statuses} == {200}, [s for s in statuses if s[1] != 200][:5]
    assert (down.status_code, down.json()) == (200, {"status": "degraded", "database": "ok", "cache": "unreachable"})
    assert (up.status_code, up.json()) == (200, {"status": "ok", "database": "ok", "cache": "ok"})
    assert own_redis.keys() > 0  # caching in Redis again
    outage_lines = [r for r in caplog.records if "Redis unreachable" in r.getMessage()]
    assert len(outage_lines) == 1  # logged once per interval, not once per request


def test_a_save_while_redis_hangs_succeeds_and_is_shown_once_redis_returns(own_redis, site):
    stalled = InitiativeFactory(title="Stalled one")
    StatusUpdateFactory(initiative=stalled, status=Status.STALLED)
    path = "/initiatives/?status=stalled"
    assert [i.title for i in site.get(path).context["object_list"]] == ["Stalled one"]

    os.kill(own_redis.process.pid, signal.SIGSTOP)  # Redis keeps its entries but stops answering
    try:
        other = InitiativeFactory(title="Another")
        StatusUpdateFactory(initiative=other, status=Status.STALLED, reported_on=datetime.date(2025, 9, 1))
    finally:
        os.kill(own_redis.process.pid, signal.SIGCONT)
    time.sleep(0.3)

    response = site.get(path)
    assert response.status_code == 200
    assert [i.title for i in response.context["object_list"]] == ["Another", "Stalled one"]


def test_the_throttle_falls_back_to_a_per_process_limit_while_redis_is_down(own_redis, site, settings):
    settings.API_ANON_RATE = "3/minute"
    own_redis.kill()

    statuses = [site.get("/api/themes/").status_code for _ in range(5)]

    assert statuses == [200, 200, 200, 429, 429]
