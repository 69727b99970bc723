"""Indexes serving the status-update lists sorted by progress on PostgreSQL.

The pages and the API sort by progress with empty values last in both directions,
then newest id (querysets.stable_order): ``progress ASC NULLS LAST, id DESC`` and
``progress DESC NULLS LAST, id DESC``. No single B-tree serves both (a backward scan
would put the empty values first), and SQLite cannot declare NULLS LAST in an index,
so these are PostgreSQL's only. Without them a sort by progress read and sorted
every published update (95 ms at 250,000, bench/RESULTS.md "Query plans").
"""

from django.db import migrations

CREATE = [
    "CREATE INDEX IF NOT EXISTS statusupdate_progress_idx ON initiatives_statusupdate"
    " (progress ASC NULLS LAST, id DESC) WHERE published",
    "CREATE INDEX IF NOT EXISTS statusupdate_progress_desc_idx ON initiatives_statusupdate"
    " (progress DESC NULLS LAST, id DESC) WHERE published",
]
DROP = [
    "DROP INDEX IF EXISTS statusupdate_progress_idx",
    "DROP INDEX IF EXISTS statusupdate_progress_desc_idx",
]


def run_on_postgresql(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0006_translated_search_indexes")]

    operations = [migrations.RunPython(run_on_postgresql(CREATE), run_on_postgresql(DROP))]
