from __future__ import annotations

from django.apps import AppConfig
from django.db.backends.signals import connection_created


def register_sqlite_audit_guard(sender, connection, **kwargs) -> None:
    """SQLite has no session settings: its audit triggers (migration 0005) ask this function
    whether the connection opted in to emptying the table, as PostgreSQL's
    `ctms.audit_truncate_allowed` does. Only the test database sets
    `connection.ctms_audit_truncate_allowed`; a connection without the function (the sqlite3
    shell) cannot delete audit rows at all."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "ctms_audit_truncate_allowed",
            0,
            lambda: int(bool(getattr(connection, "ctms_audit_truncate_allowed", False))),
        )


class CtmsConfig(AppConfig):
    name = "ctms"
    verbose_name = "CTMS core"

    def ready(self) -> None:
        connection_created.connect(register_sqlite_audit_guard, dispatch_uid="ctms-audit-guard")
