from django.db import migrations, models


class Migration(migrations.Migration):
    """StatusUpdate.sources now goes through Citation (quote and paragraph per
    link); the old link table and its history were copied in 0011_i14_citations_data."""

    dependencies = [
        ("initiatives", "0011_i14_citations_data"),
    ]

    operations = [
        migrations.AlterField(
            model_name="source",
            name="slug",
            field=models.SlugField(
                help_text="The source's public address.", max_length=100, unique=True, verbose_name="slug"
            ),
        ),
        migrations.RemoveField(model_name="statusupdate", name="sources"),
        migrations.AddField(
            model_name="statusupdate",
            name="sources",
            field=models.ManyToManyField(
                blank=True,
                related_name="status_updates",
                through="initiatives.Citation",
                to="initiatives.source",
                verbose_name="sources",
            ),
        ),
        migrations.DeleteModel(
            name="HistoricalStatusUpdate_sources",
        ),
    ]
