"""Atom feeds (being built; see issue 5)."""

from django.http import HttpResponse


class UpdatesFeed:
    def __call__(self, request, **kwargs):
        return HttpResponse(status=501)


InitiativeUpdatesFeed = UpdatesFeed
