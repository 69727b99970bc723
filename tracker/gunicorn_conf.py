"""gunicorn settings for `make serve` and production: gunicorn -c tracker/gunicorn_conf.py tracker.wsgi

gunicorn listens on loopback only: in production nginx runs in front on the same host
(docs/deploy.md) and buffers whole requests and responses, so a slow client holds an
nginx connection, never a worker. The workers are threaded (gthread) as a second line:
without nginx, a slow client holds one thread, not a whole worker."""

import multiprocessing
import os

bind = os.environ.get("BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
# Two per core plus one, overridable per host; each with a few threads.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak never takes a server down. Pages served
# from the page cache run at thousands of requests a second per worker: at 2,000 a
# worker restarted every second or two under load (seen in hello's tail latency), and
# each restart costs a cold process (imports, connections, the data-version memo).
# 100,000 is a restart every few minutes at full load, hours at a normal one.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "100000"))
max_requests_jitter = max_requests // 10
accesslog = "-"
# Values escaped as JSON strings, so a control character in a path cannot split a line.
logger_class = "tracker.logformat.JsonAccessLogger"
errorlog = "-"
access_log_format = (
    '{"time":"%(t)s","remote":"%(h)s","method":"%(m)s","path":"%(U)s","query":"%(q)s",'
    '"status":%(s)s,"bytes":%(B)s,"duration_us":%(D)s}'
)
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
