"""Each language's search document stored, on PostgreSQL, and indexed as a column.

Until now the GIN indexes (0004, 0006, 0015) were on expressions, so everything that
read a document computed it again from the text: ranking a searched list ran
to_tsvector over the title, summary and description of every matching initiative
(about 150 ms of a cold ``?q=digital`` at 10,000 initiatives). The documents are now
generated columns (``search_document``, ``search_document_ru``, ``search_document_kk``,
the column names search.py asks for), computed by PostgreSQL on every write, so no
write path can forget them; the indexes keep their names and move onto the columns.

The columns are PostgreSQL's alone: the models do not declare them (SQLite searches by
substring, search.py), so they are never loaded with a row, serialised by dumpdata or
copied into the audit history. PostgreSQL refuses to change the type of a column a
generated column reads: a migration altering a searched column (title, summary,
description, headline, body, or a translation of one) must drop its document first and
add it again after, with ``drop_documents()`` and ``add_documents()`` below.
Reversing restores 0015's expression indexes.
"""

from django.db import migrations

# (suffix of the translated columns, text-search configuration), as search.SEARCH_CONFIGS.
LANGUAGES = (("", "english"), ("_ru", "russian"), ("_kk", "simple"))
# Each table's searched columns and their weights, as search.initiative_document and
# search.update_document build them; the update index holds published updates only.
TABLES = {
    "initiative": ("initiatives_initiative", (("title", "A"), ("summary", "B"), ("description", "C")), ""),
    "statusupdate": ("initiatives_statusupdate", (("headline", "B"), ("body", "C")), " WHERE published"),
}


def document(columns, config, suffix):
    return " || ".join(
        f"setweight(to_tsvector('{config}'::regconfig, COALESCE({name}{suffix}, '')), '{weight}')"
        for name, weight in columns
    )


def add_documents(tables=TABLES):
    statements = []
    for name, (table, columns, condition) in tables.items():
        for suffix, config in LANGUAGES:
            statements += [
                f"DROP INDEX IF EXISTS {name}_search{suffix}_idx",
                f"ALTER TABLE {table} ADD COLUMN search_document{suffix} tsvector"
                f" GENERATED ALWAYS AS ({document(columns, config, suffix)}) STORED",
                f"CREATE INDEX {name}_search{suffix}_idx ON {table}"
                f" USING gin (search_document{suffix}){condition}",
            ]
    return statements


def drop_documents(tables=TABLES):
    """The columns and their indexes gone, and 0015's expression indexes back."""
    statements = []
    for name, (table, columns, condition) in tables.items():
        for suffix, config in LANGUAGES:
            statements += [
                f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_document{suffix}",
                f"CREATE INDEX {name}_search{suffix}_idx ON {table}"
                f" USING gin (({document(columns, config, suffix)})){condition}",
            ]
    return statements


def run_on_postgresql(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0020_latest_standing_update")]

    operations = [migrations.RunPython(run_on_postgresql(add_documents()), run_on_postgresql(drop_documents()))]
