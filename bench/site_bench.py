"""Scale benchmark: every public surface at 100 and at 10,000 initiatives (25 updates
each), on SQLite and on PostgreSQL, against a bare "hello" view and a static file
served by the same gunicorn in the same run (the floor).

For each database and size: ``generate_demo_data``; gunicorn with 2 sync workers
and production settings (DEBUG off, Redis cache); wrk on loopback for each URL;
then the CSV export of all updates streamed once in a fresh process, its peak
memory read from the kernel. Writes the "Scale" section of bench/RESULTS.md.

Usage: .venv/bin/python bench/site_bench.py [--duration 8] [--sizes 100 10000] [--databases sqlite postgresql]
Needs wrk (apt-get install -y wrk), PostgreSQL and Redis on this machine.
"""

import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.api_bench import ROOT, VENV, ensure_database, free_port, machine, manage, wrk  # noqa: E402
from bench.results import write_section  # noqa: E402

HEADING = "## Scale: pages, API and exports at 100 and 10,000 initiatives"
START_MARK = "<!-- site-bench:start -->"
END_MARK = "<!-- site-bench:end -->"
ENDPOINTS = [
    ("floor: hello view", "/bench/hello/"),
    ("floor: static file", "/static/css/site.css"),
    ("dashboard", "/"),
    ("initiative list", "/initiatives/"),
    # Three statuses, so the filter fills a 20-row page at 100 initiatives too: with one
    # (10 rows at 100, 20 at 10,000) the size ratio measured the page's length, not the data's.
    ("filtered list", "/initiatives/?kind=program&status=proposed&status=in_progress&status=stalled"),
    ("searched list", "/initiatives/?q=satellite+broadband"),
    ("initiative page", "/initiatives/demo-17/"),
    ("updates page", "/updates/"),
    ("API initiatives", "/api/initiatives/"),
    ("API status updates", "/api/status-updates/"),
    ("CSV of one initiative's updates", "/updates.csv?initiative=demo-17"),
    # What changed in a quarter of the synthetic data's span (issue 18).
    ("changes page", "/changes/?from=2024-01-01&to=2024-03-31"),
    ("filtered changes page", "/changes/?from=2024-01-01&to=2024-03-31&kind=program&status=in_progress"),
    ("API changes", "/api/changes/?from=2024-01-01&to=2024-03-31"),
]
# BENCH_TAG keeps parallel runs (several engineers on one machine) out of each other's databases.
TAG = os.environ.get("BENCH_TAG", "")
DATABASES = {
    "sqlite": lambda size: f"sqlite:///{tempfile.gettempdir()}/tracker_bench{TAG}_{size}.sqlite3",
    "postgresql": lambda size: f"postgres://postgres@127.0.0.1:5432/tracker_bench{TAG}_{size}",
}

CSV_MEMORY = """
import resource
from django.test import Client
response = Client().get("/updates.csv")
assert response.status_code == 200, response.status_code
rows = sum(chunk.count(b"\\n") for chunk in response.streaming_content) - 1
print("CSV", rows, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""
BASELINE_MEMORY = """
import resource
print("CSV", 0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def environment(database_url):
    env = os.environ.copy()
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DATABASE_URL=database_url,
        DEBUG="0",
        SECRET_KEY="bench-only-" + "x" * 50,
        ALLOWED_HOSTS="127.0.0.1,testserver",
        SECURE_SSL_REDIRECT="0",
        REDIS_URL=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14"),
        CACHE_KEY_PREFIX=f"bench-{time.time_ns()}",
        API_ANON_RATE="100000000/minute",
        LOG_LEVEL="ERROR",
        CONN_MAX_AGE="600",
        PYTHONPATH=str(ROOT),
    )
    return env


def prepare(env, database_url, size):
    if database_url.startswith("sqlite"):
        Path(database_url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    else:
        # A fresh database each run: a schema left by other code would not match this one's.
        drop_database(database_url)
        ensure_database(database_url)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "generate_demo_data", "--initiatives", str(size), "--updates-per-initiative", "25", "--clear")
    manage(env, "collectstatic", "--noinput", "-v0")


def drop_database(url):
    import psycopg

    parts = urlsplit(url)
    with psycopg.connect(url.replace(parts.path, "/postgres"), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}" WITH (FORCE)')


def serve(env, port, workers=2):
    """gunicorn on the port: the given number of sync workers, or with ``workers=None``
    the production configuration (tracker/gunicorn_conf.py: two per core plus one)."""
    if workers is None:
        arguments = ["-c", str(ROOT / "tracker" / "gunicorn_conf.py"), "--bind", f"127.0.0.1:{port}"]
    else:
        arguments = ["--workers", str(workers), "--bind", f"127.0.0.1:{port}"]
    process = subprocess.Popen(
        [str(VENV / "gunicorn"), *arguments, "tracker.wsgi:application"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(150):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)  # noqa: S310
            return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("gunicorn did not start")


def csv_peak_memory(env):
    """Peak resident memory (MB) of a process that streams the whole updates export,
    and of the same process doing nothing (Django loaded): the export's own cost is
    the difference."""

    def run(code):
        output = subprocess.run(
            [str(VENV / "python"), "manage.py", "shell", "-c", code],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        _, rows, kilobytes = next(line for line in output.splitlines() if line.startswith("CSV")).split()
        return int(rows), int(kilobytes) / 1024

    rows, peak = run(CSV_MEMORY)
    _, idle = run(BASELINE_MEMORY)
    return rows, peak, idle


def measure(database, size, args):
    database_url = DATABASES[database](size)
    env = environment(database_url)
    prepare(env, database_url, size)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = serve(env, port)
    results = {}
    try:
        endpoints = [(name, path) for name, path in ENDPOINTS if not args.only or name in args.only]
        for _name, path in endpoints:  # warm every worker's connections and caches
            subprocess.run(["wrk", "-t1", "-c2", "-d1s", base + path], capture_output=True, check=True)
        for name, path in endpoints:
            results[name] = wrk(base + path, args)
            print(f"{database} {size} {name}: {results[name]}", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    if args.only:
        return {"endpoints": results}
    rows, peak, idle = csv_peak_memory(env)
    return {"endpoints": results, "csv": {"rows": rows, "peak_mb": peak, "idle_mb": idle}}


def section(all_results, args, load):
    small, large = args.sizes
    lines = [
        HEADING,
        "",
        START_MARK,
        "",
        f"Run {datetime.date.today().isoformat()} on {machine()}; PostgreSQL 15 and Redis 7 on the same machine. "
        f"`bench/site_bench.py --duration {args.duration}`: synthetic data from `generate_demo_data` "
        f"({small} and {large} initiatives, 25 updates each), gunicorn 2 sync workers, DEBUG off, Redis cache; "
        f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s on loopback, one URL at a time after a warm-up. "
        f"Load average at the start: {load}; the machine's 2 cores are shared by gunicorn, wrk and the database.",
        "",
    ]
    for database, sizes in all_results.items():
        lines += [
            f"### {database}",
            "",
            f"| endpoint | req/s at {small} | p50 / p99 ms at {small} | req/s at {large} | p50 / p99 ms at {large} "
            f"| {small}/{large} req/s (target ≤ 1.3) | share of the hello floor at {large} |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        floor = sizes[large]["endpoints"]["floor: hello view"]["rps"]
        for name, _ in ENDPOINTS:
            a, b = sizes[small]["endpoints"][name], sizes[large]["endpoints"][name]
            ratio = a["rps"] / b["rps"]
            flag = "" if ratio <= 1.3 else " ✗"
            lines.append(
                f"| {name} | {a['rps']:.0f} | {a['p50']:.1f} / {a['p99']:.1f} | {b['rps']:.0f} | "
                f"{b['p50']:.1f} / {b['p99']:.1f} | {ratio:.2f}{flag} | {b['rps'] / floor:.2f} |"
            )
        csv = sizes[large]["csv"]
        lines += [
            "",
            f"CSV export of all {csv['rows']:,} published updates at {large} initiatives, streamed in one process: "
            f"peak resident memory {csv['peak_mb']:.0f} MB, of which Django and the app loaded and idle "
            f"{csv['idle_mb']:.0f} MB (target: under 150 MB).",
            "",
        ]
    lines += ["Errors: wrk reported no non-2xx responses and no socket errors (the script stops if it does).", ""]
    lines.append(END_MARK)
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--sizes", type=int, nargs=2, default=[100, 10000])
    parser.add_argument("--databases", nargs="+", default=list(DATABASES), choices=list(DATABASES))
    parser.add_argument(
        "--only", nargs="+", default=[], help="Measure these endpoints (by name) only; prints, keeps RESULTS.md."
    )
    args = parser.parse_args()
    if args.only:
        for database in args.databases:
            for size in args.sizes:
                measure(database, size, args)
        return
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    # Results of databases not measured this time are kept from the last run.
    saved = ROOT / "bench" / "out" / "site_bench.json"
    all_results = json.loads(saved.read_text()) if saved.exists() else {}
    all_results = {
        database: {int(size): value for size, value in sizes.items()} for database, sizes in all_results.items()
    }
    saved.parent.mkdir(exist_ok=True)
    for database in args.databases:
        all_results[database] = {size: measure(database, size, args) for size in args.sizes}
        saved.write_text(json.dumps(all_results, indent=1))
    text = section(all_results, args, load)
    write_section(text, heading=HEADING, end_mark=END_MARK)
    print(text)


if __name__ == "__main__":
    main()
