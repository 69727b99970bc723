"""Public pages (being built; see issue 5)."""

from django.views.generic import TemplateView


class _Placeholder(TemplateView):
    template_name = "base.html"


DashboardView = InitiativeListView = InitiativeDetailView = UpdateListView = _Placeholder
OrganisationDetailView = ThemeDetailView = AboutView = _Placeholder
