"""The status logic, once: every page, API endpoint, admin list and feed asks these.

Each method takes an optional ``as_of`` date: the answer is then the one that
was known on that date. Time travel is honest in one place, here:

- a date known only to the month or year counts from the LAST day of its period
  (a "2023" update is not yet known on 2023-06-01, but is on 2023-12-31). Each
  model stores that day in an indexed column computed on save (``known_from``,
  ``achieved_known_from``; see KnownDatesQuerySet and the models' KNOWN_DATES),
  so the questions below stay plain, index-served comparisons;
- an initiative exists from its first evidenced date (proposed or started, else
  its first published update); before that it is absent from every answer;
- a milestone, a source or a relation appears only once what it rests on is known.

Without ``as_of`` the answer is today's: everything recorded counts.
"""

import calendar
import datetime

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)

from .corrections import known_revisions
from .search import match_set_condition, search_initiatives, search_updates
from .timetravel import resolve_as_of
from .translation import translated
from .vocabularies import Involvement

INVOLVEMENT_ORDER = Involvement.values

# What a reader sees of a published update wherever it is listed: the timeline on an
# initiative's page, the updates page, the feeds and the CSV (StatusUpdateQuerySet.for_timeline).
PUBLISHED_UPDATE_FIELDS = (
    "pk",
    "reported_on",
    "reported_on_precision",
    "status",
    "progress",
    *translated("headline", "body"),
    "revised_on",
    "revision_note",
    "withdrawn_on",
    "withdrawal_reason",
    "published",
    "created",
    "modified",
    "initiative__slug",
    *translated("initiative__title"),
)
# Today's status, stored on each initiative (Initiative.latest_standing_update and the
# columns beside it): stored column -> the field of the latest standing update it copies.
LATEST_STANDING_COLUMNS = {
    "latest_standing_update": "pk",
    "latest_status": "status",
    "latest_progress": "progress",
    "latest_reported_on": "reported_on",
    "latest_reported_on_precision": "reported_on_precision",
}
# What a citation shows of its source (and the sources page of each source).
SOURCE_CITE_FIELDS = ("id", "slug", *translated("title"), "publisher", "url", "published_on", "published_on_precision")
# What an initiative's card (_initiative_row.html) reads (InitiativeQuerySet.for_cards).
CARD_FIELDS = (
    "pk",
    "kind",
    *translated("title", "summary"),
    "slug",
    "period_start",
    "period_start_precision",
    "period_end",
    "period_end_precision",
    "proposed_on",
    "proposed_on_precision",
)


def stable_order(queryset, *tiebreak):
    """The queryset in its requested (or default) order, empty values last either way on
    every database, then the tie-breakers, so pages never overlap or skip rows.

    Only columns that can be empty get NULLS LAST: on a NOT NULL column it changes
    nothing but would keep PostgreSQL from walking the index."""
    ordering = []
    for field in queryset.query.order_by or queryset.model._meta.ordering:
        if isinstance(field, str) and _nullable(queryset.model, field.lstrip("-")):
            expression = F(field.lstrip("-"))
            field = expression.desc(nulls_last=True) if field.startswith("-") else expression.asc(nulls_last=True)
        ordering.append(field)
    return queryset.order_by(*ordering, *(field for field in tiebreak if field not in ordering))


def _nullable(model, name):
    try:
        return model._meta.get_field(name).null
    except FieldDoesNotExist:  # an annotation, such as current_progress
        return True


def end_of_period(value, precision):
    """The last day of the period a date stands for: 2023 (year) -> 2023-12-31,
    June 2025 (month) -> 2025-06-30, a day -> itself. A fact dated only to a
    period cannot be claimed as known before that period is over."""
    if value is None:
        return None
    if precision == "year":
        return value.replace(month=12, day=31)
    if precision == "month":
        return value.replace(day=calendar.monthrange(value.year, value.month)[1])
    return value


def known_by(field, as_of):
    """``field`` (a stored known-from date) is on or before ``as_of``."""
    return Q(**{f"{field}__lte": as_of})


class KnownDatesQuerySet(models.QuerySet):
    """bulk_create skips save(): the stored known-from dates are computed here too."""

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for obj in objs:
            obj.set_known_dates()
        return super().bulk_create(objs, *args, **kwargs)

    def refresh_known_dates(self):
        """Store these rows' known-from dates again after what they rest on changed
        elsewhere (a citation, a source's date). A plain UPDATE of the rows whose dates
        move: a derived column, so no audit record is written for it."""
        for obj in self:
            stored = {name: getattr(obj, name) for name in obj.KNOWN_DATES}
            obj.set_known_dates()
            computed = {name: getattr(obj, name) for name in obj.KNOWN_DATES}
            if computed != stored:
                self.model._base_manager.filter(pk=obj.pk).update(**computed)


def _neighbours(queryset, field, as_of):
    """(latest ``field`` before as_of, earliest after it) in one aggregate query."""
    return queryset.order_by().aggregate(
        previous=Max(field, filter=Q(**{f"{field}__lt": as_of})),
        next=Min(field, filter=Q(**{f"{field}__gt": as_of})),
    )


def _refresh_latest_standing_updates(initiative_ids):
    if initiative_ids:
        apps.get_model("initiatives", "Initiative").objects.filter(
            pk__in=initiative_ids
        ).refresh_latest_standing_update()


class StatusUpdateQuerySet(KnownDatesQuerySet):
    # bulk_create and update send no signal: their initiatives' stored latest standing
    # update (signals.update_saved) is kept here.

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        _refresh_latest_standing_updates({update.initiative_id for update in created})
        return created

    def update(self, **kwargs):
        rows = dict(self.order_by().values_list("pk", "initiative_id"))
        count = super().update(**kwargs)
        initiative_ids = set(rows.values())
        if "initiative" in kwargs or "initiative_id" in kwargs:  # moved: where they are now too
            moved = self.model._base_manager.filter(pk__in=rows).values_list("initiative_id", flat=True)
            initiative_ids |= set(moved)
        _refresh_latest_standing_updates(initiative_ids)
        return count

    def published(self):
        return self.filter(published=True)

    def for_timeline(self, as_of=None, *, citations=True):
        """Published updates known by the date, newest first, as a timeline entry
        (_timeline_entry.html), the updates page, the feeds and the CSV show them: the
        reader's columns (PUBLISHED_UPDATE_FIELDS) with the initiative's slug and title,
        and, with ``citations``, each update's quoted evidence in one more query."""
        updates = (
            self.published().as_of(as_of).latest_first().select_related("initiative").only(*PUBLISHED_UPDATE_FIELDS)
        )
        return updates.with_citations(as_of) if citations else updates

    def with_citations(self, as_of=None):
        """``update.citation_list``: the citations with their sources, one query for a whole
        page (none of a source published after the date)."""
        Citation = apps.get_model("initiatives", "Citation")
        Source = apps.get_model("initiatives", "Source")
        citations = Citation.objects.all()
        if as_of:
            citations = citations.filter(source__in=Source.objects.as_of(as_of).values("pk"))
        citations = (
            citations.select_related("source")
            .only(
                "pk",
                "update_id",
                "source_id",
                *translated("quote"),
                "paragraph",
                *(f"source__{field}" for field in SOURCE_CITE_FIELDS),
            )
            .order_by("pk")
        )
        return self.prefetch_related(models.Prefetch("citations", queryset=citations, to_attr="citation_list"))

    def drafts_by(self, user):
        """The drafts ``user`` wrote: the admin's "My drafts" and the start page."""
        return self.filter(author=user, published=False)

    def standing(self, as_of=None):
        """Published updates not withdrawn by the date: the ones a status rests on.
        A withdrawn update stays on the timeline, marked, but no longer counts."""
        withdrawn_later = Q(withdrawn_on__gt=as_of) if as_of else Q(pk__in=[])
        return self.published().filter(Q(withdrawn_on__isnull=True) | withdrawn_later)

    def as_of(self, as_of=None):
        """Updates known by the date (all of them when no date): a "2023" update
        counts from 2023-12-31, a "June 2025" one from 2025-06-30."""
        return self.filter(known_by("known_from", as_of)) if as_of else self

    def latest_first(self):
        return self.order_by("-reported_on", "-created", "-pk")

    def with_status_then(self, as_of=None):
        """Annotate status_then and progress_then: the status and progress each update had
        on ``as_of``. An update revised since reads as its latest published audit record
        whose revision is dated by then (corrections.wordings_on, in SQL); today's are the
        stored ones."""
        if not as_of:
            return self.annotate(status_then=F("status"), progress_then=F("progress"))
        records = known_revisions(self.model.history.filter(id=OuterRef("pk")), as_of).order_by(
            "-history_date", "-history_id"
        )
        revised_since = Q(revised_on__gt=as_of) & Exists(records)
        return self.annotate(
            status_then=Case(When(revised_since, then=Subquery(records.values("status")[:1])), default=F("status")),
            progress_then=Case(
                When(revised_since, then=Subquery(records.values("progress")[:1])), default=F("progress")
            ),
        )

    def search(self, query, *, language):
        """Updates whose headline or body holds every word of the query, in English or
        in ``language`` (search.search_updates)."""
        return search_updates(self, query, language=language)


class InitiativeQuerySet(KnownDatesQuerySet):
    def announced(self, as_of=None):
        """Initiatives that existed on the date: proposed or started by it (at the end
        of the period such a date stands for), or with a published update known by it.
        All of them when no date."""
        if not as_of:
            return self
        StatusUpdate = apps.get_model("initiatives", "StatusUpdate")
        first_update = StatusUpdate.objects.published().as_of(as_of).filter(initiative=OuterRef("pk"))
        return self.filter(known_by("known_from", as_of) | Exists(first_update))

    def with_announced_on(self):
        """Annotate first_update_known_from; ``announced_on`` (the model property) is the
        earlier of it and the initiative's own evidenced date."""
        StatusUpdate = apps.get_model("initiatives", "StatusUpdate")
        first = StatusUpdate.objects.published().filter(initiative=OuterRef("pk")).order_by("known_from")
        return self.annotate(first_update_known_from=Subquery(first.values("known_from")[:1]))

    def change_dates_around(self, as_of):
        """(previous, next): the nearest dates before and after ``as_of`` on which something
        about these initiatives became known (one appeared, an update, a milestone achieved
        or falling overdue, a source published). Four aggregate queries, whatever the size."""
        StatusUpdate = apps.get_model("initiatives", "StatusUpdate")
        Milestone = apps.get_model("initiatives", "Milestone")
        Source = apps.get_model("initiatives", "Source")
        updates, milestones, sources = StatusUpdate.objects.published(), Milestone.objects.all(), Source.objects.all()
        if self.query.where:  # some initiatives (one page's), not the whole tracker
            ids = self.order_by().values("pk")
            updates, milestones = updates.filter(initiative__in=ids), milestones.filter(initiative__in=ids)
            sources = sources.filter(Q(initiatives__in=ids) | Q(status_updates__initiative__in=ids))
        day = datetime.timedelta(days=1)
        found = [
            _neighbours(self, "known_from", as_of),
            _neighbours(updates, "known_from", as_of),
            _neighbours(sources, "known_from", as_of),
        ]
        # Milestones change when achieved, and when they fall overdue: the day after they are due.
        achieved = milestones.order_by().aggregate(
            previous=Max("achieved_known_from", filter=Q(achieved_known_from__lt=as_of)),
            next=Min("achieved_known_from", filter=Q(achieved_known_from__gt=as_of)),
            last_due=Max("due_on", filter=Q(due_on__lt=as_of - day)),
            next_due=Min("due_on", filter=Q(due_on__gte=as_of)),
        )
        found.append({"previous": achieved["previous"], "next": achieved["next"]})
        found.append({"previous": achieved["last_due"] and achieved["last_due"] + day, "next": None})
        found.append({"previous": None, "next": achieved["next_due"] and achieved["next_due"] + day})
        previous = [row["previous"] for row in found if row["previous"]]
        following = [row["next"] for row in found if row["next"]]
        return (max(previous) if previous else None, min(following) if following else None)

    def with_current_status(self, as_of=None, stale_after_days=None):
        """The initiatives that existed on ``as_of`` (announced), annotated with
        current_status, current_progress, last_reported_on (and its precision),
        current_update_id and is_stale from the latest published update, and
        has_overdue_milestones, all as they stood on that date.

        Latest means by ``reported_on``, ties broken by the newest ``created``;
        an initiative with no published update gets None for all of them and
        is not stale (it is "not yet assessed").
        """
        Milestone = apps.get_model("initiatives", "Milestone")
        # IN, not EXISTS: PostgreSQL reads the overdue milestones once into a hashed set
        # rather than probing them once per initiative.
        overdue = Milestone.objects.overdue(as_of, of_announced=False).values("initiative_id")
        cutoff = self._stale_cutoff(as_of, stale_after_days)
        return (
            self.announced(as_of)
            .annotate(
                **self._current_update_columns(as_of),
                has_overdue_milestones=ExpressionWrapper(Q(pk__in=overdue), output_field=BooleanField()),
            )
            .annotate(
                is_stale=Case(
                    When(last_reported_on__lt=cutoff, then=Value(True)),
                    default=Value(False),
                    output_field=BooleanField(),
                )
            )
        )

    @classmethod
    def _current_update_columns(cls, as_of):
        """current_status, current_progress, last_reported_on (with its precision) and
        current_update_id: on a past date from the latest update known then (subqueries);
        today the stored copy of the latest standing update, the same update by the same
        rule (refresh_latest_standing_update), read from the initiative's own row."""
        if not as_of:
            return {
                "current_status": F("latest_status"),
                "current_progress": F("latest_progress"),
                "last_reported_on": F("latest_reported_on"),
                "last_reported_on_precision": F("latest_reported_on_precision"),
                "current_update_id": F("latest_standing_update_id"),
            }
        latest = cls._latest_update(as_of)
        return {
            "current_status": Subquery(latest.values("status_then")[:1]),
            "current_progress": Subquery(latest.values("progress_then")[:1]),
            "last_reported_on": Subquery(latest.values("reported_on")[:1]),
            "last_reported_on_precision": Subquery(latest.values("reported_on_precision")[:1]),
            "current_update_id": Subquery(latest.values("pk")[:1]),
        }

    def refresh_latest_standing_update(self):
        """Store these initiatives' latest standing update again, by the rule today's
        status follows (_latest_update): one UPDATE, after any write to their updates."""
        latest = self._latest_update(None)
        return self.update(
            **{column: Subquery(latest.values(field)[:1]) for column, field in LATEST_STANDING_COLUMNS.items()}
        )

    @staticmethod
    def _latest_update(as_of):
        """The latest standing (published, not withdrawn) update known by the date, as a
        subquery on the outer initiative."""
        StatusUpdate = apps.get_model("initiatives", "StatusUpdate")
        return (
            StatusUpdate.objects.standing(as_of)
            .as_of(as_of)
            .filter(initiative=OuterRef("pk"))
            .latest_first()
            .with_status_then(as_of)
        )

    def with_previous_status(self, as_of):
        """Annotate previous_status, previous_progress and previous_update_id: what
        with_current_status would have said on ``as_of`` (the start of a comparison)."""
        latest = self._latest_update(as_of)
        return self.annotate(
            previous_status=Subquery(latest.values("status_then")[:1]),
            previous_progress=Subquery(latest.values("progress_then")[:1]),
            previous_update_id=Subquery(latest.values("pk")[:1]),
        )

    def changed_between(self, start, end):
        """Initiatives whose status or progress on ``end`` differs from that on ``start``
        (a first assessment counts as a change), annotated with both states; the update
        that made the change is current_update_id."""
        StatusUpdate = apps.get_model("initiatives", "StatusUpdate")
        # Known by the end but not by the start (a "2024" update counts from 2024-12-31).
        reported_between = (
            StatusUpdate.objects.published()
            .as_of(end)
            .exclude(known_by("known_from", start))
            .filter(initiative=OuterRef("pk"))
        )
        same_status = Q(previous_status=F("current_status"))
        same_progress = Q(previous_progress=F("current_progress")) | Q(
            previous_progress__isnull=True, current_progress__isnull=True
        )
        return (
            self._ensure_current_status(end)
            .with_previous_status(start)
            .filter(Exists(reported_between))
            .annotate(
                status_changed=Case(When(same_status, then=Value(False)), default=Value(True)),
                progress_changed=Case(When(same_progress, then=Value(False)), default=Value(True)),
            )
            .filter(Q(status_changed=True) | Q(progress_changed=True))
        )

    def announced_between(self, start, end):
        """Initiatives that existed on ``end`` but not yet on ``start`` (``announced``), with
        first_update_known_from for the model's ``announced_on``."""
        existing_at_start = self.model.objects.announced(start).values("pk")
        return self.announced(end).exclude(pk__in=existing_at_start).with_announced_on()

    def _ensure_current_status(self, as_of=None, stale_after_days=None):
        if "current_status" in self.query.annotations:
            return self
        return self.with_current_status(as_of=as_of, stale_after_days=stale_after_days)

    @staticmethod
    def _stale_cutoff(as_of=None, stale_after_days=None):
        days = settings.TRACKER_STALE_AFTER_DAYS if stale_after_days is None else stale_after_days
        return resolve_as_of(as_of) - datetime.timedelta(days=days)

    def stale(self, as_of=None, stale_after_days=None):
        """Initiatives whose last published update is older than the staleness window."""
        return self._ensure_current_status(as_of, stale_after_days).filter(is_stale=True)

    def not_assessed(self, as_of=None):
        return self._ensure_current_status(as_of).filter(current_status__isnull=True)

    def with_status(self, statuses, as_of=None):
        return self._ensure_current_status(as_of).filter(current_status__in=statuses)

    def for_cards(self, as_of=None, *, themes=False):
        """Initiatives as their cards (_initiative_row.html) show them on lists, the dashboard,
        organisation and theme pages, related initiatives and badges: the status as of the
        date (with_current_status) and only the columns a card reads; ``themes`` adds the
        theme tags (one more query)."""
        cards = self.with_current_status(as_of=as_of).only(*CARD_FIELDS)
        if themes:
            Theme = apps.get_model("initiatives", "Theme")
            cards = cards.prefetch_related(
                models.Prefetch("themes", queryset=Theme.objects.only("pk", *translated("name"), "slug"))
            )
        return cards

    def links(self, link_model):
        """``link_model``'s rows (themes, roles, countries) of these initiatives; of every
        initiative (today's unfiltered list), the table itself, with no semi-join against
        all of them; of a search's matches alone, those filtered by the match set's ids."""
        rows = link_model.objects.all()
        if not self.query.where:
            return rows
        match_set = match_set_condition(self)
        if match_set is None:
            return rows.filter(initiative__in=self.values("pk"))
        keep, ids = match_set
        return rows.filter(initiative__any_of=ids) if keep else rows.exclude(initiative__any_of=ids)

    def involving(self, organisations):
        """Initiatives an organisation (or any of several) leads, partners, supports or is
        the responsible body of: the one definition the organisation page, the list's
        organisation filter and the API share. Through EXISTS, so nothing is listed twice."""
        if isinstance(organisations, models.Model):
            organisations = [organisations]
        InitiativeOrganisation = apps.get_model("initiatives", "InitiativeOrganisation")
        roles = InitiativeOrganisation.objects.filter(initiative=OuterRef("pk"), organisation__in=organisations)
        return self.filter(Exists(roles) | Q(responsible_body__in=organisations))

    @staticmethod
    def involvement(organisation):
        """{initiative id: [Involvement codes]}: each role the organisation has, then
        "responsible_body" where it is one; one query for any number of initiatives."""
        InitiativeOrganisation = apps.get_model("initiatives", "InitiativeOrganisation")
        Initiative = apps.get_model("initiatives", "Initiative")
        roles = InitiativeOrganisation.objects.filter(organisation=organisation).values_list("initiative_id", "role")
        responsible = Initiative.objects.filter(responsible_body=organisation).values_list(
            "pk", Value("responsible_body", output_field=models.CharField())
        )
        involvement = {}
        for initiative_id, code in sorted(roles.order_by().union(responsible.order_by(), all=True)):
            involvement.setdefault(initiative_id, []).append(code)
        for codes in involvement.values():
            codes.sort(key=INVOLVEMENT_ORDER.index)
        return involvement

    def involvement_counts(self, *fields, organisation_fields=()):
        """{(organisation slug, *its organisation_fields, *field values): number of these
        initiatives} counting what ``involving`` matches: roles, plus the initiatives an
        organisation is the responsible body of without a role (so none is counted twice).
        Counted by organisation id (a DISTINCT over integers, not over names), then named
        in one query of the organisations: three queries."""
        InitiativeOrganisation = apps.get_model("initiatives", "InitiativeOrganisation")
        Organisation = apps.get_model("initiatives", "Organisation")
        if fields:  # columns of the initiatives themselves: counted through them
            with_role = (
                self.filter(organisation_roles__isnull=False)
                .values_list("organisation_roles__organisation", *fields)
                .annotate(n=models.Count("pk", distinct=True))
                .order_by()
            )
        else:
            roles = self.links(InitiativeOrganisation).values_list("organisation")
            with_role = roles.annotate(n=models.Count("initiative", distinct=True)).order_by()
        role_of_body = InitiativeOrganisation.objects.filter(
            initiative=OuterRef("pk"), organisation=OuterRef("responsible_body")
        )
        responsible_only = (
            self.filter(responsible_body__isnull=False)
            .exclude(Exists(role_of_body))
            .values_list("responsible_body", *fields)
            .annotate(n=models.Count("pk"))
            .order_by()
        )
        by_id = {}
        for *key, n in [*with_role, *responsible_only]:
            by_id[tuple(key)] = by_id.get(tuple(key), 0) + n
        organisation_ids = {key[0] for key in by_id}
        names = {
            pk: named
            for pk, *named in Organisation.objects.filter(pk__in=organisation_ids).values_list(
                "pk", "slug", *organisation_fields
            )
        }
        return {(*names[pk], *values): n for (pk, *values), n in by_id.items()}

    def search(self, query, *, language, as_of=None):
        """Initiatives matching every word of the query, in English or in ``language``,
        in their own text or in a published update known by ``as_of``; best first
        (search.search_initiatives)."""
        return search_initiatives(self, query, language=language, as_of=as_of)


class MilestoneQuerySet(KnownDatesQuerySet):
    @staticmethod
    def _achieved_by(as_of):
        """Achieved, as known on the date: an achievement dated "2024" counts from
        2024-12-31. Today (no date) every recorded achievement counts."""
        if not as_of:
            return Q(achieved_on__isnull=False)
        return Q(achieved_known_from__isnull=False) & known_by("achieved_known_from", as_of)

    def known(self, as_of=None, of_announced=True):
        """Milestones not set by a source published after the date and (unless the caller
        already knows it) of initiatives that existed on it."""
        if not as_of:
            return self
        known = self.filter(Q(source__known_from__isnull=True) | known_by("source__known_from", as_of))
        if of_announced:
            Initiative = apps.get_model("initiatives", "Initiative")
            known = known.filter(initiative__in=Initiative.objects.announced(as_of).values("pk"))
        return known

    def with_state(self, as_of=None):
        """The milestones known on the date, annotated with is_achieved and is_overdue
        as they stood on it."""
        achieved = self._achieved_by(as_of)
        as_of_day = resolve_as_of(as_of)
        return self.known(as_of).annotate(
            is_achieved=Case(When(achieved, then=Value(True)), default=Value(False), output_field=BooleanField()),
            is_overdue=Case(
                When(Q(due_on__lt=as_of_day) & ~achieved, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )

    def overdue(self, as_of=None, of_announced=True):
        """Due before the date and not achieved by it."""
        return self.known(as_of, of_announced).filter(due_on__lt=resolve_as_of(as_of)).exclude(self._achieved_by(as_of))

    def achieved_between(self, start, end):
        """Achieved as known on ``end`` but not yet on ``start``."""
        return self.known(end).filter(self._achieved_by(end)).exclude(self._achieved_by(start))

    def fell_overdue_between(self, start, end):
        """Overdue on ``end`` but not on ``start``: due on or after the start, before the end,
        and not achieved by the end."""
        return self.overdue(end).filter(due_on__gte=start)

    def upcoming(self, as_of=None, within_days=None):
        """Due on or after the date and not achieved by it, soonest first."""
        as_of_day = resolve_as_of(as_of)
        pending = self.known(as_of).filter(due_on__gte=as_of_day).exclude(self._achieved_by(as_of))
        if within_days is not None:
            pending = pending.filter(due_on__lte=as_of_day + datetime.timedelta(days=within_days))
        return pending.order_by("due_on", "title")


class SourceQuerySet(KnownDatesQuerySet):
    def as_of(self, as_of=None):
        """Sources published by the date (a "2024" report from 2024-12-31); undated ones always."""
        if not as_of:
            return self
        return self.filter(Q(known_from__isnull=True) | known_by("known_from", as_of))

    def with_citing_update_count(self, as_of=None):
        """``citing_update_count``: the published updates (known by the date) citing it."""
        citing = Q(citations__update__published=True)
        if as_of:
            citing &= known_by("citations__update__known_from", as_of)
        return self.annotate(citing_update_count=models.Count("citations__update", filter=citing, distinct=True))


class InitiativeRelationQuerySet(models.QuerySet):
    def as_of(self, as_of=None):
        """Relations whose two initiatives both existed on the date, and whose source (if
        one is recorded, and dated) was published by then."""
        if not as_of:
            return self
        Initiative = apps.get_model("initiatives", "Initiative")
        existing = Initiative.objects.announced(as_of).values("pk")
        evidenced = Q(source__known_from__isnull=True) | known_by("source__known_from", as_of)
        return self.filter(evidenced, from_initiative__in=existing, to_initiative__in=existing)
