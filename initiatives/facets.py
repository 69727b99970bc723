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
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from .country_names import country_name
from .models import Initiative, InitiativeCountry
from .search import match_set_condition
from .translation import localized_value, translated

# What a yes/no filter's link sends, and the spellings of "yes" it reads as selected.
FLAG_VALUE = "true"
FLAG_SELECTED = (["true"], ["True"], ["1"])
# Parameters that are no filter: a facet's counts ignore them.
NOT_FILTERS = ("ordering", "page")
# The words searched for (InitiativeFilter.q).
SEARCH = "q"


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
    keeps_empty = False  # values at 0 are left out (they come from a GROUP BY)

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

    keeps_empty = True

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


def reads_only_catalogue(names, facets=INITIATIVE_FACETS):
    """Whether filtering by ``names`` (the filters with a value) reads only what
    initiatives are, never their updates, status or milestones (cache.CATALOGUE): those
    are the catalogue facets' own filters."""
    catalogue_filters = {param for facet in facets if facet.catalogue for param in facet.params}
    return set(names) - set(NOT_FILTERS) <= catalogue_filters


def facet_values(filterset, initiatives, facets=INITIATIVE_FACETS, *, keep_catalogue=None):
    """Every facet with its values for the list ``filterset`` (the page's own, bound to
    the request) selects: label, count and whether it is selected. ``initiatives`` is
    the annotated queryset the filters run on.

    The request's values are validated once; each facet then applies every valid filter
    but its own, rather than building (deep-copying) a filterset of its own per facet.
    A catalogue facet under catalogue filters alone reads nothing a status update
    changes: with ``keep_catalogue(facet, compute, without=())``, its values are that
    call's (``without``: filters left out of what it was computed under)."""
    counting = _FacetCounting(filterset, initiatives, facets, keep_catalogue)
    return [counting.values(facet) for facet in facets]


class _FacetCounting:
    """The facets of one filter state (facet_values)."""

    def __init__(self, filterset, initiatives, facets, keep_catalogue):
        filterset.is_valid()
        self.form = filterset.form
        self.filters = filterset.filters
        self.request = filterset.request
        self.initiatives = initiatives
        self.facets = facets
        self.keep_catalogue = keep_catalogue
        # Unbound (no query string at all) there is nothing to filter by.
        self.cleaned = self.form.cleaned_data if self.form.is_bound else {}
        self.filtering = {
            name for name, value in self.cleaned.items() if name not in NOT_FILTERS and value not in EMPTY_VALUES
        }

    def matching_all_but(self, params):
        if set(self.form.errors) - set(params):
            return None
        matching = self.initiatives
        for name, value in self.cleaned.items():
            if name not in params and name not in NOT_FILTERS:
                matching = self.filters[name].filter(matching, value)
        return matching.order_by()

    def counted(self, facet, without=(), among=None):
        """The facet's values over every filter but its own and ``without``; with
        ``among`` (ids), over those initiatives only."""
        matching = self.matching_all_but((*facet.params, *without))
        if among is not None and matching is not None:
            matching = matching.filter(pk__any_of=among)
        selected = {param: self.request.GET.getlist(param) for param in facet.params}
        return facet.values(self.filters, matching, selected)

    def values(self, facet):
        others = self.filtering - set(facet.params)
        if not (self.keep_catalogue and facet.catalogue and reads_only_catalogue(others - {SEARCH}, self.facets)):
            return self.counted(facet)
        if SEARCH not in others:
            return self.keep_catalogue(facet, lambda: self.counted(facet))
        missed = self.missed_by_search
        if missed is None:
            return self.counted(facet)
        # A word most initiatives hold (search.match_set_condition): the kept values
        # without it, less those of the few initiatives that lack it.
        whole = self.keep_catalogue(facet, lambda: self.counted(facet, without=(SEARCH,)), without=(SEARCH,))
        return less(facet, whole, self.counted(facet, without=(SEARCH,), among=missed)) if missed else whole

    @cached_property
    def missed_by_search(self):
        """The ids of the initiatives the search leaves out, when it is kept as those
        (search._full_text_initiatives: a common word, on PostgreSQL), else None."""
        searched = self.filters[SEARCH].filter(self.initiatives, self.cleaned[SEARCH])
        if not searched.query.where:  # a word every initiative holds
            return []
        match_set = match_set_condition(searched)
        if match_set is None or match_set[0]:
            return None
        return match_set[1]


def less(facet, whole, part):
    """A facet's ``whole`` values less the counts of ``part`` (of some of the same
    initiatives): a choice facet keeps its choices at 0, the others drop them."""
    taken = {item["value"]: item["count"] for item in part["values"]}
    values = [{**item, "count": item["count"] - taken.get(item["value"], 0)} for item in whole["values"]]
    return {**whole, "values": [item for item in values if item["count"] or facet.keeps_empty]}
