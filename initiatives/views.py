"""The public site: thin class-based views over the shared QuerySets and FilterSets.

Every page reads ``as_of`` once (AsOfMixin) and asks the QuerySets for the state
on that date. Each page costs a fixed number of queries whatever the data size:
related rows come through prefetch_related with Prefetch objects, facets through
one aggregate query each.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView, TemplateView
from django_filters.views import FilterView

from . import charts
from .cache import CachedPaginator, cached
from .corrections import revisions_by_update, source_citations_on, word_as_on
from .evidence import passages
from .facets import facet_values, reads_only_catalogue
from .filters import InitiativeFilter, StatusUpdateFilter, filter_state
from .models import (
    Citation,
    Initiative,
    InitiativeOrganisation,
    InitiativeRelation,
    Milestone,
    Organisation,
    Source,
    StatusUpdate,
    Theme,
)
from .querysets import SOURCE_CITE_FIELDS, stable_order
from .timetravel import AsOf
from .translation import translated
from .vocabularies import (
    RELATION_INVERSE_LABELS,
    InitiativeKind,
    Involvement,
    RelationType,
    Status,
)

DASHBOARD_LIST_LENGTH = 8
PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,8}")


def bad_request(request, message):
    return render(request, "400.html", {"message": message}, status=400)


class AsOfMixin:
    """Reads ``as_of`` once (AsOf.of; the context processor gives templates the same value);
    a bad date answers 400 with the reason. On a past date the
    banner (includes/_as_of_banner.html) links to the previous and next dates on which
    something shown here changed."""

    as_of = None

    def dispatch(self, request, *args, **kwargs):
        try:
            self.as_of = AsOf.of(request).date
        except ValidationError as error:
            return self.bad_request(" ".join(error.messages))
        return super().dispatch(request, *args, **kwargs)

    def bad_request(self, message):
        return bad_request(self.request, message)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.as_of:
            previous, following = cached(
                "change-dates", as_of=self.as_of, parts=self.change_scope(), compute=self.change_dates
            )
            context["previous_change"] = previous
            # A change still to come is not something the past-date page may show.
            context["next_change"] = following if following and following <= timezone.localdate() else None
        return context

    def change_scope(self):
        """What the page's neighbouring change dates are about (part of their cache key)."""
        return ()

    def change_dates(self):
        return Initiative.objects.all().change_dates_around(self.as_of)


class ClampedPaginationMixin:
    """Pages in a stable order (empty values last, then ``tiebreak``), so no row is shown
    twice or skipped; a page number past the end shows the last page. A page that is
    not a whole number from 1 is bad input: the first page, with a notice, as a 400."""

    paginator_class = CachedPaginator
    tiebreak = ("-pk",)

    def get_paginator(self, queryset, per_page, **kwargs):
        return self.paginator_class(
            queryset,
            per_page,
            count_parts=self.count_parts(),
            as_of=getattr(self, "as_of", None),
            count_in_catalogue=self.count_in_catalogue(),
            **kwargs,
        )

    def count_parts(self):
        """What the row count depends on besides the date (its cache key), or None."""
        return None

    def count_in_catalogue(self):
        """Whether the row count reads only what initiatives are, and so is kept under
        the catalogue version rather than the data version."""
        return False

    def paginate_queryset(self, queryset, page_size):
        queryset = stable_order(queryset, *self.tiebreak)
        paginator = self.get_paginator(queryset, page_size, allow_empty_first_page=True)
        page = paginator.get_page(self.page_number())
        return paginator, page, page.object_list, page.has_other_pages()

    def page_number(self):
        value = self.request.GET.get(self.page_kwarg, "")
        return int(value) if PAGE_NUMBER.fullmatch(value) else 1

    def page_errors(self):
        value = self.request.GET.get(self.page_kwarg, "")
        if value == "" or PAGE_NUMBER.fullmatch(value):
            return {}
        return {self.page_kwarg: [_("A page number is a whole number from 1; got %(value)r.") % {"value": value[:40]}]}


class FilteredListMixin(ClampedPaginationMixin):
    """A list page whose filters or page number were not understood answers 400, still
    rendering the page with the notice that says which ones and why."""

    @cached_property
    def filters_applied(self):
        """The normalised filter state (filter_state) without the sort, which neither
        the count nor the facets depend on; None when a filter is invalid."""
        state = filter_state(self.filterset)
        return None if state is None else tuple(item for item in state if item[0] != "ordering")

    def count_parts(self):
        state = self.filters_applied
        return None if state is None else (type(self).__name__, *state)

    def input_errors(self):
        errors = dict(self.filterset.form.errors) if self.filterset.is_bound else {}
        return {**errors, **self.page_errors()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form_errors"] = self.input_errors()
        return context

    def render_to_response(self, context, **response_kwargs):
        if context["form_errors"]:
            response_kwargs["status"] = 400
        return super().render_to_response(context, **response_kwargs)


def status_rows(counts):
    """Every status and "not yet assessed" (Status.descriptions), in vocabulary order, with
    its count: code, label, meaning, css_class and count for the templates and the chart."""
    return [
        {
            "code": described.code,
            "label": described.label,
            "meaning": described.meaning,
            "css_class": described.css_class,
            "count": counts.get(described.code, 0),
        }
        for described in Status.descriptions()
    ]


# --- Dashboard ----------------------------------------------------------------------


class DashboardView(AsOfMixin, TemplateView):
    template_name = "initiatives/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Rendered once per data version as a whole page (tracker/pagecache.py).
        context.update(self.dashboard_data())
        return context

    def dashboard_data(self):
        as_of = self.as_of
        annotated = Initiative.objects.with_current_status(as_of=as_of)

        # One grouped query gives the counts by status and by kind.
        by_status, by_kind, total = {}, {}, 0
        for row in annotated.order_by().values("kind", "current_status").annotate(n=Count("pk")):
            by_status[row["current_status"]] = by_status.get(row["current_status"], 0) + row["n"]
            by_kind[row["kind"]] = by_kind.get(row["kind"], 0) + row["n"]
            total += row["n"]
        statuses = status_rows(by_status)
        kinds = [
            {"code": kind.value, "label": kind.label, "count": by_kind.get(kind.value, 0)} for kind in InitiativeKind
        ]

        milestones = (
            Milestone.objects.with_state(as_of)
            .select_related("initiative")
            .only(
                "pk",
                *translated("title", "initiative__title"),
                "due_on",
                "due_on_precision",
                "achieved_on",
                "achieved_on_precision",
                "initiative__slug",
            )
        )
        recent = Initiative.objects.for_cards(as_of).filter(last_reported_on__isnull=False)
        stale = Initiative.objects.for_cards(as_of).stale(as_of).order_by("last_reported_on", "title")
        return {
            "total": total,
            "statuses": statuses,
            "kinds": kinds,
            "recently_updated": list(recent.order_by("-last_reported_on", "title")[:DASHBOARD_LIST_LENGTH]),
            "overdue_milestones": list(milestones.overdue(as_of).order_by("due_on", "title")[:DASHBOARD_LIST_LENGTH]),
            "upcoming_milestones": list(milestones.upcoming(as_of)[:DASHBOARD_LIST_LENGTH]),
            "stale_initiatives": list(stale[:DASHBOARD_LIST_LENGTH]),
            "stale_after_days": settings.TRACKER_STALE_AFTER_DAYS,
            "status_chart": charts.status_bar_chart(statuses),
        }


# --- Initiative list with facets -------------------------------------------------------


class InitiativeListView(AsOfMixin, FilteredListMixin, FilterView):
    filterset_class = InitiativeFilter
    template_name = "initiatives/initiative_list.html"
    paginate_by = 20
    # Whatever the chosen sort, title then pk break ties.
    tiebreak = ("title", "pk")

    def get_queryset(self):
        return Initiative.objects.for_cards(self.as_of, themes=True)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Six aggregates over every initiative: cached per data version and filter state.
        state = self.filters_applied
        facets = (
            self.facets() if state is None else cached("facets", as_of=self.as_of, parts=state, compute=self.facets)
        )
        context["facets"] = facets
        context["active_filters"] = [value for facet in facets for value in facet["values"] if value["selected"]]
        context["ordering_choices"] = self.filterset.filters["ordering"].field.choices
        context["current_ordering"] = self.request.GET.get("ordering", "")
        return context

    @property
    def catalogue_state(self):
        """The filter state under which values are kept in the catalogue version: today's
        (filters_applied); None on a past date or with an invalid filter."""
        return self.filters_applied if self.as_of is None else None

    def count_in_catalogue(self):
        """Today's count under catalogue filters alone (or none)."""
        state = self.catalogue_state
        return state is not None and reads_only_catalogue(name for name, _ in state)

    def facets(self):
        """The facets; today's catalogue facets (facets.facet_values) each kept under the
        catalogue version and the filter state, so that after a status update only the
        status and attention facets are counted again."""
        initiatives = Initiative.objects.with_current_status(as_of=self.as_of)
        state = self.catalogue_state

        def keep_catalogue(facet, compute, without=()):
            name = f"facet-{'-'.join(facet.params)}"
            parts = tuple(item for item in state if item[0] not in without)
            return cached(name, as_of=None, parts=parts, compute=compute, catalogue=True)

        return facet_values(self.filterset, initiatives, keep_catalogue=keep_catalogue if state is not None else None)


# --- Initiative page ----------------------------------------------------------------


def relations_prefetch(lookup, far_end, to_attr, as_of):
    """An initiative's relations one way (``far_end``: "to" for the ones it makes,
    "from" for the ones made to it), with the other initiative's title and slug."""
    near_end = "from" if far_end == "to" else "to"
    return Prefetch(
        lookup,
        queryset=InitiativeRelation.objects.as_of(as_of)
        .select_related(f"{far_end}_initiative")
        .only(
            "pk",
            "relation_type",
            *translated("note"),
            f"{near_end}_initiative_id",
            *translated(f"{far_end}_initiative__title"),
            f"{far_end}_initiative__slug",
        ),
        to_attr=to_attr,
    )


def initiative_page_prefetches(as_of):
    """Everything an initiative's page lists besides the initiative, as it stood on
    ``as_of``: one query each."""
    return [
        Prefetch("updates", queryset=StatusUpdate.objects.for_timeline(as_of), to_attr="timeline"),
        Prefetch(
            "milestones",
            queryset=Milestone.objects.with_state(as_of).select_related("source").order_by("due_on", "title"),
            to_attr="milestone_list",
        ),
        Prefetch(
            "organisation_roles",
            queryset=InitiativeOrganisation.objects.select_related("organisation").order_by(
                "role", "organisation__name"
            ),
            to_attr="roles",
        ),
        Prefetch("countries", to_attr="country_list"),
        Prefetch("themes", queryset=Theme.objects.only("pk", *translated("name"), "slug"), to_attr="theme_list"),
        Prefetch("links", to_attr="link_list"),
        Prefetch(
            "sources", queryset=Source.objects.as_of(as_of).order_by("-published_on", "title"), to_attr="source_list"
        ),
        relations_prefetch("relations_out", "to", "outgoing", as_of),
        relations_prefetch("relations_in", "from", "incoming", as_of),
    ]


class InitiativeDetailView(AsOfMixin, DetailView):
    template_name = "initiatives/initiative_detail.html"
    context_object_name = "initiative"

    def get_queryset(self):
        return (
            Initiative.objects.with_current_status(as_of=self.as_of)
            .select_related("responsible_body")
            .prefetch_related(*initiative_page_prefetches(self.as_of))
        )

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            if not self.as_of:
                raise
        # It exists today but had not been announced on the date: say so (a 404 would
        # deny that it exists), with no fact from after the date but the title asked for.
        initiative = (
            Initiative.objects.with_announced_on()
            .only("pk", *translated("title"), "slug", "known_from")
            .filter(slug=kwargs["slug"])
            .first()
        )
        if initiative is None:
            raise Http404
        self.object = initiative
        context = {
            "initiative": initiative,
            "previous_change": None,
            "next_change": initiative.announced_on if initiative.announced_on <= timezone.localdate() else None,
        }
        return render(request, "initiatives/initiative_not_announced.html", context)

    def change_scope(self):
        return ("initiative", self.object.pk)

    def change_dates(self):
        """This initiative's own changes and the appearance of the initiatives it relates to."""
        pk = self.object.pk
        scope = Initiative.objects.filter(
            Q(pk=pk) | Q(relations_in__from_initiative=pk) | Q(relations_out__to_initiative=pk)
        )
        return scope.change_dates_around(self.as_of)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        initiative = self.object
        word_as_on(initiative.timeline, self.as_of, citations_attr="citation_list")
        relations = [
            {"label": RelationType(r.relation_type).label, "other": r.to_initiative, "note": r.tr.note}
            for r in initiative.outgoing
        ] + [
            {
                "label": RELATION_INVERSE_LABELS[RelationType(r.relation_type)],
                "other": r.from_initiative,
                "note": r.tr.note,
            }
            for r in initiative.incoming
        ]
        # The related initiatives with their own status as of the same date: one query.
        others = {r["other"].pk for r in relations}
        if others:
            annotated = {other.pk: other for other in Initiative.objects.for_cards(self.as_of).filter(pk__in=others)}
            for relation in relations:
                relation["other"] = annotated.get(relation["other"].pk, relation["other"])
        context["relations"] = sorted(relations, key=lambda r: (str(r["label"]), str(r["other"].tr.title)))
        return context


# --- Updates ---------------------------------------------------------------------------


class UpdateListView(AsOfMixin, FilteredListMixin, FilterView):
    filterset_class = StatusUpdateFilter
    template_name = "initiatives/update_list.html"
    paginate_by = 25

    def get_queryset(self):
        return StatusUpdate.objects.for_timeline(self.as_of)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object_list"] = word_as_on(list(context["object_list"]), self.as_of, citations_attr="citation_list")
        context["statuses"] = Status.choices
        context["kinds"] = InitiativeKind.choices
        return context


class UpdateRevisionsView(AsOfMixin, DetailView):
    """What a published update said before each of its revisions, from the audit trail;
    on a past date, as it read then and before the revisions made by then."""

    template_name = "initiatives/update_revisions.html"
    context_object_name = "update"

    def get_queryset(self):
        return StatusUpdate.objects.published().as_of(self.as_of).latest_first().select_related("initiative")

    def change_scope(self):
        return ("initiative", self.object.initiative_id)

    def change_dates(self):
        return Initiative.objects.filter(pk=self.object.initiative_id).change_dates_around(self.as_of)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        word_as_on([self.object], self.as_of, citations_attr="citation_list")
        context["revisions"] = revisions_by_update([self.object.pk], self.as_of).get(self.object.pk, [])
        return context


# --- Organisations and themes ----------------------------------------------------------


class OrganisationDetailView(AsOfMixin, DetailView):
    model = Organisation
    template_name = "initiatives/organisation_detail.html"
    context_object_name = "organisation"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        involvement = Initiative.objects.involvement(self.object)
        initiatives = list(Initiative.objects.for_cards(self.as_of).involving(self.object).order_by("title"))
        for initiative in initiatives:
            initiative.role_labels = [Involvement(code).label for code in involvement.get(initiative.pk, [])]
        context["initiatives"] = initiatives
        return context


class ThemeDetailView(AsOfMixin, DetailView):
    model = Theme
    template_name = "initiatives/theme_detail.html"
    context_object_name = "theme"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["initiatives"] = Initiative.objects.for_cards(self.as_of).filter(themes=self.object).order_by("title")
        return context


# --- Sources ------------------------------------------------------------------------------


class SourceListView(AsOfMixin, ListView):
    template_name = "initiatives/source_list.html"
    context_object_name = "sources"

    def get_queryset(self):
        return (
            Source.objects.as_of(self.as_of)
            .with_citing_update_count(self.as_of)
            .only("kind", "author", "notes", *SOURCE_CITE_FIELDS)
            .order_by("-published_on", "title", "pk")
        )


class SourceDetailView(AsOfMixin, DetailView):
    """The archived text in numbered paragraphs (anchors ``#p-<n>``), each with
    the published updates citing it; ``?citation=<id>`` marks that quote."""

    template_name = "initiatives/source_detail.html"
    context_object_name = "source"

    def get_queryset(self):
        return Source.objects.as_of(self.as_of)

    def get(self, request, *args, **kwargs):
        raw = request.GET.get("citation", "")
        if raw and not raw.isdigit():
            return bad_request(request, _("citation: give the number of a citation."))
        self.highlight_id = int(raw) if raw else None
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        citations = list(
            Citation.objects.filter(
                source=self.object, update__in=StatusUpdate.objects.published().as_of(self.as_of).values("pk")
            )
            .select_related("update__initiative")
            .only(
                "pk",
                "paragraph",
                "quote",
                "source_id",
                "update__reported_on",
                "update__reported_on_precision",
                "update__withdrawn_on",
                *translated("update__headline", "update__initiative__title"),
                "update__initiative__slug",
            )
            .order_by("paragraph", "-update__reported_on", "pk")
        )
        if self.as_of:
            citations = source_citations_on(self.object, citations, self.as_of)
        highlight = next((c for c in citations if c.pk == self.highlight_id), None)
        context["passages"] = passages(self.object, citations, highlight=highlight)
        context["unplaced_citations"] = [c for c in citations if c.paragraph is None]
        context["highlight"] = highlight
        return context


# --- About ------------------------------------------------------------------------------


class AboutView(AsOfMixin, TemplateView):
    template_name = "initiatives/about.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["statuses"] = status_rows({})
        context["stale_after_days"] = settings.TRACKER_STALE_AFTER_DAYS
        context["sources"] = Source.objects.as_of(self.as_of).order_by("-published_on", "title")
        return context
