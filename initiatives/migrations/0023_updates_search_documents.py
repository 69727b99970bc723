"""Each initiative's published updates as one stored search document per language, on
PostgreSQL, kept by a trigger.

A searched list asks which initiatives have a published update holding the words. Asked
of the updates, a common word returns most of 250,000 rows, each read from the table for
its initiative (about 80 ms for "digital" at 10,000 initiatives, on every search after a
save). ``updates_document`` (and ``_ru``, ``_kk``) holds the union of an initiative's
published updates' stored documents (0021), stripped of positions and weights (they
only decide whether an update matches; the rank reads the initiative's own document),
indexed with GIN beside the initiative's own, so today's question is two index lookups
on one table.

Kept by statement-level triggers on the updates table, so every write (a save, a bulk
insert, a queryset update, a delete, loaddata, raw SQL) refreshes the initiatives it
touched, in the same transaction. A past date still asks the updates (what was known
then is not stored). Like 0021's columns, these are PostgreSQL's alone and the models do
not declare them.
"""

from django.db import migrations

LANGUAGE_SUFFIXES = ("", "_ru", "_kk")


def refresh_statement(ids):
    sets = ", ".join(
        f"updates_document{suffix} = (SELECT strip(tracker_tsvector_agg(u.search_document{suffix}))"
        f" FROM initiatives_statusupdate u WHERE u.initiative_id = i.id AND u.published)"
        for suffix in LANGUAGE_SUFFIXES
    )
    return f"UPDATE initiatives_initiative i SET {sets} WHERE i.id = ANY({ids})"


FORWARD = [
    # tsvector_concat is the function behind tsvector's || operator.
    "CREATE AGGREGATE tracker_tsvector_agg (tsvector) (SFUNC = tsvector_concat, STYPE = tsvector)",
    *(f"ALTER TABLE initiatives_initiative ADD COLUMN updates_document{suffix} tsvector" for suffix in LANGUAGE_SUFFIXES),
    "CREATE FUNCTION tracker_refresh_updates_documents(ids bigint[]) RETURNS void LANGUAGE sql AS $$ "
    + refresh_statement("ids")
    + " $$",
    # Statement-level with transition tables: one refresh per statement for the distinct
    # initiatives it touched (a bulk insert of 250,000 updates refreshes each once).
    """CREATE FUNCTION tracker_updates_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            PERFORM tracker_refresh_updates_documents(ARRAY(SELECT DISTINCT initiative_id FROM new_rows));
        END IF;
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            PERFORM tracker_refresh_updates_documents(ARRAY(SELECT DISTINCT initiative_id FROM old_rows));
        END IF;
        RETURN NULL;
    END
    $$""",
    "CREATE TRIGGER statusupdate_inserted_search AFTER INSERT ON initiatives_statusupdate"
    " REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tracker_updates_changed()",
    "CREATE TRIGGER statusupdate_updated_search AFTER UPDATE ON initiatives_statusupdate"
    " REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tracker_updates_changed()",
    "CREATE TRIGGER statusupdate_deleted_search AFTER DELETE ON initiatives_statusupdate"
    " REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION tracker_updates_changed()",
    "SELECT tracker_refresh_updates_documents(ARRAY(SELECT id FROM initiatives_initiative))",
    *(
        f"CREATE INDEX initiative_updates_search{suffix}_idx ON initiatives_initiative"
        f" USING gin (updates_document{suffix})"
        for suffix in LANGUAGE_SUFFIXES
    ),
]

BACKWARD = [
    *(f"DROP TRIGGER statusupdate_{event}_search ON initiatives_statusupdate" for event in ("inserted", "updated", "deleted")),
    "DROP FUNCTION tracker_updates_changed()",
    "DROP FUNCTION tracker_refresh_updates_documents(bigint[])",
    *(f"ALTER TABLE initiatives_initiative DROP COLUMN updates_document{suffix}" for suffix in LANGUAGE_SUFFIXES),
    "DROP AGGREGATE tracker_tsvector_agg (tsvector)",
]


def run_on_postgresql(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement, params=None)

    return operation


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0022_facets_covering_index")]

    operations = [migrations.RunPython(run_on_postgresql(FORWARD), run_on_postgresql(BACKWARD))]
