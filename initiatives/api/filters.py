"""The pages' FilterSets (initiatives/filters.py), made strict for API clients.

The API filters with exactly the same definitions as the HTML pages. Two
additions, both API-only:

- empty parameters are ignored, as the pages' forms do, including empty
  entries of a repeated parameter;
- a boolean filter given something other than true/false/1/0 is a 400
  (the pages' select widget would silently ignore it), and so is an
  ``ordering`` with an empty field in its comma-separated list (``ordering=,``),
  which the pages would read as no ordering;
- organisations, themes and sources get an ``ordering`` limited to documented
  fields, as the other FilterSets already have, so junk ordering is a 400
  everywhere instead of being silently dropped.
"""

import django_filters
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field

from .. import filters


class StrictParameters:
    """Empty parameters count as absent (as a web form sends them); an empty field in
    an ordering list is a 400. (A boolean given anything but true/false/1/0 is a 400
    on the pages too: filters.StrictBooleansFilterSet.)"""

    def __init__(self, data=None, *args, **kwargs):
        if data is not None:
            data = data.copy()
            for key in list(data):
                values = [value for value in data.getlist(key) if value != ""]
                if values:
                    data.setlist(key, values)
                else:
                    del data[key]
        super().__init__(data, *args, **kwargs)

    def is_valid(self):
        valid = super().is_valid()
        for name, filter_ in self.filters.items():
            if name not in self.data:
                continue
            if isinstance(filter_, django_filters.OrderingFilter) and "" in self.data[name].split(","):
                self.form.add_error(name, _("An empty sort field: give field names separated by commas."))
                valid = False
        return valid


class InitiativeFilter(StrictParameters, filters.InitiativeFilter):
    pass


class StatusUpdateFilter(StrictParameters, filters.StatusUpdateFilter):
    pass


class MilestoneFilter(StrictParameters, filters.MilestoneFilter):
    pass


class OrganisationFilter(StrictParameters, filters.OrganisationFilter):
    ordering = filters.SortFilter(
        fields=(("name", "name"), ("country", "country")), field_labels={"name": _("Name"), "country": _("Country")}
    )


class ThemeFilter(StrictParameters, filters.ThemeFilter):
    ordering = filters.SortFilter(fields=(("name", "name"),), field_labels={"name": _("Name")})


class SourceFilter(StrictParameters, filters.SourceFilter):
    ordering = filters.SortFilter(
        fields=(("published_on", "published_on"), ("title", "title")),
        field_labels={"published_on": _("Published on"), "title": _("Title")},
    )


# The facets filter through methods, so drf-spectacular cannot guess their types.
for _filterset in (InitiativeFilter, StatusUpdateFilter):
    for _name, _items in (
        ("theme", {"type": "string"}),
        ("organisation", {"type": "string"}),
        ("country", {"type": "string", "enum": [code for code, _label in countries]}),
    ):
        extend_schema_field({"type": "array", "items": _items})(_filterset.base_filters[_name])
# (A plain MultipleChoiceFilter: drf-spectacular wraps the item schema in the array itself.)
extend_schema_field({"type": "string", "enum": [code for code, _label in countries]})(
    OrganisationFilter.base_filters["country"]
)
# Free text reaches the database, which refuses NUL characters: a 400, documented.
for _filterset in (StatusUpdateFilter, MilestoneFilter):
    extend_schema_field({"type": "string", "pattern": "^[^\\u0000]*$"})(_filterset.base_filters["initiative"])


RANGE_SUFFIXES = ("", "_after", "_before", "_min", "_max")


class FilterBackend(DjangoFilterBackend):
    """Filters list requests only: a detail is addressed by its key alone (plus ``as_of``).

    A list request that names none of the FilterSet's parameters skips building
    the FilterSet and its form (the country field alone carries 249 choices to
    copy), which is most of the filter cost on an unfiltered page.
    """

    _parameters = {}

    def parameters(self, filterset_class):
        names = self._parameters.get(filterset_class)
        if names is None:
            names = self._parameters[filterset_class] = frozenset(
                name + suffix for name in filterset_class.base_filters for suffix in RANGE_SUFFIXES
            )
        return names

    def filter_queryset(self, request, queryset, view):
        if getattr(view, "action", None) != "list":
            return queryset
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None or self.parameters(filterset_class).isdisjoint(request.query_params.keys()):
            return queryset
        return super().filter_queryset(request, queryset, view)
