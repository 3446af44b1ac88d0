"""Ordinals are handed out per agreement (each region has its own staircase and its own lock): the
line keeps its run's agreement, filled here from the run; 0008 makes it required and the unique
constraint (agreement, year, ordinal). Two migrations, so that PostgreSQL does not alter the table
in the transaction that updated its rows (pending deferred foreign-key checks)."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_agreement(apps, schema_editor):
    SettlementLine = apps.get_model("agreements", "SettlementLine")
    SettlementRun = apps.get_model("agreements", "SettlementRun")
    SettlementLine.objects.update(
        agreement_id=Subquery(SettlementRun.objects.filter(pk=OuterRef("run_id")).values("agreement_id")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [("agreements", "0006_statement_pdf_requested_key")]

    operations = [
        migrations.AddField(
            model_name="settlementline",
            name="agreement",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="agreements.agreement",
            ),
        ),
        migrations.RunPython(fill_agreement, migrations.RunPython.noop),
    ]
