"""Caching keyed by the data version, which any change to the tracked data moves on.

The version of record is a row in the database (DataVersion), moved on inside the
saving transaction, once per transaction: readers see the new number exactly when
they see the new rows, and a save never depends on Redis.

Reading that row on every request would cost a query, so the number is also
*published* in the cache (Redis when REDIS_URL is set) after each commit, and kept
in process for DATA_VERSION_MEMO_SECONDS. A request reads it from the process
memo, else with one cache read, else from the row (and publishes what it read).
Publishing only ever raises the number, so a reader that read the row just before
a save commits cannot put the older number back over the newer one.

Redis outages: a save whose publish fails leaves the process owing a publish; its
next read goes to the row and publishes again once Redis answers. Other
processes' readers fall back to the row while Redis is down. The published number
also expires after DATA_VERSION_PUBLISHED_SECONDS, the bound on how long a publish
lost with its process (killed between commit and publish) could leave a stale one.

The row holds a second number, the catalogue version, moved on by every change but
to status updates and their citations (what became of the initiatives): what the
initiatives are and plan (their rows, themes, organisations, roles, countries,
milestones, sources, links). It is read and published the same way, and values made
only of those (today's kind, theme, organisation and country facets, the dashboard's
timeline) are kept under it, so a status update, the usual save, does not make them again.

Cached values are plain (numbers, strings, bytes, dicts and lists of them), never
model instances; the release is part of every key (settings.CACHES KEY_PREFIX).
"""

import dataclasses
import datetime
import functools
import hashlib
import threading
import time
from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Model, Value
from django.db.models.functions import Greatest
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import translation
from django.utils.functional import Promise, cached_property

from .timetravel import resolve_as_of

# A safety net only: invalidation is by version, so entries never go stale sooner.
TIMEOUT_SECONDS = 60 * 60
PUBLISHED_VERSION_KEY = "data-version"
PUBLISHED_CATALOGUE_KEY = "catalogue-version"


class _Memo:
    """The numbers this process last read or wrote (by column), until ``expires``
    (time.monotonic). One memo for the pair, read and refreshed together: a process
    never pairs a new data version with an old catalogue version, which would keep
    old catalogue values in a page stored under the new data version."""

    def __init__(self):
        self.lock = threading.Lock()
        self.numbers = None
        self.expires = 0.0
        # A save committed (or is committing) here whose numbers are not yet published.
        self.publish_owed = False


_memo = _Memo()

DATA = "number"
CATALOGUE = "catalogue_number"
# Where each number is published; the catalogue first, so that a reader between the
# two publishes meets an older data version with a newer catalogue (newer values
# under an older number, as any reader during a save), never the other way round.
PUBLISHED_KEYS = {CATALOGUE: PUBLISHED_CATALOGUE_KEY, DATA: PUBLISHED_VERSION_KEY}


def _versions():
    return apps.get_model("initiatives", "DataVersion").objects.filter(pk=1)


def _refresh_from_row():
    """Both numbers read from the row in one query, published, and kept in the memo."""
    numbers = _versions().values(*PUBLISHED_KEYS).first()
    if numbers is None:  # a database emptied by flush: start again
        _create_version_row()
        numbers = dict.fromkeys(PUBLISHED_KEYS, 0)
    # A data version is published only after its catalogue version was.
    published = all(_publish(PUBLISHED_KEYS[column], numbers[column]) for column in PUBLISHED_KEYS)
    _memo.publish_owed = not published
    _memo.numbers, _memo.expires = numbers, time.monotonic() + settings.DATA_VERSION_MEMO_SECONDS
    return numbers


def _create_version_row():
    try:
        with transaction.atomic():
            _versions().model.objects.get_or_create(pk=1)
    except IntegrityError:  # another process created it meanwhile
        pass


def _publish(key, number):
    """Raise the number published under ``key`` to ``number``; False when the cache is
    unreachable."""
    raise_to = getattr(cache, "raise_to", None)
    if raise_to is not None:
        return raise_to(key, number, settings.DATA_VERSION_PUBLISHED_SECONDS)
    with _memo.lock:  # a per-process cache (no REDIS_URL): a lock makes get-then-set safe
        published = cache.get(key)
        if published is None or published < number:
            cache.set(key, number, settings.DATA_VERSION_PUBLISHED_SECONDS)
    return True


def _numbers():
    """Both current numbers: from the process memo, else one cache read (both keys at
    once), else the row."""
    now = time.monotonic()
    if _memo.numbers is not None and now < _memo.expires:
        return _memo.numbers
    found = {} if _memo.publish_owed else cache.get_many(list(PUBLISHED_KEYS.values()))
    if len(found) < len(PUBLISHED_KEYS):
        return _refresh_from_row()
    numbers = {column: found[key] for column, key in PUBLISHED_KEYS.items()}
    _memo.numbers, _memo.expires = numbers, now + settings.DATA_VERSION_MEMO_SECONDS
    return numbers


def data_version():
    """The current data version, which every save moves on."""
    return _numbers()[DATA]


def catalogue_version():
    """The current catalogue version, which every save but of status updates and their
    citations moves on."""
    return _numbers()[CATALOGUE]


def forget_data_version():
    """The next read goes past the process memo (and, until published, past the cache)."""
    _memo.numbers = None
    _memo.publish_owed = True


# Run after a commit that moved the numbers on: one object per kind of move, so that a
# transaction can tell what it has moved already.
_AFTER_DATA_COMMIT = functools.partial(_refresh_from_row)
_AFTER_CATALOGUE_COMMIT = functools.partial(_refresh_from_row)


def _registered(*callbacks):
    """Whether this transaction has registered one of ``callbacks`` (its publish is
    pending). A TestCase wraps each test in a transaction that never commits: there
    every save counts as its own transaction, as it would outside the test."""
    if not connection.in_atomic_block:
        return False
    if any(getattr(block, "_from_testcase", False) for block in connection.atomic_blocks):
        return False
    return any(callback is each for _, callback, _ in connection.run_on_commit for each in callbacks)


def bump_data_version(*, catalogue=True):
    """Move the data version on (and, unless ``catalogue`` is False, the catalogue
    version) once per transaction, in it, in one UPDATE (no signals are sent). Each
    jumps to the clock (in ns) when that is ahead, so a database restored from a backup
    never counts again through numbers already used for other data (and cached or
    exported)."""
    if catalogue:
        if _registered(_AFTER_CATALOGUE_COMMIT):
            return
        columns, after_commit = (DATA, CATALOGUE), _AFTER_CATALOGUE_COMMIT
    else:
        if _registered(_AFTER_DATA_COMMIT, _AFTER_CATALOGUE_COMMIT):
            return
        columns, after_commit = (DATA,), _AFTER_DATA_COMMIT
    now = Value(time.time_ns())
    moved_on = {column: Greatest(F(column) + 1, now) for column in columns}
    if not _versions().update(**moved_on):
        _create_version_row()
        _versions().update(**moved_on)
    forget_data_version()
    transaction.on_commit(after_commit)


def key_for(name, *, as_of, parts=()):
    """A short cache key: the name, language, date shown and a digest of ``parts``
    (plain values: the recognised parameters, never SQL). Today's page and the page
    asked for today's date explicitly (which lists only what was known by then) differ."""
    digest = hashlib.blake2b(repr(tuple(parts)).encode(), digest_size=16).hexdigest()
    day = resolve_as_of(as_of).isoformat()
    return f"{name}:{translation.get_language()}:{'today-' if as_of is None else ''}{day}:{digest}"


def cached(name, *, as_of, parts=(), compute, catalogue=False):
    """compute(), or its cached value for this data version (with ``catalogue``, this
    catalogue version), language and date. compute() must return plain values (they
    are stored, not model instances)."""
    key = key_for(f"{name}@catalogue" if catalogue else name, as_of=as_of, parts=parts)
    version = catalogue_version() if catalogue else data_version()
    value = cache.get(key, version=version)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT_SECONDS, version=version)
    return value


# --- Fragments of a page, kept for what they show -------------------------------------

PLAIN_TYPES = (str, int, float, Decimal, datetime.date, type(None))


def _comparable(value, seen):
    """``value`` as data to compare: plain values as they are (text with attributes, such
    as a LocalizedText, with them), model instances by what they loaded
    (fragment_fingerprint), lists, dicts and dataclasses item by item and field by
    field, lazy translations as text (the language is in the key), anything else by its
    repr: at worst a cache miss (a repr holding an address), never another fragment's
    HTML. ``seen``: the ids of the instances described so far in this key."""
    if type(value) in PLAIN_TYPES:
        return value
    if isinstance(value, str):  # a str with attributes of its own (LocalizedText: lang, fallback)
        attributes = sorted(getattr(value, "__dict__", {}).items())
        return (type(value).__name__, str(value), [(name, _comparable(each, seen)) for name, each in attributes])
    if isinstance(value, PLAIN_TYPES):
        return value
    if isinstance(value, Model):
        return fragment_fingerprint(value, seen)
    if isinstance(value, (list, tuple)):
        return tuple(_comparable(each, seen) for each in value)
    if isinstance(value, dict):
        return tuple((key, _comparable(each, seen)) for key, each in value.items())
    if isinstance(value, Promise):
        return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [(each.name, _comparable(getattr(value, each.name), seen)) for each in dataclasses.fields(value)]
    return repr(value)


def fragment_fingerprint(instance, seen):
    """Everything a fragment made from a model ``instance`` can show: its loaded values
    (columns, annotations, what a view set on it) and those of the related objects loaded
    with it (prefetched or selected). Each object is described once per key: met again (a
    milestone in its program's prefetched list and in the timeline's row, or a cached
    initiative that prefetched that milestone) it is named by its type and primary key,
    its values being in already."""
    if id(instance) in seen:
        return (type(instance).__name__, instance.pk)
    seen.add(id(instance))
    state = [(name, _comparable(value, seen)) for name, value in sorted(vars(instance).items()) if name[0] != "_"]
    for name, related in sorted(getattr(instance, "_prefetched_objects_cache", {}).items()):
        state.append((name, [fragment_fingerprint(each, seen) for each in related]))
    for name, related in sorted(instance._state.fields_cache.items()):
        state.append((name, related and fragment_fingerprint(related, seen)))
    return (type(instance).__name__, state)


def _fragment_key(name, source, as_of, parts):
    return key_for(f"fragment-{name}", as_of=as_of, parts=(*parts, _comparable(source, set())))


def cached_fragments(name, sources, *, as_of, render, parts=()):
    """[render(source) for source in sources], each kept in the cache under what it can
    show (_comparable: the loaded values of the instances it is made from), the language,
    the date and ``parts``; not under the data version. An analyst's save renders every
    page again (the whole pages are kept per version), but of a list's cards only those
    whose own values changed; the others come from the cache, all in one read."""
    keys = [_fragment_key(name, source, as_of, parts) for source in sources]
    found = cache.get_many(keys)
    rendered, fragments = {}, []
    for key, source in zip(keys, sources, strict=True):
        fragment = found.get(key)
        if fragment is None:
            fragment = rendered[key] = render(source)
        fragments.append(fragment)
    if rendered:
        cache.set_many(rendered, TIMEOUT_SECONDS)
    return fragments


class CachedPaginator(Paginator):
    """A paginator whose count is cached per data version under ``count_parts`` (the
    normalised filter state, without page or ordering): COUNT(*) over a filter on the
    computed status reads every initiative, and it changes only when the data (or the
    date) does; with ``count_in_catalogue``, only when the catalogue version does. With
    ``row_parts`` too, pages of plain rows (the API's ``.values()`` dicts) are cached
    under them; pages of model instances never are (the whole HTML page is cached
    instead, tracker/pagecache.py). No parts: a plain Paginator."""

    def __init__(self, *args, count_parts=None, row_parts=None, as_of=None, count_in_catalogue=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.count_parts = count_parts
        self.row_parts = row_parts
        self.as_of = as_of
        self.count_in_catalogue = count_in_catalogue

    @cached_property
    def count(self):
        if self.count_parts is None:
            return super().count
        return cached(
            "count",
            as_of=self.as_of,
            parts=self.count_parts,
            compute=lambda: Paginator.count.func(self),
            catalogue=self.count_in_catalogue,
        )

    def _get_page(self, object_list, number, paginator):
        if self.row_parts is not None:
            parts = (*self.row_parts, ("page-rows", self.per_page, number))
            object_list = cached("rows", as_of=self.as_of, parts=parts, compute=lambda: list(object_list))
        return super()._get_page(object_list, number, paginator)


def recognised_names(filterset_class):
    """The query parameters a FilterSet reads (a range is sent as name_after and name_before)."""
    names = set()
    for name, filter_ in filterset_class.base_filters.items():
        suffixes = getattr(filter_.field_class.widget, "suffixes", None) or [None]
        names.update(f"{name}_{suffix}" if suffix else name for suffix in suffixes)
    return names


def normalised_params(query, names):
    """The recognised parameters of a QueryDict, empty values dropped, each name's values
    de-duplicated in first-seen order, names sorted: junk parameters and their order
    cannot make new cache entries."""
    return tuple(
        (name, tuple(dict.fromkeys(value for value in query.getlist(name) if value != "")))
        for name in sorted(names & query.keys())
        if any(value != "" for value in query.getlist(name))
    )


# What became of the initiatives: a save of these moves the data version alone; any
# other save (and any explicit bump) moves the catalogue version too. The stored
# latest-status columns of an initiative are its updates' (written by an UPDATE with
# no signal), so values kept under the catalogue version never read them.
UPDATE_MODELS = ("statusupdate", "citation")


def _in_catalogue(model):
    return model._meta.model_name not in UPDATE_MODELS


def _data_changed(sender, **kwargs):
    # In the saving transaction: readers see the new number exactly when they see the new rows.
    bump_data_version(catalogue=_in_catalogue(sender))


def _data_changed_by_m2m(sender, action, **kwargs):
    if action.startswith("post_"):
        bump_data_version(catalogue=_in_catalogue(sender))


def connect_invalidation():
    tracked = [
        model
        for model in apps.get_app_config("initiatives").get_models()
        # History rows are written beside the change they record, in the same save.
        if model._meta.model_name != "dataversion" and not model.__name__.startswith("Historical")
    ]
    for model in tracked:
        post_save.connect(_data_changed, sender=model, dispatch_uid=f"tracker-cache-save-{model._meta.label}")
        post_delete.connect(_data_changed, sender=model, dispatch_uid=f"tracker-cache-delete-{model._meta.label}")
    for through in (
        apps.get_model("initiatives", "Initiative").themes.through,
        apps.get_model("initiatives", "Initiative").sources.through,
        apps.get_model("initiatives", "StatusUpdate").sources.through,
    ):
        m2m_changed.connect(
            _data_changed_by_m2m, sender=through, dispatch_uid=f"tracker-cache-m2m-{through._meta.label}"
        )
