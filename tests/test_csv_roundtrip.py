"""The status-update CSV round trip in the admin: export with ids and versions,
edit, dry run (created / changed old → new / unchanged), confirm all or nothing,
refusing rows changed since the export, bad rows and formula-like cells."""

import csv
import datetime
import io

import pytest
from django.test import Client
from django.utils import timezone

from alerts.models import Event, EventType
from initiatives.csvformat import COLUMNS, PUBLIC_COLUMNS
from initiatives.models import StatusUpdate
from initiatives.vocabularies import Status

from .factories import (
    SOURCE_QUOTE,
    AnalystFactory,
    CitationFactory,
    InitiativeFactory,
    SourceFactory,
    StatusUpdateFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

EXPORT_URL = "/admin/initiatives/statusupdate/export-csv/"
IMPORT_URL = "/admin/initiatives/statusupdate/import-csv/"


@pytest.fixture
def analyst():
    return AnalystFactory(username="importer")


@pytest.fixture
def client_(analyst):
    client = Client()
    client.force_login(analyst)
    return client


@pytest.fixture
def world():
    source = SourceFactory()
    initiative = InitiativeFactory(slug="digital-code")
    updates = []
    for n in range(3):
        update = StatusUpdateFactory(
            initiative=initiative,
            reported_on=datetime.date(2025, 1 + n, 1),
            headline=f"Update {n}",
            status=Status.IN_PROGRESS,
            progress=10 * n,
        )
        CitationFactory(update=update, source=source)
        updates.append(update)
    draft = StatusUpdateFactory(initiative=initiative, headline="A draft", published=False)
    return {"initiative": initiative, "source": source, "updates": updates, "draft": draft}


def export_rows(client):
    response = client.get(EXPORT_URL)
    assert response.status_code == 200
    reader = csv.DictReader(io.StringIO(response.content.decode()))
    return reader.fieldnames, list(reader)


def upload(header, rows, delimiter=","):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, delimiter=delimiter, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    file = io.BytesIO(buffer.getvalue().encode())
    file.name = "updates.csv"
    return file


def dry_run(client, header, rows, **kwargs):
    return client.post(IMPORT_URL, {"csv_file": upload(header, rows, **kwargs)})


def confirm(client, preview):
    return client.post(IMPORT_URL, {"csv_text": preview.context["csv_text"]})


def by_id(rows, update):
    return next(row for row in rows if row["id"] == str(update.pk))


def test_export_carries_id_version_translations_and_drafts(client_, world):
    header, rows = export_rows(client_)

    assert header[:2] == ["id", "version"]
    assert {"headline_ru", "headline_kk", "body_ru", "body_kk"} <= set(header)
    assert {row["id"] for row in rows} == {str(update.pk) for update in [*world["updates"], world["draft"]]}
    draft = by_id(rows, world["draft"])
    assert draft["published"] == "false"
    assert draft["version"] == str(world["draft"].history.first().history_id)


def test_round_trip_two_changed_one_created_then_confirmed(client_, analyst, world):
    header, rows = export_rows(client_)
    first, second = world["updates"][:2]
    by_id(rows, first).update(status="stalled", progress="55", revision_note="Stalled since March.")
    by_id(rows, second).update(headline_ru="Обновление", revision_note="Russian headline added.")
    rows.append(
        {
            **dict.fromkeys(header, ""),
            "initiative": "digital-code",
            "reported_on": "2025-06-01",
            "status": "adopted",
            "headline": "A new update",
            "quotes": f"{world['source'].slug} | {SOURCE_QUOTE}",
            "published": "true",
        }
    )
    history_before = StatusUpdate.history.count()
    untouched = [world["updates"][2].pk, world["draft"].pk]
    untouched_history = StatusUpdate.history.filter(id__in=untouched).count()

    preview = dry_run(client_, header, rows)

    report = preview.context["report"]
    assert report.is_valid, report.row_errors
    assert (report.created, report.changed, report.unchanged) == (1, 2, 2)
    changed = {outcome.update_id: outcome.changes for outcome in report.outcomes if outcome.kind == "changed"}
    assert changed[first.pk] == [
        ("status", "In progress", "Stalled"),
        ("progress", "0", "55"),
        ("revision_note", "(empty)", "Stalled since March."),
    ]
    assert changed[second.pk][0] == ("headline_ru", "(empty)", "Обновление")
    assert "Dry run: 1 created, 2 changed, 2 unchanged." in preview.content.decode()
    assert StatusUpdate.history.count() == history_before

    assert confirm(client_, preview).status_code == 302

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.progress) == ("stalled", 55)
    # Published updates are corrected in the open.
    assert (first.revised_on, first.revision_note) == (timezone.localdate(), "Stalled since March.")
    assert second.headline_ru == "Обновление"
    new = StatusUpdate.objects.get(headline="A new update")
    assert new.author == analyst
    citation = new.citations.get()
    assert (citation.source, citation.quote, citation.paragraph) == (world["source"], SOURCE_QUOTE, 2)
    assert [c.source_id for c in new.history.first().sources.all()] == [world["source"].pk]
    assert first.history.first().history_user == analyst
    assert new.history.first().history_user == analyst
    # Unchanged rows write nothing.
    assert StatusUpdate.history.filter(id__in=untouched).count() == untouched_history


def test_reimporting_an_unchanged_export_changes_nothing(client_, world):
    header, rows = export_rows(client_)
    preview = dry_run(client_, header, rows)
    report = preview.context["report"]
    assert (report.created, report.changed, report.unchanged) == (0, 0, 4)
    assert 'name="csv_text"' not in preview.content.decode()


def test_a_row_changed_in_the_database_since_the_export_is_refused(client_, world):
    header, rows = export_rows(client_)
    target = world["updates"][0]
    by_id(rows, target).update(headline="My headline", revision_note="Reworded.")
    preview = dry_run(client_, header, rows)
    other = Client()
    other.force_login(AnalystFactory(username="colleague"))
    target.headline = "Colleague's headline"
    target._history_user = AnalystFactory(username="colleague2")
    target.save()

    response = confirm(client_, preview)

    assert response.status_code == 200
    errors = response.context["report"].row_errors
    assert len(errors) == 1
    assert "colleague2 changed this update after the export" in errors[0].messages[0]
    assert "Colleague's headline" in errors[0].messages[0]
    target.refresh_from_db()
    assert target.headline == "Colleague's headline"


def test_the_dry_run_refuses_a_row_changed_since_the_export_too(client_, world):
    header, rows = export_rows(client_)
    StatusUpdate.objects.get(pk=world["updates"][1].pk).save()  # an empty save: no field changed
    target = world["updates"][0]
    target.progress = 99
    target.save()

    report = dry_run(client_, header, rows).context["report"]

    assert [error.row for error in report.row_errors] == [rows.index(by_id(rows, target)) + 2]


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("initiative", "no-such-initiative", "initiative: No initiative has the slug “no-such-initiative”"),
        ("status", "done", "status:"),
        ("reported_on", "01/06/2025", "write it as YYYY-MM-DD"),
        ("reported_on", "2025-13-45", "write it as YYYY-MM-DD"),
        ("progress", "250", "Progress is a percentage, 0 to 100."),
        ("quotes", "", "quotes: A published update must cite at least one source"),
        ("quotes", "no-such-source | a quote", "quotes: line 1: no source has the slug “no-such-source”."),
        ("quotes", "just a quote", "quotes: line 1: write “source-slug | quote”."),
        ("quotes", "{slug} | words the source never says", "is not found word for word"),
        ("reported_on", "2999-01-01", "reported_on: An update cannot be reported as of a future date."),
        ("published", "maybe", "published: Write true or false"),
        ("headline", '=HYPERLINK("http://evil")', "headline: “=HYPERLINK"),
        ("body", "+cmd|' /C calc'!A0", "body: “+cmd"),
        ("body_ru", "@SUM(A1)", "body_ru: “@SUM(A1)” starts like a spreadsheet formula"),
        ("headline_kk", "-x", "headline_kk:"),
        ("id", "999999", "No status update has the id “999999”"),
        ("version", "", "needs the version the export gave it"),
    ],
)
def test_one_bad_row_rejects_the_whole_file_naming_row_and_reason(client_, world, column, value, reason):
    header, rows = export_rows(client_)
    rows[0].update(headline="A good change", revision_note="Reworded.")
    rows[2][column] = value.format(slug=world["source"].slug)
    preview = dry_run(client_, header, rows)
    for response in (preview, client_.post(IMPORT_URL, {"csv_text": upload(header, rows).getvalue().decode()})):
        assert response.status_code == 200
        assert "The file was rejected; nothing was imported." in response.content.decode()
        errors = response.context["report"].row_errors
        assert [error.row for error in errors] == [4]
        assert reason in " ".join(errors[0].messages)
    assert not StatusUpdate.objects.filter(headline="A good change").exists()


def test_changing_a_quote_is_a_change_and_keeps_translations_of_kept_quotes(client_, world):
    update = world["updates"][0]
    update.citations.update(quote_ru="Перевод")
    other = SourceFactory(text="Another document.\n\nIt says something else entirely.")
    header, rows = export_rows(client_)
    row = by_id(rows, update)
    assert row["quotes"] == f"{world['source'].slug} | {SOURCE_QUOTE}"
    row["quotes"] += f"\n{other.slug} | It says something else"
    row["revision_note"] = "A second source."

    preview = dry_run(client_, header, rows)
    report = preview.context["report"]
    assert report.changed == 1, report.row_errors
    confirmed = confirm(client_, preview)
    assert confirmed.status_code == 302, confirmed.context["report"].row_errors

    citations = list(update.citations.order_by("pk"))
    assert [(c.source, c.quote_ru, c.paragraph) for c in citations] == [(world["source"], "Перевод", 2), (other, "", 2)]


def test_numbers_with_a_sign_and_stored_formula_text_are_not_formulas(client_, world):
    update = world["updates"][0]
    StatusUpdate.objects.filter(pk=update.pk).update(body="=already stored")
    header, rows = export_rows(client_)
    assert by_id(rows, update)["body"] == "'=already stored"
    by_id(rows, update)["headline"] = "+7 percent"
    by_id(rows, update)["body_kk"] = "-5 градус"
    by_id(rows, update)["revision_note"] = "Figures added."

    report = dry_run(client_, header, rows).context["report"]

    assert report.is_valid, report.row_errors
    assert report.changed == 1


@pytest.mark.parametrize("note", [None, ""])
def test_a_change_to_a_published_update_needs_a_new_revision_note(client_, world, note):
    update = world["updates"][0]
    StatusUpdate.objects.filter(pk=update.pk).update(revised_on=datetime.date(2025, 5, 1), revision_note="Old note.")
    header, rows = export_rows(client_)
    row = by_id(rows, update)
    row["status"] = "stalled"
    if note is not None:
        row["revision_note"] = note

    report = dry_run(client_, header, rows).context["report"]

    assert [error.row for error in report.row_errors] == [rows.index(row) + 2]
    assert "revision_note: This update is published" in report.row_errors[0].messages[0]


def test_a_draft_changes_without_a_revision_note(client_, world):
    header, rows = export_rows(client_)
    by_id(rows, world["draft"])["headline"] = "Draft reworded"
    report = dry_run(client_, header, rows).context["report"]
    assert report.is_valid and report.changed == 1


def test_a_semicolon_separated_file_gets_a_hint(client_, world):
    header, rows = export_rows(client_)
    response = dry_run(client_, header, rows, delimiter=";")
    assert "separated by semicolons" in response.content.decode()


def test_a_file_with_unknown_columns_is_rejected(client_, world):
    header = ["initiative", "reported_on", "status", "headline", "source_titles"]
    response = dry_run(client_, header, [])
    assert "Unexpected: source_titles." in response.content.decode()


def test_a_file_without_ids_creates_and_refuses_repeats(client_, world):
    header = ["initiative", "reported_on", "status", "headline"]
    rows = [
        {"initiative": "digital-code", "reported_on": "2025-02-01", "status": "adopted", "headline": "Brand new"},
        {"initiative": "digital-code", "reported_on": "2025-01-01", "status": "adopted", "headline": "Update 0"},
    ]
    report = dry_run(client_, header, rows).context["report"]
    assert [error.row for error in report.row_errors] == [3]
    assert f"Status update {world['updates'][0].pk} already has this initiative" in report.row_errors[0].messages[0]

    preview = dry_run(client_, header, rows[:1])
    assert confirm(client_, preview).status_code == 302
    created = StatusUpdate.objects.get(headline="Brand new")
    assert not created.published
    assert created.reported_on_precision == "day"


def test_import_and_export_need_permission():
    client = Client()
    client.force_login(UserFactory(is_staff=True))
    assert client.get(IMPORT_URL).status_code == 403
    assert client.get(EXPORT_URL).status_code == 403


# --- The same rules and writes as the admin's (services) -----------------------------------


def test_an_imported_correction_is_a_revision_as_the_admins_dated_audited_and_announced(client_, analyst, world):
    update = world["updates"][0]
    events = Event.objects.filter(type=EventType.UPDATE_REVISED).count()
    header, rows = export_rows(client_)
    by_id(rows, update).update(status="stalled", revision_note="Stalled since March.")

    assert confirm(client_, dry_run(client_, header, rows)).status_code == 302

    record = update.history.order_by("-history_id").first()
    assert (record.status, record.revision_note, record.revised_on) == (
        "stalled",
        "Stalled since March.",
        timezone.localdate(),
    )
    assert record.history_user == analyst
    assert [citation.source_id for citation in record.sources.all()] == [world["source"].pk]
    assert Event.objects.filter(type=EventType.UPDATE_REVISED).count() == events + 1


def test_a_translation_of_a_published_update_needs_no_revision_note_as_in_the_admin(client_, world):
    update = world["updates"][0]
    header, rows = export_rows(client_)
    by_id(rows, update)["headline_kk"] = "Жаңарту"

    preview = dry_run(client_, header, rows)
    assert preview.context["report"].is_valid, preview.context["report"].row_errors
    assert confirm(client_, preview).status_code == 302

    update.refresh_from_db()
    assert (update.headline_kk, update.revised_on) == ("Жаңарту", None)


def test_an_analyst_cannot_unpublish_through_the_import(client_, world):
    update = world["updates"][0]
    header, rows = export_rows(client_)
    by_id(rows, update).update(published="false", revision_note="Taking it down.")

    report = dry_run(client_, header, rows).context["report"]

    assert not report.is_valid
    assert "stays on the public record" in " ".join(report.row_errors[0].messages)
    update.refresh_from_db()
    assert update.published


def test_an_update_once_published_needs_a_note_even_after_a_superuser_unpublished_it(client_, world):
    update = world["updates"][0]
    update.published = False
    update.save()
    header, rows = export_rows(client_)
    by_id(rows, update)["headline"] = "Quietly reworded"

    report = dry_run(client_, header, rows).context["report"]

    assert [error.row for error in report.row_errors] == [rows.index(by_id(rows, update)) + 2]
    assert "revision_note" in report.row_errors[0].messages[0]


def test_the_public_updates_csv_has_the_quotes_and_imports_back_as_new_rows(client, client_, world):
    public = client.get("/updates.csv")
    content = b"".join(public.streaming_content).decode() if public.streaming else public.content.decode()
    reader = csv.DictReader(io.StringIO(content))
    header, rows = reader.fieldnames, list(reader)
    assert header == PUBLIC_COLUMNS
    assert set(PUBLIC_COLUMNS) <= set(COLUMNS)
    row = next(row for row in rows if row["headline"] == "Update 0")
    assert row["quotes"] == f"{world['source'].slug} | {SOURCE_QUOTE}"

    # As downloaded, every row repeats a recorded update and is refused as such.
    report = dry_run(client_, header, rows).context["report"]
    assert len(report.row_errors) == len(rows)
    row["headline"] = "Update 0, as a new update"
    report = dry_run(client_, header, [row]).context["report"]
    assert (report.is_valid, report.created) == (True, 1)
