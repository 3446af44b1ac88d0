"""Monitoring groups a year's courses by municipality and quarter (selectors.monitoring). Without
statistics on that pair PostgreSQL guesses ~29,000 groups for the real ~120, sorts a year of
courses on disk instead of hashing them, and the page grows with the data (issue 15). These
statistics give it the true number of groups (ANALYZE fills them). PostgreSQL only: SQLite (make
run) has no extended statistics."""

from django.db import migrations

CREATE = [
    "CREATE STATISTICS course_municipality_quarter (ndistinct) "
    "ON municipality_id, (EXTRACT(QUARTER FROM referred_on)) FROM agreements_course",
    "ANALYZE agreements_course",
]
DROP = ["DROP STATISTICS IF EXISTS course_municipality_quarter"]


def _on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("agreements", "0015_course_open_by_start_and_started_indexes")]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP))]
