"""Whole public pages and feeds, rendered once per data version (issue 16).

For an anonymous GET or HEAD of a page listed in CACHED_ROUTES the key is known
before the view runs: the data version (initiatives/cache.py, normally read from
the process memo), the language, the day the page is shown for (staleness and
overdue move with the calendar), the host and path, and the *recognised* query
parameters, normalised (initiatives.cache.normalised_params). The view then sees
only those normalised parameters, so every URL that shares a key renders the same
bytes, and junk parameters cannot make new entries or reach the page.

- A matching If-None-Match (or If-Modified-Since) answers 304 from the key alone:
  no cache read, no rendering, no SQL.
- A stored page answers with its stored bytes and headers: from this process's
  memory (LocalPages) or with one cache read.
- Otherwise the view renders it, and a 200 without cookies is stored.

The answers carry ``Cache-Control: public, max-age=PAGE_CACHE_MAX_AGE,
stale-while-revalidate=PAGE_CACHE_STALE_WHILE_REVALIDATE`` so nginx (docs/deploy.md)
or a CDN can keep them: an analyst's save reaches readers behind such a cache
within max-age. A request carrying a session cookie (a signed-in analyst) is
rendered afresh and marked private.
"""

import datetime
import hashlib
import threading
from collections import OrderedDict
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, QueryDict
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

from initiatives.cache import data_version, normalised_params, recognised_names
from initiatives.changes import FROM_PARAM, TO_PARAM
from initiatives.filters import InitiativeFilter
from initiatives.timetravel import AS_OF_PARAM
from tracker.locale import FRONT_PAGE, is_public_page, remembered_language

PAGE_PARAM = "page"

# Route name -> the query parameters it reads besides as_of and its view's FilterSet's.
CACHED_ROUTES = {
    "initiatives:dashboard": (),
    "initiatives:initiative-list": (PAGE_PARAM,),
    "initiatives:initiative-detail": (),
    "initiatives:update-list": (PAGE_PARAM,),
    "initiatives:update-revisions": (),
    "initiatives:organisation-detail": (),
    "initiatives:theme-detail": (),
    "initiatives:source-list": (),
    "initiatives:source-detail": ("citation",),
    "initiatives:about": (),
    "initiatives:changes": (FROM_PARAM, TO_PARAM, *recognised_names(InitiativeFilter)),
    "initiatives:data": (),
    "initiatives:organisation-list": (),
    "initiatives:theme-list": (),
    "initiatives:country-list": (),
    "initiatives:feed-updates": (),
    "initiatives:feed-initiative": (),
    "initiatives:feed-theme": (),
    "initiatives:feed-organisation": (),
}
# Headers the middleware sets on every answer, so never stored with a page.
OWN_HEADERS = {"etag", "last-modified", "cache-control", "expires"}


class LocalPages:
    """The pages this process served last, by key and data version, in front of the
    shared cache: a stored page served from Redis costs a round trip to another process,
    which on a busy host cost more than the rest of the request. Keyed by the version
    like the shared entries, so never staler than the version this process reads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.entries = OrderedDict()

    def get(self, key):
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
            return entry

    def set(self, key, entry):
        with self.lock:
            self.entries[key] = entry
            self.entries.move_to_end(key)
            while len(self.entries) > settings.PAGE_CACHE_LOCAL_ENTRIES:
                self.entries.popitem(last=False)

    def clear(self):
        with self.lock:
            self.entries.clear()


local_pages = LocalPages()


def recognised_parameters(request):
    """The query parameters the page at this address reads, or None when it is not a
    cached page (not listed, not found, or the front page redirecting to a chosen language)."""
    path = request.path_info
    if request.method not in ("GET", "HEAD") or not is_public_page(path):
        return None
    language = translation.get_language_from_path(path) or settings.LANGUAGE_CODE
    if path == FRONT_PAGE and remembered_language(request) not in (None, settings.LANGUAGE_CODE):
        return None
    try:
        with translation.override(language):  # a prefix resolves in its own language only
            match = resolve(path, getattr(request, "urlconf", None))
    except Resolver404:
        return None
    extra = CACHED_ROUTES.get(match.view_name)
    if extra is None:
        return None
    filterset_class = getattr(getattr(match.func, "view_class", None), "filterset_class", None)
    names = {AS_OF_PARAM, *extra}
    if filterset_class is not None:
        names |= recognised_names(filterset_class)
    return language, frozenset(names)


def _digest(text, size=16):
    return hashlib.blake2b(text.encode(), digest_size=size).hexdigest()


class CachedPage:
    """One request's page: its key, version and validators, all known before rendering."""

    def __init__(self, request, language, names):
        params = normalised_params(request.GET, names)
        # The view sees the recognised parameters only (in the order given, for its links):
        # what it renders is what the key names, whatever else the URL carried.
        kept = dict(params)
        query = urlencode(
            [(name, value) for name in dict.fromkeys(request.GET) if name in kept for value in kept[name]]
        )
        request.GET = QueryDict(query)
        request.META["QUERY_STRING"] = query
        shown_for = request.GET.get(AS_OF_PARAM) or timezone.localdate().isoformat()
        address = f"{request.scheme}://{request.get_host()}{request.path}?{urlencode(params, doseq=True)}"
        self.key = f"page:{language}:{_digest(f'{shown_for} {address}')}"
        self.version = data_version()
        self.etag = f'"{_digest(f"{settings.RELEASE}:{self.key}:{self.version}")}"'
        self.last_modified = self._last_modified(today=AS_OF_PARAM not in request.GET)

    def _last_modified(self, *, today):
        """The data version's time (it is the clock in ns at the last save); for a page
        shown as of today, no earlier than today's start, when its flags last moved."""
        changed = self.version / 1e9
        if today:
            midnight = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time()))
            changed = max(changed, midnight.timestamp())
        return int(changed)

    def decorate(self, response):
        response["ETag"] = self.etag
        response["Last-Modified"] = http_date(self.last_modified)
        patch_cache_control(
            response,
            public=True,
            max_age=settings.PAGE_CACHE_MAX_AGE,
            stale_while_revalidate=settings.PAGE_CACHE_STALE_WHILE_REVALIDATE,
        )
        return response

    def stored(self):
        local_key = f"{self.key}:{self.version}"
        entry = local_pages.get(local_key)
        if entry is None:
            entry = cache.get(self.key, version=self.version)
            if entry is None:
                return None
            local_pages.set(local_key, entry)
        status, headers, content = entry
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        return response

    def store(self, response):
        headers = [(name, value) for name, value in response.items() if name.lower() not in OWN_HEADERS]
        entry = (response.status_code, headers, response.content)
        cache.set(self.key, entry, settings.PAGE_CACHE_TIMEOUT, version=self.version)
        local_pages.set(f"{self.key}:{self.version}", entry)


def _storable(response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    return "cookie" not in response.get("Vary", "").lower()


class PageCacheMiddleware:
    """Outside every middleware but the security and static-file ones (tracker/settings.py):
    a 304 or a stored page is answered before sessions, language, CSRF, messages and the
    rest run. What they add to a rendered page (its language, security policy) is stored
    with it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        recognised = recognised_parameters(request)
        if recognised is None:
            return self.get_response(request)
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            # A signed-in analyst's view of a page: rendered for them, kept by no shared cache.
            response = self.get_response(request)
            patch_cache_control(response, private=True, max_age=0)
            return response
        page = CachedPage(request, *recognised)
        response = get_conditional_response(request, etag=page.etag, last_modified=page.last_modified)
        if response is None:
            response = page.stored()
        if response is not None:
            return page.decorate(response)
        response = self.get_response(request)
        if not _storable(response):
            return response
        page.store(response)
        return page.decorate(response)
