"""A draft status update shown on its initiative's public page, exactly as the page
will look once it is published: the timeline entry, the current status and
progress, staleness, the cite box and the JSON-LD.

The page is rendered by the public view itself, inside a savepoint in which the
draft is marked published; the savepoint is then rolled back. So the preview
cannot drift from the real page (no second copy of the status logic or of the
page), and nothing of it outlives the request: a queryset update sends no
signals, so no audit record or event is written and the data version does not
move. Nothing of the preview is cached: the page cache keeps public routes only
(tracker/pagecache.py), and the initiative view caches nothing for today's date.
Moving the version inside the savepoint would publish a number that is then
rolled back, and every process's page cache would miss on it.
"""

from django.db import transaction
from django.utils.cache import patch_cache_control

from .models import StatusUpdate
from .timetravel import AsOf
from .views import InitiativeDetailView

#: Search engines must not index or follow a preview, even if a link to one leaks.
ROBOTS = "noindex, nofollow"


class DraftPreviewView(InitiativeDetailView):
    """Staff only: reached through StatusUpdateAdmin.preview_view, which checks the
    analyst may see the update and that it is a draft."""

    template_name = "initiatives/initiative_preview.html"
    draft = None

    def dispatch(self, request, *args, **kwargs):
        # A preview is of today's page: time travel (as_of) does not apply to a draft.
        request.tracker_as_of = AsOf()
        response = super().dispatch(request, *args, **kwargs)
        # Only the analyst's browser may keep it: never a shared cache.
        patch_cache_control(response, private=True, no_store=True, max_age=0)
        response["X-Robots-Tag"] = ROBOTS
        return response

    def get(self, request, *args, **kwargs):
        with transaction.atomic():
            StatusUpdate.objects.filter(pk=self.draft.pk).update(published=True)
            response = super().get(request, *args, **kwargs)
            # Rendered inside the savepoint: the template's lazy queries must see the draft too.
            response.render()
            transaction.set_rollback(True)
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["preview_update"] = self.draft
        context["preview_cites_a_source"] = self.draft.citations.exists()
        context["robots"] = ROBOTS
        return context


def draft_preview(request, *, update):
    """The preview page of the draft ``update``."""
    view = DraftPreviewView.as_view(draft=update)
    return view(request, slug=update.initiative.slug)
