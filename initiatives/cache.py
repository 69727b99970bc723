"""Caching of computed page data, invalidated by any change to the tracked data.

Every cached value is keyed by a data version that any save, delete or
many-to-many change of a tracked model moves on, so an analyst's edit is visible
on the next request on every app server (the cache is shared through Redis when
REDIS_URL is set). Keys also carry the language and the date the page is computed
for, because staleness and overdue move with the calendar.

The version is a row in the database (DataVersion), moved on inside the saving
transaction, not a Redis key: a save never touches Redis, so a Redis outage cannot
fail it, and when Redis comes back with its old entries they sit under old
version numbers that no request asks for again. Reading it costs one primary-key
query per request (remembered until the request ends or the data changes).
"""

import hashlib
import threading
import time

from django.apps import apps
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.core.signals import request_started
from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import translation
from django.utils.functional import cached_property

from .querysets import resolve_as_of

# A safety net only: invalidation is by version, so entries never go stale sooner.
TIMEOUT_SECONDS = 60 * 60

_this_request = threading.local()


def _versions():
    return apps.get_model("initiatives", "DataVersion").objects.filter(pk=1)


def data_version():
    """The current data version, read once per request."""
    version = getattr(_this_request, "data_version", None)
    if version is None:
        version = _versions().values_list("number", flat=True).first()
        if version is None:  # a database emptied by flush: start again
            _create_version_row()
            version = 0
        _this_request.data_version = version
    return version


def _create_version_row():
    try:
        with transaction.atomic():
            _versions().model.objects.get_or_create(pk=1)
    except IntegrityError:  # another process created it meanwhile
        pass


def bump_data_version():
    """Move the version on, in the caller's transaction (no signals are sent). It jumps to
    the clock (in ns) when that is ahead, so a database restored from a backup never
    counts again through numbers already used for other data (and cached or exported)."""
    _this_request.data_version = None
    moved_on = Greatest(F("number") + 1, Value(time.time_ns()))
    if not _versions().update(number=moved_on):
        _create_version_row()
        _versions().update(number=moved_on)


def _forget_version(**kwargs):
    _this_request.data_version = None


def cached(name, *, as_of, parts=(), compute):
    """compute(), or its cached value for this data version, language and date."""
    fingerprint = hashlib.sha256(repr(tuple(parts)).encode()).hexdigest()[:32]
    day = resolve_as_of(as_of).isoformat()
    key = f"tracker:{data_version()}:{name}:{translation.get_language()}:{day}:{fingerprint}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT_SECONDS)
    return value


def query_fingerprint(queryset):
    """The SQL and parameters a queryset will run, or None when it is not a
    queryset (or can match nothing)."""
    try:
        return queryset.query.sql_with_params()
    except (AttributeError, EmptyResultSet):
        return None


class CachedPaginator(Paginator):
    """A paginator whose count and pages are cached per data version, keyed by the
    SQL they run. Filtering or sorting on the computed status reads every
    initiative, and COUNT(*) over 250k updates costs more than the page itself;
    both change only when the data (or the date) does."""

    @cached_property
    def count(self):
        fingerprint = query_fingerprint(self.object_list)
        if fingerprint is None:
            return super().count
        return cached("count", as_of=None, parts=fingerprint, compute=lambda: Paginator.count.func(self))

    def _get_page(self, object_list, number, paginator):
        fingerprint = query_fingerprint(object_list)
        if fingerprint is not None:
            # list() runs the query and its prefetches; the instances pickle with them.
            object_list = cached("page", as_of=None, parts=fingerprint, compute=lambda: list(object_list))
        return super()._get_page(object_list, number, paginator)


def _data_changed(sender, **kwargs):
    # In the saving transaction: readers see the new number exactly when they see the new rows.
    bump_data_version()


def connect_invalidation():
    request_started.connect(_forget_version, dispatch_uid="tracker-cache-forget-version")
    for model in apps.get_app_config("initiatives").get_models():
        if model._meta.model_name == "dataversion":
            continue
        post_save.connect(_data_changed, sender=model, dispatch_uid=f"tracker-cache-save-{model._meta.label}")
        post_delete.connect(_data_changed, sender=model, dispatch_uid=f"tracker-cache-delete-{model._meta.label}")
    for through in (
        apps.get_model("initiatives", "Initiative").themes.through,
        apps.get_model("initiatives", "Initiative").sources.through,
        apps.get_model("initiatives", "StatusUpdate").sources.through,
    ):
        m2m_changed.connect(_data_changed, sender=through, dispatch_uid=f"tracker-cache-m2m-{through._meta.label}")
