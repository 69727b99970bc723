"""The site's URLs plus the hand-written baseline views, for the benchmarks only."""

from django.urls import path

from tracker.urls import handler500  # noqa: F401  (the site's error pages, database outages included)
from tracker.urls import urlpatterns as site_urlpatterns

from . import views

# The site's patterns are added as they are, not include()d: its public pages sit in
# i18n_patterns, which Django allows only in a root URLconf.
urlpatterns = [
    path("bench/initiatives/", views.initiatives, name="bench-initiatives"),
    path("bench/status-updates/", views.status_updates, name="bench-status-updates"),
    path("bench/hello/", views.hello, name="bench-hello"),
    *site_urlpatterns,
]
