from django.contrib import admin
from django.urls import include, path

from .health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/", include("initiatives.api.urls")),
    path("", include("initiatives.urls")),
]

handler500 = "tracker.health.server_error"
