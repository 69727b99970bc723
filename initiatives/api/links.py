"""Absolute ``url`` / ``html_url`` for API rows, reversed once per route per request.

A list page carries a few hundred links; reversing each one costs more than
building the whole row, so each route is reversed once with a marker in place
of its key and then filled in per row. The result is exactly what
``request.build_absolute_uri(reverse(...))`` would give (i18n prefixes and
SCRIPT_NAME included, since the reverse still happens per request).
"""

from urllib.parse import urlencode

from django.urls import reverse

from ..timetravel import AsOf

# Fits both slug and numeric-id routes; long enough never to occur in a host name.
MARKER = "90817263544536271"


class Links:
    def __init__(self, request, as_of=None):
        self.request = request
        self.as_of = as_of
        # Links out of a past view stay in the past.
        self.query = "?" + urlencode(AsOf(as_of).query) if as_of else ""
        self._routes = {}

    def _route(self, name, kwarg):
        route = self._routes.get(name)
        if route is None:
            absolute = self.request.build_absolute_uri(reverse(name, kwargs={kwarg: MARKER}))
            prefix, suffix = absolute.split(MARKER, 1)
            route = self._routes[name] = (prefix, suffix + self.query)
        return route

    def build(self, name, key, kwarg="slug", fragment=""):
        prefix, suffix = self._route(name, kwarg)
        return f"{prefix}{key}{suffix}{fragment}"

    # Named links for the changes endpoint; serializers build theirs with fields.LinkField.
    def initiative(self, slug):
        return self.build("api:initiative-detail", slug)

    def status_update(self, pk):
        return self.build("api:statusupdate-detail", pk, kwarg="pk")

    def milestone(self, pk):
        return self.build("api:milestone-detail", pk, kwarg="pk")

    # Public pages (the same routes the models' get_absolute_url reverses)
    def initiative_page(self, slug, fragment=""):
        return self.build("initiatives:initiative-detail", slug, fragment=fragment)

    def source_page(self, slug, fragment=""):
        return self.build("initiatives:source-detail", slug, fragment=fragment)

    def passage(self, slug, citation_id, paragraph):
        """A quote in its archived source: the paragraph's anchor, the quote marked."""
        page = self.source_page(slug)
        separator = "&" if "?" in page else "?"
        anchor = f"#p-{paragraph}" if paragraph else ""
        return f"{page}{separator}{urlencode({'citation': citation_id})}{anchor}"
