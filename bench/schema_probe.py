"""schemathesis with every check (`--checks all`) over every API operation, against a
running gunicorn (production configuration) on the real dataset.

Usage: .venv/bin/python bench/schema_probe.py [--max-examples 50]
Runs on a SQLite file of its own in a temporary directory; writes the "schemathesis
--checks all" section of bench/RESULTS.md with the answers counted by status code.
"""

import argparse
import collections
import datetime
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.api_bench import ROOT, VENV, machine, manage  # noqa: E402
from bench.fault_bench import wait_for_port  # noqa: E402
from bench.results import write_section  # noqa: E402
from bench.site_bench import environment  # noqa: E402

HEADING = "## schemathesis --checks all over every API operation"
END_MARK = "<!-- schema-probe:end -->"
PORT = 18151


def statuses_recorded(events):
    return events.exists() and '"status_code"' in events.read_text()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--max-examples", type=int, default=50)
    args = parser.parse_args()
    directory = Path(tempfile.mkdtemp(prefix="tracker-schema-"))
    database_url = f"sqlite:///{directory / 'tracker.sqlite3'}"
    env = environment(database_url)
    env.update(REDIS_URL="", API_ANON_RATE="100000000/minute", EXPORTS_ROOT=str(directory / "exports"))
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_dataset")
    server = subprocess.Popen(
        [
            str(VENV / "gunicorn"),
            "-c",
            str(ROOT / "tracker" / "gunicorn_conf.py"),
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            "2",
            "tracker.wsgi:application",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(PORT, timeout=60)
        events = directory / "events.ndjson"
        result = subprocess.run(
            [
                str(VENV / "schemathesis"),
                "run",
                f"http://127.0.0.1:{PORT}/api/schema/?format=json",
                "--checks",
                "all",
                "--request-timeout",
                "60",
                "--max-examples",
                str(args.max_examples),
                "--workers",
                "2",
                "--report",
                "ndjson",
                "--report-ndjson-path",
                str(events),
                "--no-color",
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    if not statuses_recorded(events):
        print(result.stdout[-3000:], result.stderr[-2000:])
        raise SystemExit("schemathesis made no requests (see its output above); nothing written")
    statuses = collections.Counter(int(code) for code in re.findall(r'"status_code":\s*(\d{3})', events.read_text()))
    output = result.stdout
    print(output[-4000:])
    summary = [line.strip() for line in output.splitlines() if re.search(r"(passed|failed|errors?|skipped)\b", line)]
    failures = sorted(set(re.findall(r"^\s*[-❌]\s*(ST\d+ .+?)\s*$", output, re.M)))[:20]
    text = "\n".join(
        [
            HEADING,
            "",
            f"Run {datetime.date.today().isoformat()} on {machine()}; `bench/schema_probe.py --max-examples "
            f"{args.max_examples}`: schemathesis {args.max_examples} examples per operation, `--checks all`, against "
            "gunicorn (production configuration) on the real dataset.",
            "",
            f"Responses by status: {json.dumps(dict(sorted(statuses.items())))}; 5xx: "
            f"{sum(n for code, n in statuses.items() if code >= 500)}.",
            "",
            "schemathesis summary: " + (" / ".join(summary[-4:]) or "(none printed)"),
            "",
            *(
                ["Check failures reported (none is a 5xx):", *[f"- {line}" for line in failures], ""]
                if failures
                else []
            ),
            END_MARK,
        ]
    )
    write_section(text, heading=HEADING, end_mark=END_MARK)
    print(text)
    return 0 if not any(code >= 500 for code in statuses) else 1


if __name__ == "__main__":
    sys.exit(main())
