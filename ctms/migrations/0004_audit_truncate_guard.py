"""TRUNCATE of the audit trail is refused on PostgreSQL too, unless the session says
`SET ctms.audit_truncate_allowed = 'on'` first.

0002 left TRUNCATE alone because the test runner empties tables with it; the test database now
sets that option for itself (tests/conftest.py), so the guard can hold everywhere else. An
operator who owns the table can still set the option or drop the trigger: this stops accidents
and the application's own role, not the database owner."""

from django.db import migrations

CREATE_TRIGGER = """
CREATE OR REPLACE FUNCTION ctms_auditevent_no_truncate() RETURNS trigger AS $$
BEGIN
    IF coalesce(current_setting('ctms.audit_truncate_allowed', true), '') = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'ctms_auditevent is append-only: TRUNCATE refused'
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS ctms_auditevent_no_truncate ON ctms_auditevent;
CREATE TRIGGER ctms_auditevent_no_truncate
    BEFORE TRUNCATE ON ctms_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION ctms_auditevent_no_truncate();
"""

DROP_TRIGGER = """
DROP TRIGGER IF EXISTS ctms_auditevent_no_truncate ON ctms_auditevent;
DROP FUNCTION IF EXISTS ctms_auditevent_no_truncate();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_TRIGGER, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TRIGGER, params=None)


class Migration(migrations.Migration):
    dependencies = [("ctms", "0003_merge_0002_audit_append_only_0002_idempotency_key")]

    operations = [migrations.RunPython(create_trigger, drop_trigger, elidable=False)]
