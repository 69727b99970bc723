"""The public site's routes. Models' get_absolute_url and the API's html_url reverse these names."""

from django.urls import path

from . import browse, changes, citing, datapackage, embeds, exports, feeds, views

app_name = "initiatives"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("initiatives/", views.InitiativeListView.as_view(), name="initiative-list"),
    path("initiatives.csv", exports.InitiativeCsvView.as_view(), name="initiative-csv"),
    path("initiatives/<slug:slug>/", views.InitiativeDetailView.as_view(), name="initiative-detail"),
    path("updates/", views.UpdateListView.as_view(), name="update-list"),
    # Corrections in the open: a published update's earlier wording.
    path("updates/<int:pk>/revisions/", views.UpdateRevisionsView.as_view(), name="update-revisions"),
    path("updates.csv", exports.UpdateCsvView.as_view(), name="update-csv"),
    path("organisations/<slug:slug>/", views.OrganisationDetailView.as_view(), name="organisation-detail"),
    path("themes/<slug:slug>/", views.ThemeDetailView.as_view(), name="theme-detail"),
    # Archived sources: the evidence, in numbered paragraphs that quotes link to.
    path("sources/", views.SourceListView.as_view(), name="source-list"),
    path("sources/<slug:slug>/", views.SourceDetailView.as_view(), name="source-detail"),
    path("about/", views.AboutView.as_view(), name="about"),
    # Issue 18: cite, download, compare, embed and browse.
    path("initiatives/<slug:slug>/cite.bib", citing.BibTeXView.as_view(), name="initiative-cite-bibtex"),
    path("initiatives/<slug:slug>/cite.json", citing.CslJsonView.as_view(), name="initiative-cite-csl"),
    path("initiatives/<slug:slug>/badge.svg", embeds.BadgeView.as_view(), name="initiative-badge"),
    path("embed/initiatives/<slug:slug>/", embeds.EmbedView.as_view(), name="initiative-embed"),
    path("changes/", changes.ChangesView.as_view(), name="changes"),
    path("changes.csv", changes.ChangesCsvView.as_view(), name="changes-csv"),
    path("data/", datapackage.DataView.as_view(), name="data"),
    path("data/tracker-data.zip", datapackage.PackageView.as_view(), name="data-package"),
    path("organisations/", browse.OrganisationIndexView.as_view(), name="organisation-list"),
    path("themes/", browse.ThemeIndexView.as_view(), name="theme-list"),
    path("countries/", browse.CountryIndexView.as_view(), name="country-list"),
    # (end of issue 18's routes)
    path("feeds/updates/", feeds.UpdatesFeed(), name="feed-updates"),
    path("feeds/initiatives/<slug:slug>/", feeds.InitiativeUpdatesFeed(), name="feed-initiative"),
    # Feeds per theme and per organisation (issue 17).
    path("feeds/themes/<slug:slug>/", feeds.ThemeUpdatesFeed(), name="feed-theme"),
    path("feeds/organisations/<slug:slug>/", feeds.OrganisationUpdatesFeed(), name="feed-organisation"),
]
