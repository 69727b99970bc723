"""The site's URLs plus the hand-written baseline views, for bench/api_bench.py only."""

from django.urls import include, path

from . import views

urlpatterns = [
    path("bench/initiatives/", views.initiatives, name="bench-initiatives"),
    path("bench/status-updates/", views.status_updates, name="bench-status-updates"),
    path("bench/hello/", views.hello, name="bench-hello"),
    path("", include("tracker.urls")),
]
