"""Atom feeds of published status updates: one for everything, one per initiative,
theme and organisation.

Each entry's id is a tag: URI (RFC 4151) that stays the same in every language
and every feed the update appears in, and the feed names its author, as RFC 4287
requires (tests/test_feeds.py checks both).

Drafts never appear. Entry bodies are user text, so they are escaped before the
feed declares them HTML. ``?as_of=YYYY-MM-DD`` gives the feed as it stood on that
date (only updates known by then; an initiative not yet announced has no feed);
a bad date is a 400.
"""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .corrections import word_as_on
from .dates import format_at_precision, sentence
from .models import Initiative, Organisation, StatusUpdate, Theme
from .timetravel import AsOf
from .translation import prose, translated

FEED_LENGTH = 50


def tag_uri(specific):
    """tag:<site's host name>,<FEED_TAG_DATE>:<specific>, the same whatever the language or feed."""
    return f"tag:{urlsplit(settings.SITE_URL).hostname},{settings.FEED_TAG_DATE}:{specific}"


class AllUpdates:
    """The whole tracker's feed object: just the date it is read as of (an AsOf)."""

    def __init__(self, as_of):
        self.as_of = as_of


class UpdatesFeed(Feed):
    feed_type = Atom1Feed
    title = gettext_lazy("Policy-initiative tracker: status updates")
    subtitle = gettext_lazy("Every published status update, newest first.")
    author_name = gettext_lazy("Policy-initiative tracker")

    def __call__(self, request, *args, **kwargs):
        try:
            AsOf.of(request)
        except ValidationError as error:
            return HttpResponseBadRequest(" ".join(error.messages), content_type="text/plain; charset=utf-8")
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request, *args, **kwargs):
        # The feed instance serves every request, so the date travels on the object.
        return AllUpdates(AsOf.of(request))

    def link(self, obj):
        return obj.as_of.keep(reverse("initiatives:update-list"))

    def feed_url(self, obj):
        return obj.as_of.keep(reverse("initiatives:feed-updates"))

    def updates(self, as_of):
        return StatusUpdate.objects.for_timeline(as_of, citations=False)

    def items(self, obj):
        # On a past date, an update revised later reads as it did then (from the audit trail).
        return word_as_on(list(self.selected(obj)), obj.as_of.date, citations_attr="citation_list")

    def selected(self, obj):
        return self.updates(obj.as_of.date)[:FEED_LENGTH]

    def item_title(self, item):
        # In the feed's language (/ru/feeds/..., /kk/feeds/...), English where untranslated.
        return f"{item.initiative.tr.title}: {item.tr.headline}"

    def item_description(self, item):
        facts = _("%(status)s as of %(date)s") % {
            "status": item.get_status_display(),
            "date": format_at_precision(item.reported_on, item.reported_on_precision),
        }
        if item.progress is not None:
            facts += _(", %(progress)s%% complete") % {"progress": item.progress}
        # An untranslated body is marked lang="en", with "(in English)", as on the pages.
        return f"<p>{escape(sentence(facts))}</p>{prose(item.tr.body) if item.body else ''}"

    def item_link(self, item):
        return item.get_absolute_url()

    def item_guid(self, item):
        return tag_uri(f"status-update/{item.pk}")

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return timezone.make_aware(datetime.datetime.combine(item.reported_on, datetime.time()))

    def item_updateddate(self, item):
        return item.modified

    def item_categories(self, item):
        return [item.get_status_display()]


class InitiativeUpdatesFeed(UpdatesFeed):
    def get_object(self, request, slug):
        as_of = AsOf.of(request)
        initiative = (
            Initiative.objects.announced(as_of.date)
            .only("pk", *translated("title", "summary"), "slug")
            .filter(slug=slug)
        ).first()
        if initiative is None:
            raise Http404
        initiative.as_of = as_of
        return initiative

    def title(self, obj):
        return _("%(title)s: status updates") % {"title": obj.tr.title}

    def subtitle(self, obj):
        return obj.tr.summary

    def link(self, obj):
        return obj.as_of.keep(obj.get_absolute_url())

    def feed_url(self, obj):
        return obj.as_of.keep(reverse("initiatives:feed-initiative", kwargs={"slug": obj.slug}))

    def selected(self, obj):
        return self.updates(obj.as_of.date).filter(initiative=obj)[:FEED_LENGTH]


class ThemeUpdatesFeed(UpdatesFeed):
    """Updates of the initiatives carrying a theme."""

    def get_object(self, request, slug):
        theme = get_object_or_404(Theme.objects.only("pk", *translated("name"), "slug"), slug=slug)
        theme.as_of = AsOf.of(request)
        return theme

    def title(self, obj):
        return _("%(theme)s: status updates") % {"theme": obj.tr.name}

    def subtitle(self, obj):
        return _("Published status updates of the initiatives under this theme, newest first.")

    def link(self, obj):
        return obj.as_of.keep(obj.get_absolute_url())

    def feed_url(self, obj):
        return obj.as_of.keep(reverse("initiatives:feed-theme", kwargs={"slug": obj.slug}))

    def selected(self, obj):
        return self.updates(obj.as_of.date).filter(initiative__themes=obj)[:FEED_LENGTH]


class OrganisationUpdatesFeed(UpdatesFeed):
    """Updates of the initiatives an organisation has a role in or is responsible for
    (the initiatives its page lists)."""

    def get_object(self, request, slug):
        organisation = get_object_or_404(Organisation.objects.only("pk", *translated("name"), "slug"), slug=slug)
        organisation.as_of = AsOf.of(request)
        return organisation

    def title(self, obj):
        return _("%(organisation)s: status updates") % {"organisation": obj.tr.name}

    def subtitle(self, obj):
        return _("Published status updates of the initiatives this organisation takes part in, newest first.")

    def link(self, obj):
        return obj.as_of.keep(obj.get_absolute_url())

    def feed_url(self, obj):
        return obj.as_of.keep(reverse("initiatives:feed-organisation", kwargs={"slug": obj.slug}))

    def selected(self, obj):
        # The initiatives its page, the list's filter and the API give (InitiativeQuerySet.involving).
        involved = Initiative.objects.involving(obj).values("pk")
        return self.updates(obj.as_of.date).filter(initiative__in=involved)[:FEED_LENGTH]
