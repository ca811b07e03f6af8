"""Writing blocks of generated rows: PostgreSQL COPY on PostgreSQL, bulk_create elsewhere.

On PostgreSQL a writer thread with its own connection streams each block with `COPY … FROM
STDIN` while the main thread generates the next block, so that Python and the database server
work on the two cores at once. Everything is one transaction; `SET CONSTRAINTS ALL IMMEDIATE`
makes the foreign keys be checked at the end of each COPY instead of piling up until the commit.
Columns a generator does not fill get the model field's default.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import queue
import threading
from collections.abc import Callable, Iterable
from typing import Any

from django.db import connection, connections, models, transaction
from django.db.models.fields import AutoFieldMixin

from .tables import TABLES

Block = dict[str, list[tuple]]


class BulkWriter:
    """Writes blocks in table order; `counts` says how many rows went to each table."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = dict.fromkeys(TABLES, 0)

    def write(self, block: Block) -> None:
        for name in TABLES:
            rows = block.get(name)
            if rows:
                self._write(name, rows)
                self.counts[name] += len(rows)

    def _write(self, name: str, rows: list[tuple]) -> None:
        raise NotImplementedError

    def run(self, blocks: Iterable[Block], progress: Callable[[], None]) -> None:
        raise NotImplementedError


class ModelWriter(BulkWriter):
    """bulk_create in batches, in the caller's transaction (SQLite and small scales)."""

    def _write(self, name: str, rows: list[tuple]) -> None:
        model, columns = TABLES[name]
        instances = [model(**dict(zip(columns, row, strict=True))) for row in rows]
        model.objects.bulk_create(instances, batch_size=500)

    def run(self, blocks: Iterable[Block], progress: Callable[[], None]) -> None:
        with transaction.atomic():
            for block in blocks:
                self.write(block)
                progress()


class CopyWriter(BulkWriter):
    """PostgreSQL COPY from a writer thread, one transaction, one block queued ahead."""

    def __init__(self) -> None:
        super().__init__()
        self.statements = {name: _copy_statement(name) for name in TABLES}
        self.tails = {name: _default_tail(name) for name in TABLES}
        self._cursor = None

    def _write(self, name: str, rows: list[tuple]) -> None:
        tail = self.tails[name]
        text = "".join("\t".join(map(_copy_value, row)) + tail for row in rows)
        self._cursor.copy_expert(self.statements[name], io.StringIO(text))

    def run(self, blocks: Iterable[Block], progress: Callable[[], None]) -> None:
        pending: queue.Queue = queue.Queue(maxsize=2)
        failure: list[BaseException] = []
        thread = threading.Thread(target=self._consume, args=(pending, failure, progress))
        thread.start()
        try:
            for block in blocks:
                if failure:
                    break
                pending.put(block)
        finally:
            pending.put(None)
            thread.join()
        if failure:
            raise failure[0]

    def _consume(self, pending: queue.Queue, failure: list, progress: Callable[[], None]) -> None:
        alias = connection.alias
        try:
            with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
                restore = _detach_indexes_and_foreign_keys(cursor)
                self._cursor = cursor.cursor  # psycopg2's own cursor, for copy_expert
                while (block := pending.get()) is not None:
                    if not failure:
                        self.write(block)
                        progress()
                self.progress_message("rebuilding indexes and checking foreign keys …")
                for statement in restore:
                    cursor.execute(statement)
        except BaseException as exc:  # handed to the main thread, which raises it
            failure.append(exc)
            while pending.get() is not None:  # let the producer finish and stop
                pass
        finally:
            connections[alias].close()

    def progress_message(self, message: str) -> None:
        """Overridden by the caller to show what the writer is doing."""


def _detach_indexes_and_foreign_keys(cursor) -> list[str]:
    """Drop the foreign keys and the plain (non-unique, non-primary) indexes of the tables
    about to be filled, and return the statements that put them back.

    As pg_restore does: building an index once from sorted data and checking a foreign key
    with one join is far faster than maintaining them row by row (each foreign-key check
    also locks the referenced row). Primary keys, unique and check constraints stay.
    """
    tables = [model._meta.db_table for model, _columns in TABLES.values()]
    cursor.execute(
        """
        SELECT 'ALTER TABLE ' || conrelid::regclass || ' ADD CONSTRAINT '
               || quote_ident(conname) || ' ' || pg_get_constraintdef(oid),
               'ALTER TABLE ' || conrelid::regclass || ' DROP CONSTRAINT ' || quote_ident(conname)
        FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY(%s::regclass[])
        """,
        [tables],
    )
    foreign_keys = cursor.fetchall()
    cursor.execute(
        """
        SELECT pg_get_indexdef(x.indexrelid), 'DROP INDEX ' || x.indexrelid::regclass
        FROM pg_index x
        WHERE x.indrelid = ANY(%s::regclass[]) AND NOT x.indisprimary AND NOT x.indisunique
        """,
        [tables],
    )
    indexes = cursor.fetchall()
    for _create, drop in foreign_keys + indexes:
        cursor.execute(drop)
    return [create for create, _drop in indexes + foreign_keys]


def writer_for_database() -> BulkWriter:
    return CopyWriter() if connection.vendor == "postgresql" else ModelWriter()


def _columns(name: str) -> list[models.Field]:
    model, attnames = TABLES[name]
    by_attname = {field.attname: field for field in model._meta.concrete_fields}
    return [by_attname[attname] for attname in attnames]


def _missing(name: str) -> list[models.Field]:
    """Concrete fields the generator leaves out (auto ids excluded): filled with defaults."""
    model, attnames = TABLES[name]
    return [
        field
        for field in model._meta.concrete_fields
        if field.attname not in attnames and not isinstance(field, AutoFieldMixin)
    ]


def _copy_statement(name: str) -> str:
    model, _attnames = TABLES[name]
    quote = connection.ops.quote_name
    columns = [field.column for field in _columns(name) + _missing(name)]
    return f"COPY {quote(model._meta.db_table)} ({', '.join(map(quote, columns))}) FROM STDIN"


def _default_tail(name: str) -> str:
    defaults = [_copy_value(field.get_default()) for field in _missing(name)]
    return "".join("\t" + value for value in defaults) + "\n"


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_value(value: Any) -> str:
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    kind = type(value)
    if kind is str:
        return value.translate(_ESCAPES) if ("\\" in value or "\t" in value or "\n" in value
                                            or "\r" in value) else value  # fmt: skip
    if kind is bool:
        return "t" if value else "f"
    if kind is int:
        return str(value)
    if kind is list or kind is dict:
        return json.dumps(value, ensure_ascii=False).translate(_ESCAPES)
    if kind is dt.datetime or kind is dt.date:
        return value.isoformat()
    return str(value)
