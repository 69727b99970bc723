"""Load and fault behaviour against the PostgreSQL setup (gunicorn, 2 workers, Redis).

1. Load: wrk with 50 connections for 60 s over a mix of pages and API lists
   (a Lua script picks the path per request); any non-2xx or socket error fails.
2. Fault: a steady trickle of requests while PostgreSQL is stopped and started
   again; every answer must be a 200 or a 503 (never a 500 or a dropped
   connection), 503s must appear during the outage, and 200s again after it,
   without restarting the app.

Usage: .venv/bin/python bench/load_and_fault.py [--size 10000] [--skip-data]
Runs against its own PostgreSQL cluster ("bench", port 5433, created with
pg_createcluster if missing), so stopping it disturbs nothing else.
Writes the "Load and fault" section of bench/RESULTS.md.
"""

import argparse
import collections
import datetime
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.api_bench import free_port, machine  # noqa: E402
from bench.results import write_section  # noqa: E402
from bench.site_bench import environment, prepare, serve  # noqa: E402

HEADING = "## Load and fault behaviour (PostgreSQL)"
START_MARK = "<!-- load-fault:start -->"
END_MARK = "<!-- load-fault:end -->"
MIX = [
    "/",
    "/initiatives/",
    "/initiatives/?kind=program&status=stalled",
    "/initiatives/?q=satellite",
    "/initiatives/demo-17/",
    "/updates/",
    "/api/initiatives/",
    "/api/status-updates/",
    "/api/initiatives/demo-42/",
]
LUA = """
paths = {%s}
request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end
"""


WORKER_TIMEOUT = 30  # tracker/gunicorn_conf.py's default
CLUSTER = "bench"
CLUSTER_PORT = 5433
DATABASE_URL = f"postgres://postgres@127.0.0.1:{CLUSTER_PORT}/tracker_fault"


def cluster(action):
    version = next(Path("/etc/postgresql").iterdir()).name
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, CLUSTER, action], check=True)


def ensure_cluster():
    version = next(Path("/etc/postgresql").iterdir()).name
    if not (Path("/etc/postgresql") / version / CLUSTER).exists():
        subprocess.run(
            ["pg_createcluster", version, CLUSTER, "--port", str(CLUSTER_PORT), "--", "--auth=trust"],
            check=True,
            capture_output=True,
        )
    status = subprocess.run(["pg_ctlcluster", version, CLUSTER, "status"], capture_output=True)
    if status.returncode != 0:
        cluster("start")


def load_test(base, args):
    script = Path(tempfile.gettempdir()) / "tracker_mix.lua"
    script.write_text(LUA % ", ".join(f'"{path}"' for path in MIX))
    output = subprocess.run(
        # Clients wait as long as gunicorn lets a request run (its worker timeout): wrk's own
        # default of 2 s would count a queued request as an error that no browser sees.
        [
            "wrk",
            "-t2",
            f"-c{args.connections}",
            f"-d{args.seconds}s",
            f"--timeout={WORKER_TIMEOUT}s",
            "--latency",
            "-s",
            str(script),
            base,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    errors = re.search(r"Socket errors: (.*)", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1),
        "p99": re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1),
        "max": re.search(r"^\s+Latency(?:\s+\S+){2}\s+(\S+)", output, re.M).group(1),
        "socket_errors": errors.group(1) if errors else "none",
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
    }


def fault_test(base, args):
    answers = []  # (seconds since start, status or exception name)
    started = time.monotonic()
    stop = threading.Event()

    def client():
        while not stop.is_set():
            path = MIX[len(answers) % len(MIX)]
            try:
                with urllib.request.urlopen(base + path, timeout=10) as response:  # noqa: S310
                    status = response.status
            except urllib.error.HTTPError as error:
                status = error.code
            except OSError as error:
                status = type(error).__name__
            answers.append((time.monotonic() - started, status))
            time.sleep(0.05)

    threads = [threading.Thread(target=client) for _ in range(4)]
    for thread in threads:
        thread.start()
    time.sleep(args.before)
    down_at = time.monotonic() - started
    cluster("stop")
    time.sleep(args.outage)
    cluster("start")
    up_at = time.monotonic() - started
    time.sleep(args.after)
    stop.set()
    for thread in threads:
        thread.join()

    def tally(start, end):
        return dict(collections.Counter(status for at, status in answers if start <= at < end))

    return {
        "down_at": down_at,
        "up_at": up_at,
        "before": tally(0, down_at),
        "during": tally(down_at, up_at),
        "after": tally(up_at, up_at + args.after),
        "last_5s": tally(up_at + args.after - 5, up_at + args.after + 1),
    }


def section(load, fault, args):
    ok_load = load["non_2xx"] == 0 and load["socket_errors"] == "none"
    bad = {status for phase in ("before", "during", "after") for status in fault[phase] if status not in (200, 503)}
    recovered = set(fault["last_5s"]) == {200}
    verdict = "Only 200 and 503 answers, and recovered by itself." if not bad and recovered else f"Unexpected: {bad}"
    return "\n".join(
        [
            HEADING,
            "",
            START_MARK,
            "",
            f"Run {datetime.date.today().isoformat()} on {machine()}; `bench/load_and_fault.py --size {args.size}`: "
            f"{args.size} initiatives × 25 updates on PostgreSQL (its own cluster on port {CLUSTER_PORT}), "
            f"gunicorn with the production configuration (tracker/gunicorn_conf.py: {os.cpu_count() * 2 + 1} sync "
            f"workers, {WORKER_TIMEOUT} s worker timeout), DEBUG off, Redis cache; wrk waits up to the worker timeout.",
            "",
            f"**Load**: wrk, {args.connections} connections for {args.seconds} s over a mix of {len(MIX)} pages "
            f"and API lists: {load['requests']:,} requests, {load['rps']:.0f} req/s, "
            f"p50 {load['p50']}, p99 {load['p99']}, max {load['max']}; non-2xx: {load['non_2xx']}, "
            f"socket errors: {load['socket_errors']} → {'0 errors (target met)' if ok_load else 'ERRORS'}.",
            "",
            f"**Fault**: 4 clients; PostgreSQL stopped at {fault['down_at']:.0f} s and started at "
            f"{fault['up_at']:.0f} s (the app was not restarted). Answers before: {fault['before']}; "
            f"during the outage: {fault['during']}; after: {fault['after']}; "
            f"in the last 5 s: {fault['last_5s']}. " + verdict,
            "",
            END_MARK,
        ]
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--before", type=float, default=8)
    parser.add_argument("--outage", type=float, default=12)
    parser.add_argument("--after", type=float, default=15)
    parser.add_argument("--skip-data", action="store_true")
    args = parser.parse_args()
    ensure_cluster()
    database_url = DATABASE_URL
    env = environment(database_url)
    if not args.skip_data:
        prepare(env, database_url, args.size)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    # The deployed setup (make serve): gunicorn with the production configuration.
    server = serve(env, port, workers=None)
    try:
        load = load_test(base, args)
        print(load, flush=True)
        fault = fault_test(base, args)
        print(fault, flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    text = section(load, fault, args)
    write_section(text, heading=HEADING, end_mark=END_MARK)
    print(text)
    return 0 if load["non_2xx"] == 0 and load["socket_errors"] == "none" else 1


if __name__ == "__main__":
    sys.exit(main())
