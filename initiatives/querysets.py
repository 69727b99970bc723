"""The status logic, once: every page, API endpoint, admin list and feed asks these.

Each method takes an optional ``as_of`` date: the answer is then the one that
was true on that date, counting only updates reported on or before it and
milestones achieved on or before it.
"""

import datetime
import re

from django.apps import apps
from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.core.exceptions import FieldDoesNotExist
from django.db import connections, models
from django.db.models import BooleanField, Case, Exists, F, FloatField, OuterRef, Q, Subquery, Value, When
from django.utils import timezone

from .translation import SOURCE_LANGUAGE, column, language_code

# No stemming: the content is written in English, Russian and Kazakh.
SEARCH_CONFIG = "simple"
MAX_SEARCH_WORDS = 8
SUBQUERY_FENCE = 10**9


def update_document(language=SOURCE_LANGUAGE):
    """An update's search document in one language (its columns for that language only).
    Each language's expression is indexed (migrations 0004 and 0006)."""
    return SearchVector(column("headline", language), weight="B", config=SEARCH_CONFIG) + SearchVector(
        column("body", language), weight="C", config=SEARCH_CONFIG
    )


def initiative_document(language=SOURCE_LANGUAGE):
    return (
        SearchVector(column("title", language), weight="A", config=SEARCH_CONFIG)
        + SearchVector(column("summary", language), weight="B", config=SEARCH_CONFIG)
        + SearchVector(column("description", language), weight="C", config=SEARCH_CONFIG)
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


def prefix_tsquery(words):
    """A PostgreSQL tsquery matching every word as a prefix. Words are letters and digits only,
    so nothing in them can be read as tsquery syntax."""
    return SearchQuery(" & ".join(f"{word}:*" for word in words), search_type="raw", config=SEARCH_CONFIG)


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


class StatusUpdateQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)

    def as_of(self, as_of=None):
        """Updates that had been reported by the date (all of them when no date)."""
        return self.filter(reported_on__lte=as_of) if as_of else self

    def latest_first(self):
        return self.order_by("-reported_on", "-created", "-pk")

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
            tsquery = prefix_tsquery(words)
            matches = Q()
            for language in search_languages():
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
            for word in words:
                in_language &= contains_word(column("headline", language), word) | contains_word(
                    column("body", language), word
                )
            condition |= in_language
        return self.filter(condition)


class InitiativeQuerySet(models.QuerySet):
    def with_current_status(self, as_of=None, stale_after_days=None):
        """Annotate current_status, current_progress, last_reported_on,
        current_update_id and is_stale from the latest published update, and
        has_overdue_milestones, all as they stood on ``as_of``.

        Latest means by ``reported_on``, ties broken by the newest ``created``;
        an initiative with no published update gets None for all of them and
        is not stale (it is "not yet assessed").
        """
        StatusUpdate = apps.get_model("initiatives", "StatusUpdate")
        latest = StatusUpdate.objects.published().as_of(as_of).filter(initiative=OuterRef("pk")).latest_first()
        Milestone = apps.get_model("initiatives", "Milestone")
        overdue = Milestone.objects.overdue(as_of).filter(initiative=OuterRef("pk"))
        cutoff = self._stale_cutoff(as_of, stale_after_days)
        return self.annotate(
            current_status=Subquery(latest.values("status")[:1]),
            current_progress=Subquery(latest.values("progress")[:1]),
            last_reported_on=Subquery(latest.values("reported_on")[:1]),
            current_update_id=Subquery(latest.values("pk")[:1]),
            has_overdue_milestones=Exists(overdue),
        ).annotate(
            is_stale=Case(
                When(last_reported_on__lt=cutoff, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )

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

    def search(self, query):
        """Initiatives matching every word of the query in their own text, or in the
        text of one of their published updates; best matches first.

        On PostgreSQL this is full-text search (words match as prefixes, weighted
        title > summary > description, served by the GIN indexes of migrations
        0004 and 0006); elsewhere every word must appear as a substring (in any
        letter case, in any script), ranked by the field it is found in. The
        contract is the same on both. The text searched is the English source plus
        the active language's translation (search_languages).
        """
        words = search_words(query)
        if not words:
            return self.none() if (query or "").strip() else self
        StatusUpdate = apps.get_model("initiatives", "StatusUpdate")
        languages = search_languages()
        if connections[self.db].vendor == "postgresql":
            tsquery = prefix_tsquery(words)
            # Id sets per language, each found through its own GIN index, then one
            # cheap hash lookup per row; "document @@ query OR EXISTS(...)" would
            # compute the document of every initiative instead (a sequential scan).
            matches = Q()
            rank = None
            for language in languages:
                document = initiative_document(language)
                by_text = self.model._base_manager.annotate(document=document).filter(document=tsquery).values("pk")
                by_update = (
                    StatusUpdate.objects.published()
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
            for word in words:
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
        updates = StatusUpdate.objects.published().filter(initiative=OuterRef("pk"))
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


class MilestoneQuerySet(models.QuerySet):
    @staticmethod
    def _achieved_by(as_of):
        return Q(achieved_on__isnull=False, achieved_on__lte=as_of)

    def with_state(self, as_of=None):
        """Annotate is_achieved and is_overdue as they stood on the date."""
        as_of = resolve_as_of(as_of)
        achieved = self._achieved_by(as_of)
        return self.annotate(
            is_achieved=Case(When(achieved, then=Value(True)), default=Value(False), output_field=BooleanField()),
            is_overdue=Case(
                When(Q(due_on__lt=as_of) & ~achieved, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )

    def overdue(self, as_of=None):
        """Due before the date and not achieved by it."""
        as_of = resolve_as_of(as_of)
        return self.filter(due_on__lt=as_of).exclude(self._achieved_by(as_of))

    def upcoming(self, as_of=None, within_days=None):
        """Due on or after the date and not achieved by it, soonest first."""
        as_of = resolve_as_of(as_of)
        pending = self.filter(due_on__gte=as_of).exclude(self._achieved_by(as_of))
        if within_days is not None:
            pending = pending.filter(due_on__lte=as_of + datetime.timedelta(days=within_days))
        return pending.order_by("due_on", "title")
