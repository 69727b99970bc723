"""Each language's columns indexed in that language's text-search configuration.

Search now stems English ("english") and Russian ("russian") and keeps Kazakh word
by word ("simple", migration 0006's indexes, unchanged), as initiatives.querysets
compiles it: each index here is exactly the expression the QuerySet builds, so
the planner uses it. Reversing restores the "simple" indexes of 0004 and 0006.
"""

from django.db import migrations


def initiative_document(config, suffix=""):
    return (
        f"(setweight(to_tsvector('{config}'::regconfig, COALESCE(title{suffix}, '')), 'A')"
        f" || setweight(to_tsvector('{config}'::regconfig, COALESCE(summary{suffix}, '')), 'B'))"
        f" || setweight(to_tsvector('{config}'::regconfig, COALESCE(description{suffix}, '')), 'C')"
    )


def update_document(config, suffix=""):
    return (
        f"setweight(to_tsvector('{config}'::regconfig, COALESCE(headline{suffix}, '')), 'B')"
        f" || setweight(to_tsvector('{config}'::regconfig, COALESCE(body{suffix}, '')), 'C')"
    )


def indexes(configs):
    """Drop and build the English and Russian indexes with the given configurations."""
    statements = []
    for suffix, config in (("", configs["en"]), ("_ru", configs["ru"])):
        initiative_index, update_index = f"initiative_search{suffix}_idx", f"statusupdate_search{suffix}_idx"
        statements += [
            f"DROP INDEX IF EXISTS {initiative_index}",
            f"DROP INDEX IF EXISTS {update_index}",
            f"CREATE INDEX {initiative_index} ON initiatives_initiative"
            f" USING gin (({initiative_document(config, suffix)}))",
            f"CREATE INDEX {update_index} ON initiatives_statusupdate"
            f" USING gin (({update_document(config, suffix)})) WHERE published",
        ]
    return statements


def run_on_postgresql(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0014_i11_http_urls")]

    operations = [
        migrations.RunPython(
            run_on_postgresql(indexes({"en": "english", "ru": "russian"})),
            run_on_postgresql(indexes({"en": "simple", "ru": "simple"})),
        )
    ]
