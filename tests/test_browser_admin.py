"""An analyst's round trip in a real browser: sign in, add a published, sourced
status update to an initiative through its admin page, and find it listed there and
on the initiative's public page."""

import importlib
import re
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from playwright.sync_api import expect

from initiatives.models import StatusUpdate

from .factories import AnalystFactory, InitiativeFactory, SourceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"


@pytest.fixture
def analysts_group(transactional_db):
    """The live server needs a transactional database, and an earlier test's
    flush may have emptied it of the group the data migration created: rebuild
    it with that same migration code, against the migration's own model state."""
    if not Group.objects.filter(name="Analysts").exists():
        migration = importlib.import_module("initiatives.migrations.0003_analysts_group")
        state_apps = MigrationLoader(connection).project_state(("initiatives", "0003_analysts_group")).apps
        migration.create_analysts_group(state_apps, SimpleNamespace(connection=connection))


def choose_autocomplete(page, select_id, search):
    """Pick an option in the admin's select2 autocomplete widget."""
    page.locator(f"#{select_id} + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(search)
    page.locator(".select2-results__option", has_text=search).first.click()


def test_analyst_adds_a_published_sourced_update_inline_and_sees_it_listed_and_public(
    live_server, page, analysts_group
):
    analyst = AnalystFactory(username="aigerim")
    initiative = InitiativeFactory(title="Digital Code")
    SourceFactory(title="Digital Code adopted", publisher="Akorda")

    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", "aigerim")
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("#user-tools")).to_contain_text("aigerim")

    page.goto(f"{live_server.url}/admin/initiatives/initiative/{initiative.pk}/change/")
    page.locator(".add-row a", has_text=re.compile("Add another status update", re.IGNORECASE)).click()
    page.fill("#id_updates-0-reported_on", "2025-06-01")
    page.select_option("#id_updates-0-status", "adopted")
    page.fill("#id_updates-0-progress", "20")
    page.fill("#id_updates-0-headline", "Digital Code signed into law")
    choose_autocomplete(page, "id_updates-0-sources", "Digital Code adopted")
    page.check("#id_updates-0-published")
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    page.goto(f"{live_server.url}/admin/initiatives/statusupdate/")
    row = page.locator("#result_list tbody tr", has_text="Digital Code signed into law")
    expect(row).to_contain_text("Digital Code")
    expect(row).to_contain_text("aigerim")
    update = StatusUpdate.objects.get()
    assert update.published
    assert update.author == analyst
    assert [source.title for source in update.sources.all()] == ["Digital Code adopted"]

    page.goto(f"{live_server.url}{initiative.get_absolute_url()}")
    entry = page.locator(".timeline-entry", has_text="Digital Code signed into law")
    expect(entry).to_contain_text("Adopted")
    expect(entry).to_contain_text("Digital Code adopted")


def test_analyst_imports_a_csv_after_a_dry_run(live_server, page, analysts_group):
    AnalystFactory(username="aigerim")
    InitiativeFactory(slug="cyber-shield")
    source = SourceFactory()
    csv_text = (
        "initiative,reported_on,reported_on_precision,status,progress,headline,body,sources,published\n"
        f'cyber-shield,2025-02-10,day,in_progress,35,Centre opened,"First line\nsecond line",{source.pk},true\n'
    )

    page.goto(f"{live_server.url}/admin/login/?next=/admin/initiatives/statusupdate/")
    page.fill("input[name=username]", "aigerim")
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit]")
    page.get_by_role("link", name="Import from CSV").click()
    page.set_input_files(
        "#id_csv_file", files=[{"name": "updates.csv", "mimeType": "text/csv", "buffer": csv_text.encode()}]
    )
    page.get_by_role("button", name="Check the file (dry run)").click()
    expect(page.locator("h2")).to_contain_text("Dry run: 1 status update would be created.")
    assert not StatusUpdate.objects.exists()

    page.get_by_role("button", name="Confirm import").click()
    expect(page.locator(".messagelist")).to_contain_text("Imported 1 status update.")
    update = StatusUpdate.objects.get()
    assert update.body.splitlines() == ["First line", "second line"]
    assert update.published
