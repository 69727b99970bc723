"""The public read API: read-only viewsets over the shared QuerySets and FilterSets.

Every endpoint, list or detail, takes ``as_of=YYYY-MM-DD`` and then answers as
things stood on that date (initiatives/querysets.py computes it); a bad date
is a 400. Drafts never leave the database: every StatusUpdate read starts from
``StatusUpdate.objects.published()``.
"""

import hashlib
import re

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.translation import gettext
from django_countries import countries
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from tracker.locale import supported_language

from ..filters import MAX_QUERY_LENGTH
from ..models import Initiative, Milestone, Organisation, Source, StatusUpdate, Theme
from ..querysets import stable_order
from ..timetravel import AS_OF_PARAM, EARLIEST_AS_OF, AsOf
from . import filters, rows, serializers
from .links import Links

SLUG_PATTERN = r"[-a-zA-Z0-9_]{1,200}"
ID_PATTERN = r"[0-9]{1,18}"
# Routes take any key, so a malformed one still gets the API's JSON 404 (not the site's HTML page).
ANY_KEY = r"[^/]+"

# --- Schema pieces shared by every endpoint ------------------------------------------

# Dates from EARLIEST_AS_OF (1990-01-01) on, as a pattern, since OpenAPI has no minimum for dates.
assert EARLIEST_AS_OF.isoformat() == "1990-01-01", "update AS_OF_DATE_PATTERN"  # noqa: S101
AS_OF_DATE_PATTERN = r"^(199[0-9]|[2-9][0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
AS_OF = OpenApiParameter(
    AS_OF_PARAM,
    {"type": "string", "format": "date", "pattern": AS_OF_DATE_PATTERN},
    description=(
        "Time travel: answer as things stood on this date (YYYY-MM-DD, on or after "
        f"{EARLIEST_AS_OF.isoformat()}). Current status, progress, last update and staleness are computed "
        "from published updates known by it; later updates are left out; milestones count as achieved only "
        "if achieved by it; sources published later and relations to initiatives not yet announced are left "
        "out. A date known only to the month or year counts from the last day of that month or year. An "
        "initiative exists from its first evidenced date (proposed, started, or its first published update): "
        "before it, it is absent from lists and its detail is a 404. Links in the answer carry the same "
        "as_of. A malformed or earlier date is a 400."
    ),
)
LANGUAGES = [code for code, _name in settings.LANGUAGES]
LANG = OpenApiParameter(
    "lang",
    {"type": "string", "enum": LANGUAGES},
    description=(
        "The language of the answer: labels (status, kind, role...), country names and the initiatives' own "
        "text (title, summary, description, update headline and body, milestone title, theme name). Without it, "
        "the Accept-Language header decides; English by default. Text not yet translated is given in English "
        f"(the source). The response says the language in Content-Language. Any value but {', '.join(LANGUAGES)} "
        "is a 400."
    ),
)
STATUS_FILTER = OpenApiParameter(
    "status",
    {"type": "array", "items": {"type": "string", "enum": [value for value, _ in serializers.STATUS_CHOICES]}},
    explode=True,
    description="Status (for initiatives: the current one, as of `as_of`); repeat for several. An unknown value "
    "is a 400. Values and meanings: " + " ".join(f"`{value}`: {text}" for value, text in serializers.STATUS_CHOICES),
)


def search_parameter(what):
    return OpenApiParameter(
        "q",
        {"type": "string", "maxLength": MAX_QUERY_LENGTH, "pattern": "^[^\\u0000]*$"},
        description=f"Search: case-insensitive substring of {what}. At most {MAX_QUERY_LENGTH} characters, "
        "no NUL characters (else a 400).",
    )


def slug_list_parameter(name, what):
    return OpenApiParameter(
        name,
        {"type": "array", "items": {"type": "string", "pattern": f"^{SLUG_PATTERN}$"}},
        explode=True,
        description=f"{what} slug; repeat for several (any of them matches). A slug that does not exist is a 400.",
    )


COUNTRY_FILTER = OpenApiParameter(
    "country",
    {"type": "array", "items": {"type": "string", "enum": [code for code, _ in countries]}},
    explode=True,
    description="ISO 3166-1 alpha-2 code of a country the initiative involves; repeat for several.",
)
INITIATIVE_FACETS = [
    STATUS_FILTER,
    slug_list_parameter("theme", "Theme"),
    slug_list_parameter("organisation", "Organisation"),
    COUNTRY_FILTER,
]

FIELD_ERRORS = {
    "type": "object",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
    "example": {"as_of": ["as_of must be a date written YYYY-MM-DD, for example 2025-06-30; got '2025-13-01'."]},
}
DETAIL = {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}
ERRORS = {
    400: OpenApiResponse(
        FIELD_ERRORS,
        description="Bad input: an unknown filter value, a malformed date or `as_of`, a page or page_size out of "
        "range, junk ordering, a search longer than 200 characters. The body names each bad parameter.",
    ),
    404: OpenApiResponse(DETAIL, description="No such object (drafts are never found), or a page past the last."),
    429: OpenApiResponse(
        DETAIL, description="Too many requests from this address (API_ANON_RATE, default 600/minute)."
    ),
}


def documented(serializer, detail_serializer, *, list_parameters=(), description=""):
    return extend_schema_view(
        list=extend_schema(
            parameters=[AS_OF, LANG, *list_parameters],
            responses={200: serializer(many=True), **ERRORS},
            description=description,
        ),
        retrieve=extend_schema(parameters=[AS_OF, LANG], responses={200: detail_serializer, **ERRORS}),
    )


def check_language(request):
    """A 400 for a ``lang`` the API does not speak; the language itself was chosen by
    tracker.locale.LocaleMiddleware (?lang=, then Accept-Language)."""
    lang = request.query_params.get(LANG.name, "")
    if lang and supported_language(lang) is None:
        raise ValidationError(
            {LANG.name: [gettext("Use one of: %(languages)s.") % {"languages": ", ".join(LANGUAGES)}]}
        )


# --- The base viewset ------------------------------------------------------------


class RowViewSet(viewsets.ReadOnlyModelViewSet):
    """List and detail over ``.values()`` rows (rows.py), with as_of, strict
    filters, stable ordering and a body-hash ETag.

    The ETag is a hash of the rendered JSON, so it is right by construction: it
    changes when anything shown changes, including tables without timestamps
    (themes, roles, countries, relations, links, sources) and the staleness that
    moves with today's date. A matching If-None-Match gets a bodiless 304. No
    Last-Modified is sent because no cheap timestamp covers all of that.
    """

    filter_backends = [filters.FilterBackend]
    as_of = None  # set per request in initial(); None (today) while the schema is generated
    tiebreak = "pk"
    key_pattern = ID_PATTERN
    detail_serializer_class = None

    # -- request set-up

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        try:
            self.as_of = AsOf.of(request).date
        except DjangoValidationError as error:
            raise ValidationError({AS_OF_PARAM: error.messages}) from None
        check_language(request)

    def get_serializer_class(self):
        if self.action == "retrieve" and self.detail_serializer_class:
            return self.detail_serializer_class
        return self.serializer_class

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["links"] = Links(self.request, self.as_of)
        context["vocabulary"] = serializers.Vocabulary.for_language(translation.get_language())
        return context

    # -- reads

    def attach_list(self, page):
        return page

    def attach_detail(self, row):
        return self.attach_list([row])[0]

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        queryset = stable_order(queryset, self.tiebreak).values(*self.serializer_class.values_names())
        page = self.attach_list(self.paginate_queryset(queryset))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        key = kwargs[self.lookup_url_kwarg or self.lookup_field]
        if not re.fullmatch(self.key_pattern, key):
            raise NotFound()
        fields = self.get_serializer_class().values_names()
        row = self.get_queryset().filter(**{self.lookup_field: key}).values(*fields).first()
        if row is None:
            raise NotFound()
        return Response(self.get_serializer(self.attach_detail(row)).data)

    # -- caching headers

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != 200 or not hasattr(response, "render"):
            return response
        if getattr(response, "accepted_renderer", None) is None or response.accepted_renderer.format != "json":
            return response
        response.render()
        response["ETag"] = f'"{hashlib.blake2b(response.content, digest_size=16).hexdigest()}"'
        patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
        return get_conditional_response(request._request, etag=response["ETag"], response=response)


# --- Endpoints -----------------------------------------------------------------------


@documented(
    serializers.InitiativeSerializer,
    serializers.InitiativeDetailSerializer,
    list_parameters=[
        *INITIATIVE_FACETS,
        search_parameter("the title, summary, description or the headline or body of a published update"),
    ],
    description="Initiatives with their current status as of today (or `as_of`). Search with `q` (title, summary, "
    "description and the text of published updates). `ordering` takes title, last_update, status or progress "
    "(prefix - to reverse).",
)
class InitiativeViewSet(RowViewSet):
    """Tracked initiatives: international proposals and national programs."""

    serializer_class = serializers.InitiativeSerializer
    detail_serializer_class = serializers.InitiativeDetailSerializer
    filterset_class = filters.InitiativeFilter
    lookup_field = "slug"
    lookup_value_regex = ANY_KEY
    key_pattern = SLUG_PATTERN

    def get_queryset(self):
        return Initiative.objects.with_current_status(as_of=self.as_of)

    def attach_list(self, page):
        return rows.attach_initiative_relations(page, self.as_of)

    def attach_detail(self, row):
        rows.attach_initiative_relations([row], self.as_of)
        return rows.attach_initiative_detail(row, self.as_of)


@documented(
    serializers.StatusUpdateSerializer,
    serializers.StatusUpdateSerializer,
    list_parameters=[*INITIATIVE_FACETS, search_parameter("the headline or body")],
    description="Published status updates, newest first (reported on or before `as_of` when given). Search with "
    "`q` (headline and body); `reported_on_after`/`reported_on_before` bound the date; `ordering` takes "
    "reported_on, created or progress.",
)
class StatusUpdateViewSet(RowViewSet):
    """Published status updates with their sources. Drafts are never listed or found."""

    serializer_class = serializers.StatusUpdateSerializer
    filterset_class = filters.StatusUpdateFilter
    tiebreak = "-pk"
    lookup_value_regex = ANY_KEY
    key_pattern = ID_PATTERN

    def get_queryset(self):
        return StatusUpdate.objects.published().as_of(self.as_of)

    def attach_list(self, page):
        return rows.attach_update_evidence(page, self.as_of)


@documented(
    serializers.MilestoneSerializer,
    serializers.MilestoneSerializer,
    list_parameters=[search_parameter("the title")],
    description="Milestones, soonest due first, with achieved/overdue as of today (or `as_of`). `ordering` takes "
    "due_on or title.",
)
class MilestoneViewSet(RowViewSet):
    """Dated targets of initiatives."""

    serializer_class = serializers.MilestoneSerializer
    filterset_class = filters.MilestoneFilter
    lookup_value_regex = ANY_KEY
    key_pattern = ID_PATTERN

    def get_queryset(self):
        return Milestone.objects.with_state(self.as_of)


@documented(
    serializers.OrganisationSerializer,
    serializers.OrganisationDetailSerializer,
    list_parameters=[search_parameter("the name")],
    description="Organisations. `ordering` takes name or country.",
)
class OrganisationViewSet(RowViewSet):
    """Ministries, agencies, companies, universities, think tanks and international bodies."""

    serializer_class = serializers.OrganisationSerializer
    detail_serializer_class = serializers.OrganisationDetailSerializer
    filterset_class = filters.OrganisationFilter
    lookup_field = "slug"
    lookup_value_regex = ANY_KEY
    key_pattern = SLUG_PATTERN

    def get_queryset(self):
        return Organisation.objects.all()

    def attach_detail(self, row):
        return rows.attach_organisation_initiatives(row, self.as_of)


@documented(
    serializers.ThemeSerializer,
    serializers.ThemeDetailSerializer,
    list_parameters=[search_parameter("the name")],
    description="Themes. `ordering` takes name.",
)
class ThemeViewSet(RowViewSet):
    """Policy themes (AI, cybersecurity, digital trust...)."""

    serializer_class = serializers.ThemeSerializer
    detail_serializer_class = serializers.ThemeDetailSerializer
    filterset_class = filters.ThemeFilter
    lookup_field = "slug"
    lookup_value_regex = ANY_KEY
    key_pattern = SLUG_PATTERN

    def get_queryset(self):
        return Theme.objects.all()

    def attach_detail(self, row):
        return rows.attach_theme_initiatives(row, self.as_of)


@documented(
    serializers.SourceSerializer,
    serializers.SourceDetailSerializer,
    list_parameters=[search_parameter("the title or publisher")],
    description="Sources (the evidence). With `as_of`, sources published after that date are left out. "
    "`ordering` takes published_on or title.",
)
class SourceViewSet(RowViewSet):
    """Speeches, news, official documents, laws and reports cited as evidence."""

    serializer_class = serializers.SourceSerializer
    detail_serializer_class = serializers.SourceDetailSerializer
    filterset_class = filters.SourceFilter
    lookup_field = "slug"
    lookup_value_regex = ANY_KEY
    key_pattern = SLUG_PATTERN

    def get_queryset(self):
        return Source.objects.as_of(self.as_of)
