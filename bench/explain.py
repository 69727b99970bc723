"""Query plans at scale: every filter and ordering the pages and the API offer, on
PostgreSQL at 10,000 initiatives and 250,000 updates.

Each URL is requested once, in process, with the cache cleared first (so every query
runs); each SQL statement it sent is then run again under EXPLAIN (ANALYZE). The table
lists, per URL, the queries, the slowest statement's execution time, the indexes the
plans used, and any sequential scan of the two large tables (updates and milestones
are never read whole; the 10,000-row initiative table is, where a list is ordered or
filtered by an annotation such as the current status, which no index can hold).

Usage: .venv/bin/python bench/explain.py [--prepare]
  --prepare  build the synthetic data set first (generate_demo_data, as site_bench.py does);
             without it, the database that bench/site_bench.py left is reused.
Writes the "Query plans" section of bench/RESULTS.md.
"""

import argparse
import datetime
import json
import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.api_bench import machine  # noqa: E402
from bench.results import write_section  # noqa: E402
from bench.site_bench import DATABASES, environment, prepare  # noqa: E402

SIZE = 10000
HEADING = "## Query plans at 10,000 initiatives (PostgreSQL)"
START_MARK = "<!-- explain:start -->"
END_MARK = "<!-- explain:end -->"
COUNT = re.compile(r"\s*SELECT COUNT\(\*\)", re.IGNORECASE)
LARGE_TABLES = ("initiatives_statusupdate", "initiatives_milestone")
PAGES = [
    "/",
    "/initiatives/",
    "/initiatives/?kind=program",
    "/initiatives/?status=stalled",
    "/initiatives/?kind=program&status=stalled",
    "/initiatives/?theme=demo-theme-3",
    "/initiatives/?organisation=demo-organisation-5",
    "/initiatives/?country=KZ",
    "/initiatives/?stale=true",
    "/initiatives/?not_assessed=true",
    "/initiatives/?overdue=true",
    "/initiatives/?ordering=-last_update",
    "/initiatives/?ordering=status",
    "/initiatives/?ordering=-progress",
    "/initiatives/?q=satellite+broadband",
    "/initiatives/?as_of=2024-06-30",
    "/initiatives/demo-17/",
    "/updates/",
    "/updates/?status=completed",
    "/updates/?kind=proposal",
    "/updates/?reported_on_after=2025-01-01&reported_on_before=2025-03-31",
    "/updates/?theme=demo-theme-3",
    "/updates/?initiative=demo-17",
    "/updates/?q=satellite",
    "/updates/?ordering=-progress",
    "/organisations/demo-organisation-5/",
    "/themes/demo-theme-3/",
    "/api/initiatives/",
    "/api/initiatives/?status=in_progress&ordering=-last_update",
    "/api/initiatives/?search=satellite",
    "/api/initiatives/demo-42/",
    "/api/status-updates/",
    "/api/status-updates/?status=stalled&ordering=progress",
    "/api/status-updates/?reported_on_after=2025-01-01",
    "/api/status-updates/?country=KZ",
    "/api/milestones/?overdue=true",
    "/api/milestones/?ordering=due_on",
    "/api/organisations/?country=KZ",
    "/api/sources/?ordering=-published_on",
    "/updates.csv?initiative=demo-17",
]


def plan_facts(plan):
    """Indexes used, sequential scans of large tables, and the execution time of one plan."""
    indexes, scans = set(), set()

    def walk(node):
        if "Index Name" in node:
            indexes.add(node["Index Name"])
        if node.get("Node Type") == "Seq Scan" and node.get("Relation Name") in LARGE_TABLES:
            scans.add(node["Relation Name"])
        for child in node.get("Plans", []):
            walk(child)

    walk(plan["Plan"])
    return indexes, scans, plan["Execution Time"]


def explain_url(client, connection, path):
    from django.core.cache import cache
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, (path, response.status_code)
    indexes, scans, slowest, count_ms = set(), set(), 0.0, 0.0
    for query in captured.captured_queries:
        sql = query["sql"]
        if not re.match(r"\s*(SELECT|WITH)\b", sql, re.IGNORECASE):
            continue
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
            value = cursor.fetchone()[0]
        plan = (json.loads(value) if isinstance(value, str) else value)[0]
        used, seq, ms = plan_facts(plan)
        indexes |= used
        if COUNT.match(sql):
            # The paginator's total: counting most of a table reads all of it, whatever the indexes.
            count_ms = max(count_ms, ms)
            scans |= {f"{table} (count)" for table in seq}
        else:
            slowest = max(slowest, ms)
            scans |= seq
    return {
        "queries": len(captured.captured_queries),
        "slowest_ms": slowest,
        "count_ms": count_ms,
        "indexes": indexes,
        "scans": scans,
    }


def section(rows, counts):
    lines = [
        HEADING,
        "",
        START_MARK,
        "",
        f"Run {datetime.date.today().isoformat()} on {machine()}; PostgreSQL 15. `bench/explain.py`: "
        f"{counts['initiatives']:,} initiatives, {counts['updates']:,} status updates, {counts['milestones']:,} "
        "milestones (generate_demo_data, tables analysed). Each URL requested once with the cache cleared, each of "
        "its SELECTs re-run under EXPLAIN ANALYZE. *Slowest* is the slowest statement's execution time on the "
        "server, *count* the paginator's COUNT(*) (both cached per data version between analysts' edits); "
        "*Seq scan* names a large table read whole, and by which statement.",
        "",
        "| URL | queries | slowest (ms) | count (ms) | Seq scan of a large table | indexes used |",
        "|---|---:|---:|---:|---|---|",
    ]
    for path, row in rows:
        lines.append(
            f"| `{path}` | {row['queries']} | {row['slowest_ms']:.1f} | {row['count_ms']:.1f} "
            f"| {', '.join(sorted(row['scans'])) or 'none'} "
            f"| {', '.join(sorted(row['indexes']))} |"
        )
    lines += ["", END_MARK]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--prepare", action="store_true", help="Build the synthetic data set first.")
    args = parser.parse_args()
    database_url = DATABASES["postgresql"](SIZE)
    env = environment(database_url)
    if args.prepare:
        prepare(env, database_url, SIZE)
    # The local-memory cache, cleared before each URL, so that every query of every page runs.
    env.pop("REDIS_URL")
    os.environ.update(env)

    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from initiatives.models import Initiative, Milestone, StatusUpdate

    counts = {
        "initiatives": Initiative.objects.count(),
        "updates": StatusUpdate.objects.count(),
        "milestones": Milestone.objects.count(),
    }
    client = Client()
    rows = []
    for path in PAGES:
        row = explain_url(client, connection, path)
        print(f"{path}: {row}", flush=True)
        rows.append((path, row))
    text = section(rows, counts)
    write_section(text, heading=HEADING, end_mark=END_MARK)
    print(text)


if __name__ == "__main__":
    main()
