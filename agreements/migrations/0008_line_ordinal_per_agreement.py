"""The line's agreement is required, and each ordinal of a year is handed out once per agreement."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("agreements", "0007_line_agreement")]

    operations = [
        migrations.AlterField(
            model_name="settlementline",
            name="agreement",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="+", to="agreements.agreement"
            ),
        ),
        migrations.RemoveConstraint(model_name="settlementline", name="line_ordinal_once_per_year"),
        migrations.AddConstraint(
            model_name="settlementline",
            constraint=models.UniqueConstraint(
                condition=models.Q(("kind", "course")),
                fields=("agreement", "year", "ordinal"),
                name="line_ordinal_once_per_agreement_year",
            ),
        ),
    ]
