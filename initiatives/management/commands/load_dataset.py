from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from initiatives.models import DataVersion, StatusUpdate
from initiatives.services import record_citations_in_history

DATASET_FIXTURES = ["dataset.json"]


class Command(BaseCommand):
    help = (
        "Load the seed dataset (fixtures/dataset.json) into a tracker that holds no data yet. "
        "Safe to run again: once there is data, it changes nothing."
    )

    def handle(self, *args, **options):
        # The fixture's records carry fixed primary keys: loading it again would put the
        # seed text back over whatever analysts have since edited, or over their own
        # records that took those keys.
        # The data version's single row exists from the first migration on: it is
        # bookkeeping, not data.
        holding = [
            model
            for model in apps.get_app_config("initiatives").get_models()
            if model is not DataVersion and model.objects.exists()
        ]
        if holding:
            names = ", ".join(sorted(str(model._meta.verbose_name_plural) for model in holding))
            self.stdout.write(f"The tracker already holds data ({names}): the dataset was not loaded.")
            return
        for name in DATASET_FIXTURES:
            call_command("loaddata", settings.BASE_DIR / "fixtures" / name, verbosity=options["verbosity"])
        record_updates_as_loaded()


def record_updates_as_loaded():
    """The first record of each update's audit trail, dated when it was last modified:
    loaddata writes none, and without it a later revision could not show the wording the
    update was published with (its revisions page, and pages on dates before it). Bulk
    created, so no alert is sent for a record that is not news."""
    updates = list(StatusUpdate.objects.order_by("pk"))
    for update in updates:
        update._history_date = update.modified
    StatusUpdate.history.bulk_history_create(updates)
    for update in updates:
        record_citations_in_history(update=update)
