"""Read-only serializers over ``.values()`` rows (see rows.py).

Each serializer's declared fields are the documented contract (drf-spectacular
builds the schema from them); its ``to_representation`` maps a row dict
straight to that shape, without DRF's per-field machinery, which is what
makes the list endpoints cheap (bench/RESULTS.md, "API vs hand-written
view"). tests/test_api.py checks every response's keys against the declared
fields and tests/test_schema.py validates responses against the schema, so the
two cannot drift apart.
"""

from django.utils import translation
from django_countries import countries
from rest_framework import serializers

from ..evidence import split_paragraphs
from ..translation import SOURCE_LANGUAGE, language_code
from ..vocabularies import (
    RELATION_INVERSE_LABELS,
    DatePrecision,
    InitiativeKind,
    Involvement,
    LinkKind,
    OrganisationKind,
    RelationType,
    Role,
    SourceKind,
    Status,
)
from .page_citation import PageCitationSerializer, page_citation_dict

# The status enum's description in the schema lists every value with its label and meaning.
STATUS_CHOICES = [
    (described.code, f"{described.label}. {described.meaning}") for described in map(Status.describe, Status.values)
]
STATUS_HELP = (
    "The current status code, as of `as_of` when given; null when the initiative has no published "
    'update yet ("Not yet assessed"). The values and their meanings are listed under StatusEnum.'
)


class Vocabulary:
    """Labels in one language, looked up once rather than per row; ``for_language``
    keeps one per language for the life of the process (labels are code, not data)."""

    _by_language = {}

    @classmethod
    def for_language(cls, language):
        vocabulary = cls._by_language.get(language)
        if vocabulary is None:
            with translation.override(language):
                vocabulary = cls._by_language[language] = cls()
        return vocabulary

    def __init__(self):
        # Content (titles, summaries, headlines...) in this language where translated.
        self.language = language_code()
        # Status.describe's label and meaning of every code, None (not yet assessed) included.
        self.status = {described.code: str(described.label) for described in Status.descriptions()}
        self.meaning = {described.code: str(described.meaning) for described in Status.descriptions()}
        self.kind = {kind.value: str(kind.label) for kind in InitiativeKind}
        self.organisation_kind = {kind.value: str(kind.label) for kind in OrganisationKind}
        self.source_kind = {kind.value: str(kind.label) for kind in SourceKind}
        self.link_kind = {kind.value: str(kind.label) for kind in LinkKind}
        self.role = {role.value: str(role.label) for role in Role}
        self.involvement = {involvement.value: str(involvement.label) for involvement in Involvement}
        self.relation = {kind.value: str(kind.label) for kind in RelationType}
        self.relation_inverse = {kind.value: str(label) for kind, label in RELATION_INVERSE_LABELS.items()}
        self._countries = {}

    def country(self, code):
        if not code:
            return None
        name = self._countries.get(code)
        if name is None:
            name = self._countries[code] = str(countries.name(code))
        return {"code": code, "name": name}


def text(row, field, vocabulary):
    """A translated field of a row in the vocabulary's language, English where untranslated
    (the same choice as initiatives.translation.localized)."""
    if vocabulary.language != SOURCE_LANGUAGE:
        value = row.get(f"{field}_{vocabulary.language}")
        if value and value.strip():
            return value
    return row[field]


class RowSerializer(serializers.Serializer):
    """Base: read-only, context carries ``links`` (links.Links) and ``vocabulary``."""

    def create(self, validated_data):  # pragma: no cover - the API never writes
        raise NotImplementedError

    def update(self, instance, validated_data):  # pragma: no cover
        raise NotImplementedError

    @property
    def urls(self):
        return self.context["links"]

    @property
    def vocabulary(self):
        vocabulary = self.context.get("vocabulary")
        if vocabulary is None:
            vocabulary = self.context["vocabulary"] = Vocabulary.for_language(translation.get_language())
        return vocabulary


def precision_field(name):
    return serializers.ChoiceField(
        choices=DatePrecision.choices,
        read_only=True,
        help_text=f"How much of `{name}` the evidence supports: a month- or year-precise date is stored on the "
        "first day of its period (a deadline on the last), and should be shown as that month or year only.",
    )


# --- Small nested shapes (documentation only; rows are mapped by the parents) ----------


class CountrySerializer(serializers.Serializer):
    """A country (ISO 3166-1)."""

    code = serializers.CharField(read_only=True, help_text="ISO 3166-1 alpha-2 code.")
    name = serializers.CharField(read_only=True)


class InitiativeRefSerializer(serializers.Serializer):
    """Another initiative, by reference."""

    slug = serializers.SlugField(read_only=True)
    title = serializers.CharField(read_only=True)
    url = serializers.URLField(read_only=True)
    html_url = serializers.URLField(read_only=True)


class NamedRefSerializer(serializers.Serializer):
    """An organisation or theme, by reference."""

    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)
    url = serializers.URLField(read_only=True)
    html_url = serializers.URLField(read_only=True)


class OrganisationRoleSerializer(NamedRefSerializer):
    """An organisation and its role in the initiative."""

    role = serializers.ChoiceField(choices=Role.choices, read_only=True)
    role_label = serializers.CharField(read_only=True)


class RelationSerializer(serializers.Serializer):
    """A typed relation to another initiative, read from this end."""

    type = serializers.ChoiceField(choices=RelationType.choices, read_only=True, help_text="As stored, from → to.")
    direction = serializers.ChoiceField(
        choices=[("outgoing", "this initiative is the subject"), ("incoming", "the other initiative is")],
        read_only=True,
    )
    label = serializers.CharField(
        read_only=True,
        help_text='How the relation reads from this end: "Part of" outgoing is "Includes" incoming, '
        '"Depends on" is "Needed by".',
    )
    note = serializers.CharField(read_only=True)
    initiative = InitiativeRefSerializer(read_only=True, help_text="The initiative at the other end.")


class ExternalLinkSerializer(serializers.Serializer):
    """A typed external identifier (official site, legal act, OECD.AI entry)."""

    kind = serializers.ChoiceField(choices=LinkKind.choices, read_only=True)
    kind_label = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True, help_text="Label or identifier, e.g. a legal act number.")
    external_url = serializers.CharField(read_only=True, help_text="Empty when the identifier has no address.")


class SourceRefSerializer(serializers.Serializer):
    """A source, by reference."""

    slug = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)
    url = serializers.URLField(read_only=True)


# --- Sources ------------------------------------------------------------------------


class SourceSerializer(RowSerializer):
    """A source: the evidence an update or milestone cites."""

    url = serializers.URLField(read_only=True)
    html_url = serializers.URLField(read_only=True, help_text="The archived source's public page.")
    id = serializers.IntegerField(read_only=True)
    slug = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)
    publisher = serializers.CharField(read_only=True)
    author = serializers.CharField(read_only=True)
    external_url = serializers.CharField(read_only=True, help_text="The document's address; empty when unknown.")
    published_on = serializers.DateField(read_only=True, allow_null=True)
    published_on_precision = precision_field("published_on")
    kind = serializers.ChoiceField(choices=SourceKind.choices, read_only=True)
    kind_label = serializers.CharField(read_only=True)
    notes = serializers.CharField(read_only=True, help_text="What the document supports, and what it does not.")
    archive_url = serializers.CharField(read_only=True, help_text="An archived copy elsewhere; empty when none.")
    sha256 = serializers.CharField(
        read_only=True, help_text="SHA-256 of the archived copy: the file if there is one, else the text (UTF-8)."
    )

    def to_representation(self, row):
        return source_dict(row, self.urls, self.vocabulary)


class PassageSerializer(serializers.Serializer):
    number = serializers.IntegerField(read_only=True, help_text="Paragraphs are numbered from 1.")
    html_url = serializers.URLField(read_only=True, help_text="The paragraph on the source's page (#p-<number>).")
    text = serializers.CharField(read_only=True)


class SourceDetailSerializer(SourceSerializer):
    """A source with its archived text, whole and in numbered paragraphs."""

    text = serializers.CharField(
        read_only=True, help_text="The archived full text; paragraphs are separated by blank lines."
    )
    paragraphs = PassageSerializer(many=True, read_only=True)

    def to_representation(self, row):
        data = source_dict(row, self.urls, self.vocabulary)
        data["text"] = row["text"]
        data["paragraphs"] = [
            {"number": number, "html_url": self.urls.source_page(row["slug"], fragment=f"#p-{number}"), "text": text}
            for number, text in enumerate(split_paragraphs(row["text"]), start=1)
        ]
        return data


def source_dict(row, links, vocabulary):
    return {
        "url": links.source(row["slug"]),
        "html_url": links.source_page(row["slug"]),
        "id": row["id"],
        "slug": row["slug"],
        "title": text(row, "title", vocabulary),
        "publisher": row["publisher"],
        "author": row["author"],
        "external_url": row["url"],
        "published_on": row["published_on"],
        "published_on_precision": row["published_on_precision"],
        "kind": row["kind"],
        "kind_label": vocabulary.source_kind.get(row["kind"], row["kind"]),
        "notes": text(row, "notes", vocabulary),
        "archive_url": row["archive_url"],
        "sha256": row["sha256"],
    }


class EarlierWordingSerializer(serializers.Serializer):
    reported_on = serializers.DateField(read_only=True)
    reported_on_precision = precision_field("reported_on")
    status = serializers.ChoiceField(choices=STATUS_CHOICES, read_only=True)
    progress = serializers.IntegerField(read_only=True, allow_null=True)
    headline = serializers.CharField(read_only=True)
    body = serializers.CharField(read_only=True)


class RevisionSerializer(serializers.Serializer):
    """A correction made after publication, with what the update said before it."""

    revised_on = serializers.DateField(read_only=True)
    note = serializers.CharField(read_only=True)
    earlier = EarlierWordingSerializer(read_only=True)


def revision_dict(revision):
    return {"revised_on": revision.revised_on, "note": revision.note, "earlier": revision.earlier}


class CitationSerializer(serializers.Serializer):
    """A quoted passage an update relies on."""

    source = serializers.CharField(read_only=True, help_text="The cited source's slug (see `sources`).")
    quote = serializers.CharField(read_only=True, help_text="Verbatim from the source's archived text.")
    quote_translation = serializers.CharField(
        read_only=True, allow_null=True, help_text="The quote translated into the language asked; null if none."
    )
    paragraph = serializers.IntegerField(read_only=True, allow_null=True, help_text="1-based paragraph of the source.")
    url = serializers.URLField(read_only=True, help_text="The passage in the archived source, marked.")


def citation_dict(row, links, vocabulary):
    translation = row.get(f"quote_{vocabulary.language}") if vocabulary.language != SOURCE_LANGUAGE else None
    return {
        "source": row["source__slug"],
        "quote": row["quote"],
        "quote_translation": translation if translation and translation.strip() else None,
        "paragraph": row["paragraph"],
        "url": links.passage(row["source__slug"], row["id"], row["paragraph"]),
    }


def initiative_ref(links, slug, title):
    return {"slug": slug, "title": title, "url": links.initiative(slug), "html_url": links.initiative_page(slug)}


# --- Status updates -----------------------------------------------------------------


class StatusUpdateSerializer(RowSerializer):
    """A published, dated and sourced assessment of one initiative."""

    url = serializers.URLField(read_only=True)
    html_url = serializers.URLField(read_only=True, help_text="The update on its initiative's page.")
    id = serializers.IntegerField(read_only=True)
    initiative = InitiativeRefSerializer(read_only=True)
    reported_on = serializers.DateField(read_only=True, help_text="The date the assessment is true as of.")
    reported_on_precision = precision_field("reported_on")
    status = serializers.ChoiceField(choices=STATUS_CHOICES, read_only=True)
    status_label = serializers.CharField(read_only=True)
    status_meaning = serializers.CharField(read_only=True)
    progress = serializers.IntegerField(
        read_only=True, allow_null=True, min_value=0, max_value=100, help_text="Per cent complete, where evidenced."
    )
    headline = serializers.CharField(read_only=True)
    body = serializers.CharField(read_only=True, help_text="Plain text.")
    sources = SourceSerializer(many=True, read_only=True)
    citations = CitationSerializer(many=True, read_only=True)
    revised_on = serializers.DateField(
        read_only=True, allow_null=True, help_text="When the published update was last revised; null if never."
    )
    revision_note = serializers.CharField(read_only=True, help_text="What the latest revision changed, and why.")
    revisions = RevisionSerializer(many=True, read_only=True, help_text="Every revision, newest first.")
    withdrawn_on = serializers.DateField(
        read_only=True, allow_null=True, help_text="Set when the update was withdrawn; it then no longer counts."
    )
    withdrawal_reason = serializers.CharField(read_only=True)
    created = serializers.DateTimeField(read_only=True)
    modified = serializers.DateTimeField(read_only=True)

    def to_representation(self, row):
        return status_update_dict(row, self.urls, self.vocabulary)


def status_update_dict(row, links, vocabulary):
    slug = row["initiative__slug"]
    status = row["status"]
    return {
        "url": links.status_update(row["id"]),
        "html_url": links.initiative_page(slug, fragment=f"#update-{row['id']}"),
        "id": row["id"],
        "initiative": initiative_ref(links, slug, text(row, "initiative__title", vocabulary)),
        "reported_on": row["reported_on"],
        "reported_on_precision": row["reported_on_precision"],
        "status": status,
        "status_label": vocabulary.status[status],
        "status_meaning": vocabulary.meaning[status],
        "progress": row["progress"],
        "headline": text(row, "headline", vocabulary),
        "body": text(row, "body", vocabulary),
        "sources": [source_dict(source, links, vocabulary) for source in row["sources"]],
        "citations": [citation_dict(citation, links, vocabulary) for citation in row["citations"]],
        "revised_on": row["revised_on"],
        "revision_note": row["revision_note"],
        "revisions": [revision_dict(revision) for revision in row["revisions"]],
        "withdrawn_on": row["withdrawn_on"],
        "withdrawal_reason": row["withdrawal_reason"],
        "created": row["created"],
        "modified": row["modified"],
    }


# --- Milestones ---------------------------------------------------------------------


class MilestoneSerializer(RowSerializer):
    """A dated target of an initiative, achieved/overdue as of today or `as_of`."""

    url = serializers.URLField(read_only=True)
    html_url = serializers.URLField(read_only=True, help_text="The milestone on its initiative's page.")
    id = serializers.IntegerField(read_only=True)
    initiative = InitiativeRefSerializer(read_only=True)
    title = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    due_on = serializers.DateField(read_only=True, help_text="A deadline known only to the year is 31 December.")
    due_on_precision = precision_field("due_on")
    achieved_on = serializers.DateField(
        read_only=True, allow_null=True, help_text="Null when not achieved (as of `as_of`, when given)."
    )
    achieved_on_precision = precision_field("achieved_on")
    achieved = serializers.BooleanField(read_only=True, help_text="Achieved on or before today (or `as_of`).")
    overdue = serializers.BooleanField(read_only=True, help_text="Due before today (or `as_of`) and not achieved.")
    source = SourceRefSerializer(read_only=True, allow_null=True)

    def to_representation(self, row):
        return milestone_dict(row, self.urls, self.vocabulary)


def milestone_dict(row, links, vocabulary):
    slug = row["initiative__slug"]
    achieved = row["is_achieved"]
    return {
        "url": links.milestone(row["id"]),
        "html_url": links.initiative_page(slug, fragment=f"#milestone-{row['id']}"),
        "id": row["id"],
        "initiative": initiative_ref(links, slug, text(row, "initiative__title", vocabulary)),
        "title": text(row, "title", vocabulary),
        "description": text(row, "description", vocabulary),
        "due_on": row["due_on"],
        "due_on_precision": row["due_on_precision"],
        "achieved_on": row["achieved_on"] if achieved else None,
        "achieved_on_precision": row["achieved_on_precision"],
        "achieved": achieved,
        "overdue": row["is_overdue"],
        "source": (
            {
                "slug": row["source__slug"],
                "title": text(row, "source__title", vocabulary),
                "url": links.source(row["source__slug"]),
            }
            if row["source_id"]
            else None
        ),
    }


# --- Initiatives --------------------------------------------------------------------


class InitiativeSerializer(RowSerializer):
    """An initiative with its current status (as of today or `as_of`) and what surrounds it."""

    url = serializers.URLField(read_only=True)
    html_url = serializers.URLField(read_only=True)
    slug = serializers.SlugField(read_only=True)
    title = serializers.CharField(read_only=True)
    kind = serializers.ChoiceField(choices=InitiativeKind.choices, read_only=True)
    kind_label = serializers.CharField(read_only=True)
    summary = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(choices=STATUS_CHOICES, read_only=True, allow_null=True, help_text=STATUS_HELP)
    status_label = serializers.CharField(read_only=True, help_text='"Not yet assessed" when `status` is null.')
    status_meaning = serializers.CharField(read_only=True)
    progress = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        min_value=0,
        max_value=100,
        help_text="Per cent complete from the latest published update, where evidenced.",
    )
    last_update = serializers.DateField(
        read_only=True, allow_null=True, help_text="`reported_on` of the latest published update."
    )
    stale = serializers.BooleanField(
        read_only=True,
        help_text="The latest published update is older than the staleness window (TRACKER_STALE_AFTER_DAYS, "
        "default 180) before today or `as_of`. Never true for an initiative not yet assessed.",
    )
    has_overdue_milestones = serializers.BooleanField(read_only=True)
    proposer = serializers.CharField(read_only=True)
    venue = serializers.CharField(read_only=True)
    proposed_on = serializers.DateField(read_only=True, allow_null=True)
    proposed_on_precision = precision_field("proposed_on")
    instrument = serializers.CharField(read_only=True, help_text="Legal or policy instrument.")
    responsible_body = NamedRefSerializer(read_only=True, allow_null=True)
    period_start = serializers.DateField(read_only=True, allow_null=True)
    period_start_precision = precision_field("period_start")
    period_end = serializers.DateField(read_only=True, allow_null=True)
    period_end_precision = precision_field("period_end")
    themes = NamedRefSerializer(many=True, read_only=True)
    countries = CountrySerializer(many=True, read_only=True)
    organisations = OrganisationRoleSerializer(many=True, read_only=True)
    relations = RelationSerializer(many=True, read_only=True)
    links = ExternalLinkSerializer(many=True, read_only=True)
    modified = serializers.DateTimeField(read_only=True)

    def to_representation(self, row):
        links = self.context["links"]
        vocabulary = self.vocabulary
        slug = row["slug"]
        status = row["current_status"]
        body = row["responsible_body__slug"]
        return {
            "url": links.initiative(slug),
            "html_url": links.initiative_page(slug),
            "slug": slug,
            "title": text(row, "title", vocabulary),
            "kind": row["kind"],
            "kind_label": vocabulary.kind.get(row["kind"], row["kind"]),
            "summary": text(row, "summary", vocabulary),
            "status": status,
            "status_label": vocabulary.status[status],
            "status_meaning": vocabulary.meaning[status],
            "progress": row["current_progress"],
            "last_update": row["last_reported_on"],
            "stale": row["is_stale"],
            "has_overdue_milestones": row["has_overdue_milestones"],
            "proposer": row["proposer"],
            "venue": row["venue"],
            "proposed_on": row["proposed_on"],
            "proposed_on_precision": row["proposed_on_precision"],
            "instrument": text(row, "instrument", vocabulary),
            "responsible_body": (
                {
                    "slug": body,
                    "name": text(row, "responsible_body__name", vocabulary),
                    "url": links.organisation(body),
                    "html_url": links.organisation_page(body),
                }
                if body
                else None
            ),
            "period_start": row["period_start"],
            "period_start_precision": row["period_start_precision"],
            "period_end": row["period_end"],
            "period_end_precision": row["period_end_precision"],
            "themes": [
                {
                    "slug": theme["slug"],
                    "name": text(theme, "name", vocabulary),
                    "url": links.theme(theme["slug"]),
                    "html_url": links.theme_page(theme["slug"]),
                }
                for theme in row["themes"]
            ],
            "countries": [vocabulary.country(code) for code in row["countries"]],
            "organisations": [
                {
                    "slug": organisation["slug"],
                    "name": text(organisation, "name", vocabulary),
                    "url": links.organisation(organisation["slug"]),
                    "html_url": links.organisation_page(organisation["slug"]),
                    "role": organisation["role"],
                    "role_label": vocabulary.role.get(organisation["role"], organisation["role"]),
                }
                for organisation in row["organisations"]
            ],
            "relations": [
                {
                    "type": relation_type,
                    "direction": direction,
                    "label": (vocabulary.relation if direction == "outgoing" else vocabulary.relation_inverse)[
                        relation_type
                    ],
                    "note": text(relation, "note", vocabulary),
                    "initiative": initiative_ref(links, other["slug"], text(other, "title", vocabulary)),
                }
                for relation_type, direction, relation, other in row["relations"]
            ],
            "links": [
                {
                    "kind": link["kind"],
                    "kind_label": vocabulary.link_kind.get(link["kind"], link["kind"]),
                    "label": link["label"],
                    "external_url": link["url"],
                }
                for link in row["links"]
            ],
            "modified": row["modified"],
        }


class InitiativeDetailSerializer(InitiativeSerializer):
    """An initiative with its published updates, milestones and sources."""

    description = serializers.CharField(read_only=True, help_text="Plain text.")
    sources = SourceSerializer(many=True, read_only=True)
    updates = StatusUpdateSerializer(
        many=True,
        read_only=True,
        help_text="Published updates reported on or before today (or `as_of`), newest first, with their sources.",
    )
    milestones = MilestoneSerializer(
        many=True, read_only=True, help_text="Soonest due first, achieved/overdue as of today (or `as_of`)."
    )
    citation = PageCitationSerializer(read_only=True)

    def to_representation(self, row):
        data = super().to_representation(row)
        links, vocabulary = self.context["links"], self.vocabulary
        data["description"] = text(row, "description", vocabulary)
        data["sources"] = [source_dict(source, links, vocabulary) for source in row["sources"]]
        data["updates"] = [status_update_dict(update, links, vocabulary) for update in row["updates"]]
        data["milestones"] = [milestone_dict(milestone, links, vocabulary) for milestone in row["milestones"]]
        data["citation"] = page_citation_dict(row, links, vocabulary)
        return data


# --- Organisations and themes ------------------------------------------------------


class InitiativeSummarySerializer(InitiativeRefSerializer):
    """An initiative with its status, by reference."""

    kind = serializers.ChoiceField(choices=InitiativeKind.choices, read_only=True)
    status = serializers.ChoiceField(choices=STATUS_CHOICES, read_only=True, allow_null=True, help_text=STATUS_HELP)
    status_label = serializers.CharField(read_only=True)
    last_update = serializers.DateField(read_only=True, allow_null=True)
    stale = serializers.BooleanField(read_only=True)


class OrganisationInitiativeSerializer(InitiativeSummarySerializer):
    """An initiative the organisation has a role in, or is the responsible body of (one entry each)."""

    role = serializers.ChoiceField(choices=Involvement.choices, read_only=True)
    role_label = serializers.CharField(read_only=True)


def initiative_summary_dict(row, links, vocabulary):
    status = row["current_status"]
    data = initiative_ref(links, row["slug"], text(row, "title", vocabulary))
    data.update(
        kind=row["kind"],
        status=status,
        status_label=vocabulary.status[status],
        last_update=row["last_reported_on"],
        stale=row["is_stale"],
    )
    if "role" in row:
        data.update(role=row["role"], role_label=vocabulary.involvement[row["role"]])
    return data


class OrganisationSerializer(RowSerializer):
    """A ministry, agency, company, university, think tank or international body."""

    url = serializers.URLField(read_only=True)
    html_url = serializers.URLField(read_only=True)
    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)
    kind = serializers.ChoiceField(choices=OrganisationKind.choices, read_only=True)
    kind_label = serializers.CharField(read_only=True)
    country = CountrySerializer(read_only=True, allow_null=True)
    website = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)

    def to_representation(self, row):
        vocabulary, links = self.vocabulary, self.urls
        return {
            "url": links.organisation(row["slug"]),
            "html_url": links.organisation_page(row["slug"]),
            "slug": row["slug"],
            "name": text(row, "name", vocabulary),
            "kind": row["kind"],
            "kind_label": vocabulary.organisation_kind.get(row["kind"], row["kind"]),
            "country": vocabulary.country(row["country"]),
            "website": row["website"],
            "description": text(row, "description", vocabulary),
        }


class OrganisationDetailSerializer(OrganisationSerializer):
    """An organisation with the initiatives it has a role in."""

    initiatives = OrganisationInitiativeSerializer(
        many=True,
        read_only=True,
        help_text="Initiatives it leads, partners, supports or is the responsible body of (one entry per role), "
        "with their status as of today or `as_of`: the same initiatives as `/api/initiatives/?organisation=`.",
    )

    def to_representation(self, row):
        data = super().to_representation(row)
        data["initiatives"] = [
            initiative_summary_dict(initiative, self.urls, self.vocabulary) for initiative in row["initiatives"]
        ]
        return data


class ThemeSerializer(RowSerializer):
    """A policy theme."""

    url = serializers.URLField(read_only=True)
    html_url = serializers.URLField(read_only=True)
    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)

    def to_representation(self, row):
        links = self.urls
        return {
            "url": links.theme(row["slug"]),
            "html_url": links.theme_page(row["slug"]),
            "slug": row["slug"],
            "name": text(row, "name", self.vocabulary),
            "description": text(row, "description", self.vocabulary),
        }


class ThemeDetailSerializer(ThemeSerializer):
    """A theme with its initiatives."""

    initiatives = InitiativeSummarySerializer(
        many=True, read_only=True, help_text="Initiatives on this theme, with their status as of today or `as_of`."
    )

    def to_representation(self, row):
        data = super().to_representation(row)
        data["initiatives"] = [
            initiative_summary_dict(initiative, self.urls, self.vocabulary) for initiative in row["initiatives"]
        ]
        return data
