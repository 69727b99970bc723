"""GIN indexes serving full-text search in Russian and Kazakh on PostgreSQL.

Search looks at English and at the language shown (querysets.search_languages),
one id set per language; each language's document is indexed here with exactly
the expression the QuerySet compiles (English's are migration 0004's).
"""

from django.db import migrations


def initiative_document(code):
    return (
        f"(setweight(to_tsvector('simple'::regconfig, COALESCE(title_{code}, '')), 'A')"
        f" || setweight(to_tsvector('simple'::regconfig, COALESCE(summary_{code}, '')), 'B'))"
        f" || setweight(to_tsvector('simple'::regconfig, COALESCE(description_{code}, '')), 'C')"
    )


def update_document(code):
    return (
        f"setweight(to_tsvector('simple'::regconfig, COALESCE(headline_{code}, '')), 'B')"
        f" || setweight(to_tsvector('simple'::regconfig, COALESCE(body_{code}, '')), 'C')"
    )


LANGUAGES = ("ru", "kk")
CREATE = [
    statement
    for code in LANGUAGES
    for statement in (
        f"CREATE INDEX IF NOT EXISTS initiative_search_{code}_idx ON initiatives_initiative"
        f" USING gin (({initiative_document(code)}))",
        f"CREATE INDEX IF NOT EXISTS statusupdate_search_{code}_idx ON initiatives_statusupdate"
        f" USING gin (({update_document(code)})) WHERE published",
    )
]
DROP = [
    f"DROP INDEX IF EXISTS {table}_search_{code}_idx" for code in LANGUAGES for table in ("initiative", "statusupdate")
]


def run_on_postgresql(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0005_translations")]

    operations = [migrations.RunPython(run_on_postgresql(CREATE), run_on_postgresql(DROP))]
