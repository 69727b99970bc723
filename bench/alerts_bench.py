"""One status change fanned out to 10,000 confirmed subscribers and 50 webhook
endpoints, through a real Celery worker on its own Redis, to local sinks.

Measures:
- the publishing request (the admin's "publish" action), with no followers and with
  10,000 subscribers + 50 endpoints, worker stopped so only the request is timed;
- time to enqueue: from the request to the fan-out task having written every mailing
  and delivery row and queued the send tasks;
- time to deliver: from the request to the last mail at the SMTP sink and the last
  webhook at the HTTP sink.

    .venv/bin/python bench/alerts_bench.py [--subscribers 10000] [--endpoints 50] [--publishes 15]

Needs redis-server and PostgreSQL (DATABASE_URL, default this engineer's tracker_i17,
which it empties). Uses ports 18790-18792 for its Redis, SMTP sink and HTTP sink.
"""

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
REDIS_PORT, SMTP_PORT, HTTP_PORT = 18790, 18791, 18792
ENV = {
    "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tracker_i17"),
    "CELERY_BROKER_URL": f"redis://127.0.0.1:{REDIS_PORT}/0",
    "EMAIL_URL": f"smtp://127.0.0.1:{SMTP_PORT}",
    "WEBHOOK_ALLOW_PRIVATE_ADDRESSES": "1",
    "SITE_URL": "https://tracker.example",
    "DJANGO_SETTINGS_MODULE": "tracker.settings",
    "LOG_LEVEL": "ERROR",
}
os.environ.update(ENV)


class Counter:
    def __init__(self):
        self.count = 0
        self.last = None
        self.lock = threading.Lock()

    def hit(self):
        with self.lock:
            self.count += 1
            self.last = time.monotonic()


def start_sinks():
    from aiosmtpd.controller import Controller

    mails, hooks = Counter(), Counter()

    class SmtpSink:
        async def handle_DATA(self, server, session, envelope):
            mails.hit()
            return "250 OK"

    class HttpSink(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self.send_response(204)
            self.end_headers()
            hooks.hit()

        def log_message(self, *args):
            pass

    smtp = Controller(SmtpSink(), hostname="127.0.0.1", port=SMTP_PORT)
    smtp.start()
    http = ThreadingHTTPServer(("127.0.0.1", HTTP_PORT), HttpSink)
    threading.Thread(target=http.serve_forever, daemon=True).start()
    return mails, hooks, lambda: (smtp.stop(), http.shutdown())


def wait_until(predicate, timeout, step=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False


def publish_requests(client, initiative, source, count):
    """Publish ``count`` drafts through the admin, one request each; their latencies (ms)."""
    from initiatives.models import StatusUpdate

    latencies = []
    for number in range(count):
        draft = StatusUpdate.objects.create(
            initiative=initiative,
            reported_on="2025-06-01",
            status="in_progress",
            headline=f"Bench update {time.time_ns()} {number}",
            published=False,
        )
        draft.sources.add(source)
        started = time.perf_counter()
        response = client.post(
            "/admin/initiatives/statusupdate/", {"action": "publish", "_selected_action": [draft.pk], "index": 0}
        )
        latencies.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 302, response.status_code
    return latencies


def summary(latencies):
    ordered = sorted(latencies)
    return statistics.median(ordered), ordered[int(len(ordered) * 0.9) - 1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--endpoints", type=int, default=50)
    parser.add_argument("--publishes", type=int, default=15)
    parser.add_argument("--concurrency", type=int, default=2)
    args = parser.parse_args()
    redis_server = shutil.which("redis-server")
    if not redis_server:
        sys.exit("alerts_bench: needs redis-server (apt-get install redis-server)")
    redis = subprocess.Popen(
        [redis_server, "--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    worker = None
    mails, hooks, stop_sinks = start_sinks()
    try:
        import django

        django.setup()
        from django.contrib.auth import get_user_model
        from django.core.management import call_command
        from django.test import Client

        from alerts.models import DeliveryState, Event, Mailing, Subscription, WebhookDelivery, WebhookEndpoint
        from initiatives.models import Initiative, Source
        from tracker.celery import app as celery_app

        call_command("migrate", verbosity=0)
        call_command("flush", interactive=False, verbosity=0)
        admin = get_user_model().objects.create_superuser("bench", "bench@example.org", "bench-password-123")
        client = Client()
        client.force_login(admin)
        initiative = Initiative.objects.create(kind="program", title="Bench initiative", slug="bench", summary="x")
        source = Source.objects.create(title="Bench source", kind="news")
        load = os.getloadavg()

        # 1. Request latency, worker stopped: tasks only queue up in Redis.
        publish_requests(client, initiative, source, 3)  # warm-up
        quiet = publish_requests(client, initiative, source, args.publishes)
        Subscription.objects.bulk_create(
            [
                Subscription(email=f"reader{n}@example.org", language=("en", "ru", "kk")[n % 3], confirmed=True)
                for n in range(args.subscribers)
            ],
            batch_size=2000,
        )
        WebhookEndpoint.objects.bulk_create(
            [
                WebhookEndpoint(url=f"http://127.0.0.1:{HTTP_PORT}/hook/{n}", description=f"Client {n}")
                for n in range(args.endpoints)
            ]
        )
        busy = publish_requests(client, initiative, source, args.publishes)
        celery_app.control.purge()
        Event.objects.all().delete()

        # 2. One status change, delivered by a real worker.
        worker = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "celery"),
                "-A",
                "tracker",
                "worker",
                "--loglevel",
                "ERROR",
                "--concurrency",
                str(args.concurrency),
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=ROOT,
            env={**os.environ},
        )
        assert wait_until(lambda: bool(celery_app.control.ping(timeout=0.5)), 60), "worker did not start"
        started = time.monotonic()
        request_ms = publish_requests(client, initiative, source, 1)[0]
        event = Event.objects.get()
        assert wait_until(lambda: Event.objects.filter(pk=event.pk, fanned_out_at__isnull=False).exists(), 600), (
            "fan-out did not finish"
        )
        enqueued = time.monotonic() - started
        total = args.subscribers + args.endpoints
        assert wait_until(lambda: mails.count >= args.subscribers and hooks.count >= args.endpoints, 1800, 0.2), (
            f"delivered {mails.count} mails, {hooks.count} webhooks"
        )
        mail_done, hook_done = mails.last - started, hooks.last - started
        sent = Mailing.objects.filter(state=DeliveryState.SENT).count()
        delivered = WebhookDelivery.objects.filter(state=DeliveryState.SENT).count()
    finally:
        if worker:
            worker.terminate()
            worker.wait(60)
        stop_sinks()
        redis.terminate()

    quiet_p50, quiet_p90 = summary(quiet)
    busy_p50, busy_p90 = summary(busy)
    text = f"""## Alerts: one status change to 10,000 subscribers and 50 webhooks

<!-- alerts-bench:start -->

Run {time.strftime("%Y-%m-%d")} on {os.cpu_count()} cores, {platform.platform(terse=True)}, Python {platform.python_version()}; PostgreSQL and Redis (the bench's own, port {REDIS_PORT}) on the same machine. `bench/alerts_bench.py --subscribers {args.subscribers} --endpoints {args.endpoints} --publishes {args.publishes}`: the admin's publish action through Django's test client; one Celery worker (`celery -A tracker worker --concurrency {args.concurrency}`, prefork); an aiosmtpd SMTP sink and an HTTP sink (204) in the bench process. Load average at the start: {load[0]:.1f}, {load[1]:.1f}, {load[2]:.1f} (the machine's cores are shared with other work).

| publishing request (admin action) | median ms | p90 ms |
|---|---:|---:|
| no followers, no endpoints | {quiet_p50:.1f} | {quiet_p90:.1f} |
| {args.subscribers:,} confirmed subscribers + {args.endpoints} endpoints | {busy_p50:.1f} | {busy_p90:.1f} |
| ratio (target: about 1, the fan-out is not in the request) | **{busy_p50 / quiet_p50:.2f}** | {busy_p90 / quiet_p90:.2f} |

| one status change, from the request | seconds |
|---|---:|
| request (this run, worker running) | {request_ms / 1000:.3f} |
| enqueued: fan-out wrote {args.subscribers:,} mailings + {args.endpoints} deliveries and queued the sends | {enqueued:.2f} |
| last of {args.endpoints} webhooks received by the sink | {hook_done:.2f} |
| last of {args.subscribers:,} mails received by the SMTP sink | {mail_done:.2f} |
| mail throughput | {args.subscribers / mail_done:.0f} mails/s |

Rows marked delivered afterwards: {sent:,} mailings, {delivered} webhook deliveries ({total:,} expected). Each mail is rendered in its subscriber's language (en/ru/kk in turn) with its own signed links, plain text and HTML; {100} mails per task over one SMTP connection.

<!-- alerts-bench:end -->"""  # noqa: E501
    from bench.results import write_section

    write_section(text, heading="## Alerts: one status change", end_mark="<!-- alerts-bench:end -->")
    print(text)


if __name__ == "__main__":
    main()
