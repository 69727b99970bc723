"""Page-cache benchmark (issue 16): public pages against the hello floor and a static
file, in one run, at 10,000 initiatives (25 updates each) on PostgreSQL with Redis.

For each page: warm req/s (the stored page), 304 req/s (a matching If-None-Match),
the cold render after an analyst's save (median of 5, in process), and req/s behind
Debian's nginx running docs/nginx/tracker.conf (its proxy_cache). Also the status-update
changelist at 250,000 updates, in process, as shipped and with the date hierarchy and
full result count it had before. Writes the "Page cache" section of bench/RESULTS.md.

Usage: .venv/bin/python bench/page_cache_bench.py [--duration 8] [--reuse]
Needs wrk and nginx (apt-get install -y wrk nginx), PostgreSQL and Redis.
"""

import argparse
import datetime
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.api_bench import ROOT, VENV, free_port, machine  # noqa: E402
from bench.results import write_section  # noqa: E402
from bench.site_bench import environment, prepare, serve  # noqa: E402

HEADING = "## Page cache: public pages per data version, 304s and nginx (issue 16)"
END_MARK = "<!-- page-cache-bench:end -->"
FLOOR = [("floor: hello view", "/bench/hello/"), ("floor: static file", "/static/css/site.css")]
PAGES = [
    ("dashboard /", "/"),
    ("initiative list", "/initiatives/"),
    ("filtered list", "/initiatives/?kind=program&status=proposed&status=in_progress&status=stalled"),
    ("searched list", "/initiatives/?q=digital"),
    ("initiative page", "/initiatives/demo-17/"),
    ("updates page", "/updates/"),
    ("feed", "/feeds/updates/"),
    ("Russian list", "/ru/initiatives/"),
]
SIZE = 10000
NGINX_CONF = ROOT / "docs" / "nginx" / "tracker.conf"

IN_PROCESS = """
import json, statistics, time
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from initiatives.admin import MyDraftsFilter, StatusUpdateAdmin
from initiatives.models import StatusUpdate

pages = json.loads(PAGES_JSON)
client = Client()
for _, path in pages:
    assert client.get(path).status_code == 200, path

def save():
    update = StatusUpdate.objects.order_by("-pk").first()
    update.save()  # an analyst's save: history row, version moved on, published on commit

cold = {}
for name, path in pages:
    times, sql = [], []
    for _ in range(5):
        save()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            assert client.get(path).status_code == 200
            times.append((time.perf_counter() - started) * 1000)
        sql.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
    cold[name] = {"ms": statistics.median(times), "sql_ms": statistics.median(sql)}

# CPU time (not wall time: robust to other work on the machine) per request.
def cpu_microseconds(path, headers=None, count=300):
    started = time.process_time()
    for _ in range(count):
        client.get(path, headers=headers or {})
    return (time.process_time() - started) / count * 1e6

cpu = {"floor: hello view": {"hit": cpu_microseconds("/bench/hello/")}}
for name, path in pages:
    etag = client.get(path)["ETag"]
    cpu[name] = {"hit": cpu_microseconds(path), "not_modified": cpu_microseconds(path, {"if-none-match": etag})}

admin_user = get_user_model().objects.filter(username="bench").first() or get_user_model().objects.create_superuser(
    "bench", "bench@example.org", "bench-password-123")
staff = Client()
staff.force_login(admin_user)
SHIPPED = (StatusUpdateAdmin.list_filter, None, False)
# The changelist before issue 16: related-only initiative and author filters, a date
# hierarchy, and the full result count.
BEFORE = (
    [MyDraftsFilter, ("initiative", admin.RelatedOnlyFieldListFilter), "status", "published",
     ("author", admin.RelatedOnlyFieldListFilter), "initiative__kind"],
    "reported_on",
    True,
)
listing = "/admin/initiatives/statusupdate/"
runs = {}
for round_ in range(5):  # the two configurations interleaved, so load changes hit both
    for label, (filters, hierarchy, full_count) in (("shipped", SHIPPED), ("before issue 16", BEFORE)):
        StatusUpdateAdmin.list_filter = filters
        StatusUpdateAdmin.date_hierarchy = hierarchy
        StatusUpdateAdmin.show_full_result_count = full_count
        for suffix in ("", "?status__exact=in_progress"):
            if round_ == 0:
                staff.get(listing + suffix)
            started = time.perf_counter()
            assert staff.get(listing + suffix).status_code == 200
            key = label + (", filtered by status" if suffix else "")
            runs.setdefault(key, []).append((time.perf_counter() - started) * 1000)
changelists = {key: statistics.median(values) for key, values in runs.items()}
print("RESULT", json.dumps({"cold": cold, "changelist": changelists, "cpu": cpu,
      "updates": StatusUpdate.objects.count()}))
"""


def in_process(env):
    code = IN_PROCESS.replace("PAGES_JSON", repr(json.dumps(PAGES)))
    output = subprocess.run(
        [str(VENV / "python"), "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(next(line for line in output.splitlines() if line.startswith("RESULT"))[len("RESULT ") :])


def etag_of(url):
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310
        return response.headers["ETag"]


def wrk_with(url, args, header="Accept: */*"):
    """wrk with one request header; stops on error responses or socket errors."""
    command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s", "--timeout", "10s"]
    command += ["--latency", "-H", header]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in output or "Socket errors" in output:
        raise SystemExit(f"error responses from {url}:\n{output}")
    p50 = re.search(r"^\s+50%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50_ms": float(p50.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[p50.group(2)],
    }


def warm(url):
    """Each worker's first request of a page pays for loading templates and the render: a
    few sequential requests first, so the measured run sees stored pages (on this shared
    machine a cold render can take longer than wrk's timeout)."""
    for _ in range(8):
        urllib.request.urlopen(url, timeout=60).read()  # noqa: S310
    subprocess.run(["wrk", "-t1", "-c2", "-d1s", "--timeout", "10s", url], capture_output=True, check=True)


def nginx_in_front(app_port, directory):
    """Debian's nginx running the shipped site block, on a free port, as this user."""
    port = free_port()
    site = NGINX_CONF.read_text()
    site = site.replace("listen 80;", f"listen 127.0.0.1:{port};")
    site = site.replace("server 127.0.0.1:8000;", f"server 127.0.0.1:{app_port};")
    site = site.replace("/var/cache/nginx/tracker", str(directory / "cache"))
    (directory / "site.conf").write_text(site)
    (directory / "nginx.conf").write_text(
        # The bench runs as root in a private temporary directory: workers as root can use it.
        f"user root;\nworker_processes 2;\npid {directory}/nginx.pid;\nerror_log {directory}/error.log error;\n"
        "events { worker_connections 1024; }\n"
        f"http {{ access_log off; client_body_temp_path {directory}/body; proxy_temp_path {directory}/proxy;\n"
        f"  fastcgi_temp_path {directory}/fastcgi; uwsgi_temp_path {directory}/uwsgi;\n"
        f"  scgi_temp_path {directory}/scgi;\n"
        f"  include /etc/nginx/mime.types; include {directory}/site.conf; }}\n"
    )
    process = subprocess.Popen(
        ["/usr/sbin/nginx", "-p", str(directory), "-c", str(directory / "nginx.conf"), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=(directory / "stderr.log").open("w"),
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)  # noqa: S310
            return process, port
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit(f"nginx did not start: {(directory / 'stderr.log').read_text()}")


def measure(env, args):
    """args.rounds rounds, each measuring the floor with the pages, so the load other
    work puts on the machine moves both; the medians are reported."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = serve(env, port)
    runs = {"warm": {}, "not_modified": {}, "nginx": {}}

    def run(kind, name, url, header="Accept: */*"):
        runs[kind].setdefault(name, []).append(wrk_with(url, args, header))
        print(kind, name, runs[kind][name][-1], flush=True)

    try:
        for _name, path in FLOOR + PAGES:
            warm(base + path)
        etags = {name: etag_of(base + path) for name, path in PAGES}
        with tempfile.TemporaryDirectory() as directory:
            nginx, nginx_port = nginx_in_front(port, Path(directory))
            front = f"http://127.0.0.1:{nginx_port}"
            try:
                for _name, path in FLOOR[1:] + PAGES:
                    warm(front + path)
                for _ in range(args.rounds):
                    for name, path in FLOOR + PAGES:
                        run("warm", name, base + path)
                    for name, path in PAGES:
                        run("not_modified", name, base + path, f"If-None-Match: {etags[name]}")
                    for name, path in FLOOR[1:] + PAGES:
                        run("nginx", name, front + path)
            finally:
                nginx.terminate()
                nginx.wait(timeout=30)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {
        kind: {name: {"rps": statistics.median(r["rps"] for r in results)} for name, results in by_name.items()}
        for kind, by_name in runs.items()
    }


def section(results, args, load_before, load_after):
    warm_, not_modified, behind = results["warm"], results["not_modified"], results["nginx"]
    hello = warm_["floor: hello view"]["rps"]
    static = warm_["floor: static file"]["rps"]
    cold, changelists = results["in_process"]["cold"], results["in_process"]["changelist"]
    lines = [
        HEADING,
        "",
        f"Run {datetime.date.today().isoformat()} on {machine()}; PostgreSQL and Redis on the same machine. "
        f"`bench/page_cache_bench.py --duration {args.duration}`: {SIZE:,} initiatives with 25 updates each "
        f"({results['in_process']['updates']:,} updates), gunicorn 2 sync workers, DEBUG off, Redis cache; "
        f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s on loopback, one URL at a time, "
        f"{args.rounds} rounds (the floor measured in each), medians. Load average "
        f"(1, 5, 15 min) before: {load_before}; after: {load_after}. The 2 cores are shared with other "
        "engineers' test runs, so absolute rates move between runs; the ratios are to the hello view measured "
        "in the same run.",
        "",
        f"Floor: hello view {hello:.0f} req/s; static file (WhiteNoise) {static:.0f} req/s "
        f"({static / hello:.2f}× hello); the static file behind nginx {behind['floor: static file']['rps']:.0f} req/s.",
        "",
        "| page | warm req/s | × hello (target ≥ 0.5) | 304 req/s | × hello (target ≥ 0.8) "
        "| behind nginx req/s | × static file (target ≥ 0.9) | × static file behind nginx "
        "| cold render after a save, ms (median of 5) | of which SQL, ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, _ in PAGES:
        w, n, b = warm_[name]["rps"], not_modified[name]["rps"], behind[name]["rps"]
        lines.append(
            f"| {name} | {w:.0f} | {w / hello:.2f} | {n:.0f} | {n / hello:.2f} | {b:.0f} | {b / static:.2f} "
            f"| {b / behind['floor: static file']['rps']:.2f} "
            f"| {cold[name]['ms']:.0f} | {cold[name]['sql_ms']:.0f} |"
        )
    cpu = results["in_process"]["cpu"]
    hello_cpu = cpu["floor: hello view"]["hit"]
    lines += [
        "",
        "CPU time per request in one process (Django's test client, 300 requests each; CPU time is not "
        "stretched by other work on the machine, so these ratios are the steadier ones here): "
        f"hello view {hello_cpu:.0f} µs.",
        "",
        "| page | stored page, µs CPU | hello ÷ page (capacity × hello) | 304, µs CPU | hello ÷ 304 |",
        "|---|---:|---:|---:|---:|",
        *(
            f"| {name} | {cpu[name]['hit']:.0f} | {hello_cpu / cpu[name]['hit']:.2f} "
            f"| {cpu[name]['not_modified']:.0f} | {hello_cpu / cpu[name]['not_modified']:.2f} |"
            for name, _ in PAGES
        ),
        "",
        "Cold-render targets: `/` and `/initiatives/` ≤ 60 ms, a searched list ≤ 150 ms.",
        "",
        "Status-update changelist (`/admin/initiatives/statusupdate/`, superuser, in process, median of 5; "
        "target ≤ 60 ms):",
        "",
        "| configuration | ms |",
        "|---|---:|",
        *(f"| {name} | {ms:.0f} |" for name, ms in changelists.items()),
        "",
        END_MARK,
    ]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--reuse", action="store_true", help="Keep the database a previous run generated.")
    args = parser.parse_args()
    database_url = os.environ.get("BENCH_DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/tracker_bench_{SIZE}")
    env = environment(database_url)
    if not args.reuse:
        prepare(env, database_url, SIZE)
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    results = measure(env, args)
    results["in_process"] = in_process(env)
    load_after = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    saved = ROOT / "bench" / "out" / "page_cache_bench.json"
    saved.parent.mkdir(exist_ok=True)
    saved.write_text(json.dumps(results, indent=1))
    text = section(results, args, load, load_after)
    write_section(text, heading=HEADING, end_mark=END_MARK)
    print(text)


if __name__ == "__main__":
    main()
