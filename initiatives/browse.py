"""Browsing the tracker by organisation, theme and country: index pages with each
entry's initiatives counted by status as of the page's date.

Counts come from ``Initiative.objects.with_current_status(as_of)`` grouped in the
database, one or two queries a page whatever the number of initiatives; an
organisation counts what ``Initiative.objects.involving`` matches (its roles and
the initiatives it is the responsible body of).
"""

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from django_countries import countries

from .models import Initiative, Organisation, Theme
from .translation import translated
from .views import AsOfMixin, status_rows


def by_status(pairs):
    """{key: {status: count}} from {(key, status): count}."""
    grouped = {}
    for (key, status), n in pairs.items():
        grouped.setdefault(key, {})[status] = n
    return grouped


class IndexView(AsOfMixin, TemplateView):
    """An index: every entry with its initiatives counted by status as of the page's date."""

    template_name = "initiatives/browse_index.html"
    heading = ""
    intro = ""

    def status_counts(self, initiatives):
        """{entry key: {status: count}}."""
        raise NotImplementedError

    def entries(self):
        """[(entry key, url, name)] in display order."""
        raise NotImplementedError

    @staticmethod
    def named_entries(objects):
        """Entries for objects with a slug, a page and a translated name, by name."""
        return sorted(
            ((obj.slug, obj.get_absolute_url(), obj.tr.name) for obj in objects),
            key=lambda entry: str(entry[2]).casefold(),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = self.status_counts(Initiative.objects.with_current_status(as_of=self.as_of))
        rows = []
        for key, url, name in self.entries():
            statuses = status_rows(counts.get(key, {}))
            rows.append({"url": url, "name": name, "statuses": statuses, "total": sum(s["count"] for s in statuses)})
        context.update(heading=self.heading, intro=self.intro, rows=rows, columns=status_rows({}))
        return context


class OrganisationIndexView(IndexView):
    heading = _("Organisations")
    intro = _(
        "Every organisation in the tracker, with the initiatives it leads, partners, supports or is responsible "
        "for, counted by their status."
    )

    def status_counts(self, initiatives):
        return by_status(initiatives.involvement_counts("current_status"))

    def entries(self):
        return self.named_entries(Organisation.objects.only("slug", *translated("name")))


class ThemeIndexView(IndexView):
    heading = _("Themes")
    intro = _("Every policy theme, with its initiatives counted by their status.")

    def status_counts(self, initiatives):
        rows = initiatives.filter(themes__isnull=False).values_list("themes__slug", "current_status")
        return by_status({(slug, status): n for slug, status, n in rows.annotate(n=Count("pk")).order_by()})

    def entries(self):
        return self.named_entries(Theme.objects.only("slug", *translated("name")))


class CountryIndexView(IndexView):
    heading = _("Countries")
    intro = _("Every country an initiative involves, with those initiatives counted by their status.")

    def status_counts(self, initiatives):
        rows = initiatives.filter(countries__isnull=False).values_list("countries__country", "current_status")
        self.codes = set()
        counts = {}
        for code, status, n in rows.annotate(n=Count("pk")).order_by():
            counts[code, status] = n
            self.codes.add(code)
        return by_status(counts)

    def entries(self):
        # Only the countries some initiative involves (249 empty rows would say nothing).
        url = reverse("initiatives:initiative-list")
        return sorted(
            ((code, f"{url}?country={code}", countries.name(code)) for code in self.codes),
            key=lambda entry: str(entry[2]),
        )
