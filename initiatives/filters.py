"""One FilterSet per model, shared by the HTML pages and the API.

Querysets handed to these are already annotated for the requested ``as_of``
date (``Initiative.objects.with_current_status(as_of=...)``), so status,
staleness and ordering filters see the state on that date.
"""

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from .models import (
    Initiative,
    InitiativeCountry,
    Milestone,
    Organisation,
    Source,
    StatusUpdate,
    Theme,
)
from .timetravel import AsOf, IsoDateField
from .translation import language_code
from .vocabularies import InitiativeKind, OrganisationKind, SourceKind, Status

MAX_QUERY_LENGTH = 200


def filter_state(filterset):
    """The recognised filters' values, de-duplicated and sorted: () when nothing is
    filtered, None when a filter is invalid. Cache keys are built from this, never from
    the raw query string, so junk parameters cannot make new entries."""
    if not filterset.is_bound:
        return ()
    if not filterset.is_valid():
        return None
    data = filterset.form.data
    keys = set()
    for name, field in filterset.form.fields.items():
        # A range is sent as name_after and name_before.
        suffixes = getattr(field.widget, "suffixes", None) or [None]
        keys.update(f"{name}_{suffix}" if suffix else name for suffix in suffixes)
    return tuple(sorted((key, tuple(sorted(set(data.getlist(key)) - {""}))) for key in keys if data.get(key)))


class IsoDateRangeField(django_filters.fields.DateRangeField):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = (IsoDateField(required=False), IsoDateField(required=False))


class IsoDateFromToRangeFilter(django_filters.DateFromToRangeFilter):
    """A date range whose ends accept YYYY-MM-DD only (timetravel.parse_iso_date)."""

    field_class = IsoDateRangeField


class SearchFilter(django_filters.CharFilter):
    """Free-text ``q``, capped in length so a junk query string stays cheap."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Search"))
        kwargs.setdefault("max_length", MAX_QUERY_LENGTH)
        super().__init__(*args, **kwargs)


def request_as_of(request):
    """The ``as_of`` date a FilterSet's request asks for (the view has already refused a bad one)."""
    if request is None:
        return None
    try:
        return AsOf.of(request).date
    except ValidationError:
        return None


def request_language(request):
    """The language a FilterSet's request is answered in (LocaleMiddleware's choice, the
    API's ?lang= included); without a request, the active one."""
    return language_code(getattr(request, "LANGUAGE_CODE", None))


BOOLEAN_VALUES = {"true", "false", "1", "0"}


class StrictBooleansFilterSet(django_filters.FilterSet):
    """A yes/no filter given anything but true/false/1/0 is invalid (a 400), where the
    select widget alone would silently ignore it and show everything."""

    def is_valid(self):
        valid = super().is_valid()
        for name, filter_ in self.filters.items():
            value = self.data.get(name, "") if self.data is not None else ""
            if isinstance(filter_, django_filters.BooleanFilter) and value and value.lower() not in BOOLEAN_VALUES:
                self.form.add_error(name, _("Use true or false."))
                valid = False
        return valid


def _descending(label):
    return gettext("%(field)s (descending)") % {"field": label}


descending = lazy(_descending, str)


class SortFilter(django_filters.OrderingFilter):
    """``ordering``: each field, then the same reversed, labelled in the language shown.

    django-filter formats its "%s (descending)" once, when the class is defined, so
    those labels stayed English on /ru/ and /kk/; here every label stays lazy, and
    every sortable field must be given one (``field_labels``)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Sort by"))
        super().__init__(*args, **kwargs)

    def build_choices(self, fields, labels):
        choices = []
        for field, param in fields.items():
            choices += [(param, labels[field]), (f"-{param}", descending(labels[field]))]
        return choices


def initiative_exists(model, field, initiative_ref="pk", **lookups):
    return Exists(model.objects.filter(**{field: OuterRef(initiative_ref)}, **lookups))


class InitiativeRelatedFilters(StrictBooleansFilterSet):
    """Theme, organisation and country facets, matched through EXISTS so an
    initiative is never listed twice and ordering stays cheap."""

    initiative_ref = "pk"

    theme = django_filters.ModelMultipleChoiceFilter(
        label=_("Theme"), queryset=Theme.objects.all(), to_field_name="slug", method="filter_theme"
    )
    organisation = django_filters.ModelMultipleChoiceFilter(
        label=_("Organisation"), queryset=Organisation.objects.all(), to_field_name="slug", method="filter_organisation"
    )
    country = django_filters.MultipleChoiceFilter(label=_("Country"), choices=countries, method="filter_country")

    def filter_theme(self, queryset, name, value):
        if not value:
            return queryset
        through = Initiative.themes.through
        return queryset.filter(initiative_exists(through, "initiative", self.initiative_ref, theme__in=value))

    def filter_organisation(self, queryset, name, value):
        if not value:
            return queryset
        # Roles and the responsible body alike: the same query as the organisation's page.
        if queryset.model is Initiative:
            return queryset.involving(value)
        involving = Initiative.objects.involving(value).filter(pk=OuterRef(self.initiative_ref))
        return queryset.filter(Exists(involving))

    def filter_country(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            initiative_exists(InitiativeCountry, "initiative", self.initiative_ref, country__in=value)
        )


class InitiativeFilter(InitiativeRelatedFilters):
    q = SearchFilter(method="filter_search")
    # Column filters join nothing, so no DISTINCT (which made PostgreSQL sort every annotated row).
    kind = django_filters.MultipleChoiceFilter(label=_("Kind"), choices=InitiativeKind.choices, distinct=False)
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=Status.choices, field_name="current_status", distinct=False
    )
    not_assessed = django_filters.BooleanFilter(
        label=_("Not yet assessed"), field_name="current_status", lookup_expr="isnull"
    )
    stale = django_filters.BooleanFilter(label=_("Stale"), field_name="is_stale")
    overdue = django_filters.BooleanFilter(label=_("Has an overdue milestone"), field_name="has_overdue_milestones")
    ordering = SortFilter(
        fields=(
            ("title", "title"),
            ("last_reported_on", "last_update"),
            ("current_status", "status"),
            ("current_progress", "progress"),
        ),
        field_labels={
            "title": _("Title"),
            "last_reported_on": _("Last update"),
            "current_status": _("Status"),
            "current_progress": _("Progress"),
        },
    )

    class Meta:
        model = Initiative
        fields = ["q", "kind", "status", "theme", "organisation", "country", "stale", "not_assessed", "overdue"]

    def filter_search(self, queryset, name, value):
        # Words from updates not yet known on the date must not find an initiative.
        return queryset.search(value, language=request_language(self.request), as_of=request_as_of(self.request))


class StatusUpdateFilter(InitiativeRelatedFilters):
    initiative_ref = "initiative_id"

    q = SearchFilter(method="filter_search")
    initiative = django_filters.CharFilter(label=_("Initiative (slug)"), field_name="initiative__slug")
    kind = django_filters.MultipleChoiceFilter(
        label=_("Initiative kind"), choices=InitiativeKind.choices, field_name="initiative__kind", distinct=False
    )
    status = django_filters.MultipleChoiceFilter(label=_("Status"), choices=Status.choices, distinct=False)
    reported_on = IsoDateFromToRangeFilter(label=_("Reported between"))
    ordering = SortFilter(
        fields=(("reported_on", "reported_on"), ("created", "created"), ("progress", "progress")),
        field_labels={"reported_on": _("Reported on"), "created": _("Recorded"), "progress": _("Progress")},
    )

    class Meta:
        model = StatusUpdate
        fields = ["q", "initiative", "kind", "status", "theme", "organisation", "country", "reported_on"]

    def filter_search(self, queryset, name, value):
        return queryset.search(value, language=request_language(self.request))


class MilestoneFilter(StrictBooleansFilterSet):
    q = SearchFilter(field_name="title", lookup_expr="icontains")
    initiative = django_filters.CharFilter(label=_("Initiative (slug)"), field_name="initiative__slug")
    overdue = django_filters.BooleanFilter(label=_("Overdue"), field_name="is_overdue")
    achieved = django_filters.BooleanFilter(label=_("Achieved"), field_name="is_achieved")
    due_on = IsoDateFromToRangeFilter(label=_("Due between"))
    ordering = SortFilter(
        fields=(("due_on", "due_on"), ("title", "title")), field_labels={"due_on": _("Due on"), "title": _("Title")}
    )

    class Meta:
        model = Milestone
        fields = ["q", "initiative", "overdue", "achieved", "due_on"]


class OrganisationFilter(django_filters.FilterSet):
    q = SearchFilter(field_name="name", lookup_expr="icontains")
    kind = django_filters.MultipleChoiceFilter(label=_("Kind"), choices=OrganisationKind.choices, distinct=False)
    country = django_filters.MultipleChoiceFilter(label=_("Country"), choices=countries, distinct=False)

    class Meta:
        model = Organisation
        fields = ["q", "kind", "country"]


class ThemeFilter(django_filters.FilterSet):
    q = SearchFilter(field_name="name", lookup_expr="icontains")

    class Meta:
        model = Theme
        fields = ["q"]


class SourceFilter(django_filters.FilterSet):
    q = SearchFilter(method="filter_search")
    kind = django_filters.MultipleChoiceFilter(label=_("Kind"), choices=SourceKind.choices, distinct=False)
    published_on = IsoDateFromToRangeFilter(label=_("Published between"))

    class Meta:
        model = Source
        fields = ["q", "kind", "published_on"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(publisher__icontains=value))
