"""The tracker's domain: initiatives, their dated status updates and milestones,
the organisations and themes around them, and the sources that evidence it all."""

import datetime
import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from .constraints import FieldCheckConstraint
from .evidence import find_paragraph, passage_url, quote_problem, split_paragraphs
from .querysets import (
    LATEST_STANDING_COLUMNS,
    InitiativeQuerySet,
    InitiativeRelationQuerySet,
    MilestoneQuerySet,
    SourceQuerySet,
    StatusUpdateQuerySet,
    end_of_period,
)
from .safeurls import HttpURLField, http_url_constraint
from .translation import TranslatableMixin
from .vocabularies import (
    DatePrecision,
    InitiativeKind,
    LinkKind,
    OrganisationKind,
    RelationType,
    Role,
    SourceKind,
    Status,
)


def precision_errors(value, precision, *, deadline=False):
    """Why a date does not sit where its precision says it should, or None.

    Coarse dates are stored on the first day of their period, deadlines on the
    last, so that comparisons (overdue, as_of) stay honest.
    """
    if value is None or precision == DatePrecision.DAY:
        return None
    if precision == DatePrecision.MONTH:
        if deadline:
            next_month = (value.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
            expected = next_month - datetime.timedelta(days=1)
        else:
            expected = value.replace(day=1)
    else:
        expected = value.replace(month=12, day=31) if deadline else value.replace(month=1, day=1)
    if value != expected:
        return _("A date known only to the %(precision)s is stored as %(expected)s.") % {
            "precision": DatePrecision(precision).label.lower(),
            "expected": expected.isoformat(),
        }
    return None


def precision_field(verbose_name):
    return models.CharField(
        verbose_name,
        max_length=5,
        choices=DatePrecision,
        default=DatePrecision.DAY,
        help_text=_("How much of the date the evidence supports."),
    )


def known_from_field(verbose_name):
    return models.DateField(
        verbose_name,
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "Computed: the day time travel counts it from: the last day of the period the date stands for, "
            "and, for an update or an initiative, not before its first source was published."
        ),
    )


class KnownDates(models.Model):
    """Stores, for each dated fact, the day from which it counts as known (querysets.py):
    ``KNOWN_DATES = {"known_from": ("reported_on", "reported_on_precision")}``."""

    KNOWN_DATES = {}

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.set_known_dates()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, *self.KNOWN_DATES}
        super().save(*args, **kwargs)

    def set_known_dates(self):
        for target, (field, precision) in self.KNOWN_DATES.items():
            setattr(self, target, end_of_period(getattr(self, field), getattr(self, precision)))


def not_before_evidence(day, source_days):
    """``day``, or the day the first of the sources citing it became known if that is later.

    A fact is not known before anything evidences it: "in operation since August 2025",
    reported only by a January 2026 article, is known from January 2026. ``source_days``
    are the cited sources' known-from dates; with none, or an undated source (which
    always counts as known, SourceQuerySet.as_of), the day stands.
    """
    source_days = list(source_days)
    if day is None or not source_days or None in source_days:
        return day
    return max(day, min(source_days))


class TimeStamped(models.Model):
    created = models.DateTimeField(_("created"), auto_now_add=True)
    modified = models.DateTimeField(_("modified"), auto_now=True)

    class Meta:
        abstract = True


# --- Reference data -------------------------------------------------------------


class Theme(TranslatableMixin, models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=100, blank=True)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=100, blank=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    description_ru = models.TextField(_("description (Russian)"), blank=True)
    description_kk = models.TextField(_("description (Kazakh)"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("initiatives:theme-detail", kwargs={"slug": self.slug})


class Organisation(TranslatableMixin, models.Model):
    proper_names = ("name",)
    name = models.CharField(_("name"), max_length=200, unique=True)
    # Blank where the name has no usual Russian or Kazakh form (a company's brand).
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200, blank=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind)
    country = CountryField(_("country"), blank=True)
    website = HttpURLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    description_ru = models.TextField(_("description (Russian)"), blank=True)
    description_kk = models.TextField(_("description (Kazakh)"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["country"], name="organisation_country_idx")]
        constraints = [http_url_constraint("website", "organisation_website_http")]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("initiatives:organisation-detail", kwargs={"slug": self.slug})


class Source(TranslatableMixin, KnownDates, models.Model):
    """A piece of evidence: a speech, article, official document, law or report,
    archived with its full text so that every quote can be checked against it."""

    KNOWN_DATES = {"known_from": ("published_on", "published_on_precision")}

    title = models.CharField(_("title"), max_length=300)
    title_ru = models.CharField(_("title (Russian)"), max_length=300, blank=True)
    title_kk = models.CharField(_("title (Kazakh)"), max_length=300, blank=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True, help_text=_("The source's public address."))
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    author = models.CharField(_("author"), max_length=200, blank=True)
    url = HttpURLField(_("URL"), max_length=500, blank=True, help_text=_("The original address, if known."))
    archive_url = HttpURLField(
        _("archive URL"), max_length=500, blank=True, help_text=_("An archived copy elsewhere, if known.")
    )
    published_on = models.DateField(_("published on"), null=True, blank=True)
    published_on_precision = precision_field(_("published-on precision"))
    kind = models.CharField(_("kind"), max_length=20, choices=SourceKind)
    text = models.TextField(
        _("archived text"),
        blank=True,
        help_text=_(
            "The document's full text. Paragraphs are separated by blank lines; quotes are checked against it."
        ),
    )
    file = models.FileField(
        _("archived file"),
        upload_to="sources/",
        blank=True,
        validators=[FileExtensionValidator(["pdf", "html", "htm"])],
        help_text=_("Optional: the document as published (PDF or HTML)."),
    )
    sha256 = models.CharField(
        _("SHA-256"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_("Of the file if there is one, else of the text."),
    )
    # Internal only (e.g. where the analysts' working copy lives): never shown on
    # a page, feed, CSV or API.
    reference = models.CharField(
        _("internal reference"),
        max_length=100,
        blank=True,
        help_text=_("For analysts only; never published."),
    )
    notes = models.TextField(_("notes"), blank=True, help_text=_("What the document supports, and what it does not."))
    notes_ru = models.TextField(_("notes (Russian)"), blank=True)
    notes_kk = models.TextField(_("notes (Kazakh)"), blank=True)
    known_from = known_from_field(_("known from"))
    history = HistoricalRecords()

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "title"]
        indexes = [
            models.Index(fields=["-published_on", "title"], name="source_published_idx"),
            models.Index(fields=["known_from"], name="source_known_from_idx"),
        ]
        constraints = [
            http_url_constraint("url", "source_url_http"),
            http_url_constraint("archive_url", "source_archive_url_http"),
        ]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self):
        return f"{self.title} ({self.publisher})" if self.publisher else self.title

    def save(self, *args, **kwargs):
        self.sha256 = self.compute_sha256()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "sha256" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "sha256"]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("initiatives:source-detail", kwargs={"slug": self.slug})

    def clean(self):
        error = precision_errors(self.published_on, self.published_on_precision)
        if error:
            raise ValidationError({"published_on": error})

    def compute_sha256(self):
        """The digest of what is stored: the file's bytes, or else the text as UTF-8."""
        digest = hashlib.sha256()
        if self.file:
            self.file.open("rb")
            try:
                for chunk in self.file.chunks():
                    digest.update(chunk)
            finally:
                self.file.seek(0)
        else:
            digest.update(self.text.encode("utf-8"))
        return digest.hexdigest()

    @cached_property
    def paragraphs(self):
        """The archived text's paragraphs, numbered from 1 (anchor ``#p-<n>``)."""
        return split_paragraphs(self.text)


# --- Initiatives --------------------------------------------------------------------


class Initiative(TranslatableMixin, KnownDates, TimeStamped):
    """Anything tracked: an international proposal or a national program."""

    KNOWN_DATES = {"known_from": None}  # from several dates: set_known_dates below

    kind = models.CharField(_("kind"), max_length=10, choices=InitiativeKind)
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    summary = models.CharField(_("summary"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    # Translations: blank until translated; pages and the API fall back to English.
    title_ru = models.CharField(_("title (Russian)"), max_length=200, blank=True)
    title_kk = models.CharField(_("title (Kazakh)"), max_length=200, blank=True)
    summary_ru = models.CharField(_("summary (Russian)"), max_length=500, blank=True)
    summary_kk = models.CharField(_("summary (Kazakh)"), max_length=500, blank=True)
    description_ru = models.TextField(_("description (Russian)"), blank=True)
    description_kk = models.TextField(_("description (Kazakh)"), blank=True)

    # Proposal facts
    proposer = models.CharField(_("proposer"), max_length=200, blank=True, help_text=_("Who put it forward."))
    venue = models.CharField(_("venue"), max_length=200, blank=True, help_text=_("Where it was put forward."))
    proposed_on = models.DateField(_("proposed on"), null=True, blank=True)
    proposed_on_precision = precision_field(_("proposed-on precision"))

    # Program facts
    instrument = models.CharField(
        _("legal or policy instrument"), max_length=200, blank=True, help_text=_("Law, decree, strategy, project...")
    )
    instrument_ru = models.CharField(_("legal or policy instrument (Russian)"), max_length=200, blank=True)
    instrument_kk = models.CharField(_("legal or policy instrument (Kazakh)"), max_length=200, blank=True)
    responsible_body = models.ForeignKey(
        Organisation,
        verbose_name=_("responsible body"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responsible_for",
    )
    period_start = models.DateField(_("period start"), null=True, blank=True)
    period_start_precision = precision_field(_("period-start precision"))
    period_end = models.DateField(_("period end"), null=True, blank=True)
    period_end_precision = precision_field(_("period-end precision"))

    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True, related_name="initiatives")
    organisations = models.ManyToManyField(
        Organisation,
        verbose_name=_("organisations"),
        through="InitiativeOrganisation",
        blank=True,
        related_name="initiatives",
    )
    sources = models.ManyToManyField(Source, verbose_name=_("sources"), blank=True, related_name="initiatives")
    related = models.ManyToManyField(
        "self",
        verbose_name=_("related initiatives"),
        through="InitiativeRelation",
        symmetrical=False,
        blank=True,
        related_name="related_from",
    )
    # The first evidenced date (querysets.InitiativeQuerySet.announced): proposed or
    # started, at the end of the period such a date stands for; a first published update
    # may be earlier. Undated, the day it was recorded.
    known_from = known_from_field(_("known from"))
    # Today's status, stored: the latest standing update (InitiativeQuerySet.with_current_status
    # today) and the columns a list reads of it, kept in the saving transaction by
    # refresh_latest_standing_update (signals.update_saved, update_deleted, bulk_create).
    # A list of thousands then counts and filters one table, with no subquery or join per
    # row. Derived, so neither edited nor audited; a past date still asks the updates.
    latest_standing_update = models.ForeignKey(
        "StatusUpdate",
        verbose_name=_("latest standing update"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    latest_status = models.CharField(
        _("latest status"), max_length=12, choices=Status, null=True, blank=True, editable=False
    )
    latest_progress = models.PositiveSmallIntegerField(_("latest progress"), null=True, blank=True, editable=False)
    latest_reported_on = models.DateField(_("latest reported on"), null=True, blank=True, editable=False)
    latest_reported_on_precision = models.CharField(
        _("latest reported-on precision"), max_length=5, choices=DatePrecision, null=True, blank=True, editable=False
    )
    # Themes and sources have no through model of their own, so their history is
    # kept here; organisations and relations are histories of their through models.
    history = HistoricalRecords(excluded_fields=["modified", *LATEST_STANDING_COLUMNS], m2m_fields=[themes, sources])

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        indexes = [
            models.Index(fields=["title"], name="initiative_title_idx"),
            models.Index(fields=["kind", "title"], name="initiative_kind_title_idx"),
            models.Index(fields=["known_from"], name="initiative_known_from_idx"),
            # What the list's count and facets read of each initiative today, so PostgreSQL
            # answers them from this index alone: the stored status columns come last in a
            # wide row, and walking every row up to them was most of each facet's scan
            # (SQL of a filtered list after a save 105 -> 74 ms at 10,000 initiatives).
            # SQLite has no covering indexes; Django creates none there.
            models.Index(
                fields=["latest_status", "kind"],
                include=["id", "latest_reported_on", "responsible_body"],
                name="initiative_facets_idx",
            ),
            # The dashboard's recently updated and stale lists (newest and oldest first) and
            # its timeline's programs (by period): walked in order for their first rows
            # instead of sorting every initiative (25-29 -> 7-8 ms each at 10,000).
            models.Index(fields=["latest_reported_on", "title"], name="initiative_latest_reported_idx"),
            models.Index(fields=["kind", "period_start", "title"], name="initiative_kind_period_idx"),
        ]
        constraints = [
            FieldCheckConstraint(
                condition=Q(period_end__isnull=True)
                | Q(period_start__isnull=True)
                | Q(period_end__gte=models.F("period_start")),
                name="initiative_period_end_not_before_start",
                field="period_end",
                violation_error_message=_("The period cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=InitiativeKind.values),
                name="initiative_kind_valid",
            ),
        ]
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("initiatives:initiative-detail", kwargs={"slug": self.slug})

    def set_known_dates(self):
        evidenced = [
            end_of_period(self.proposed_on, self.proposed_on_precision),
            end_of_period(self.period_start, self.period_start_precision),
        ]
        evidenced = [day for day in evidenced if day]
        recorded = timezone.localdate(self.created) if self.created else timezone.localdate()
        if not evidenced:
            self.known_from = recorded
            return
        # The sources say when it was proposed or started: not before one of them was published.
        sources = self.sources.values_list("known_from", flat=True) if self.pk else []
        self.known_from = not_before_evidence(min(evidenced), sources)

    @property
    def announced_on(self):
        """The first day it is known (needs InitiativeQuerySet.with_announced_on)."""
        days = [day for day in (self.known_from, self.first_update_known_from) if day]
        return min(days) if days else None

    def clean(self):
        # The period's order is the constraint initiative_period_end_not_before_start
        # (checked by validate_constraints, in forms too); only precision is checked here.
        errors = {}
        for field, precision, deadline in [
            ("proposed_on", self.proposed_on_precision, False),
            ("period_start", self.period_start_precision, False),
            ("period_end", self.period_end_precision, True),
        ]:
            error = precision_errors(getattr(self, field), precision, deadline=deadline)
            if error:
                errors.setdefault(field, error)
        if errors:
            raise ValidationError(errors)


class InitiativeOrganisation(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="organisation_roles")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="initiative_roles")
    role = models.CharField(_("role"), max_length=10, choices=Role)
    history = HistoricalRecords()

    class Meta:
        ordering = ["initiative", "role", "organisation"]
        indexes = [models.Index(fields=["organisation", "initiative"], name="initiativeorg_org_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "organisation", "role"], name="initiativeorganisation_unique_role"
            ),
        ]
        verbose_name = _("organisation role")
        verbose_name_plural = _("organisation roles")

    def __str__(self):
        return f"{self.organisation} ({self.get_role_display()}) - {self.initiative}"


class InitiativeCountry(models.Model):
    """A country an initiative involves (for a proposal, its partner countries)."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="countries")
    country = CountryField(_("country"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["initiative", "country"]
        indexes = [models.Index(fields=["country", "initiative"], name="initiativecountry_country_idx")]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "country"], name="initiativecountry_unique"),
        ]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self):
        return f"{self.country.name} - {self.initiative}"


class InitiativeRelation(TranslatableMixin, models.Model):
    """A typed link from one initiative to another, shown on both ends."""

    from_initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="relations_out")
    to_initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="relations_in")
    relation_type = models.CharField(_("relation"), max_length=12, choices=RelationType)
    note = models.CharField(_("note"), max_length=300, blank=True)
    note_ru = models.CharField(_("note (Russian)"), max_length=300, blank=True)
    note_kk = models.CharField(_("note (Kazakh)"), max_length=300, blank=True)
    source = models.ForeignKey(
        Source,
        verbose_name=_("source"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="relations",
        help_text=_("The document that evidences the link: on a past date it is shown only once this is published."),
    )
    history = HistoricalRecords()

    objects = InitiativeRelationQuerySet.as_manager()

    class Meta:
        ordering = ["from_initiative", "relation_type", "to_initiative"]
        indexes = [models.Index(fields=["to_initiative", "relation_type"], name="relation_to_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["from_initiative", "to_initiative", "relation_type"], name="initiativerelation_unique"
            ),
            models.CheckConstraint(
                condition=~Q(from_initiative=models.F("to_initiative")), name="initiativerelation_not_self"
            ),
        ]
        verbose_name = _("relation")
        verbose_name_plural = _("relations")

    def __str__(self):
        return f"{self.from_initiative} {self.get_relation_type_display().lower()} {self.to_initiative}"

    def clean(self):
        # Not only the constraint initiativerelation_not_self: the admin's inline rows
        # leave their parent key out of constraint validation, so this is what refuses
        # a relation to itself there (tests/test_admin.py).
        if self.from_initiative_id and self.from_initiative_id == self.to_initiative_id:
            raise ValidationError({"to_initiative": _("An initiative cannot be related to itself.")})


class ExternalLink(models.Model):
    """A typed external identifier: an official site, a legal act number, an OECD.AI entry."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(_("kind"), max_length=20, choices=LinkKind)
    label = models.CharField(_("label or identifier"), max_length=200)
    url = HttpURLField(_("URL"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["initiative", "kind", "label"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "kind", "label"], name="externallink_unique"),
            models.CheckConstraint(condition=~Q(label="") | ~Q(url=""), name="externallink_label_or_url"),
            http_url_constraint("url", "externallink_url_http"),
        ]
        verbose_name = _("external link")
        verbose_name_plural = _("external links")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.label}"


# --- Status and milestones -----------------------------------------------------------


class Citation(TranslatableMixin, models.Model):
    """One passage of a source that a status update relies on, quoted verbatim."""

    update = models.ForeignKey(
        "StatusUpdate", verbose_name=_("status update"), on_delete=models.CASCADE, related_name="citations"
    )
    source = models.ForeignKey(Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="citations")
    quote = models.TextField(_("quote"), help_text=_("Copied word for word from one paragraph of the source's text."))
    quote_ru = models.TextField(_("quote (Russian translation)"), blank=True)
    quote_kk = models.TextField(_("quote (Kazakh translation)"), blank=True)
    paragraph = models.PositiveIntegerField(
        _("paragraph"), null=True, blank=True, help_text=_("Found from the quote when left blank.")
    )

    class Meta:
        ordering = ["update", "pk"]
        indexes = [models.Index(fields=["source", "paragraph"], name="citation_source_paragraph_idx")]
        verbose_name = _("citation")
        verbose_name_plural = _("citations")

    def __str__(self):
        return f"{self.source}: “{self.quote[:60]}”" if self.quote else str(self.source)

    def save(self, *args, **kwargs):
        if self.paragraph is None and self.quote:
            self.paragraph = self.paragraph_found()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        """The quoted passage in the archived source, highlighted."""
        return passage_url(self.source.get_absolute_url(), self.paragraph, citation_id=self.pk)

    def clean(self):
        if self.source_id is None:
            return
        # A new update's citations are checked before it has a key: name it by its headline.
        update_known = self.update_id or self._meta.get_field("update").is_cached(self)
        problem = quote_problem(self.update if update_known else None, self.source, self.quote)
        if problem:
            raise ValidationError({"quote": problem})
        if self.quote:
            self.paragraph = self.paragraph_found()

    def paragraph_found(self):
        """The paragraph holding the quote (the one given if it holds it)."""
        return find_paragraph(self.source.paragraphs, self.quote, preferred=self.paragraph)


class StatusUpdate(TranslatableMixin, KnownDates, TimeStamped):
    """One dated, sourced assessment of one initiative."""

    KNOWN_DATES = {"known_from": ("reported_on", "reported_on_precision")}

    initiative = models.ForeignKey(
        Initiative, verbose_name=_("initiative"), on_delete=models.CASCADE, related_name="updates"
    )
    reported_on = models.DateField(_("reported on"), help_text=_("The date the assessment is true as of."))
    reported_on_precision = precision_field(_("reported-on precision"))
    status = models.CharField(_("status"), max_length=12, choices=Status)
    progress = models.PositiveSmallIntegerField(
        _("progress"), null=True, blank=True, help_text=_("Per cent complete, 0 to 100, where evidence supports one.")
    )
    headline = models.CharField(_("headline"), max_length=300)
    body = models.TextField(_("body"), blank=True)
    headline_ru = models.CharField(_("headline (Russian)"), max_length=300, blank=True)
    headline_kk = models.CharField(_("headline (Kazakh)"), max_length=300, blank=True)
    body_ru = models.TextField(_("body (Russian)"), blank=True)
    body_kk = models.TextField(_("body (Kazakh)"), blank=True)
    sources = models.ManyToManyField(
        Source, verbose_name=_("sources"), through=Citation, blank=True, related_name="status_updates"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="status_updates",
    )
    published = models.BooleanField(_("published"), default=False, help_text=_("Drafts are seen only in the admin."))
    # Corrections: a published update changes in the open. The latest note is kept
    # here; earlier wording and notes live in the audit trail.
    revised_on = models.DateField(_("revised on"), null=True, blank=True)
    revision_note = models.TextField(
        _("revision note"), blank=True, help_text=_("What changed after publication, and why. Shown to readers.")
    )
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawal_reason = models.TextField(
        _("reason for withdrawal"), blank=True, help_text=_("Shown to readers in place of the update.")
    )
    known_from = known_from_field(_("known from"))
    # The evidence cited is part of what an update says, so its changes are audited too.
    history = HistoricalRecords(excluded_fields=["modified"], m2m_fields=[sources])

    objects = StatusUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["-reported_on", "-created"]
        indexes = [
            models.Index(fields=["initiative", "-reported_on", "-created"], name="update_initiative_latest_idx"),
            models.Index(fields=["-reported_on", "-created"], name="update_newest_idx"),
            models.Index(fields=["initiative", "known_from"], name="update_initiative_known_idx"),
            models.Index(fields=["known_from"], name="update_known_from_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__isnull=True) | Q(progress__gte=0, progress__lte=100),
                name="statusupdate_progress_0_100",
            ),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="statusupdate_status_valid"),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | ~Q(withdrawal_reason=""),
                name="statusupdate_withdrawal_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(revised_on__isnull=True) | ~Q(revision_note=""),
                name="statusupdate_revision_has_note",
            ),
        ]
        verbose_name = _("status update")
        verbose_name_plural = _("status updates")

    def __str__(self):
        # Not get_status_display(): that builds a dict of every choice, hashing each lazy
        # label, for each update named (fifty on a changelist page). As it does, a code
        # outside the vocabulary (an old history row's) shows as it is.
        status = Status(self.status).label if self.status in Status.values else self.status
        return f"{self.initiative}: {status} ({self.reported_on.isoformat()})"

    def get_absolute_url(self):
        return f"{self.initiative.get_absolute_url()}#update-{self.pk}"

    def set_known_dates(self):
        """The end of the reported period, but not before the first cited source was
        published: an update is not known before its evidence."""
        super().set_known_dates()
        sources = Source.objects.filter(citations__update=self).values_list("known_from", flat=True) if self.pk else []
        self.known_from = not_before_evidence(self.known_from, sources)

    def clean(self):
        errors = {}
        # Besides the constraint statusupdate_progress_0_100: the admin's CSV import
        # (resources.py) validates with clean(), not validate_constraints().
        if self.progress is not None and not 0 <= self.progress <= 100:
            errors["progress"] = _("Progress is a percentage, 0 to 100.")
        error = precision_errors(self.reported_on, self.reported_on_precision)
        if error:
            errors["reported_on"] = error
        if errors:
            raise ValidationError(errors)


class Milestone(TranslatableMixin, KnownDates, TimeStamped):
    """A dated target of an initiative; overdue when due in the past and not achieved."""

    KNOWN_DATES = {"achieved_known_from": ("achieved_on", "achieved_on_precision")}

    initiative = models.ForeignKey(
        Initiative, verbose_name=_("initiative"), on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(_("title"), max_length=300)
    title_ru = models.CharField(_("title (Russian)"), max_length=300, blank=True)
    title_kk = models.CharField(_("title (Kazakh)"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_ru = models.TextField(_("description (Russian)"), blank=True)
    description_kk = models.TextField(_("description (Kazakh)"), blank=True)
    due_on = models.DateField(_("due on"), help_text=_("A deadline known only to the year is stored as 31 December."))
    due_on_precision = precision_field(_("due-on precision"))
    achieved_on = models.DateField(_("achieved on"), null=True, blank=True)
    achieved_on_precision = precision_field(_("achieved-on precision"))
    achieved_known_from = known_from_field(_("achievement known from"))
    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.PROTECT, null=True, blank=True, related_name="milestones"
    )
    history = HistoricalRecords(excluded_fields=["modified"])

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "title"]
        indexes = [
            models.Index(fields=["due_on", "title"], name="milestone_due_idx"),
            models.Index(fields=["initiative", "due_on"], name="milestone_initiative_due_idx"),
            models.Index(fields=["achieved_known_from"], name="milestone_achieved_known_idx"),
        ]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self):
        return f"{self.initiative}: {self.title}"

    def get_absolute_url(self):
        return f"{self.initiative.get_absolute_url()}#milestone-{self.pk}"

    def clean(self):
        errors = {}
        error = precision_errors(self.due_on, self.due_on_precision, deadline=True)
        if error:
            errors["due_on"] = error
        error = precision_errors(self.achieved_on, self.achieved_on_precision)
        if error:
            errors["achieved_on"] = error
        if errors:
            raise ValidationError(errors)


class DataVersion(models.Model):
    """A single row whose number moves on in the same transaction as every change to the
    tracked data. Cached pages are keyed by it (initiatives/cache.py): because it lives in
    the database, a save never depends on the cache, and no reader can see new data under
    an old number, or an old number once the save has committed, whatever the cache did."""

    SINGLETON_PK = 1

    number = models.BigIntegerField(default=0)
    # Moved on by every change but to status updates and citations (cache.UPDATE_MODELS).
    catalogue_number = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="dataversion_single_row")]

    def __str__(self):
        return f"data version {self.number}"
