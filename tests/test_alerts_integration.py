"""End to end, with real services: an analyst publishes an update in the admin; a
real Celery worker, consuming from a real Redis broker, mails the follower
through a real SMTP server (aiosmtpd) and posts a signed webhook to a local
HTTP receiver.

The Redis is this test's own (its own port, started and stopped here), so the
suite's per-test cache flush never touches the queue. Skipped, saying why,
where redis-server is not installed; CI (REQUIRE_BROWSER=1, or
REQUIRE_SERVICES=1) fails instead of skipping.
"""

import os
import shutil
import socket
import subprocess
import threading
import time
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from celery.contrib.testing.worker import start_worker
from django.contrib.auth import get_user_model
from standardwebhooks.webhooks import Webhook

from alerts.models import DeliveryState, WebhookDelivery
from tracker.celery import app as celery_app

from .factories import (
    InitiativeFactory,
    SourceFactory,
    StatusUpdateFactory,
    SubscriptionFactory,
    WebhookEndpointFactory,
)
from .receivers import WebhookReceiver

REDIS_SERVER = shutil.which("redis-server")
REQUIRED = os.environ.get("REQUIRE_BROWSER") == "1" or os.environ.get("REQUIRE_SERVICES") == "1"
# This engineer's port range (18700-18799), one block of three per test worker.
BASE_PORT = 18760


def worker_port(worker_id, offset):
    number = 0 if worker_id == "master" else int(worker_id.removeprefix("gw"))
    return BASE_PORT + 3 * number + offset


def wait_for_port(port, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listening on 127.0.0.1:{port}")


@pytest.fixture
def redis_broker(worker_id):
    if REDIS_SERVER is None:
        if REQUIRED:
            pytest.fail("redis-server is required here (REQUIRE_BROWSER/REQUIRE_SERVICES=1) but not installed")
        pytest.skip("redis-server is not installed: apt-get install redis-server to run the Celery integration test")
    port = worker_port(worker_id, 0)
    server = subprocess.Popen(
        [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=10)


class Inbox:
    """aiosmtpd handler keeping every message it receives."""

    def __init__(self):
        self.messages = []
        self.arrived = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, envelope.content))
        self.arrived.set()
        return "250 OK"


@pytest.fixture
def smtp_server(worker_id):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=worker_port(worker_id, 1))
    controller.start()
    try:
        yield inbox, controller.port
    finally:
        controller.stop()


@pytest.fixture
def celery_worker(redis_broker):
    """A real worker thread consuming from the Redis broker (tasks no longer run in-process)."""
    saved = {key: celery_app.conf[key] for key in ("broker_url", "task_always_eager")}
    celery_app.conf.update(broker_url=redis_broker, task_always_eager=False)
    forget_connections()
    assert celery_app.connection_for_write().as_uri().endswith(redis_broker.split("@")[-1].split("//")[-1])
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            yield
    finally:
        celery_app.conf.update(saved)
        forget_connections()


def forget_connections():
    """Drop pooled broker connections and producers, which keep the broker they were made for."""
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.mark.django_db(transaction=True)
def test_publishing_in_the_admin_mails_followers_and_signs_a_webhook_through_a_real_worker(
    client, settings, smtp_server, celery_worker, worker_id
):
    inbox, smtp_port = smtp_server
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.SITE_URL = "https://tracker.example"
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True

    initiative = InitiativeFactory(title="E-government portal")
    draft = StatusUpdateFactory(initiative=initiative, published=False, headline="The portal went live")
    draft.sources.add(SourceFactory(title="Ministry press release"))
    SubscriptionFactory(email="reader@example.org", initiative=initiative)
    admin = get_user_model().objects.create_superuser("chief", "chief@example.org", "x-secret-password")
    client.force_login(admin)

    with WebhookReceiver(port=worker_port(worker_id, 2)) as receiver:
        endpoint = WebhookEndpointFactory(url=receiver.url)
        started = time.monotonic()
        response = client.post(
            "/admin/initiatives/statusupdate/",
            {"action": "publish", "_selected_action": [draft.pk], "index": 0},
        )
        request_seconds = time.monotonic() - started
        assert response.status_code == 302
        assert inbox.arrived.wait(30), "no mail arrived within 30 s"
        assert receiver.arrived.wait(30), "no webhook arrived within 30 s"

    # The request only enqueued: the worker did the sending.
    assert request_seconds < 5
    recipients, raw = inbox.messages[0]
    assert recipients == ["reader@example.org"]
    message = message_from_bytes(raw, policy=policy.default)
    assert message["Subject"].startswith("E-government portal:")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["List-Unsubscribe"].strip().startswith("<https://tracker.example/alerts/unsubscribe/")
    assert message["Auto-Submitted"] == "auto-generated"
    plain = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "The portal went live" in plain and "The portal went live" in html
    assert "Ministry press release" in plain
    assert f"?as_of={draft.reported_on.isoformat()}#update-{draft.pk}" in plain

    received = receiver.requests[0]
    payload = Webhook(endpoint.secret).verify(received["body"], received["headers"])
    assert payload["type"] == "update.published"
    assert payload["data"]["id"] == draft.pk
    assert payload["data"]["headline"] == "The portal went live"
    deadline = time.monotonic() + 10
    while WebhookDelivery.objects.get().state != DeliveryState.SENT and time.monotonic() < deadline:
        time.sleep(0.1)
    assert WebhookDelivery.objects.get().state == DeliveryState.SENT
    assert len(inbox.messages) == 1 and len(receiver.requests) == 1
