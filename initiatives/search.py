"""Free-text search of initiatives and status updates, in two backends.

The text searched is the English source plus the translation in ``language`` (the
caller's: the page's or the API's language, never read from the thread here).

- PostgreSQL: full-text search in each language's configuration (SEARCH_CONFIGS:
  English and Russian stemmed, Kazakh word by word); words match as prefixes,
  weighted title > summary > description, read from each language's stored document
  and its GIN index (migration 0021, StoredDocument).
- Elsewhere (SQLite): every word must appear as a substring, in any letter case and
  any script, by its Snowball stem in English and Russian (substrings), ranked by
  the field it is found in.

The contract is the same on both: every word must match; an empty query matches all,
a query of no words (punctuation only) matches none.
"""

import re

from django.apps import apps
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorExact, SearchVectorField
from django.db import connections, models
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    Expression,
    ExpressionWrapper,
    FloatField,
    Lookup,
    OuterRef,
    Q,
    Value,
    When,
)
from django.db.models.sql.where import WhereNode
from snowballstemmer import stemmer

from .cache import cached
from .translation import SOURCE_LANGUAGE, column, language_code

# Each language's columns are searched in that language: PostgreSQL's text-search
# configuration stems English and Russian ("искусственного интеллекта" finds
# "искусственный интеллект"); it has none for Kazakh, searched word by word
# ("simple"), each word as a prefix, which covers the endings Kazakh adds.
SEARCH_CONFIGS = {"en": "english", "ru": "russian", "kk": "simple"}
# The same Snowball stemmers, for databases without text search (SQLite).
STEMMERS = {"en": stemmer("english"), "ru": stemmer("russian")}
MAX_SEARCH_WORDS = 8
SUBQUERY_FENCE = 10**9


def search_config(language):
    return SEARCH_CONFIGS[language_code(language)]


class StoredDocument(Expression):
    """A language's search document as PostgreSQL stores it: ``column(name, language)`` of
    the queryset's own table, indexed with GIN. ``search_document`` is a row's own text
    (migration 0021's generated columns); an initiative's ``updates_document`` is that of
    all its published updates (migration 0023, kept by a trigger). The models do not
    declare these columns (they exist on PostgreSQL only and are never loaded with a
    row), so this names the column in the query's table alias, kept right when Django
    nests the query as a subquery (``relabeled_clone``).

    Reading the stored document is what makes ranking cheap: computed from the text
    (to_tsvector over the title, summary and description), ranking 10,000 matches took
    most of a cold searched list."""

    output_field = SearchVectorField()

    def __init__(self, language=SOURCE_LANGUAGE, name="search_document"):
        super().__init__()
        self.column = column(name, language)
        self.alias = None

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        resolved = self.copy()
        resolved.alias = query.get_initial_alias()
        return resolved

    def relabeled_clone(self, change_map):
        clone = self.copy()
        clone.alias = change_map.get(self.alias, self.alias)
        return clone

    def as_sql(self, compiler, connection):
        return f"{compiler.quote_name_unless_alias(self.alias)}.{connection.ops.quote_name(self.column)}", []

    def matches(self, tsquery):
        """The condition ``document @@ tsquery``, for ``.filter()``."""
        return SearchVectorExact(self, tsquery)


def search_languages(language):
    """English (the source, and the fallback every page shows) and ``language``, so a
    Russian word finds Russian text on a Russian page."""
    code = language_code(language)
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


class AnyOf(Lookup):
    """``pk__any_of=[ids]`` on PostgreSQL: ``= ANY(array)``, one parameter however many ids,
    hashed once by PostgreSQL (14 and later); ``IN (...)`` sends a parameter per id, and
    ``IN (SELECT unnest(...))`` costs a hash aggregate per query (4 against 15 ms for
    10,000 ids)."""

    lookup_name = "any_of"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        return "%s", [list(value)]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs}::bigint[])", [*lhs_params, *rhs_params]


models.AutoField.register_lookup(AnyOf)
models.BigAutoField.register_lookup(AnyOf)
models.ForeignKey.register_lookup(AnyOf)


def match_set_condition(queryset):
    """``(True, ids)`` or ``(False, ids)`` when the queryset's only filter is a match set
    (``pk__any_of=ids``, or its exclusion: _full_text_initiatives), else None: the rows
    of a link table can then be filtered by the same array, where a semi-join against
    every initiative cost a searched list's facets 10-20 ms each at 10,000."""
    node, keep = queryset.query.where, True
    while isinstance(node, WhereNode) and len(node.children) == 1:
        keep = keep != node.negated
        node = node.children[0]
    if isinstance(node, AnyOf) and getattr(node.lhs, "target", None) == queryset.model._meta.pk:
        return keep, node.rhs
    return None


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


def is_postgresql(queryset):
    return connections[queryset.db].vendor == "postgresql"


# --- Status updates -------------------------------------------------------------------


def search_updates(updates, query, *, language):
    """The updates whose headline or body holds every word of the query."""
    words = search_words(query)
    if not words:
        return updates.none() if (query or "").strip() else updates
    if is_postgresql(updates):
        return updates.filter(_updates_matching_text(updates.model, words, language))
    condition = Q()
    for code in search_languages(language):
        in_language = Q()
        for word in substrings(words, code):
            in_language &= contains_word(column("headline", code), word) | contains_word(column("body", code), word)
        condition |= in_language
    return updates.filter(condition)


def _updates_matching_text(model, words, language):
    """Matched through the GIN index once, then one hash probe per row. The LIMIT keeps
    PostgreSQL from flattening the subquery into a per-row document test along the
    newest-first index (4 s for a word in none of 250k). One id set per language, each
    through that language's GIN index."""
    matches = Q()
    for code in search_languages(language):
        matching = (
            model._base_manager.filter(StoredDocument(code).matches(prefix_tsquery(words, code)), published=True)
            # Unordered: an id set. With the model's newest-first ordering kept under
            # the LIMIT, small or freshly analysed tables were walked along that index,
            # testing every row's document, instead of asking the GIN index.
            .order_by()
            .values("pk")[:SUBQUERY_FENCE]
        )
        matches |= Q(pk__in=matching)
    return matches


# --- Initiatives ----------------------------------------------------------------------


def search_initiatives(initiatives, query, *, language, as_of=None):
    """Initiatives matching every word of the query in their own text, or in the text
    of one of their published updates known by ``as_of``; best matches first."""
    words = search_words(query)
    if not words:
        return initiatives.none() if (query or "").strip() else initiatives
    if is_postgresql(initiatives):
        return _full_text_initiatives(initiatives, words, language, as_of)
    published = apps.get_model("initiatives", "StatusUpdate").objects.published().as_of(as_of)
    return _substring_initiatives(initiatives, words, language, published)


def _full_text_initiatives(initiatives, words, language, as_of):
    """The matching initiatives (initiatives_matching_text), best first.

    A list page asks for them once for its rows and once for its count and each facet:
    the match set is found once per data version, date and query and kept in the cache;
    each of those queries then reads it as one array parameter (AnyOf). When most
    initiatives match (a common word), the array is of those that do not: "not one of 4
    ids" costs a facet a third of "one of 9,996", and a word every initiative holds
    filters nothing, so the facets count as on the unfiltered list."""
    code = language_code(language)
    matching, ids = cached(
        "search-match-set",
        as_of=as_of,
        parts=(tuple(words), code),
        compute=lambda: _match_set(initiatives.model, words, code, as_of),
    )
    if matching:
        initiatives = initiatives.filter(pk__any_of=ids)
    elif ids:
        initiatives = initiatives.exclude(pk__any_of=ids)
    rank = None
    for each in search_languages(code):
        tsquery = prefix_tsquery(words, each)
        document = StoredDocument(each)
        rank = SearchRank(document, tsquery) if rank is None else rank + SearchRank(document, tsquery)
    return initiatives.annotate(search_rank=rank).order_by("-search_rank", "title")


def _match_set(model, words, language, as_of):
    """``(True, ids of the matching initiatives)`` or, when they are the greater part,
    ``(False, ids of the others)``: the shorter list, from one scan of the initiatives."""
    found = ExpressionWrapper(_matching_text(model, words, language, as_of), output_field=BooleanField())
    matched, missed = [], []
    for pk, is_match in model._base_manager.annotate(found=found).values_list("pk", "found").order_by():
        (matched if is_match else missed).append(pk)
    return (True, matched) if len(matched) <= len(missed) else (False, missed)


def initiatives_matching_text(model, words, language, as_of=None):
    """The initiatives whose own text, or a published update's known by ``as_of``, holds
    every word."""
    return model._base_manager.filter(_matching_text(model, words, language, as_of)).order_by()


def _matching_text(model, words, language, as_of):
    """Per language, one lookup in each GIN index, as id sets, then one cheap hash lookup
    per row: "document @@ query OR EXISTS(...)" would test every initiative instead (a
    sequential scan)."""
    matches = Q()
    for code in search_languages(language):
        tsquery = prefix_tsquery(words, code)
        by_text = model._base_manager.filter(StoredDocument(code).matches(tsquery)).values("pk")
        matches |= Q(pk__in=by_text) | Q(pk__in=_ids_by_updates(model, code, tsquery, as_of))
    return matches


def _ids_by_updates(model, language, tsquery, as_of):
    """The ids of the initiatives with a published update known by ``as_of`` matching.
    Today that is each initiative's stored ``updates_document`` (one table); what was
    known on a past date is not stored, so then the updates themselves are asked."""
    if as_of is None:
        return model._base_manager.filter(StoredDocument(language, "updates_document").matches(tsquery)).values("pk")
    published = apps.get_model("initiatives", "StatusUpdate").objects.published().as_of(as_of)
    return published.filter(StoredDocument(language).matches(tsquery)).values("initiative_id")


def _substring_initiatives(initiatives, words, language, published):
    in_text, in_title, in_summary, in_update = Q(), Q(), Q(), Q()
    for code in search_languages(language):
        title, summary, description = (column(field, code) for field in ("title", "summary", "description"))
        headline, body = column("headline", code), column("body", code)
        text_words, title_words, summary_words, update_words = Q(), Q(), Q(), Q()
        for word in substrings(words, code):
            text_words &= contains_word(title, word) | contains_word(summary, word) | contains_word(description, word)
            title_words &= contains_word(title, word)
            summary_words &= contains_word(summary, word)
            update_words &= contains_word(headline, word) | contains_word(body, word)
        in_text |= text_words
        in_title |= title_words
        in_summary |= summary_words
        in_update |= update_words
    updates = published.filter(initiative=OuterRef("pk"))
    return (
        initiatives.filter(in_text | Exists(updates.filter(in_update)))
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
