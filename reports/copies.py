"""Values copied onto the rows the report counts, kept exact by the database.

The victim's sex and birth date are copied onto rescues, repatriations and follow-ups
(`victims.models.VictimCopy`), and an operation's date onto its rescues (`Rescue.operation_date`):
a quarter's rescued, repatriated and monitored people are then counted from the quarter's own
rows, read from one index each, instead of one look-up per person in a table of a million
victims (issue 17; docs/performance.md).

The copies are written by triggers, in the transaction that writes the row or its source,
whatever writes it: a service, the admin, an import's or `seed_demo`'s COPY, a merge that moves
rows to another person. The application never writes them (`editable=False`; a value it sends
is replaced). `tests/reports/test_copies.py` compares them, and the figures counted from them,
with the sources' own values.

PostgreSQL: a BEFORE INSERT OR UPDATE trigger per copying table sets the copies from the source
row; an AFTER UPDATE trigger on the source passes a change on. They fire in every session
(`ENABLE ALWAYS`), a session in the `replica` role included. SQLite has no BEFORE trigger that
can set NEW: an AFTER INSERT/UPDATE trigger updates the row it fired for (SQLite's recursive
triggers are off: that update does not fire it again).

A row must be written after its source (the importer inserts in the file's record-type order,
`seed_demo` in its tables' order); a change here needs a new migration that installs it again.
"""

# ruff: noqa: S608 - every name in these statements is a constant of this module, no input
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Copied:
    """Columns of `source` (copy name → source column) copied onto each of `tables`, whose
    `key` column names the source row."""

    name: str
    source: str
    key: str
    columns: dict[str, str]
    tables: tuple[str, ...]

    def changed(self) -> str:
        return " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in self.columns.values())

    def passed_on(self) -> str:
        return ", ".join(f"{copy} = NEW.{column}" for copy, column in self.columns.items())


VICTIM = Copied(
    name="victim",
    source="victims_victim",
    key="victim_id",
    columns={
        "victim_sex": "sex",
        "victim_date_of_birth": "date_of_birth",
        "victim_birth_year": "birth_year",
    },
    tables=("cases_rescue", "victims_repatriation", "victims_followup"),
)
OPERATION = Copied(
    name="operation",
    source="cases_operation",
    key="operation_id",
    columns={"operation_date": "date"},
    tables=("cases_rescue",),
)
COPIED = (VICTIM, OPERATION)


def _postgresql(copied: Copied) -> list[str]:
    targets = ", ".join(f"NEW.{copy}" for copy in copied.columns)
    values = ", ".join(f"s.{column}" for column in copied.columns.values())
    pass_on = " ".join(
        f"UPDATE {table} SET {copied.passed_on()} WHERE {copied.key} = NEW.id;"
        for table in copied.tables
    )
    statements = [
        f"""CREATE OR REPLACE FUNCTION ctms_copy_{copied.name}() RETURNS trigger AS $$
        BEGIN
            SELECT {values} INTO {targets} FROM {copied.source} s WHERE s.id = NEW.{copied.key};
            RETURN NEW;
        END $$ LANGUAGE plpgsql""",
        f"""CREATE OR REPLACE FUNCTION ctms_pass_on_{copied.name}() RETURNS trigger AS $$
        BEGIN
            {pass_on}
            RETURN NULL;
        END $$ LANGUAGE plpgsql""",
        f"""CREATE TRIGGER copy_to_rows AFTER UPDATE OF {", ".join(copied.columns.values())}
        ON {copied.source} FOR EACH ROW WHEN ({copied.changed()})
        EXECUTE FUNCTION ctms_pass_on_{copied.name}()""",
    ]
    for table in copied.tables:
        statements.append(
            f"CREATE TRIGGER copy_from_{copied.name} BEFORE INSERT OR UPDATE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION ctms_copy_{copied.name}()"
        )
    return statements + _always(copied)


def _always(copied: Copied) -> list[str]:
    """The triggers fire whatever the session's `session_replication_role`: an import may
    leave out the database's row-by-row foreign-key checks with it (`transfer.importer`), never
    the copies."""
    return [f"ALTER TABLE {copied.source} ENABLE ALWAYS TRIGGER copy_to_rows"] + [
        f"ALTER TABLE {table} ENABLE ALWAYS TRIGGER copy_from_{copied.name}"
        for table in copied.tables
    ]


def fire_always(schema_editor) -> None:
    """Make the installed triggers fire in every session (`_always`; a migration's forwards)."""
    if schema_editor.connection.vendor == "postgresql":
        for copied in COPIED:
            for statement in _always(copied):
                schema_editor.execute(statement)


def _sqlite(copied: Copied) -> list[str]:
    statements = []
    for table in copied.tables:
        from_source = ", ".join(
            f"{copy} = (SELECT {column} FROM {copied.source} WHERE id = NEW.{copied.key})"
            for copy, column in copied.columns.items()
        )
        for event in ("INSERT", "UPDATE"):
            statements.append(
                f"CREATE TRIGGER copy_from_{copied.name}_{table}_{event.lower()} "
                f"AFTER {event} ON {table} "
                f"BEGIN UPDATE {table} SET {from_source} WHERE id = NEW.id; END"
            )
        statements.append(
            f"CREATE TRIGGER copy_{copied.name}_to_{table} AFTER UPDATE OF "
            f"{', '.join(copied.columns.values())} ON {copied.source} WHEN {copied.changed()} "
            f"BEGIN UPDATE {table} SET {copied.passed_on()} "
            f"WHERE {copied.key} = NEW.id; END"
        )
    return statements


def _backfill(copied: Copied, vendor: str) -> list[str]:
    if vendor == "postgresql":
        values = ", ".join(f"{copy} = s.{column}" for copy, column in copied.columns.items())
        return [
            f"UPDATE {table} t SET {values} FROM {copied.source} s WHERE s.id = t.{copied.key}"
            for table in copied.tables
        ]
    return [
        f"UPDATE {table} SET "
        + ", ".join(
            f"{copy} = (SELECT {column} FROM {copied.source} s WHERE s.id = {table}.{copied.key})"
            for copy, column in copied.columns.items()
        )
        for table in copied.tables
    ]


def install(schema_editor) -> None:
    """Fill the copies of the rows already there, then keep them (a migration's forwards)."""
    vendor = schema_editor.connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        raise NotImplementedError(f"copied values are kept on PostgreSQL and SQLite, not {vendor}")
    for copied in COPIED:
        for statement in _backfill(copied, vendor):
            schema_editor.execute(statement)
        for statement in _postgresql(copied) if vendor == "postgresql" else _sqlite(copied):
            schema_editor.execute(statement)


def uninstall(schema_editor) -> None:
    for copied in COPIED:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS copy_to_rows ON {copied.source}")
            for table in copied.tables:
                schema_editor.execute(f"DROP TRIGGER IF EXISTS copy_from_{copied.name} ON {table}")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS ctms_copy_{copied.name}()")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS ctms_pass_on_{copied.name}()")
            continue
        for table in copied.tables:
            for event in ("insert", "update"):
                name = f"copy_from_{copied.name}_{table}_{event}"
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
            schema_editor.execute(f"DROP TRIGGER IF EXISTS copy_{copied.name}_to_{table}")
