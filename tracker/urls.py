from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from .health import healthz
from .locale import switch_language

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/", include("initiatives.api.urls")),
    # The language switcher posts here (Django's set_language): a cookie, then back to the page.
    path("i18n/setlang/", switch_language, name="set_language"),
]

# The public pages, feeds and CSV keep their language in the URL: English at
# /initiatives/..., Russian at /ru/initiatives/..., Kazakh at /kk/initiatives/...
urlpatterns += i18n_patterns(path("", include("initiatives.urls")), prefix_default_language=False)

# Following by email: the follow form, double opt-in, managing and leaving (issue 17).
urlpatterns += i18n_patterns(path("", include("alerts.urls")), prefix_default_language=False)

handler500 = "tracker.health.server_error"
