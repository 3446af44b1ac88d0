"""Monitoring groups a year's courses by municipality and quarter (selectors.monitoring). Without
statistics on that pair PostgreSQL guesses ~29,000 groups for the real ~120, sorts a year of
courses on disk instead of hashing them, and the page grows with the data (issue 15). These
statistics give it the true number of groups (ANALYZE fills them)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("agreements", "0015_course_open_by_start_and_started_indexes")]

    operations = [
        migrations.RunSQL(
            sql=[
                "CREATE STATISTICS course_municipality_quarter (ndistinct) "
                "ON municipality_id, (EXTRACT(QUARTER FROM referred_on)) FROM agreements_course",
                "ANALYZE agreements_course",
            ],
            reverse_sql=["DROP STATISTICS IF EXISTS course_municipality_quarter"],
        ),
    ]
