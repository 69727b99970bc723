"""The portable backup documented in docs/deploy.md restores identical data."""

import json

import pytest
from django.core.management import call_command

from initiatives.models import Initiative, StatusUpdate

BACKUP_OPTIONS = {
    "natural_foreign": True,
    "exclude": ["contenttypes", "auth.permission", "sessions", "admin.logentry"],
    "indent": 1,
}


def dump(path):
    call_command("dumpdata", output=str(path), **BACKUP_OPTIONS)
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.django_db(transaction=True)
def test_dumpdata_then_loaddata_into_an_empty_database_gives_identical_data(tmp_path):
    call_command("load_dataset", verbosity=0)
    before = dump(tmp_path / "backup.json")
    statuses = dict(Initiative.objects.with_current_status().values_list("slug", "current_status"))

    call_command("flush", interactive=False, verbosity=0)
    assert not StatusUpdate.objects.exists()
    call_command("loaddata", str(tmp_path / "backup.json"), verbosity=0)

    assert dump(tmp_path / "again.json") == before
    assert dict(Initiative.objects.with_current_status().values_list("slug", "current_status")) == statuses
