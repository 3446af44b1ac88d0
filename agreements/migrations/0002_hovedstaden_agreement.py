import datetime

from django.db import migrations


def create(apps, schema_editor):
    Region = apps.get_model("register", "Region")
    Agreement = apps.get_model("agreements", "Agreement")
    region = Region.objects.filter(code="1084").first()
    if region is None:
        return
    Agreement.objects.get_or_create(
        region=region,
        defaults={
            "name": "Aftale om IV-behandling i kommunalt regi, Region Hovedstaden",
            "starts_on": datetime.date(2021, 10, 4),
            "ends_on": datetime.date(2023, 10, 3),
            "extension_decision_by": datetime.date(2023, 9, 30),
        },
    )


class Migration(migrations.Migration):
    dependencies = [("agreements", "0001_initial"), ("register", "0002_reference_data")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
