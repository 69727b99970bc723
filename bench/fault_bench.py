"""Fault and abuse benchmark: the shipped serving stack under outages and slow clients.

nginx (the shipped site block, docs/nginx/tracker.conf) in front of gunicorn (the production
configuration, 5 gthread workers) on PostgreSQL and Redis that this script owns:
its own PostgreSQL cluster ("i11fault", port 18132) and its own redis-server (port
18163), so stopping them disturbs nobody. 50 client threads request a mix of pages,
feeds, CSV and API through nginx, while:

1. Redis is killed for 20 s, then started again (empty);
2. PostgreSQL is stopped for 20 s, then started again;
3. 10 slow clients each send one header line every 2 s (the clients above stopped),
   while /healthz is timed through nginx and directly against gunicorn.

Each phase's answers are counted by status code. Targets: no 500 anywhere, only
200/503 while the database is down, 200s again after each outage, and /healthz under
1 s during the slow clients. Writes the "Fault and abuse" section of bench/RESULTS.md.

Usage: .venv/bin/python bench/fault_bench.py [--size 1000] [--skip-data]
Needs Debian's nginx and redis-server (apt-get install nginx redis-server).
"""

import argparse
import collections
import datetime
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.api_bench import ROOT, VENV, machine  # noqa: E402
from bench.results import write_section  # noqa: E402
from bench.site_bench import environment, prepare  # noqa: E402

HEADING = "## Fault and abuse (nginx + gunicorn, PostgreSQL, Redis)"
END_MARK = "<!-- fault-bench:end -->"
CLUSTER, CLUSTER_PORT = "i11fault", 18132
REDIS_PORT, GUNICORN_PORT, NGINX_PORT = 18163, 18141, 18142
DATABASE_URL = f"postgres://postgres@127.0.0.1:{CLUSTER_PORT}/tracker_fault_i11"
WORKERS, CLIENTS, SLOW_CLIENTS = 5, 50, 10
MIX = [
    "/",
    "/initiatives/",
    "/initiatives/?kind=program&status=stalled",
    "/initiatives/?q=satellite",
    "/initiatives/demo-17/",
    "/updates/",
    "/updates.csv?initiative=demo-17",
    "/initiatives.csv",
    "/feeds/updates/",
    "/api/initiatives/",
    "/api/status-updates/",
    "/api/initiatives/demo-42/",
    "/initiatives/?status=exploded",
    "/healthz",
]


def pg_version():
    return next(Path("/etc/postgresql").iterdir()).name


def cluster(action):
    fast = ["-m", "fast"] if action == "stop" else []
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", pg_version(), CLUSTER, action, *fast], check=True)


def ensure_cluster():
    if not (Path("/etc/postgresql") / pg_version() / CLUSTER).exists():
        subprocess.run(
            ["pg_createcluster", pg_version(), CLUSTER, "--port", str(CLUSTER_PORT), "--", "--auth=trust"],
            check=True,
            capture_output=True,
        )
    if subprocess.run(["pg_ctlcluster", pg_version(), CLUSTER, "status"], capture_output=True).returncode != 0:
        cluster("start")


class Redis:
    def __init__(self, directory):
        self.directory = directory
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(REDIS_PORT),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--maxmemory",
                "64mb",
                "--maxmemory-policy",
                "allkeys-lru",
                "--dir",
                str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
        )
        wait_for_port(REDIS_PORT)

    def kill(self):
        self.process.kill()
        self.process.wait()


def serve(env, log):
    """gunicorn with the production configuration (tracker/gunicorn_conf.py), its log kept."""
    process = subprocess.Popen(
        [
            str(VENV / "gunicorn"),
            "-c",
            str(ROOT / "tracker" / "gunicorn_conf.py"),
            "--bind",
            f"127.0.0.1:{GUNICORN_PORT}",
            "tracker.wsgi:application",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    wait_for_port(GUNICORN_PORT, timeout=60)
    return process


def wait_for_port(port, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise SystemExit(f"nothing listening on {port}")


def nginx_site(directory):
    """The shipped site block (docs/nginx/tracker.conf), pointed at this bench's ports and directory."""
    block = (ROOT / "docs" / "nginx" / "tracker.conf").read_text()
    return (
        block.replace("listen 80;", f"listen 127.0.0.1:{NGINX_PORT};")
        .replace("127.0.0.1:8000", f"127.0.0.1:{GUNICORN_PORT}")
        .replace("/var/cache/nginx/tracker", str(directory / "cache"))
    )


def start_nginx(directory):
    if not shutil.which("nginx"):
        raise SystemExit("needs nginx: apt-get install nginx")
    (directory / "logs").mkdir(exist_ok=True)
    (directory / "site.conf").write_text(nginx_site(directory))
    (directory / "nginx.conf").write_text(
        f"""daemon off;
user root;
worker_processes 1;
pid {directory}/nginx.pid;
error_log {directory}/logs/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {directory}/body;
    proxy_temp_path {directory}/proxy;
    fastcgi_temp_path {directory}/fastcgi;
    uwsgi_temp_path {directory}/uwsgi;
    scgi_temp_path {directory}/scgi;
    include {directory}/site.conf;
}}
"""
    )
    process = subprocess.Popen(["nginx", "-p", str(directory), "-c", str(directory / "nginx.conf")])
    wait_for_port(NGINX_PORT)
    return process


def get(url, timeout=60):
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except Exception as error:  # noqa: BLE001  (an incomplete read or a dropped connection is a result)
        status = type(error).__name__
    return status, time.monotonic() - started


class Load:
    """CLIENTS threads requesting MIX in turn; answers recorded with the phase they fall in."""

    def __init__(self, base):
        self.base = base
        self.phase = "warm-up"
        self.answers = collections.defaultdict(collections.Counter)
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self.client, args=(n,)) for n in range(CLIENTS)]

    def client(self, n):
        i = n
        while not self.stop.is_set():
            status, _ = get(self.base + MIX[i % len(MIX)])
            # Counted in the phase the answer arrived in: that is when the server produced it.
            self.answers[self.phase][status] += 1
            i += 1

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join()


def slow_client(port, stop):
    """Opens a request and sends one more header line every 2 s, never finishing it."""
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(b"GET /initiatives/ HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        n = 0
        while not stop.wait(2):
            try:
                sock.sendall(f"X-Slow-{n}: {n}\r\n".encode())
            except OSError:
                return
            n += 1


def slow_phase(seconds):
    results = {}
    for name, port in (("through nginx", NGINX_PORT), ("gunicorn directly", GUNICORN_PORT)):
        stop = threading.Event()
        slow = [threading.Thread(target=slow_client, args=(port, stop)) for _ in range(SLOW_CLIENTS)]
        for thread in slow:
            thread.start()
        time.sleep(1)
        timings, statuses = [], collections.Counter()
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            status, elapsed = get(f"http://127.0.0.1:{port}/healthz")
            statuses[status] += 1
            timings.append(elapsed)
            time.sleep(0.25)
        stop.set()
        for thread in slow:
            thread.join()
        timings.sort()
        results[name] = {
            "answers": dict(statuses),
            "max_s": timings[-1],
            "p50_s": timings[len(timings) // 2],
        }
    return results


def run_phases(base, redis, args):
    with Load(base) as load:
        time.sleep(args.warm)
        load.phase = "Redis down"
        redis.kill()
        time.sleep(args.outage)
        redis.start()
        load.phase = "after Redis"
        time.sleep(args.recovery)
        load.phase = "PostgreSQL down"
        cluster("stop")
        time.sleep(args.outage)
        cluster("start")
        load.phase = "after PostgreSQL"
        time.sleep(args.recovery)
        load.phase = "last 5 s"
        time.sleep(5)
    return {phase: dict(counter) for phase, counter in load.answers.items()}


def verdicts(phases, slow):
    every = collections.Counter()
    for counter in phases.values():
        every.update(counter)
    # 400 is the mix's deliberately bad filter; 503 the honest answer while the database is down.
    unexpected = sorted(str(status) for status in every if status not in (200, 400, 503))
    return {
        "500s": every.get(500, 0),
        "unexpected": unexpected,
        "503 outside the database outage": sum(c.get(503, 0) for p, c in phases.items() if p != "PostgreSQL down"),
        "recovered": set(phases.get("last 5 s", {})) <= {200, 400},
        "healthz under 1 s with slow clients": slow["through nginx"]["max_s"] < 1,
    }


def section(phases, slow, verdict, args):
    def counts(counter):
        return ", ".join(f"{status}: {n:,}" for status, n in sorted(counter.items(), key=lambda kv: str(kv[0])))

    lines = [
        HEADING,
        "",
        f"Run {datetime.date.today().isoformat()} on {machine()}; `bench/fault_bench.py --size {args.size}`: "
        f"{args.size} initiatives × 25 updates on PostgreSQL (own cluster, port {CLUSTER_PORT}), own Redis "
        f"(port {REDIS_PORT}, maxmemory 64mb allkeys-lru), gunicorn with tracker/gunicorn_conf.py "
        f"({WORKERS} gthread workers), nginx with docs/nginx/tracker.conf in front; {CLIENTS} client "
        f"threads over {len(MIX)} paths (pages, a bad filter, CSV, feed, API, /healthz) through nginx; a client "
        "waits up to 60 s for an answer (TimeoutError beyond that: the 2 shared cores were saturated).",
        "",
        "| phase | seconds | answers by status |",
        "|---|---|---|",
    ]
    durations = {
        "warm-up": args.warm,
        "Redis down": args.outage,
        "after Redis": args.recovery,
        "PostgreSQL down": args.outage,
        "after PostgreSQL": args.recovery,
        "last 5 s": 5,
    }
    for phase, seconds in durations.items():
        lines.append(f"| {phase} | {seconds:g} | {counts(phases.get(phase, {}))} |")
    lines += ["", f"**{SLOW_CLIENTS} slow clients** (one header line every 2 s), /healthz timed every 0.25 s:", ""]
    for name, result in slow.items():
        lines.append(
            f"- {name}: answers {counts(result['answers'])}; p50 {result['p50_s'] * 1000:.0f} ms, "
            f"max {result['max_s'] * 1000:.0f} ms"
        )
    lines += [
        "",
        f"Verdict: {verdict['500s']} × 500; answers other than 200, 400 (the bad filter in the mix) and 503: "
        f"{', '.join(verdict['unexpected']) or 'none'}; 503s outside the database outage: "
        f"{verdict['503 outside the database outage']} (answers are counted in the phase they arrive in, so a "
        "request queued across the switch lands in the next phase); recovered by itself: "
        f"{'yes' if verdict['recovered'] else 'NO'}; /healthz through nginx under 1 s with slow clients: "
        f"{'yes' if verdict['healthz under 1 s with slow clients'] else 'NO'}.",
        "",
        END_MARK,
    ]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--warm", type=float, default=10)
    parser.add_argument("--outage", type=float, default=20)
    parser.add_argument("--recovery", type=float, default=15)
    parser.add_argument("--slow-seconds", type=float, default=15)
    parser.add_argument("--skip-data", action="store_true")
    args = parser.parse_args()
    for tool in ("redis-server", "nginx", "pg_ctlcluster"):
        if not shutil.which(tool):
            raise SystemExit(f"needs {tool} (apt-get install nginx redis-server postgresql)")
    ensure_cluster()
    directory = Path(tempfile.mkdtemp(prefix="tracker-fault-"))
    redis = Redis(directory)
    redis.start()
    env = environment(DATABASE_URL)
    env.update(
        REDIS_URL=f"redis://127.0.0.1:{REDIS_PORT}/0",
        WEB_CONCURRENCY=str(WORKERS),
        API_ANON_RATE="100000/minute",
        NUM_PROXIES="1",
        EXPORTS_ROOT=str(directory / "exports"),
    )
    if not args.skip_data:
        prepare(env, DATABASE_URL, args.size)
    log = (directory / "gunicorn.log").open("w")
    print("gunicorn log:", log.name, flush=True)
    server = serve(env, log)
    nginx = start_nginx(directory)
    try:
        phases = run_phases(f"http://127.0.0.1:{NGINX_PORT}", redis, args)
        print(phases, flush=True)
        slow = slow_phase(args.slow_seconds)
        print(slow, flush=True)
    finally:
        nginx.send_signal(signal.SIGQUIT)
        server.terminate()
        server.wait(timeout=30)
        nginx.wait(timeout=30)
        if redis.process.poll() is None:
            redis.kill()
        if subprocess.run(["pg_ctlcluster", pg_version(), CLUSTER, "status"], capture_output=True).returncode:
            cluster("start")
    verdict = verdicts(phases, slow)
    text = section(phases, slow, verdict, args)
    write_section(text, heading=HEADING, end_mark=END_MARK)
    print(text)
    ok = verdict["500s"] == 0 and not verdict["unexpected"] and verdict["recovered"]
    ok = ok and verdict["healthz under 1 s with slow clients"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
