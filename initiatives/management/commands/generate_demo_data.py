"""Synthetic data for benchmarks and load tests, kept apart from the real dataset.

Every synthetic record is marked: slugs start with ``demo-`` and sources with
``[synthetic]``, so ``--clear`` removes exactly what this command made.
"""

import datetime
import hashlib
import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from initiatives.cache import bump_data_version
from initiatives.models import (
    Citation,
    Initiative,
    InitiativeCountry,
    InitiativeOrganisation,
    Milestone,
    Organisation,
    Source,
    StatusUpdate,
    Theme,
)
from initiatives.vocabularies import InitiativeKind, OrganisationKind, Role, SourceKind, Status

PREFIX = "demo-"
SOURCE_MARK = "[synthetic]"
DEMO_QUOTE = "Synthetic evidence for load testing."
DEMO_TEXT = f"{SOURCE_MARK} A generated document.\n\n{DEMO_QUOTE}"
BATCH = 2000
COUNTRIES = ["KZ", "CN", "UZ", "KG", "TJ", "TM", "RU", "TR", "AZ", "MN", "US", "DE"]
WORDS = [
    "digital",
    "trust",
    "cyber",
    "shield",
    "platform",
    "data",
    "centre",
    "supercomputer",
    "skills",
    "open",
    "payments",
    "identity",
    "broadband",
    "satellite",
    "research",
    "institute",
    "standards",
    "cloud",
    "registry",
    "services",
    "literacy",
]
START = datetime.date(2023, 1, 1)


class Command(BaseCommand):
    help = "Generate synthetic initiatives, updates and milestones for benchmarks (never mixed with the dataset)."

    def add_arguments(self, parser):
        parser.add_argument("--initiatives", type=int, default=100)
        parser.add_argument("--updates-per-initiative", type=int, default=25)
        parser.add_argument("--milestones-per-initiative", type=int, default=2)
        parser.add_argument("--seed", type=int, default=2026, help="Random seed, for a repeatable data set.")
        parser.add_argument("--clear", action="store_true", help="Delete earlier synthetic data first.")

    def handle(self, *args, **options):
        count = options["initiatives"]
        per = options["updates_per_initiative"]
        if count < 1 or per < 0 or options["milestones_per_initiative"] < 0:
            raise CommandError("Counts must be positive (at least one initiative).")
        started = time.monotonic()
        rng = random.Random(options["seed"])
        with transaction.atomic():
            if options["clear"]:
                self.clear()
            elif Initiative.objects.filter(slug__startswith=PREFIX).exists():
                raise CommandError("Synthetic data already exists; pass --clear to replace it.")
            self.generate(rng, count, per, options["milestones_per_initiative"])
            # Bulk writes send no signal: without this, cached pages and exported files of the
            # data before (or of another database at the same version) would be served.
            bump_data_version()
        if connection.vendor == "postgresql":
            # Fresh planner statistics: without them PostgreSQL guesses one row per
            # table and picks sequential scans until autovacuum catches up.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {count} initiatives with {count * per} updates in {time.monotonic() - started:.1f}s."
            )
        )

    def clear(self):
        """Delete the synthetic rows with plain SQL: they never had history, and the
        ORM's delete would load each of them to write a deletion record (minutes at 250k)."""
        quote = connection.ops.quote_name
        # Table names come from the models, values are parameters: nothing user-supplied is interpolated.
        demo_ids = f"SELECT id FROM {quote(Initiative._meta.db_table)} WHERE slug LIKE %s"  # noqa: S608
        update_table = quote(StatusUpdate._meta.db_table)
        statements = [
            (
                Citation,
                f"update_id IN (SELECT id FROM {update_table} WHERE initiative_id IN ({demo_ids}))",  # noqa: S608
            ),
            (StatusUpdate, f"initiative_id IN ({demo_ids})"),
            (Milestone, f"initiative_id IN ({demo_ids})"),
            (Initiative.themes.through, f"initiative_id IN ({demo_ids})"),
            (InitiativeOrganisation, f"initiative_id IN ({demo_ids})"),
            (InitiativeCountry, f"initiative_id IN ({demo_ids})"),
            (Initiative, "slug LIKE %s"),
            (Source, "title LIKE %s"),
            (Organisation, "slug LIKE %s"),
            (Theme, "slug LIKE %s"),
        ]
        with connection.cursor() as cursor:
            for model, condition in statements:
                pattern = f"{SOURCE_MARK}%" if model is Source else f"{PREFIX}%"
                cursor.execute(f"DELETE FROM {quote(model._meta.db_table)} WHERE {condition}", [pattern])  # noqa: S608

    def generate(self, rng, count, per, milestones_per):
        themes = Theme.objects.bulk_create(
            Theme(name=f"Synthetic theme {n}", slug=f"{PREFIX}theme-{n}") for n in range(12)
        )
        organisations = Organisation.objects.bulk_create(
            Organisation(
                name=f"Synthetic organisation {n}",
                slug=f"{PREFIX}organisation-{n}",
                kind=rng.choice(OrganisationKind.values),
                country=rng.choice(COUNTRIES),
            )
            for n in range(60)
        )
        sources = Source.objects.bulk_create(
            Source(
                title=f"{SOURCE_MARK} Source {n}",
                slug=f"{PREFIX}source-{n}",
                text=DEMO_TEXT,
                sha256=hashlib.sha256(DEMO_TEXT.encode("utf-8")).hexdigest(),
                publisher="Synthetic Publisher",
                published_on=START + datetime.timedelta(days=7 * n),
                kind=rng.choice(SourceKind.values),
            )
            for n in range(150)
        )

        for first in range(0, count, BATCH):
            size = min(BATCH, count - first)
            initiatives = Initiative.objects.bulk_create(
                self.initiative(rng, n, organisations) for n in range(first, first + size)
            )
            Initiative.themes.through.objects.bulk_create(
                Initiative.themes.through(initiative_id=i.pk, theme_id=theme.pk)
                for i in initiatives
                for theme in rng.sample(themes, 2)
            )
            InitiativeOrganisation.objects.bulk_create(
                InitiativeOrganisation(initiative_id=i.pk, organisation_id=org.pk, role=role)
                for i in initiatives
                for org, role in zip(rng.sample(organisations, 2), (Role.LEAD, Role.PARTNER), strict=True)
            )
            InitiativeCountry.objects.bulk_create(
                InitiativeCountry(initiative_id=i.pk, country=country)
                for i in initiatives
                for country in rng.sample(COUNTRIES, 2)
            )
            Milestone.objects.bulk_create(
                self.milestone(rng, i, n, sources) for i in initiatives for n in range(milestones_per)
            )
            self.updates(rng, initiatives, per, sources)

    def initiative(self, rng, n, organisations):
        kind = InitiativeKind.PROGRAM if n % 4 else InitiativeKind.PROPOSAL
        words = " ".join(rng.sample(WORDS, 3))
        return Initiative(
            kind=kind,
            title=f"Synthetic {words} {n}",
            slug=f"{PREFIX}{n}",
            summary=f"A synthetic {kind} about {words}, for benchmarks.",
            description=f"Generated record {n}. It tracks {words}.\nNot real data.",
            responsible_body=rng.choice(organisations) if kind == InitiativeKind.PROGRAM else None,
            period_start=START if kind == InitiativeKind.PROGRAM else None,
            period_end=datetime.date(2029, 12, 31) if kind == InitiativeKind.PROGRAM else None,
        )

    def milestone(self, rng, initiative, n, sources):
        due = START + datetime.timedelta(days=rng.randint(0, 1500))
        achieved = due - datetime.timedelta(days=rng.randint(0, 60)) if rng.random() < 0.5 else None
        return Milestone(
            initiative_id=initiative.pk,
            title=f"Target {n + 1} of {initiative.title}",
            due_on=due,
            achieved_on=achieved,
            source=rng.choice(sources),
        )

    def updates(self, rng, initiatives, per, sources):
        statuses = Status.values
        for start in range(0, len(initiatives), max(1, BATCH // max(per, 1))):
            chunk = initiatives[start : start + max(1, BATCH // max(per, 1))]
            updates = StatusUpdate.objects.bulk_create(
                StatusUpdate(
                    initiative_id=i.pk,
                    reported_on=START + datetime.timedelta(days=30 * k + rng.randint(0, 29)),
                    status=rng.choice(statuses),
                    progress=rng.choice([None, rng.randint(0, 100)]),
                    headline=f"Update {k + 1} on {i.title}",
                    body=f"Synthetic assessment {k + 1}: {' '.join(rng.sample(WORDS, 6))}.",
                    published=rng.random() > 0.05,
                )
                for i in chunk
                for k in range(per)
            )
            Citation.objects.bulk_create(
                Citation(update_id=u.pk, source_id=rng.choice(sources).pk, quote=DEMO_QUOTE) for u in updates
            )
