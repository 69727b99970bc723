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
import re

from django.apps import apps
from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.core.exceptions import FieldDoesNotExist
from django.db import connections, models
from django.db.models import BooleanField, Case, Exists, F, FloatField, Max, Min, OuterRef, Q, Subquery, Value, When
from django.utils import timezone
from snowballstemmer import stemmer

from .corrections import known_revisions
from .translation import SOURCE_LANGUAGE, column, language_code
from .vocabularies import Involvement

# Each language's columns are searched in that language: PostgreSQL's text-search
# configuration stems English and Russian ("искусственного интеллекта" finds
# "искусственный интеллект"); it has none for Kazakh, searched word by word
# ("simple"), each word as a prefix, which covers the endings Kazakh adds.
SEARCH_CONFIGS = {"en": "english", "ru": "russian", "kk": "simple"}
# The same Snowball stemmers, for databases without text search (SQLite).
STEMMERS = {"en": stemmer("english"), "ru": stemmer("russian")}
MAX_SEARCH_WORDS = 8
SUBQUERY_FENCE = 10**9
INVOLVEMENT_ORDER = Involvement.values


def search_config(language):
    return SEARCH_CONFIGS[language_code(language)]


def update_document(language=SOURCE_LANGUAGE):
    """An update's search document in one language (its columns for that language only,
    in that language's configuration). Each language's expression is indexed
    (migrations 0004, 0006 and 0015)."""
    config = search_config(language)
    return SearchVector(column("headline", language), weight="B", config=config) + SearchVector(
        column("body", language), weight="C", config=config
    )


def initiative_document(language=SOURCE_LANGUAGE):
    config = search_config(language)
    return (
        SearchVector(column("title", language), weight="A", config=config)
        + SearchVector(column("summary", language), weight="B", config=config)
        + SearchVector(column("description", language), weight="C", config=config)
    )


def search_languages():
    """Search looks at English (the source, and the fallback every page shows) and at
    the language shown, so a Russian word finds Russian text on a Russian page."""
    code = language_code()
    return [SOURCE_LANGUAGE] if code == SOURCE_LANGUAGE else [SOURCE_LANGUAGE, code]


class UnicodeLower(models.Transform):
    """``headline__unicode_lower__contains=word``: a case-insensitive match in any script.

    SQLite's LIKE and lower() fold ASCII letters only, so "Өңір" would not match
    "өңір"; on SQLite this calls Python's str.lower (registered on each new
    connection by register_sqlite_functions), elsewhere LOWER."""

    lookup_name = "unicode_lower"
    function = "LOWER"

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="TRACKER_LOWER", **extra_context)


models.CharField.register_lookup(UnicodeLower)
models.TextField.register_lookup(UnicodeLower)


def register_sqlite_functions(sender, connection, **kwargs):
    """connection_created receiver: the function behind UnicodeLower on SQLite."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "TRACKER_LOWER", 1, lambda text: None if text is None else text.lower(), deterministic=True
        )


def contains_word(field, word):
    return Q(**{f"{field}__unicode_lower__contains": word})


def search_words(query):
    """The words of a free-text query (letters and digits in any script), at most a few."""
    return re.findall(r"\w+", (query or "").lower())[:MAX_SEARCH_WORDS]


def prefix_tsquery(words, language=SOURCE_LANGUAGE):
    """A PostgreSQL tsquery matching every word as a prefix, each word reduced to its stem
    by the language's configuration first. Words are letters and digits only, so nothing
    in them can be read as tsquery syntax."""
    return SearchQuery(" & ".join(f"{word}:*" for word in words), search_type="raw", config=search_config(language))


def substrings(words, language=SOURCE_LANGUAGE):
    """What each word is looked for as without text search (SQLite): its Snowball stem
    where the stem is the start of the word (so "интеллекта" finds "интеллект" as
    PostgreSQL's stemming does), else the word itself ("happy" stems to "happi")."""
    stem = STEMMERS.get(language_code(language))
    if stem is None:
        return words
    return [stemmed if word.startswith(stemmed := stem.stemWord(word)) and stemmed else word for word in words]


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


def resolve_as_of(as_of):
    """The date a question is asked as of: the given one, or today."""
    return as_of or timezone.localdate()


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


class StatusUpdateQuerySet(KnownDatesQuerySet):
    def published(self):
        return self.filter(published=True)

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

    def search(self, query):
        """Updates whose headline or body holds every word of the query (see
        InitiativeQuerySet.search for the contract)."""
        words = search_words(query)
        if not words:
            return self.none() if (query or "").strip() else self
        if connections[self.db].vendor == "postgresql":
            # Matched through the GIN index once, then one hash probe per row. The
            # LIMIT keeps PostgreSQL from flattening the subquery into a per-row
            # document test along the newest-first index (4 s for a word in none of 250k).
            # One id set per language, each through that language's GIN index.
            matches = Q()
            for language in search_languages():
                tsquery = prefix_tsquery(words, language)
                matching = (
                    self.model._base_manager.annotate(document=update_document(language))
                    .filter(document=tsquery, published=True)
                    # Unordered: an id set. With the model's newest-first ordering kept under
                    # the LIMIT, small or freshly analysed tables were walked along that index,
                    # testing every row's document, instead of asking the GIN index.
                    .order_by()
                    .values("pk")[:SUBQUERY_FENCE]
                )
                matches |= Q(pk__in=matching)
            return self.filter(matches)
        condition = Q()
        for language in search_languages():
            in_language = Q()
            for word in substrings(words, language):
                in_language &= contains_word(column("headline", language), word) | contains_word(
                    column("body", language), word
                )
            condition |= in_language
        return self.filter(condition)


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
        current_status, current_progress, last_reported_on, current_update_id and
        is_stale from the latest published update, and has_overdue_milestones, all as
        they stood on that date.

        Latest means by ``reported_on``, ties broken by the newest ``created``;
        an initiative with no published update gets None for all of them and
        is not stale (it is "not yet assessed").
        """
        latest = self._latest_update(as_of)
        Milestone = apps.get_model("initiatives", "Milestone")
        overdue = Milestone.objects.overdue(as_of, of_announced=False).filter(initiative=OuterRef("pk"))
        cutoff = self._stale_cutoff(as_of, stale_after_days)
        return (
            self.announced(as_of)
            .annotate(
                current_status=Subquery(latest.values("status_then")[:1]),
                current_progress=Subquery(latest.values("progress_then")[:1]),
                last_reported_on=Subquery(latest.values("reported_on")[:1]),
                current_update_id=Subquery(latest.values("pk")[:1]),
                has_overdue_milestones=Exists(overdue),
            )
            .annotate(
                is_stale=Case(
                    When(last_reported_on__lt=cutoff, then=Value(True)),
                    default=Value(False),
                    output_field=BooleanField(),
                )
            )
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
        """{(organisation slug, *its organisation_fields, *field values): number of these initiatives} counting what
        ``involving`` matches: roles, plus the initiatives an organisation is the responsible
        body of without a role (so none is counted twice). Two grouped queries."""
        InitiativeOrganisation = apps.get_model("initiatives", "InitiativeOrganisation")
        with_role = (
            self.filter(organisation_roles__isnull=False)
            .values_list(
                "organisation_roles__organisation__slug",
                *(f"organisation_roles__organisation__{name}" for name in organisation_fields),
                *fields,
            )
            .annotate(n=models.Count("pk", distinct=True))
            .order_by()
        )
        role_of_body = InitiativeOrganisation.objects.filter(
            initiative=OuterRef("pk"), organisation=OuterRef("responsible_body")
        )
        responsible_only = (
            self.filter(responsible_body__isnull=False)
            .exclude(Exists(role_of_body))
            .values_list(
                "responsible_body__slug", *(f"responsible_body__{name}" for name in organisation_fields), *fields
            )
            .annotate(n=models.Count("pk"))
            .order_by()
        )
        counts = {}
        for *key, n in [*with_role, *responsible_only]:
            counts[tuple(key)] = counts.get(tuple(key), 0) + n
        return counts

    def search(self, query, as_of=None):
        """Initiatives matching every word of the query in their own text, or in the
        text of one of their published updates (known by ``as_of``); best matches first.

        On PostgreSQL this is full-text search in each language's configuration
        (SEARCH_CONFIGS: English and Russian stemmed, Kazakh word by word; words
        match as prefixes, weighted title > summary > description, served by the GIN
        indexes of migrations 0004, 0006 and 0015); elsewhere every word must appear
        as a substring (in any letter case, in any script), by its Snowball stem in
        English and Russian (substrings), ranked by the field it is found in. The
        contract is the same on both. The text searched is the English source plus
        the active language's translation (search_languages).
        """
        words = search_words(query)
        if not words:
            return self.none() if (query or "").strip() else self
        StatusUpdate = apps.get_model("initiatives", "StatusUpdate")
        languages = search_languages()
        if connections[self.db].vendor == "postgresql":
            # Id sets per language, each found through its own GIN index, then one
            # cheap hash lookup per row; "document @@ query OR EXISTS(...)" would
            # compute the document of every initiative instead (a sequential scan).
            matches = Q()
            rank = None
            for language in languages:
                tsquery = prefix_tsquery(words, language)
                document = initiative_document(language)
                by_text = self.model._base_manager.annotate(document=document).filter(document=tsquery).values("pk")
                by_update = (
                    StatusUpdate.objects.published()
                    .as_of(as_of)
                    .annotate(document=update_document(language))
                    .filter(document=tsquery)
                    .values("initiative_id")
                )
                matches |= Q(pk__in=by_text) | Q(pk__in=by_update)
                rank = SearchRank(document, tsquery) if rank is None else rank + SearchRank(document, tsquery)
            return self.filter(matches).annotate(search_rank=rank).order_by("-search_rank", "title")
        in_text = Q()
        in_title = Q()
        in_summary = Q()
        in_update = Q()
        for language in languages:
            title, summary, description = (column(field, language) for field in ("title", "summary", "description"))
            headline, body = column("headline", language), column("body", language)
            text_words, title_words, summary_words, update_words = Q(), Q(), Q(), Q()
            for word in substrings(words, language):
                text_words &= (
                    contains_word(title, word) | contains_word(summary, word) | contains_word(description, word)
                )
                title_words &= contains_word(title, word)
                summary_words &= contains_word(summary, word)
                update_words &= contains_word(headline, word) | contains_word(body, word)
            in_text |= text_words
            in_title |= title_words
            in_summary |= summary_words
            in_update |= update_words
        updates = StatusUpdate.objects.published().as_of(as_of).filter(initiative=OuterRef("pk"))
        return (
            self.filter(in_text | Exists(updates.filter(in_update)))
            .annotate(
                search_rank=Case(
                    When(in_title, then=Value(1.0)),
                    When(in_summary, then=Value(0.4)),
                    When(in_text, then=Value(0.2)),
                    default=Value(0.1),
                    output_field=FloatField(),
                )
            )
            .order_by("-search_rank", "title")
        )


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
