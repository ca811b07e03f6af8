"""The refs of an import in a temporary table of the database, not in Python's memory.

Pass 1 of an import writes one row a line (line number, ref, record type, the id the record
gets, and what the rules of later lines need of it) into a temporary table: on PostgreSQL
through `COPY`, elsewhere (SQLite) with `executemany`, a few thousand rows at a time. What
the import then asks of the refs is answered by the database with an index or a join: the
duplicate refs, the refs whose id the database already holds, and, a block of lines at a
time, the refs that block links to. Memory holds one block, whatever the size of the file.

The table lives in the import's own transaction and connection; it is dropped at the end of
the import (and, on PostgreSQL, at the commit or rollback in any case).
"""

from __future__ import annotations

import io
import json
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection, models

FLUSH_ROWS = 5000
LOOKUP_CHUNK = 500  # values per `IN (...)` on SQLite (its limit on parameters is 999 or more)


@dataclass(slots=True)
class Entry:
    """One ref of the file: its record type, its id, its line, and `extra`: for a victim its
    date of birth and consent to services (when they matter), for a referral its victim
    (kept as the table's JSON text until asked for: most entries a block finds never are)."""

    type_name: str
    id: uuid.UUID
    line: int
    stored_extra: str | None = None

    @property
    def extra(self) -> Any:
        return extra_of(self.stored_extra)


class RefTable:
    """ref → Entry for one import, in a temporary table (see the module's docstring)."""

    def __init__(self) -> None:
        self.vendor = connection.vendor
        self.name = f"transfer_refs_{uuid.uuid4().hex[:12]}"
        self._pending: list[tuple] = []
        self._uuid = models.UUIDField()

    # Writing (pass 1) -----------------------------------------------------------------------

    def create(self) -> None:
        uuid_type = "uuid" if self.vendor == "postgresql" else "char(32)"
        tail = " ON COMMIT DROP" if self.vendor == "postgresql" else ""
        # Refs are compared byte by byte (COLLATE "C"): only equality is asked of them.
        collate = ' COLLATE "C"' if self.vendor == "postgresql" else ""
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMPORARY TABLE {self.name} (line integer NOT NULL,"
                f" ref text{collate} NOT NULL,"
                f" type_name varchar(20) NOT NULL, id {uuid_type} NOT NULL, extra text){tail}"
            )

    def add(self, line: int, ref: str, type_name: str, id: uuid.UUID | str, extra: Any) -> None:
        extra = None if extra is None else json.dumps(extra)
        if self.vendor == "postgresql":
            # The row as a line of COPY text at once: only the ref and `extra` can hold
            # characters to escape (the line is a number, the type a name of ours, the id a
            # UUID).
            self._pending.append(
                f"{line}\t{copy_text(ref)}\t{type_name}\t{id}\t{copy_text(extra)}\n"
            )
        else:
            self._pending.append((line, ref, type_name, self._db_id(id), extra))
        if len(self._pending) >= FLUSH_ROWS:
            self.flush()

    def flush(self) -> None:
        rows, self._pending = self._pending, []
        if not rows:
            return
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                text = "".join(rows)
                with connection.wrap_database_errors:
                    cursor.cursor.copy_expert(
                        f"COPY {self.name} (line, ref, type_name, id, extra) FROM STDIN",
                        io.StringIO(text),
                    )
            else:
                insert = f"INSERT INTO {self.name} VALUES (%s, %s, %s, %s, %s)"  # noqa: S608
                cursor.executemany(insert, rows)

    def finish(self) -> list[tuple[int, str, int]]:
        """Index the refs; return the lines whose ref an earlier line already has (line, ref,
        first line), and leave only the first of each ref in the table."""
        self.flush()
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE INDEX {self.name}_ref ON {self.name} (ref)")
            if self.vendor == "postgresql":
                cursor.execute(f"ANALYZE {self.name}")
            cursor.execute(
                f"SELECT s.line, s.ref, f.first FROM {self.name} s JOIN (SELECT ref, min(line)"  # noqa: S608
                f" AS first FROM {self.name} GROUP BY ref HAVING count(*) > 1) f ON f.ref = s.ref"
                " WHERE s.line > f.first ORDER BY s.line"
            )
            duplicates = cursor.fetchall()
            for start in range(0, len(duplicates), LOOKUP_CHUNK):
                lines = [line for line, _ref, _first in duplicates[start : start + LOOKUP_CHUNK]]
                marks = ", ".join(["%s"] * len(lines))
                delete = f"DELETE FROM {self.name} WHERE line IN ({marks})"  # noqa: S608
                cursor.execute(delete, lines)
        return duplicates

    def set_ids(self, ids: dict[int, uuid.UUID]) -> None:
        """Give the refs of these lines these ids, in one pass over the table (it has no index
        on the line)."""
        if not ids:
            return
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                cursor.execute(
                    f"UPDATE {self.name} s SET id = v.id FROM unnest(%s::integer[],"  # noqa: S608
                    " %s::uuid[]) AS v(line, id) WHERE s.line = v.line",
                    [list(ids), [self._db_id(id) for id in ids.values()]],
                )
            else:
                update = f"UPDATE {self.name} SET id = %s WHERE line = %s"  # noqa: S608
                cursor.executemany(update, [[self._db_id(id), line] for line, id in ids.items()])

    def drop(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.name}")

    # Reading ----------------------------------------------------------------------------------

    def rows(self, refs: Iterable[str]) -> dict[str, RefRow]:
        """ref → (record type, id as text, line, `extra` as JSON text) of those of `refs` that
        are refs of the file, in the form that a block's look-up travels in to a worker process
        (tuples of strings and numbers: quick to send); `entries` makes them entries."""
        refs = list(refs)
        found: dict[str, RefRow] = {}
        id_text = "id::text" if self.vendor == "postgresql" else "id"
        select = f"SELECT ref, type_name, {id_text}, line, extra FROM {self.name} WHERE ref"  # noqa: S608
        size = 5000 if self.vendor == "postgresql" else LOOKUP_CHUNK
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                # The values reach the planner as constants: for a few thousand of them in a
                # table of a few hundred thousand refs it reckons reading the whole table
                # cheaper than the index, and does so for every block (measured: 113 ms a
                # look-up instead of 32 ms, at 585,000 refs). The index it is, here only.
                cursor.execute("SET LOCAL enable_seqscan = off")
            for start in range(0, len(refs), size):
                chunk = refs[start : start + size]
                if self.vendor == "postgresql":
                    cursor.execute(f"{select} = ANY(%s)", [chunk])
                else:
                    cursor.execute(f"{select} IN ({', '.join(['%s'] * len(chunk))})", chunk)
                for ref, *row in cursor.fetchall():
                    found[ref] = tuple(row)
            if self.vendor == "postgresql":
                cursor.execute("RESET enable_seqscan")
        return found

    def existing(
        self, type_name: str, model: type[models.Model], skip: set[int]
    ) -> Iterator[tuple[int, uuid.UUID]]:
        """(line, id) of the file's records of `type_name` whose id `model`'s table holds."""
        table, pk = model._meta.db_table, model._meta.pk.column
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {quote(table)})")  # noqa: S608
            if not cursor.fetchone()[0]:
                return
            cursor.execute(
                f"SELECT s.line, s.id FROM {self.name} s JOIN {quote(table)} t"  # noqa: S608
                f" ON t.{quote(pk)} = s.id WHERE s.type_name = %s ORDER BY s.line",
                [type_name],
            )
            for line, id in cursor.fetchall():
                if line not in skip:
                    yield line, _as_uuid(id)

    def _db_id(self, id: uuid.UUID | str) -> Any:
        return str(id) if self.vendor == "postgresql" else _as_uuid(id).hex


RefRow = tuple[str, str, int, "str | None"]  # see RefTable.rows


def entries(rows: dict[str, RefRow]) -> dict[str, Entry]:
    """The entries of `RefTable.rows`."""
    return {
        ref: Entry(type_name, _as_uuid(id), line, extra)
        for ref, (type_name, id, line, extra) in rows.items()
    }


def extra_of(stored: str | None) -> Any:
    """An entry's `extra` from the table's JSON text."""
    return None if stored is None else json.loads(stored)


def _as_uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


# What COPY's text format escapes (the importer's rows use it too).
COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_text(value: Any) -> str:
    """A value in PostgreSQL's COPY text format (NULL, numbers, strings)."""
    if value is None:
        return "\\N"
    return str(value).translate(COPY_ESCAPES)
