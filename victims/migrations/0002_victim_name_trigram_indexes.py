"""Trigram indexes for the victim name search of the browser list (Khmer or Latin, any part of
a name). PostgreSQL only: `icontains` there compiles to UPPER(col) LIKE UPPER(%s), so the
indexes are on UPPER(col). On SQLite this migration does nothing."""

from django.db import migrations

COLUMNS = ("given_name", "family_name", "name_khmer")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS victim_{column}_upper_trgm "
            f"ON victims_victim USING gin (UPPER({column}) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS victim_{column}_upper_trgm")


class Migration(migrations.Migration):
    dependencies = [("victims", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
