"""Existing data under the new shape: every source gets a slug and a digest,
every update-source link becomes a citation (its quote left for an analyst to
fill), and the audit trail's records of those links are kept as citations too."""

import hashlib

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.utils.text import slugify

SLUG_LENGTH = 100


def fill_source_slugs(apps, schema_editor):
    Source = apps.get_model("initiatives", "Source")
    taken = set()
    for source in Source.objects.order_by("pk"):
        base = (slugify(source.title) or "source")[: SLUG_LENGTH - 8].strip("-")
        slug, counter = base, 2
        while slug in taken:
            slug, counter = f"{base}-{counter}", counter + 1
        taken.add(slug)
        # No file can exist yet, so the digest is of the (blank) text.
        source.slug = slug
        source.sha256 = hashlib.sha256(source.text.encode("utf-8")).hexdigest()
        source.save(update_fields=["slug", "sha256"])


def links_to_citations(apps, schema_editor):
    StatusUpdate = apps.get_model("initiatives", "StatusUpdate")
    Citation = apps.get_model("initiatives", "Citation")
    links = StatusUpdate.sources.through.objects.order_by("pk").values_list("statusupdate_id", "source_id")
    Citation.objects.bulk_create(
        Citation(update_id=update_id, source_id=source_id, quote="") for update_id, source_id in links.iterator()
    )
    HistoricalLink = apps.get_model("initiatives", "HistoricalStatusUpdate_sources")
    HistoricalCitation = apps.get_model("initiatives", "HistoricalCitation")
    HistoricalCitation.objects.bulk_create(
        HistoricalCitation(
            m2m_history_id=row.m2m_history_id,
            id=row.id,
            history_id=row.history_id,
            update_id=row.statusupdate_id,
            source_id=row.source_id,
            quote="",
        )
        for row in HistoricalLink.objects.order_by("m2m_history_id").iterator()
    )


def citations_to_links(apps, schema_editor):
    StatusUpdate = apps.get_model("initiatives", "StatusUpdate")
    Citation = apps.get_model("initiatives", "Citation")
    Link = StatusUpdate.sources.through
    pairs = dict.fromkeys(Citation.objects.order_by("pk").values_list("update_id", "source_id"))
    Link.objects.bulk_create(Link(statusupdate_id=update_id, source_id=source_id) for update_id, source_id in pairs)
    HistoricalLink = apps.get_model("initiatives", "HistoricalStatusUpdate_sources")
    HistoricalCitation = apps.get_model("initiatives", "HistoricalCitation")
    HistoricalLink.objects.bulk_create(
        HistoricalLink(id=row.id, history_id=row.history_id, statusupdate_id=row.update_id, source_id=row.source_id)
        for row in HistoricalCitation.objects.order_by("m2m_history_id").iterator()
    )
    Citation.objects.all().delete()
    HistoricalCitation.objects.all().delete()


ANALYSTS_GROUP = "Analysts"
# An update's citations are part of it: analysts who write updates edit them
# (a published update's citations change only with a revision note).
CITATION_CODENAMES = [f"{action}_citation" for action in ("add", "change", "view", "delete")]


def grant_citations_to_analysts(apps, schema_editor):
    alias = schema_editor.connection.alias
    app_config = apps.get_app_config("initiatives")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0, using=alias)
    app_config.models_module = None
    group = apps.get_model("auth", "Group").objects.using(alias).filter(name=ANALYSTS_GROUP).first()
    if group is not None:
        Permission = apps.get_model("auth", "Permission")
        group.permissions.add(
            *Permission.objects.using(alias).filter(
                content_type__app_label="initiatives", codename__in=CITATION_CODENAMES
            )
        )


def revoke_citations_from_analysts(apps, schema_editor):
    alias = schema_editor.connection.alias
    group = apps.get_model("auth", "Group").objects.using(alias).filter(name=ANALYSTS_GROUP).first()
    if group is not None:
        group.permissions.remove(*group.permissions.filter(codename__in=CITATION_CODENAMES))


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0010_i14_citations_schema"),
        ("initiatives", "0003_analysts_group"),
    ]

    operations = [
        migrations.RunPython(fill_source_slugs, migrations.RunPython.noop),
        migrations.RunPython(links_to_citations, citations_to_links),
        migrations.RunPython(grant_citations_to_analysts, revoke_citations_from_analysts),
    ]
