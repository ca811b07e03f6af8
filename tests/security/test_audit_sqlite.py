"""Item 16 of issue 12: the audit trail is append-only on SQLite (the embedded default) too."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from ctms.audit import audit
from ctms.models import AuditEvent


@pytest.fixture
def sqlite_session_not_opted_in():
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's triggers are tested in tests/ctms/test_audit.py")
    connection.ctms_audit_truncate_allowed = False
    yield
    connection.ctms_audit_truncate_allowed = True


def test_sqlite_refuses_raw_update_and_delete_of_audit_rows(db, sqlite_session_not_opted_in):
    audit(actor=None, action="view", object_type="victim", object_id="x1")
    for statement in (
        "UPDATE ctms_auditevent SET action = 'delete'",
        "DELETE FROM ctms_auditevent",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(statement)
    assert list(AuditEvent.objects.values_list("action", "object_id")) == [("view", "x1")]
