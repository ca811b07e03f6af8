"""The copies' triggers fire in every session, a session in the `replica` role included: the
importer leaves PostgreSQL's row-by-row foreign-key checks out with that role (issue 17;
`transfer.importer._ImportRun._links_checked_here`), never the copies. 0009 installs them so
on a new database (`reports.copies`); this makes those of an existing one so."""

from django.db import migrations

from reports import copies


def forwards(apps, schema_editor):
    copies.fire_always(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("reports", "0009_victim_copies")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)]
