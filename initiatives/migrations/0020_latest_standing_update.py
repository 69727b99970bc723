import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def store_latest_standing_updates(apps, schema_editor):
    """Each initiative's latest standing update and the columns copied from it, by the
    rule of InitiativeQuerySet._latest_update today: published, not withdrawn, newest
    reported (querysets.LATEST_STANDING_COLUMNS)."""
    Initiative = apps.get_model("initiatives", "Initiative")
    StatusUpdate = apps.get_model("initiatives", "StatusUpdate")
    latest = StatusUpdate.objects.filter(initiative=OuterRef("pk"), published=True, withdrawn_on__isnull=True).order_by(
        "-reported_on", "-created", "-pk"
    )
    columns = {
        "latest_standing_update": "pk",
        "latest_status": "status",
        "latest_progress": "progress",
        "latest_reported_on": "reported_on",
        "latest_reported_on_precision": "reported_on_precision",
    }
    Initiative.objects.update(**{column: Subquery(latest.values(field)[:1]) for column, field in columns.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0019_i14_known_from_evidence"),
    ]

    operations = [
        migrations.AddField(
            model_name="initiative",
            name="latest_progress",
            field=models.PositiveSmallIntegerField(
                blank=True, editable=False, null=True, verbose_name="latest progress"
            ),
        ),
        migrations.AddField(
            model_name="initiative",
            name="latest_reported_on",
            field=models.DateField(blank=True, editable=False, null=True, verbose_name="latest reported on"),
        ),
        migrations.AddField(
            model_name="initiative",
            name="latest_reported_on_precision",
            field=models.CharField(
                blank=True,
                choices=[("day", "Day"), ("month", "Month"), ("year", "Year")],
                editable=False,
                max_length=5,
                null=True,
                verbose_name="latest reported-on precision",
            ),
        ),
        migrations.AddField(
            model_name="initiative",
            name="latest_standing_update",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="initiatives.statusupdate",
                verbose_name="latest standing update",
            ),
        ),
        migrations.AddField(
            model_name="initiative",
            name="latest_status",
            field=models.CharField(
                blank=True,
                choices=[
                    ("proposed", "Proposed"),
                    ("adopted", "Adopted"),
                    ("in_progress", "In progress"),
                    ("stalled", "Stalled"),
                    ("completed", "Completed"),
                    ("abandoned", "Abandoned"),
                ],
                editable=False,
                max_length=12,
                null=True,
                verbose_name="latest status",
            ),
        ),
        migrations.RunPython(store_latest_standing_updates, migrations.RunPython.noop),
    ]
