"""The period-order check reports on period_end with its own message
(initiatives.constraints.FieldCheckConstraint), so Initiative.clean() no longer repeats
it. The SQL of the check is unchanged: state only."""

import initiatives.constraints
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0015_i15_search_languages"),
    ]

    operations = [
        migrations.AlterConstraint(
            model_name="initiative",
            name="initiative_period_end_not_before_start",
            constraint=initiatives.constraints.FieldCheckConstraint(
                condition=models.Q(
                    ("period_end__isnull", True),
                    ("period_start__isnull", True),
                    ("period_end__gte", models.F("period_start")),
                    _connector="OR",
                ),
                field="period_end",
                name="initiative_period_end_not_before_start",
                violation_error_message="The period cannot end before it starts.",
            ),
        ),
    ]
