"""Atom feeds of published status updates: one for everything, one per initiative.

Drafts never appear. Entry bodies are user text, so they are escaped before the
feed declares them HTML.
"""

import datetime

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Initiative, StatusUpdate
from .templatetags.tracker_tags import format_at_precision
from .translation import translated

FEED_LENGTH = 50


class UpdatesFeed(Feed):
    feed_type = Atom1Feed
    title = gettext_lazy("Policy-initiative tracker: status updates")
    subtitle = gettext_lazy("Every published status update, newest first.")

    def link(self):
        return reverse("initiatives:update-list")

    def feed_url(self):
        return reverse("initiatives:feed-updates")

    def updates(self):
        return (
            StatusUpdate.objects.published()
            .latest_first()
            .select_related("initiative")
            .only(
                "pk",
                "reported_on",
                "reported_on_precision",
                "status",
                "progress",
                *translated("headline", "body", "initiative__title"),
                "created",
                "modified",
                "initiative__slug",
            )
        )

    def items(self):
        return self.updates()[:FEED_LENGTH]

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
        return f"<p>{escape(facts)}.</p>{linebreaks(item.tr.body, autoescape=True)}"

    def item_link(self, item):
        return item.get_absolute_url()

    def item_guid(self, item):
        return f"status-update-{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return timezone.make_aware(datetime.datetime.combine(item.reported_on, datetime.time()))

    def item_updateddate(self, item):
        return item.modified

    def item_categories(self, item):
        return [item.get_status_display()]


class InitiativeUpdatesFeed(UpdatesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Initiative.objects.only("pk", *translated("title", "summary"), "slug"), slug=slug)

    def title(self, obj):
        return _("%(title)s: status updates") % {"title": obj.tr.title}

    def subtitle(self, obj):
        return obj.tr.summary

    def link(self, obj):
        return obj.get_absolute_url()

    def feed_url(self, obj):
        return reverse("initiatives:feed-initiative", kwargs={"slug": obj.slug})

    def items(self, obj):
        return self.updates().filter(initiative=obj)[:FEED_LENGTH]
