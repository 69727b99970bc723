"""Read-only serializers over ``.values()`` rows (see rows.py and fields.py).

Each field is declared once, here, with ``source=`` naming its row key: the
declared fields are the documented contract (drf-spectacular builds the schema
from them), they give the ``.values()`` names (``values_names()``), and one
generic ``to_representation`` maps a row dict straight to that shape through a
read plan compiled once per class, without DRF's per-field machinery, which is
what keeps the list endpoints cheap (bench/RESULTS.md, "API vs hand-written
view"). tests/test_api.py checks every response's keys against the declared
fields and tests/test_schema.py validates responses against the schema.
"""

from django.utils import translation
from django_countries import countries
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..evidence import split_paragraphs
from ..translation import language_code, localized_value
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
from .fields import (
    CountryField,
    CountryListField,
    DateIfField,
    LabelField,
    LinkField,
    RowField,
    TranslatedField,
    TranslationOrNullField,
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


# --- Reading rows: the plan every serializer derives from its declared fields ------------


def _key(field, name, prefix):
    return prefix + (field.source or name)


def _values_names(field, name, prefix):
    if isinstance(field, serializers.ListSerializer):
        return []  # attached by rows.py after the query
    if isinstance(field, RowSerializer):
        return type(field).values_names(_key(field, name, prefix) + "__")
    if isinstance(field, RowField):
        return field.values_names(_key(field, name, prefix), prefix)
    return [_key(field, name, prefix)]


def _reader(field, name, prefix):
    key = _key(field, name, prefix)
    if isinstance(field, serializers.ListSerializer):
        plan = type(field.child).read_plan()
        return lambda row, links, vocabulary: [
            {name: get(item, links, vocabulary) for name, get in plan} for item in row[key]
        ]
    if isinstance(field, RowSerializer):
        # A related object's columns, flat in the row under a prefix (initiative__slug).
        nested = key + "__"
        plan = type(field).read_plan(nested)
        present = nested + type(field).row_keys[0] if field.allow_null else None

        def read(row, links, vocabulary):
            if present and row[present] is None:
                return None
            return {name: get(row, links, vocabulary) for name, get in plan}

        return read
    if isinstance(field, RowField):
        return field.reader(key, prefix)
    return lambda row, links, vocabulary: row[key]


class RowSerializer(serializers.Serializer):
    """Base: read-only over row dicts; the context carries ``links`` (links.Links) and
    ``vocabulary``. A nested RowSerializer reads its columns under a prefix; a nested
    plain Serializer documents a value the row already holds in that shape."""

    # Row keys not shown but needed: rows.py attaches related rows by id.
    row_keys = ("id",)

    def create(self, validated_data):  # pragma: no cover - the API never writes
        raise NotImplementedError

    def update(self, instance, validated_data):  # pragma: no cover
        raise NotImplementedError

    @classmethod
    def values_names(cls, prefix=""):
        """The ``.values()`` names the declared fields read (under ``prefix``), each once."""
        return cls._compiled("_values_names", prefix, cls._derive_values_names)

    @classmethod
    def read_plan(cls, prefix=""):
        """(name, read(row, links, vocabulary)) per declared field."""
        return cls._compiled("_plans", prefix, cls._derive_read_plan)

    @classmethod
    def _compiled(cls, store, prefix, derive):
        """Derived once per class and prefix: the fields are fixed when the class is made."""
        compiled = cls.__dict__.get(store)
        if compiled is None:
            compiled = {}
            setattr(cls, store, compiled)
        if prefix not in compiled:
            compiled[prefix] = derive(prefix)
        return compiled[prefix]

    @classmethod
    def _derive_values_names(cls, prefix):
        names = [prefix + key for key in cls.row_keys]
        for name, field in cls._declared_fields.items():
            names += _values_names(field, name, prefix)
        return tuple(dict.fromkeys(names))

    @classmethod
    def _derive_read_plan(cls, prefix):
        return tuple((name, _reader(field, name, prefix)) for name, field in cls._declared_fields.items())

    def to_representation(self, row):
        links, vocabulary = self.context["links"], self.vocabulary
        return {name: get(row, links, vocabulary) for name, get in self.read_plan()}

    @property
    def vocabulary(self):
        vocabulary = self.context.get("vocabulary")
        if vocabulary is None:
            vocabulary = self.context["vocabulary"] = Vocabulary.for_language(translation.get_language())
        return vocabulary


def represent(serializer_class, row, links, vocabulary):
    """One row in the API's shape outside a request (webhook bodies)."""
    return serializer_class(context={"links": links, "vocabulary": vocabulary}).to_representation(row)


def precision_field(name):
    return serializers.ChoiceField(
        choices=DatePrecision.choices,
        read_only=True,
        help_text=f"How much of `{name}` the evidence supports: a month- or year-precise date is stored on the "
        "first day of its period (a deadline on the last), and should be shown as that month or year only.",
    )


def status_fields(source, **status_options):
    """status, status_label and status_meaning of a status column (Status.describe), new
    fields for each class that unpacks them (DRF orders fields by creation)."""
    return (
        # DRF refuses a source equal to the field's name ("status").
        serializers.ChoiceField(
            choices=STATUS_CHOICES,
            read_only=True,
            **({"source": source} if source != "status" else {}),
            **status_options,
        ),
        LabelField(labels="status", source=source, read_only=True, help_text='"Not yet assessed" when null.'),
        LabelField(labels="meaning", source=source, read_only=True),
    )


# --- References to other objects -------------------------------------------------------


class InitiativeRefSerializer(RowSerializer):
    """Another initiative, by reference."""

    slug = serializers.SlugField(read_only=True)
    title = TranslatedField(read_only=True)
    url = LinkField(route="api:initiative-detail", read_only=True)
    html_url = LinkField(route="initiatives:initiative-detail", read_only=True)


class OrganisationRefSerializer(RowSerializer):
    """An organisation, by reference."""

    slug = serializers.SlugField(read_only=True)
    name = TranslatedField(read_only=True)
    url = LinkField(route="api:organisation-detail", read_only=True)
    html_url = LinkField(route="initiatives:organisation-detail", read_only=True)


class ThemeRefSerializer(RowSerializer):
    """A theme, by reference."""

    slug = serializers.SlugField(read_only=True)
    name = TranslatedField(read_only=True)
    url = LinkField(route="api:theme-detail", read_only=True)
    html_url = LinkField(route="initiatives:theme-detail", read_only=True)


class OrganisationRoleSerializer(OrganisationRefSerializer):
    """An organisation and its role in the initiative."""

    role = serializers.ChoiceField(choices=Role.choices, read_only=True)
    role_label = LabelField(labels="role", source="role", read_only=True)


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


@extend_schema_field(RelationSerializer(many=True))
class RelationsField(RowField, serializers.Field):
    """The relations rows.py attaches as (type, direction, relation row, other initiative row)."""

    def values_names(self, key, prefix):
        return []

    def reader(self, key, prefix):
        other_plan = InitiativeRefSerializer.read_plan()

        def read(row, links, vocabulary):
            return [
                {
                    "type": relation_type,
                    "direction": direction,
                    "label": (vocabulary.relation if direction == "outgoing" else vocabulary.relation_inverse)[
                        relation_type
                    ],
                    "note": localized_value(relation, "note", vocabulary.language),
                    "initiative": {name: get(other, links, vocabulary) for name, get in other_plan},
                }
                for relation_type, direction, relation, other in row[key]
            ]

        return read


class ExternalLinkSerializer(RowSerializer):
    """A typed external identifier (official site, legal act, OECD.AI entry)."""

    row_keys = ()
    kind = serializers.ChoiceField(choices=LinkKind.choices, read_only=True)
    kind_label = LabelField(labels="link_kind", source="kind", read_only=True)
    label = serializers.CharField(read_only=True, help_text="Label or identifier, e.g. a legal act number.")
    external_url = serializers.CharField(
        source="url", read_only=True, help_text="Empty when the identifier has no address."
    )


class SourceRefSerializer(RowSerializer):
    """A source, by reference."""

    slug = serializers.CharField(read_only=True)
    title = TranslatedField(read_only=True)
    url = LinkField(route="api:source-detail", read_only=True)


# --- Sources ------------------------------------------------------------------------


class SourceSerializer(RowSerializer):
    """A source: the evidence an update or milestone cites."""

    url = LinkField(route="api:source-detail", read_only=True)
    html_url = LinkField(
        route="initiatives:source-detail", read_only=True, help_text="The archived source's public page."
    )
    id = serializers.IntegerField(read_only=True)
    slug = serializers.CharField(read_only=True)
    title = TranslatedField(read_only=True)
    publisher = serializers.CharField(read_only=True)
    author = serializers.CharField(read_only=True)
    external_url = serializers.CharField(
        source="url", read_only=True, help_text="The document's address; empty when unknown."
    )
    published_on = serializers.DateField(read_only=True, allow_null=True)
    published_on_precision = precision_field("published_on")
    kind = serializers.ChoiceField(choices=SourceKind.choices, read_only=True)
    kind_label = LabelField(labels="source_kind", source="kind", read_only=True)
    notes = TranslatedField(read_only=True, help_text="What the document supports, and what it does not.")
    archive_url = serializers.CharField(read_only=True, help_text="An archived copy elsewhere; empty when none.")
    sha256 = serializers.CharField(
        read_only=True, help_text="SHA-256 of the archived copy: the file if there is one, else the text (UTF-8)."
    )


class PassageSerializer(serializers.Serializer):
    number = serializers.IntegerField(read_only=True, help_text="Paragraphs are numbered from 1.")
    html_url = serializers.URLField(read_only=True, help_text="The paragraph on the source's page (#p-<number>).")
    text = serializers.CharField(read_only=True)


@extend_schema_field(PassageSerializer(many=True))
class ParagraphsField(RowField, serializers.Field):
    """The archived text in numbered paragraphs, each linked to its anchor on the source's page."""

    def values_names(self, key, prefix):
        return [key, prefix + "slug"]

    def reader(self, key, prefix):
        slug_key = prefix + "slug"

        def read(row, links, vocabulary):
            return [
                {"number": number, "html_url": links.source_page(row[slug_key], fragment=f"#p-{number}"), "text": text}
                for number, text in enumerate(split_paragraphs(row[key]), start=1)
            ]

        return read


class SourceDetailSerializer(SourceSerializer):
    """A source with its archived text, whole and in numbered paragraphs."""

    text = serializers.CharField(
        read_only=True, help_text="The archived full text; paragraphs are separated by blank lines."
    )
    paragraphs = ParagraphsField(source="text", read_only=True)


class EarlierWordingSerializer(serializers.Serializer):
    reported_on = serializers.DateField(read_only=True)
    reported_on_precision = precision_field("reported_on")
    status = serializers.ChoiceField(choices=STATUS_CHOICES, read_only=True)
    progress = serializers.IntegerField(read_only=True, allow_null=True)
    headline = serializers.CharField(read_only=True)
    body = serializers.CharField(read_only=True)


class RevisionSerializer(RowSerializer):
    """A correction made after publication, with what the update said before it."""

    row_keys = ()
    revised_on = serializers.DateField(read_only=True)
    note = serializers.CharField(read_only=True)
    earlier = EarlierWordingSerializer(read_only=True)


class PassageLinkField(RowField, serializers.URLField):
    """The quoted passage in its archived source: the paragraph's anchor, the quote marked."""

    def values_names(self, key, prefix):
        return [prefix + "source__slug", prefix + "id", prefix + "paragraph"]

    def reader(self, key, prefix):
        slug, citation, paragraph = (prefix + name for name in ("source__slug", "id", "paragraph"))
        return lambda row, links, vocabulary: links.passage(row[slug], row[citation], row[paragraph])


class CitationSerializer(RowSerializer):
    """A quoted passage an update relies on."""

    source = serializers.CharField(
        source="source__slug", read_only=True, help_text="The cited source's slug (see `sources`)."
    )
    quote = serializers.CharField(read_only=True, help_text="Verbatim from the source's archived text.")
    quote_translation = TranslationOrNullField(
        source="quote",
        read_only=True,
        allow_null=True,
        help_text="The quote translated into the language asked; null if none.",
    )
    paragraph = serializers.IntegerField(read_only=True, allow_null=True, help_text="1-based paragraph of the source.")
    url = PassageLinkField(read_only=True, help_text="The passage in the archived source, marked.")


# --- Status updates -----------------------------------------------------------------


class StatusUpdateSerializer(RowSerializer):
    """A published, dated and sourced assessment of one initiative."""

    url = LinkField(route="api:statusupdate-detail", key="id", kwarg="pk", read_only=True)
    html_url = LinkField(
        route="initiatives:initiative-detail",
        key="initiative__slug",
        anchor="update",
        read_only=True,
        help_text="The update on its initiative's page.",
    )
    id = serializers.IntegerField(read_only=True)
    initiative = InitiativeRefSerializer(read_only=True)
    reported_on = serializers.DateField(read_only=True, help_text="The date the assessment is true as of.")
    reported_on_precision = precision_field("reported_on")
    status, status_label, status_meaning = status_fields("status")
    progress = serializers.IntegerField(
        read_only=True, allow_null=True, min_value=0, max_value=100, help_text="Per cent complete, where evidenced."
    )
    headline = TranslatedField(read_only=True)
    body = TranslatedField(read_only=True, help_text="Plain text.")
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


# --- Milestones ---------------------------------------------------------------------


class MilestoneSerializer(RowSerializer):
    """A dated target of an initiative, achieved/overdue as of today or `as_of`."""

    url = LinkField(route="api:milestone-detail", key="id", kwarg="pk", read_only=True)
    html_url = LinkField(
        route="initiatives:initiative-detail",
        key="initiative__slug",
        anchor="milestone",
        read_only=True,
        help_text="The milestone on its initiative's page.",
    )
    id = serializers.IntegerField(read_only=True)
    initiative = InitiativeRefSerializer(read_only=True)
    title = TranslatedField(read_only=True)
    description = TranslatedField(read_only=True)
    due_on = serializers.DateField(read_only=True, help_text="A deadline known only to the year is 31 December.")
    due_on_precision = precision_field("due_on")
    achieved_on = DateIfField(
        flag="is_achieved",
        read_only=True,
        allow_null=True,
        help_text="Null when not achieved (as of `as_of`, when given).",
    )
    achieved_on_precision = precision_field("achieved_on")
    achieved = serializers.BooleanField(
        source="is_achieved", read_only=True, help_text="Achieved on or before today (or `as_of`)."
    )
    overdue = serializers.BooleanField(
        source="is_overdue", read_only=True, help_text="Due before today (or `as_of`) and not achieved."
    )
    source = SourceRefSerializer(read_only=True, allow_null=True)


# --- Initiatives --------------------------------------------------------------------


class InitiativeSerializer(RowSerializer):
    """An initiative with its current status (as of today or `as_of`) and what surrounds it."""

    url = LinkField(route="api:initiative-detail", read_only=True)
    html_url = LinkField(route="initiatives:initiative-detail", read_only=True)
    slug = serializers.SlugField(read_only=True)
    title = TranslatedField(read_only=True)
    kind = serializers.ChoiceField(choices=InitiativeKind.choices, read_only=True)
    kind_label = LabelField(labels="kind", source="kind", read_only=True)
    summary = TranslatedField(read_only=True)
    status, status_label, status_meaning = status_fields("current_status", allow_null=True, help_text=STATUS_HELP)
    progress = serializers.IntegerField(
        source="current_progress",
        read_only=True,
        allow_null=True,
        min_value=0,
        max_value=100,
        help_text="Per cent complete from the latest published update, where evidenced.",
    )
    last_update = serializers.DateField(
        source="last_reported_on",
        read_only=True,
        allow_null=True,
        help_text="`reported_on` of the latest published update.",
    )
    stale = serializers.BooleanField(
        source="is_stale",
        read_only=True,
        help_text="The latest published update is older than the staleness window (TRACKER_STALE_AFTER_DAYS, "
        "default 180) before today or `as_of`. Never true for an initiative not yet assessed.",
    )
    has_overdue_milestones = serializers.BooleanField(read_only=True)
    proposer = serializers.CharField(read_only=True)
    venue = serializers.CharField(read_only=True)
    proposed_on = serializers.DateField(read_only=True, allow_null=True)
    proposed_on_precision = precision_field("proposed_on")
    instrument = TranslatedField(read_only=True, help_text="Legal or policy instrument.")
    responsible_body = OrganisationRefSerializer(read_only=True, allow_null=True)
    period_start = serializers.DateField(read_only=True, allow_null=True)
    period_start_precision = precision_field("period_start")
    period_end = serializers.DateField(read_only=True, allow_null=True)
    period_end_precision = precision_field("period_end")
    themes = ThemeRefSerializer(many=True, read_only=True)
    countries = CountryListField(read_only=True)
    organisations = OrganisationRoleSerializer(many=True, read_only=True)
    relations = RelationsField(read_only=True)
    links = ExternalLinkSerializer(many=True, read_only=True)
    modified = serializers.DateTimeField(read_only=True)


@extend_schema_field(PageCitationSerializer)
class PageCitationField(RowField, serializers.Field):
    """How to cite the initiative's page (api/page_citation.py), from the detail row."""

    def values_names(self, key, prefix):
        return []  # the slug, title, status and updates other fields already read

    def reader(self, key, prefix):
        return page_citation_dict


class InitiativeDetailSerializer(InitiativeSerializer):
    """An initiative with its published updates, milestones and sources."""

    description = TranslatedField(read_only=True, help_text="Plain text.")
    sources = SourceSerializer(many=True, read_only=True)
    updates = StatusUpdateSerializer(
        many=True,
        read_only=True,
        help_text="Published updates reported on or before today (or `as_of`), newest first, with their sources.",
    )
    milestones = MilestoneSerializer(
        many=True, read_only=True, help_text="Soonest due first, achieved/overdue as of today (or `as_of`)."
    )
    citation = PageCitationField(read_only=True)


# --- Organisations and themes ------------------------------------------------------


class InitiativeSummarySerializer(InitiativeRefSerializer):
    """An initiative with its status, by reference."""

    kind = serializers.ChoiceField(choices=InitiativeKind.choices, read_only=True)
    status, status_label = status_fields("current_status", allow_null=True, help_text=STATUS_HELP)[:2]
    last_update = serializers.DateField(source="last_reported_on", read_only=True, allow_null=True)
    stale = serializers.BooleanField(source="is_stale", read_only=True)


class OrganisationInitiativeSerializer(InitiativeSummarySerializer):
    """An initiative the organisation has a role in, or is the responsible body of (one entry each)."""

    role = serializers.ChoiceField(choices=Involvement.choices, read_only=True)
    role_label = LabelField(labels="involvement", source="role", read_only=True)


class OrganisationSerializer(RowSerializer):
    """A ministry, agency, company, university, think tank or international body."""

    url = LinkField(route="api:organisation-detail", read_only=True)
    html_url = LinkField(route="initiatives:organisation-detail", read_only=True)
    slug = serializers.SlugField(read_only=True)
    name = TranslatedField(read_only=True)
    kind = serializers.ChoiceField(choices=OrganisationKind.choices, read_only=True)
    kind_label = LabelField(labels="organisation_kind", source="kind", read_only=True)
    country = CountryField(read_only=True, allow_null=True)
    website = serializers.CharField(read_only=True)
    description = TranslatedField(read_only=True)


class OrganisationDetailSerializer(OrganisationSerializer):
    """An organisation with the initiatives it has a role in."""

    initiatives = OrganisationInitiativeSerializer(
        many=True,
        read_only=True,
        help_text="Initiatives it leads, partners, supports or is the responsible body of (one entry per role), "
        "with their status as of today or `as_of`: the same initiatives as `/api/initiatives/?organisation=`.",
    )


class ThemeSerializer(RowSerializer):
    """A policy theme."""

    url = LinkField(route="api:theme-detail", read_only=True)
    html_url = LinkField(route="initiatives:theme-detail", read_only=True)
    slug = serializers.SlugField(read_only=True)
    name = TranslatedField(read_only=True)
    description = TranslatedField(read_only=True)


class ThemeDetailSerializer(ThemeSerializer):
    """A theme with its initiatives."""

    initiatives = InitiativeSummarySerializer(
        many=True, read_only=True, help_text="Initiatives on this theme, with their status as of today or `as_of`."
    )
