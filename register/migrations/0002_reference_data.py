from django.db import migrations

# Later corrections to reference_data.py need a new data migration; this one ran already.
from register.reference_data import MUNICIPALITIES, PARTIES, REGIONS


def load(apps, schema_editor):
    Region = apps.get_model("register", "Region")
    Municipality = apps.get_model("register", "Municipality")
    Party = apps.get_model("register", "Party")
    regions = {}
    for code, name, slug in REGIONS:
        regions[code], _ = Region.objects.update_or_create(code=code, defaults={"name": name, "slug": slug})
    for code, name, region_code, population in MUNICIPALITIES:
        Municipality.objects.update_or_create(
            code=code, defaults={"name": name, "region": regions[region_code], "population": population}
        )
    for letter, name in PARTIES:
        Party.objects.update_or_create(letter=letter, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("register", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
