from csp.constants import SELF
from csp.decorators import csp_update
from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.exceptions import ValidationError
from rest_framework.routers import APIRootView, DefaultRouter

from ..timetravel import AS_OF_PARAM, AsOf
from . import changes, views

app_name = "api"


class RootView(APIRootView):
    """The endpoints' addresses, keeping ``as_of``: a past-date page's "JSON API" link
    leads to the data as it stood on that date."""

    def get(self, request, *args, **kwargs):
        try:
            as_of = AsOf.of(request)
        except DjangoValidationError as error:
            raise ValidationError({AS_OF_PARAM: error.messages}) from None
        response = super().get(request, *args, **kwargs)
        response.data = {name: as_of.keep(url) for name, url in response.data.items()}
        return response


class Router(DefaultRouter):
    """The browsable root at /api/ lists the endpoints, the schema and the docs."""

    include_format_suffixes = False
    APIRootView = RootView


router = Router()
router.register("initiatives", views.InitiativeViewSet, basename="initiative")
router.register("status-updates", views.StatusUpdateViewSet, basename="statusupdate")
router.register("milestones", views.MilestoneViewSet, basename="milestone")
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("themes", views.ThemeViewSet, basename="theme")
router.register("sources", views.SourceViewSet, basename="source")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file, so the
    # Content-Security-Policy needs no 'unsafe-inline'; its assets come from
    # drf_spectacular_sidecar's static files, never a CDN.
    # Swagger UI draws its icons as data: images; this page alone allows them (scripts and
    # styles stay 'self' only: templates/drf_spectacular/swagger_ui.html has no inline code).
    path(
        "docs/",
        csp_update({"img-src": [SELF, "data:"]})(SpectacularSwaggerSplitView.as_view(url_name="api:schema")),
        name="docs",
    ),
    # Issue 18: what changed between two dates.
    path("changes/", changes.ChangesView.as_view(), name="changes"),
    *router.urls,
]
