"""The GIN index on the search vector, on PostgreSQL only (SQLite has no GIN and no tsvector; the
fallback matches stored stems, see archive/selectors.py). Not in the model's Meta, so makemigrations
stays quiet on both databases. The entries of what was published before are built by the worker
(archive.tasks.index_missing, sent when a worker starts) or `manage.py search_index`."""

from django.db import migrations

INDEX = "archive_searchentry_vector_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON archive_searchentry USING gin (vector)")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0001_archive_search_and_register"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index),
    ]
