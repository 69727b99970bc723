import datetime

import factory
from django.contrib.auth import get_user_model
from django.db import connection

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
from initiatives.services import record_citations_in_history
from initiatives.vocabularies import InitiativeKind, OrganisationKind, Role, SourceKind, Status


class UserFactory(factory.django.DjangoModelFactory):
    username = factory.Sequence(lambda n: f"analyst{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or "correct horse battery staple")
        if create:
            self.save(update_fields=["password"])


class ThemeFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Theme {n}")
    slug = factory.Sequence(lambda n: f"theme-{n}")

    class Meta:
        model = Theme


class OrganisationFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    kind = OrganisationKind.MINISTRY
    country = "KZ"

    class Meta:
        model = Organisation


SOURCE_TEXT = (
    "The ministry presented its annual report.\n\n"
    "The programme was adopted by the government and “implementation is under way” in three regions.\n\n"
    "Officials said the work would continue next year."
)
#: A passage of SOURCE_TEXT (paragraph 2), as a citation quotes it.
SOURCE_QUOTE = "The programme was adopted by the government"


class SourceFactory(factory.django.DjangoModelFactory):
    title = factory.Sequence(lambda n: f"Source document {n}")
    slug = factory.Sequence(lambda n: f"source-document-{n}")
    text = SOURCE_TEXT
    publisher = "Example Publisher"
    published_on = datetime.date(2025, 1, 15)
    kind = SourceKind.NEWS

    class Meta:
        model = Source


class InitiativeFactory(factory.django.DjangoModelFactory):
    kind = InitiativeKind.PROGRAM
    title = factory.Sequence(lambda n: f"Initiative {n}")
    slug = factory.Sequence(lambda n: f"initiative-{n}")
    summary = "A tracked initiative."

    class Meta:
        model = Initiative
        skip_postgeneration_save = True

    @factory.post_generation
    def with_updates(self, create, extracted, **kwargs):
        """``with_updates=N`` adds N published, sourced updates a month apart."""
        if create and extracted:
            source = SourceFactory()
            for month in range(extracted):
                update = StatusUpdateFactory(
                    initiative=self, reported_on=datetime.date(2024, 1 + month % 12, 1) + datetime.timedelta(days=month)
                )
                CitationFactory(update=update, source=source)

    @factory.post_generation
    def with_relations(self, create, extracted, **kwargs):
        """``with_relations=True`` adds a theme, a lead organisation, a country and a milestone."""
        if create and extracted:
            self.themes.add(ThemeFactory())
            InitiativeOrganisation.objects.create(initiative=self, organisation=OrganisationFactory(), role=Role.LEAD)
            InitiativeCountry.objects.create(initiative=self, country="KZ")
            MilestoneFactory(initiative=self)


class StatusUpdateFactory(factory.django.DjangoModelFactory):
    initiative = factory.SubFactory(InitiativeFactory)
    reported_on = datetime.date(2025, 3, 1)
    status = Status.IN_PROGRESS
    progress = 40
    headline = factory.Sequence(lambda n: f"Update {n}")
    body = "What happened, with evidence."
    published = True

    class Meta:
        model = StatusUpdate


class CitationFactory(factory.django.DjangoModelFactory):
    update = factory.SubFactory(StatusUpdateFactory)
    source = factory.SubFactory(SourceFactory)
    quote = SOURCE_QUOTE
    paragraph = 2

    class Meta:
        model = Citation
        skip_postgeneration_save = True

    @factory.post_generation
    def recorded(self, create, extracted, **kwargs):
        """As the admin does, the update's newest audit record holds its citations."""
        if create:
            record_citations_in_history(update=self.update)


class MilestoneFactory(factory.django.DjangoModelFactory):
    # Proposed long before any date the tests ask about, so that it exists on all of them.
    initiative = factory.SubFactory(InitiativeFactory, proposed_on=datetime.date(2020, 1, 1))
    title = factory.Sequence(lambda n: f"Milestone {n}")
    due_on = datetime.date(2025, 12, 31)

    class Meta:
        model = Milestone


class AnalystFactory(UserFactory):
    """A staff user in the "Analysts" group that the data migration creates."""

    is_staff = True

    @factory.post_generation
    def analysts_group(self, create, extracted, **kwargs):
        if create:
            self.groups.add(self.groups.model.objects.get(name="Analysts"))


def fill_search_tables(rows=3000):
    """Enough initiatives and published updates, none about anything searched for, with
    text in every language, for PostgreSQL's planner to choose as it would on real data
    (tables analysed: a language's stored documents all empty would look cheaper to
    filter row by row than to look up)."""
    initiatives = Initiative.objects.bulk_create(
        Initiative(
            title=f"Filler {n}",
            title_ru=f"Заполнитель {n}",
            title_kk=f"Толтырғыш {n}",
            slug=f"filler-{n}",
            summary="Unrelated.",
            summary_ru="Не относится к делу.",
            summary_kk="Қатысы жоқ.",
            kind=InitiativeKind.PROGRAM,
        )
        for n in range(rows)
    )
    StatusUpdate.objects.bulk_create(
        StatusUpdate(
            initiative=initiative,
            reported_on=datetime.date(2025, 1, 1),
            status=Status.IN_PROGRESS,
            progress=n % 101,
            headline=f"Routine note {n}",
            headline_ru=f"Обычная заметка {n}",
            headline_kk=f"Кәдімгі жазба {n}",
            body="Nothing to report.",
            body_ru="Сообщить нечего.",
            body_kk="Хабарлайтын ештеңе жоқ.",
            published=True,
        )
        for n, initiative in enumerate(initiatives)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE initiatives_initiative, initiatives_statusupdate")


# --- Alerts (issue 17) ------------------------------------------------------------------


class SubscriptionFactory(factory.django.DjangoModelFactory):
    email = factory.Sequence(lambda n: f"reader{n}@example.org")
    language = "en"
    confirmed = True

    class Meta:
        model = "alerts.Subscription"


class WebhookEndpointFactory(factory.django.DjangoModelFactory):
    url = "https://hooks.example.org/tracker"
    description = factory.Sequence(lambda n: f"Client {n}")

    class Meta:
        model = "alerts.WebhookEndpoint"
