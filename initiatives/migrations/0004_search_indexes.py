"""GIN indexes serving full-text search on PostgreSQL (InitiativeQuerySet.search).

The indexed expressions are exactly those the QuerySet compiles, so the planner
uses them. Other databases search without them (see the QuerySet's docstring).
"""

from django.db import migrations

INITIATIVE_DOCUMENT = (
    "(setweight(to_tsvector('simple'::regconfig, COALESCE(title, '')), 'A')"
    " || setweight(to_tsvector('simple'::regconfig, COALESCE(summary, '')), 'B'))"
    " || setweight(to_tsvector('simple'::regconfig, COALESCE(description, '')), 'C')"
)
UPDATE_DOCUMENT = (
    "setweight(to_tsvector('simple'::regconfig, COALESCE(headline, '')), 'B')"
    " || setweight(to_tsvector('simple'::regconfig, COALESCE(body, '')), 'C')"
)
CREATE = [
    f"CREATE INDEX IF NOT EXISTS initiative_search_idx ON initiatives_initiative USING gin (({INITIATIVE_DOCUMENT}))",
    "CREATE INDEX IF NOT EXISTS statusupdate_search_idx ON initiatives_statusupdate"
    f" USING gin (({UPDATE_DOCUMENT})) WHERE published",
]
DROP = [
    "DROP INDEX IF EXISTS initiative_search_idx",
    "DROP INDEX IF EXISTS statusupdate_search_idx",
]


def run_on_postgresql(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0003_analysts_group")]

    operations = [migrations.RunPython(run_on_postgresql(CREATE), run_on_postgresql(DROP))]
