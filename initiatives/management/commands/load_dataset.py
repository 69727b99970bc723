from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

DATASET_FIXTURES = ["dataset.json"]


class Command(BaseCommand):
    help = "Load the seed dataset (fixtures/dataset.json). Safe to run again: records are matched by primary key."

    def handle(self, *args, **options):
        for name in DATASET_FIXTURES:
            call_command("loaddata", settings.BASE_DIR / "fixtures" / name, verbosity=options["verbosity"])
