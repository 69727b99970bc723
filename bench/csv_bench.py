"""The status-update CSV round trip at 10,000 rows: export, dry run, confirm.

Builds a throw-away database (SQLite file by default, or --database-url), fills it
with ROWS updates that have audit-trail versions (as the admin's saves leave),
exports them through the admin's resource, edits the file as an analyst would
(one row in ten changed, 1 in 20 added without an id) and times the dry run and
the confirmation, in process, best of --rounds. Target: the dry run under 10 s.

Usage: .venv/bin/python bench/csv_bench.py [--rows 10000] [--rounds 3] [--database-url URL]
Writes the "CSV import" section of bench/RESULTS.md.
"""

import argparse
import csv
import datetime
import io
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

HEADING = "## CSV import of status updates (admin round trip)"
START_MARK = "<!-- csv-bench:start -->"
END_MARK = "<!-- csv-bench:end -->"


def setup(database_url):
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def fill(rows):
    from simple_history.utils import bulk_create_with_history

    from initiatives.models import Citation, Initiative, Source, StatusUpdate

    StatusUpdate.objects.all().delete()
    Initiative.objects.all().delete()
    source = Source.objects.create(
        title="Bench source",
        slug="bench-source",
        kind="news",
        text="The bench document.\n\nThe programme was adopted and implementation is under way.",
    )
    initiatives = Initiative.objects.bulk_create(
        Initiative(title=f"Bench {n}", slug=f"bench-{n}", summary="Bench.", kind="program") for n in range(200)
    )
    updates = bulk_create_with_history(
        [
            StatusUpdate(
                initiative=initiatives[n % len(initiatives)],
                reported_on=datetime.date(2020, 1, 1) + datetime.timedelta(days=n % 1500),
                status="in_progress",
                progress=n % 101,
                headline=f"Bench update {n}",
                body="What happened, with evidence. " * 8,
                published=False,
            )
            for n in range(rows)
        ],
        StatusUpdate,
        batch_size=1000,
    )
    Citation.objects.bulk_create(
        Citation(update_id=pk, source=source, quote="The programme was adopted", paragraph=2)
        for pk in StatusUpdate.objects.values_list("pk", flat=True)
    )
    return len(updates)


def edited_file(text, *, added):
    reader = csv.DictReader(io.StringIO(text))
    rows = list(reader)
    for index, row in enumerate(rows):
        if index % 10 == 0:
            row["status"] = "stalled"
            row["progress"] = "55"
    for n in range(added):
        rows.append(
            {
                **dict.fromkeys(reader.fieldnames, ""),
                "initiative": f"bench-{n % 200}",
                "reported_on": "2025-06-01",
                "status": "adopted",
                "headline": f"Added in the file {n}",
            }
        )
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=reader.fieldnames, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue(), len(rows)


def best_of(rounds, function):
    """(wall seconds, CPU seconds of this process, result) of the fastest round."""
    timings, result = [], None
    for _ in range(rounds):
        start, cpu = time.perf_counter(), time.process_time()
        result = function()
        timings.append((time.perf_counter() - start, time.process_time() - cpu))
    wall, cpu = min(timings)
    return wall, cpu, result


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    with tempfile.TemporaryDirectory() as directory:
        database_url = args.database_url or f"sqlite:///{directory}/csv-bench.sqlite3"
        setup(database_url)
        from django.db import connection, transaction

        from bench.api_bench import machine
        from bench.results import write_section
        from initiatives import services
        from initiatives.csvformat import StatusUpdateResource, run_import
        from initiatives.models import StatusUpdate

        fill(args.rows - args.rows // 20)
        export_seconds, export_cpu, dataset = best_of(
            args.rounds,
            lambda: StatusUpdateResource().export(StatusUpdateResource.export_queryset(StatusUpdate.objects.all())),
        )
        text, total = edited_file(dataset.csv, added=args.rows // 20)
        dry_seconds, dry_cpu, report = best_of(args.rounds, lambda: run_import(text, user=None, dry_run=True))
        assert report.is_valid, report.row_errors[:3]
        counts = (report.created, report.changed, report.unchanged)

        def confirm_and_undo():
            with transaction.atomic():
                applied = services.import_status_updates(csv_text=text, author=None)
                transaction.set_rollback(True)
            return applied

        confirm_seconds, confirm_cpu, applied = best_of(1, confirm_and_undo)
        assert (applied.created, applied.changed, applied.unchanged) == counts
        vendor = connection.vendor

    size_mb = len(text.encode()) / 1e6
    section = "\n".join(
        [
            HEADING,
            "",
            START_MARK,
            "",
            f"Run {datetime.date.today()} on {machine()}, {vendor}. "
            f"`bench/csv_bench.py --rows {args.rows} --rounds {args.rounds}`: a file of {total} rows "
            f"({size_mb:.1f} MB) exported by the admin's resource, with one row in ten edited (status and "
            f"progress) and {args.rows // 20} rows added without an id; in process, best of the rounds "
            "(the confirmation once, rolled back).",
            "",
            f"Load average at the start: {load}; the 2 cores are shared with other work, so the wall "
            "time swings; the CPU time of this process (which includes SQLite's work, not PostgreSQL's) "
            "is the steadier number.",
            "",
            "| step | wall seconds | CPU seconds | rows/s (wall) |",
            "|---|---:|---:|---:|",
            f"| export ({total - args.rows // 20} rows) | {export_seconds:.2f} | {export_cpu:.2f} | "
            f"{(total - args.rows // 20) / export_seconds:.0f} |",
            f"| dry run ({counts[0]} created, {counts[1]} changed, {counts[2]} unchanged) | "
            f"{dry_seconds:.2f} | {dry_cpu:.2f} | {total / dry_seconds:.0f} |",
            f"| confirm (writes {counts[0] + counts[1]} rows and their history) | {confirm_seconds:.2f} | "
            f"{confirm_cpu:.2f} | {total / confirm_seconds:.0f} |",
            "",
            f"Target: the dry run of a 10,000-row file under 10 s: **{dry_seconds:.2f} s** "
            f"({dry_seconds / 10:.2f} of the budget).",
            "",
            END_MARK,
        ]
    )
    write_section(section, heading=HEADING, end_mark=END_MARK)
    print(section)


if __name__ == "__main__":
    main()
