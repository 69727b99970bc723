"""The initiative list's facets, declared once: each names a filter of InitiativeFilter,
whose label (and, for a choice filter, whose choices) the facet shows.

A facet's counts are taken over the initiatives matching every filter but its own, so
each count says what choosing that value would give. One aggregate query per facet
(two for organisations: roles, and responsible bodies without a role).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.validators import EMPTY_VALUES
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from .country_names import country_name
from .models import Initiative, InitiativeCountry
from .translation import localized_value, translated

# What a yes/no filter's link sends, and the spellings of "yes" it reads as selected.
FLAG_VALUE = "true"
FLAG_SELECTED = (["true"], ["True"], ["1"])
# Parameters that are no filter: a facet's counts ignore them.
NOT_FILTERS = ("ordering", "page")


def by_name(rows):
    return sorted(rows, key=lambda row: row[1].casefold())


def named_counts(links, related):
    """Facet rows (slug, name, initiatives) of a link table's ``related`` model (the
    theme facet's; organisations are counted by involvement_counts, which names them the
    same way): the name in the language shown (English where untranslated), sorted as
    shown. Counted by the related id, then named in one query: grouping 20,000 links by
    four text columns cost three times the count itself."""
    # A link table holds each pair once (its unique constraint): a plain count, which
    # PostgreSQL hashes, where DISTINCT would sort every link first.
    counts = dict(links.values_list(related).annotate(n=Count("initiative")).order_by())
    model = links.model._meta.get_field(related).related_model
    proper_name = "name" in model.proper_names
    named = model.objects.filter(pk__in=counts).values("pk", "slug", *translated("name"))
    return by_name(
        (row["slug"], localized_value(row, "name", is_proper_name=proper_name), counts[row["pk"]]) for row in named
    )


def theme_counts(filter_, initiatives):
    return named_counts(initiatives.links(Initiative.themes.through), "theme")


def organisation_counts(filter_, initiatives):
    """Counting what the organisation filter gives: roles and responsible bodies alike."""
    names = translated("name")
    counts = initiatives.involvement_counts(organisation_fields=names)
    return by_name(
        (key[0], localized_value(dict(zip(names, key[1:], strict=True)), "name"), n) for key, n in counts.items()
    )


def country_counts(filter_, initiatives):
    counted = (
        initiatives.links(InitiativeCountry)
        .values_list("country")
        .annotate(n=Count("initiative"))  # one row per pair: initiativecountry_unique
        .order_by()
    )
    return by_name((code, country_name(code), n) for code, n in counted)


@dataclass(frozen=True)
class Facet:
    """The values of the filter ``param``, counted by ``counts(filter, initiatives)``:
    rows (value, label, count); none while the other filters are invalid. A
    ``catalogue`` facet counts only what the initiatives are, never their updates,
    status or milestones (cache.CATALOGUE), and so does its filter."""

    param: str
    counts: Callable = None
    catalogue: bool = False

    @property
    def params(self):
        return (self.param,)

    def rows(self, filter_, initiatives):
        return [] if initiatives is None else self.counts(filter_, initiatives)

    def values(self, filters, initiatives, selected):
        filter_ = filters[self.param]
        return {
            "key": self.param,
            "label": filter_.label,
            "values": [
                {
                    "param": self.param,
                    "value": value,
                    "label": name,
                    "count": n,
                    "selected": str(value) in selected[self.param],
                }
                for value, name, n in self.rows(filter_, initiatives)
            ],
        }


@dataclass(frozen=True)
class ChoiceFacet(Facet):
    """Every choice of a choice filter, in its order, counted by the filter's column
    (all shown, at 0, while the other filters are invalid)."""

    def rows(self, filter_, initiatives):
        counts = {}
        if initiatives is not None:
            counts = dict(initiatives.values_list(filter_.field_name).annotate(n=Count("pk")))
        return [(value, label, counts.get(value, 0)) for value, label in filter_.extra["choices"]]


@dataclass(frozen=True)
class FlagsFacet:
    """Yes/no filters shown together, each counting the initiatives it would keep."""

    key: str
    label: str
    params: tuple
    catalogue = False

    def values(self, filters, initiatives, selected):
        counts = dict.fromkeys(self.params, 0)
        if initiatives is not None:
            counts = initiatives.aggregate(
                **{param: Count("pk", filter=self.condition(filters[param])) for param in self.params}
            )
        return {
            "key": self.key,
            "label": self.label,
            "values": [
                {
                    "param": param,
                    "value": FLAG_VALUE,
                    "label": filters[param].label,
                    "count": counts[param],
                    "selected": selected[param] in FLAG_SELECTED,
                }
                for param in self.params
            ],
        }

    @staticmethod
    def condition(filter_):
        """The rows the filter keeps when it is set to yes."""
        return Q(**{f"{filter_.field_name}__{filter_.lookup_expr}": True})


INITIATIVE_FACETS = (
    ChoiceFacet("kind", catalogue=True),
    ChoiceFacet("status"),
    Facet("theme", theme_counts, catalogue=True),
    Facet("organisation", organisation_counts, catalogue=True),
    Facet("country", country_counts, catalogue=True),
    FlagsFacet("flags", _("Attention"), ("stale", "not_assessed", "overdue")),
)


def catalogue_filters_of(facets=INITIATIVE_FACETS):
    """The filters that read only what initiatives are: those of the catalogue facets."""
    return {param for facet in facets if facet.catalogue for param in facet.params}


def facet_values(filterset, initiatives, facets=INITIATIVE_FACETS, *, keep_catalogue=None):
    """Every facet with its values for the list ``filterset`` (the page's own, bound to
    the request) selects: label, count and whether it is selected. ``initiatives`` is
    the annotated queryset the filters run on.

    The request's values are validated once; each facet then applies every valid filter
    but its own, rather than building (deep-copying) a filterset of its own per facet.
    A catalogue facet under catalogue filters alone reads nothing a status update
    changes: with ``keep_catalogue(facet, compute)``, its values are that call's."""
    filterset.is_valid()
    form = filterset.form
    filters = filterset.filters
    # Unbound (no query string at all) there is nothing to filter by.
    values = form.cleaned_data if form.is_bound else {}
    filtering = {name for name, value in values.items() if name not in NOT_FILTERS and value not in EMPTY_VALUES}
    catalogue_filters = catalogue_filters_of(facets)

    def matching_all_but(params):
        if set(form.errors) - set(params):
            return None
        matching = initiatives
        for name, value in values.items():
            if name not in params and name not in NOT_FILTERS:
                matching = filters[name].filter(matching, value)
        return matching.order_by()

    def facet_value(facet):
        def compute():
            selected = {param: filterset.request.GET.getlist(param) for param in facet.params}
            return facet.values(filters, matching_all_but(facet.params), selected)

        if keep_catalogue and facet.catalogue and filtering - set(facet.params) <= catalogue_filters:
            return keep_catalogue(facet, compute)
        return compute()

    return [facet_value(facet) for facet in facets]
