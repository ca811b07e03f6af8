"""Loading a JSON Lines file of records (SPEC section 6): all or nothing, every error with its
line number, in memory that does not grow with the file.

Everything happens in one transaction. The file is read twice:
1. every line parsed (UTF-8, JSON object, known type, known fields, a ref) and every ref given
   its id (a ref that is a UUID keeps it, so an export re-imports with the same ids; any other
   ref gets a name-based UUID of this import) in a temporary table of the database
   (`transfer.staging`); then, with the table's index and a join per record type, the duplicate
   refs and the ids the database already holds;
2. every line parsed again, a block of lines at a time: the refs the block links to looked up
   in the table in one query, each line's model instance built and validated by the steps of
   the model's own `full_clean` (choices, code validators, gazetteer codes, lengths, `clean()`;
   `transfer.building` keeps each field's outcome per value, and the rules use one today), as
   long as nothing has failed, inserted (`COPY` on PostgreSQL, `bulk_create` elsewhere). Should
   the database refuse a batch (a check or unique constraint), that batch is retried row by row
   to name the lines (so `clean()` skips its own look-ups for a unique constraint's sake:
   `ctms.rules.unique_left_to_database`). Any error rolls the whole transaction back; so
   does `dry_run`, after the same work. On PostgreSQL the lines may be parsed (pass 1) and
   the rows built (pass 2) in forked worker processes while this one registers the refs, looks
   up and inserts (`workers`, see `_scan_in_parallel` and `_load_in_parallel`).
What stays in memory is one block of lines and rows (a few per worker), and the agencies of
the file.
"""

from __future__ import annotations

import datetime as dt
import gc
import io
import json
import multiprocessing
import operator
import os
import pickle
import sys
import tempfile
import time
import uuid
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, BinaryIO, NamedTuple

import orjson
from django.core.exceptions import EmptyResultSet, ValidationError
from django.db import (
    IntegrityError,
    ProgrammingError,
    connection,
    connections,
    models,
    transaction,
)
from django.db.models.fields import AutoFieldMixin

from agencies.models import Agency, User
from ctms.audit import audit
from ctms.rules import same_day, unique_left_to_database
from ctms.validators import load_code_lists
from handovers import workflow as handover_workflow
from referrals import workflow as referral_workflow
from referrals.models import Referral
from victims.models import Victim

from .building import Validator, new_instance
from .schema import BY_NAME, RECORD_TYPES, USERNAME_COLUMNS, VICTIM, Link, Nested, RecordType
from .staging import COPY_ESCAPES, Entry, RefRow, RefTable, copy_text, entries, extra_of
from .values import BadValue, as_uuid, coerce

MAX_ERRORS = 100
BATCH_SIZE = 2000


@dataclass(frozen=True)
class LineError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


@dataclass
class ImportResult:
    """What a load did: records per type, or the errors that stopped it."""

    counts: dict[str, int] = field(default_factory=dict)
    errors: list[LineError] = field(default_factory=list)
    dry_run: bool = False
    truncated: bool = False
    ids: Mapping[str, uuid.UUID] | RefIds = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class ParsedLine:
    number: int
    record_type: RecordType
    ref: str
    data: dict[str, Any]


@dataclass
class Row:
    """A validated instance and the child rows (m2m links, nested lists) to insert after it."""

    line: int
    instance: models.Model
    children: list[models.Model] = field(default_factory=list)


class TooManyErrors(Exception):
    pass


def import_records(
    stream: Iterable[bytes],
    *,
    dry_run: bool = False,
    actor=None,
    max_errors: int = MAX_ERRORS,
    progress: Callable[[str], None] | None = None,
    workers: int = 1,
) -> ImportResult:
    """Load the records of a JSON Lines byte stream. Nothing is written unless every line is
    valid; with `dry_run` nothing is written at all. The file is read twice and never held in
    memory (a stream that cannot seek, such as standard input, is first copied to a temporary
    file); its refs go to a temporary table: what stays in memory is one block of lines.
    `progress`, if given, is told what is done (with the seconds since the start). On
    PostgreSQL, `workers` above 1 builds and validates the rows in that many processes."""
    started = time.monotonic()

    def say(message: str) -> None:
        if progress is not None:
            progress(f"{message} ({time.monotonic() - started:.1f} s)")

    run = _ImportRun(max_errors=max_errors, say=say)
    result = ImportResult(dry_run=dry_run)
    with (
        _rereadable(stream) as source,
        transaction.atomic(),
        same_day(),
        unique_left_to_database(),
    ):
        start = source.tell()
        run.source_fd = _file_descriptor(source)
        run.refs.create()
        try:
            run.scan(source, workers=workers)
            say("pass 1: every line read, its ref in the table of refs")
            run.lookup()
            say("duplicate refs and ids already in the database looked up")
            source.seek(start)
            result.counts = run.load(source, dry_run=dry_run, actor=actor, workers=workers)
            say("pass 2: every line validated" + ("" if run.errors else " and inserted"))
        except TooManyErrors:
            result.truncated = True
        if run.errors or dry_run:
            transaction.set_rollback(True)
        else:
            run.refs.drop()
            say("committing (the database checks the links)")
    if not run.errors and not dry_run:
        say("committed")
    result.errors = sorted(run.errors, key=lambda error: error.line)
    if result.errors:
        result.counts = {}
    else:
        result.ids = RefIds(run.namespace, run.agency_ids)
    return result


class RefIds:
    """ref → id of the records an import loaded: computed from the ref as the import did (a
    UUID ref is the id; another ref's id is named after it in the import's namespace; an agency
    matched by acronym is the database's), so nothing of the size of the file is kept."""

    def __init__(self, namespace: uuid.UUID, agency_ids: Mapping[str, uuid.UUID]):
        self._namespace, self._agency_ids = namespace, agency_ids

    def __getitem__(self, ref: str) -> uuid.UUID:
        return _id_for(ref, self._namespace, self._agency_ids)


def _id_for(ref: str, namespace: uuid.UUID, agency_ids: Mapping[str, uuid.UUID]) -> uuid.UUID:
    return agency_ids.get(ref) or as_uuid(ref) or uuid.uuid5(namespace, ref)


def _registration(line: ParsedLine, namespace: uuid.UUID) -> tuple:
    """What pass 1 keeps of a line: (line number, ref, type, id as text, extra, acronym).
    `extra` is what the rules of other lines need (see _ImportRun.refs); `acronym` an
    agency's. Plain strings and numbers: a worker sends it to the loader (_scan_in_worker)."""
    type_name, data = line.record_type.name, line.data
    extra = acronym = None
    if type_name == "agency" and isinstance(data.get("acronym"), str):
        acronym = data["acronym"]
    if type_name == "referral":
        extra = data.get("victim")
    if type_name == "victim":
        born, consents = data.get("date_of_birth"), data.get("consent_services")
        if born is not None or consents is not True:
            extra = [born, consents]
    id = str(_id_for(line.ref, namespace, {}))
    return line.number, line.ref, type_name, id, extra, acronym


@contextmanager
def _rereadable(stream) -> Iterator[BinaryIO]:
    """The stream itself when it can seek, else a copy in a temporary file (on disk)."""
    seekable = getattr(stream, "seekable", None)
    if seekable is not None and seekable():
        yield stream
        return
    with tempfile.TemporaryFile() as copy:
        for chunk in stream:
            copy.write(chunk)
        copy.seek(0)
        yield copy


class _ImportRun:
    """The state of one load: refs, what the database already holds, errors so far."""

    def __init__(self, *, max_errors: int, say: Callable[[str], None] = lambda _message: None):
        self.max_errors = max_errors
        self.say = say
        self.errors: list[LineError] = []
        # Every ref of the file (a temporary table; see transfer.staging). Each entry also
        # keeps what the rules of other lines need: for a victim its date of birth and consent
        # to services where they matter (see _victim_at_hand), for a referral its victim (for
        # the services that name the referral; it may come after them in the file).
        self.refs = RefTable()
        self.namespace = uuid.uuid4()  # ids of the refs that are not UUIDs are named in it
        # Lines that are no record: unreadable, or a ref used before (both already errors,
        # so there are at most max_errors of them).
        self.skipped_lines: set[int] = set()
        # The agencies of the file (few): acronym → id, line and ref.
        self.acronyms: dict[str, uuid.UUID] = {}
        self.acronym_lines: dict[str, int] = {}
        self.acronym_refs: dict[str, str] = {}
        # Agency lines whose acronym the database holds: line number → that agency, whose
        # fields the line must agree with (SPEC section 6); nothing is inserted for them.
        self.existing_agencies: dict[int, Agency] = {}
        self.agency_ids: dict[str, uuid.UUID] = {}  # their refs → the database's agencies
        # What the block of lines at hand links to (pass 2): its refs, the database records
        # it names by UUID, its users.
        self.block_refs: dict[str, Entry] = {}
        self.block_victims: dict[uuid.UUID, Victim] = {}
        self.known_ids: dict[str, set[uuid.UUID]] = {}
        self.usernames: dict[str, int] = {}
        self.counts: dict[str, int] = defaultdict(int)
        self.validator = Validator()  # each record's full_clean (see transfer.building)
        self.blocks_built_here = 0  # by a parallel load: see _load_in_parallel
        self.blocks_looked_up = 0
        # What each block of lines links to, from a parallel pass 1 (see _scan_in_parallel).
        self.links: BinaryIO | None = None
        # The file's descriptor, through which workers read the lines themselves (or None:
        # they are sent the lines; see _for_workers).
        self.source_fd: int | None = None
        # The furthest line that a row inserted so far links to (a parallel load: see
        # _check_links).
        self.linked_through = 0
        # Whether PostgreSQL checks the links of the rows as they are inserted, as well as the
        # import (see _links_checked_here).
        self.database_checks_links = True

    def error(self, line: int, message: str) -> None:
        self.errors.append(LineError(line, message))
        if len(self.errors) >= self.max_errors:
            raise TooManyErrors

    # Pass 1: every line parsed, every ref given its id ------------------------------------

    def scan(self, source: Iterable[bytes], *, workers: int = 1) -> None:
        if workers > 1 and connection.vendor == "postgresql":
            self._scan_in_parallel(source, workers)
            return
        for number, raw in enumerate(source, start=1):
            line = self._parse_line(number, raw)
            if line is not None:
                self._register(_registration(line, self.namespace))
            elif raw.strip():
                self.skipped_lines.add(number)

    def _scan_in_parallel(self, source: Iterable[bytes], workers: int) -> None:
        """Pass 1 with the lines parsed in `workers` forked processes (_scan_in_worker): this
        process takes each block's registrations and errors in file order, as the serial scan
        makes them, and keeps what the block links to in a temporary file (on disk), for pass
        2's look-ups (_load_in_parallel), so that pass 2 parses each line only once."""
        self.links = tempfile.TemporaryFile()  # noqa: SIM115 (closed by load, or with the run)
        with _worker_pool(self, workers) as pool:
            sent = (sent for _block, sent in _for_workers(source, self.source_fd))
            for items, links in _in_order(pool, _scan_in_worker, sent, ahead=2 * workers):
                for item in items:
                    if isinstance(item, LineError):
                        self.skipped_lines.add(item.line)
                        self.error(item.line, item.message)
                    else:
                        self._register(item)
                pickle.dump(links, self.links, protocol=pickle.HIGHEST_PROTOCOL)
        self.links.seek(0)

    def _parse_line(self, number: int, raw: bytes, *, report: bool = True) -> ParsedLine | None:
        error = self.error if report else (lambda _number, _message: None)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            error(number, f"not valid UTF-8 (byte {exc.start + 1} of the line)")
            return None
        if number == 1:
            text = text.removeprefix("\ufeff")  # a byte-order mark some editors write
        if not text.strip():
            return None
        try:
            data = _json_line(text)
        except json.JSONDecodeError as exc:
            error(number, f"invalid JSON: {exc.msg} (column {exc.colno})")
            return None
        if not isinstance(data, dict):
            error(number, "a line must be one JSON object")
            return None
        type_name, ref = data.pop("type", None), data.pop("ref", None)
        record_type = BY_NAME.get(type_name) if isinstance(type_name, str) else None
        if record_type is None:
            expected = ", ".join(BY_NAME)
            error(number, f"unknown type {type_name!r}; expected one of: {expected}")
            return None
        if not isinstance(ref, str) or not ref.strip():
            error(number, 'missing ref: every line needs a "ref" string unique in the file')
            return None
        unknown = data.keys() - record_type.known
        if unknown:
            error(number, f"unknown field(s) for {type_name}: {', '.join(sorted(unknown))}")
            return None
        return ParsedLine(number, record_type, ref, data)

    def _register(self, registration: tuple) -> None:
        """Put a line's ref and id in the table of refs (duplicates are found there at the
        end), and an agency's acronym among the file's (see _registration)."""
        number, ref, type_name, id, extra, acronym = registration
        if acronym is not None:
            if acronym in self.acronym_lines:
                self.error(number, f"acronym: an agency {acronym!r} already exists")
            else:
                self.acronym_lines[acronym] = number
                self.acronym_refs[acronym] = ref
                self.acronyms[acronym] = uuid.UUID(id)
        self.refs.add(number, ref, type_name, id, extra)

    def lookup(self) -> None:
        """Duplicate refs, and what the database already holds, in a few queries."""
        for number, ref, first in self.refs.finish():
            self.skipped_lines.add(number)
            self.error(number, f"duplicate ref {ref!r} (first used on line {first})")
        self._match_agencies()
        self._check_new_ids()

    def _match_agencies(self) -> None:
        """An agency line whose acronym the database holds is that agency: its ref names the
        database's agency (pass 2 checks that the line's fields agree)."""
        in_database = {agency.acronym: agency for agency in _key_shared(Agency.objects.all())}
        matched: dict[int, uuid.UUID] = {}
        for acronym, number in self.acronym_lines.items():
            agency = in_database.get(acronym)
            if agency is not None and number not in self.skipped_lines:
                self.agency_ids[self.acronym_refs[acronym]] = agency.id
                matched[number] = agency.id
                self.existing_agencies[number] = agency
        self.refs.set_ids(matched)
        self.acronyms.update({acronym: agency.id for acronym, agency in in_database.items()})

    def _check_new_ids(self) -> None:
        """Refs that are UUIDs keep them as ids: none may exist in the database already
        (agencies matched by acronym aside). One join per record type."""
        for record_type in RECORD_TYPES:
            skip = set(self.existing_agencies) if record_type.name == "agency" else set()
            for number, existing in self.refs.existing(record_type.name, record_type.model, skip):
                self.error(number, f"{record_type.name} {existing} already exists in the database")

    # Pass 2: every row built, validated and (while nothing failed) inserted ----------------

    def load(
        self, source: Iterable[bytes], *, dry_run: bool, actor, workers: int = 1
    ) -> dict[str, int]:
        """Build each line's row in file order, a block of lines at a time, and insert rows in
        batches, in the caller's transaction (rolled back if any line fails, or for a dry run).
        Every link is checked here: it names a ref of the file or a record the database holds
        (`resolve`). The database checks them too: foreign keys are checked at commit (Django
        declares them DEFERRABLE INITIALLY DEFERRED on PostgreSQL and SQLite), or by a parallel
        load as soon as no row inserted links past them (_check_links); on PostgreSQL, where the
        import may, it leaves that second, row-by-row check out (_links_checked_here). With
        `workers` above 1 on PostgreSQL, the rows are built in that many processes while this
        one looks up and inserts (see _load_in_parallel)."""
        with self._links_checked_here():
            if workers > 1 and connection.vendor == "postgresql":
                self._load_in_parallel(source, workers)
            else:
                for index, block in enumerate(_blocks(source, BATCH_SIZE)):
                    self._progress(index, block)
                    self._load_here(block)
        counts = {
            record_type.name: self.counts[record_type.name]
            for record_type in RECORD_TYPES
            if self.counts.get(record_type.name)
        }
        if not self.errors and not dry_run:
            audit(
                actor=actor,
                action="import",
                object_type="records",
                channel="cli",
                details={"counts": counts},
            )
        return counts

    @contextmanager
    def _links_checked_here(self) -> Iterator[None]:
        """On PostgreSQL, the rows of the load without the database's own foreign-key checks,
        where the import may leave them out (`session_replication_role`: a superuser, or a role
        granted `SET` on it, PostgreSQL 15 and later; docs/import-export.md). The checks are
        PostgreSQL's triggers, run row by row, a third of its work in an import; they find
        nothing the import does not check already: every link names a row of the file, inserted
        in the same transaction, or a record of the database, which the look-ups lock as the
        check would (`FOR KEY SHARE`: it cannot be deleted before the import commits). The
        tables the import writes have no other triggers (tests/ctms/test_transfer_links.py).
        Where the role may not, the database checks the links as before."""
        if connection.vendor != "postgresql":
            yield
            return
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
        except ProgrammingError:  # permission denied to set the parameter
            self.say("pass 2: the database checks the links too (the role may not leave it out)")
            yield
            return
        self.database_checks_links = False
        yield
        self.database_checks_links = True
        with connection.cursor() as cursor:  # the rest of the transaction as before
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")

    def _progress(self, index: int, block: list[tuple[int, bytes]]) -> None:
        if index and index % 50 == 0:
            self.say(f"pass 2: {block[0][0] - 1:,} lines")

    def _lines_of(self, block: list[tuple[int, bytes]]) -> list[ParsedLine]:
        lines = []
        for number, raw in block:
            if number in self.skipped_lines:
                continue  # a bad line or a duplicate ref: already an error
            line = self._parse_line(number, raw, report=False)  # pass 1 reported it
            if line is not None:
                lines.append(line)
        return lines

    def _load_here(self, block: list[tuple[int, bytes]], looked_up: tuple | None = None) -> None:
        """One block in this process: its links looked up (or given, as looked up before),
        its rows built and validated and, while nothing has failed, inserted."""
        lines = self._lines_of(block)
        self._use(self._look_up(*_named_links(lines)) if looked_up is None else looked_up)
        rows = self._build_rows(lines)
        if not self.errors:
            self._write(rows)

    def _build_rows(self, lines: list[ParsedLine]) -> list[Row]:
        rows = []
        for line in lines:
            row = self._build_row(line)
            if row is None:
                continue
            if line.number in self.existing_agencies:
                self._agree(line, row, self.existing_agencies[line.number])
                continue
            self.counts[line.record_type.name] += 1
            rows.append(row)
        return rows

    def _load_in_parallel(self, source: BinaryIO, workers: int) -> None:
        """Pass 2 with the rows built in `workers` forked processes: this process looks up what
        each block links to (read from its lines in pass 1: `_scan_in_parallel`), in the
        database, in its one transaction, hands the block (where its lines are: `_for_workers`)
        and what it found to a worker, and inserts the COPY text the workers send back, in file
        order. A worker
        never uses the database: a block whose rules would ask it something (a record of the
        database the block's look-up did not bring) is built here instead, as is a block the
        database refuses (to name the lines). The rules, the errors and the rows are those of
        the serial load."""
        pending: deque = deque()
        # What each block links to was read from its lines in pass 1 (_scan_in_parallel).
        with self.links, _worker_pool(self, workers) as pool:
            for block, sent in _for_workers(source, self.source_fd):
                self._progress(self.blocks_looked_up, block)
                self.blocks_looked_up += 1
                looked_up = self._look_up(*pickle.load(self.links))  # noqa: S301 (ours)
                task = pool.apply_async(_build_in_worker, (sent, looked_up))
                pending.append((block, looked_up, task))
                while len(pending) > 2 * workers:
                    self._take(*pending.popleft())
            while pending:
                self._take(*pending.popleft())
        if self.blocks_built_here:
            self.say(f"pass 2: {self.blocks_built_here} block(s) built in this process")

    def _take(self, block, looked_up, task) -> None:
        """A worker's outcome for `block`: its errors and counts, then its rows inserted."""
        outcome = task.get()
        if outcome is None:  # the block's rules needed the database
            self.blocks_built_here += 1
            self._load_here(block, looked_up)
        else:
            self._insert_built(block, looked_up, outcome)
        self._check_links(block, looked_up[0])

    def _insert_built(self, block, looked_up, outcome) -> None:
        errors, counts, copies = outcome
        for error in errors:
            self.error(error.line, error.message)
        for name, count in counts.items():
            self.counts[name] += count
        if self.errors:
            return
        try:
            with transaction.atomic():
                for statement, text in copies:
                    _send_copy(statement, text)
        except IntegrityError:
            # The database refused a row: build the block here to name its lines.
            for name, count in counts.items():
                self.counts[name] -= count
            self._load_here(block, looked_up)

    def _check_links(self, block: list[tuple[int, bytes]], block_refs: dict[str, RefRow]) -> None:
        """Have the database check the links of the rows inserted so far now, when none of
        them points past the block just inserted (`SET CONSTRAINTS ALL IMMEDIATE` checks the
        deferred foreign keys at once): the checks then run while the workers build the next
        blocks, rather than all at the commit while the workers wait. A file whose rows link
        forward is checked at the commit, as a serial load is. Nothing to do where the import
        alone checks the links (_links_checked_here)."""
        if not self.database_checks_links:
            return
        self.linked_through = max(
            self.linked_through, max((row[2] for row in block_refs.values()), default=0)
        )
        if self.errors or self.linked_through > block[-1][0]:
            return
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")

    def _look_up(self, named: set[tuple[str, str]], users: set[str]) -> tuple:
        """What a block's lines link to (`_named_links`), in a few queries: the refs of the file
        (and, for a service under a referral of the file, that referral's victim), the records
        of the database named by UUID, the users named by username. `_use` puts it to use."""
        found = self.refs.rows({value for value, _target in named})
        victims_of_referrals = {
            victim
            for type_name, _id, _line, extra in found.values()
            if type_name == "referral" and isinstance(victim := extra_of(extra), str)
        }
        found.update(self.refs.rows(victims_of_referrals - set(found)))
        candidates: dict[str, set[uuid.UUID]] = defaultdict(set)
        named = named | {(value, "victim") for value in victims_of_referrals}
        for value, target in named:
            # Values that are not refs of the file but spell a UUID may name database records.
            if value not in found and (id := as_uuid(value)) is not None:
                candidates[target].add(id)
        known_ids = {
            target: _existing_ids(BY_NAME[target].model, ids) for target, ids in candidates.items()
        }
        usernames = dict(_key_shared(User.objects.filter(username__in=users), "username", "id"))
        return found, known_ids, usernames

    def _use(self, looked_up: tuple) -> None:
        """Build the next rows with what `_look_up` found."""
        found, self.known_ids, self.usernames = looked_up
        self.block_refs = entries(found)
        self.block_victims = {}

    def _write(self, rows: list[Row]) -> None:
        self._insert([(row.line, row.instance) for row in rows])
        self._insert([(row.line, child) for row in rows for child in row.children])

    def _victim_at_hand(self, record: models.Model, value: Any) -> None:
        """When `record` is about a victim of this file (`value` is its ref), put that victim
        on it as the model's rules need it, so that they check it without asking the database
        for a row it does not hold yet."""
        entry = self.block_refs.get(value) if isinstance(value, str) else None
        if entry is None or entry.type_name != "victim":
            return
        victim = self.block_victims.get(entry.id)
        if victim is None:  # one stand-in per victim and block: the rules only read it
            extra = entry.extra
            born, consents = extra if extra is not None else (None, True)
            try:
                born = dt.date.fromisoformat(born) if isinstance(born, str) else None
            except ValueError:
                born = None  # the victim's own line reports it
            victim = new_instance(Victim, pk=entry.id)
            victim.date_of_birth, victim.consent_services = born, consents
            self.block_victims[entry.id] = victim
        record._meta.get_field("victim").set_cached_value(record, victim)

    def _agree(self, line: ParsedLine, row: Row, agency: Agency) -> None:
        """An agency line that names an agency of the database: each field it gives must
        hold the database's value (lists compared as sets of codes)."""
        given, record_type = row.instance, line.record_type
        for column in line.data:
            if column in record_type.links:
                ours, theirs = getattr(given, f"{column}_id"), getattr(agency, f"{column}_id")
            else:
                ours, theirs = getattr(given, column), getattr(agency, column)
            if isinstance(ours, list | tuple) and isinstance(theirs, list | tuple):
                ours, theirs = sorted(ours), sorted(theirs)
            if ours != theirs:
                self.error(
                    line.number,
                    f"{column}: the agency {agency.acronym!r} already exists with "
                    f"{_shown(theirs)}, not {_shown(ours)}",
                )

    def _build_row(self, line: ParsedLine) -> Row | None:
        record_type = line.record_type
        instance = new_instance(
            record_type.model, pk=_id_for(line.ref, self.namespace, self.agency_ids)
        )
        row = Row(line.number, instance)
        problems: list[str] = []
        # Nested rows last: their rules read the parent's own fields (a verdict not before the
        # prosecution's filing).
        columns = line.data.items()
        if nested := record_type.nested:
            columns = [c for c in columns if c[0] not in nested] + [
                c for c in columns if c[0] in nested
            ]
        for column, value in columns:
            try:
                self._set(row, record_type, column, value)
            except BadValue as exc:
                problems.append(f"{column}: {exc}")
        problems += self._missing_links(record_type, line.data)
        if record_type.name in WORKFLOWS and not problems:
            problems += _apply_transitions(
                instance, row.children, "status" in line.data, record_type.name
            )
        if record_type.name == "service":
            problems += self._service_victim(instance, line.data.get("referral"))
        if "victim" in line.data and any(f.name == "victim" for f in instance._meta.fields):
            self._victim_at_hand(instance, line.data["victim"])
        if record_type.name == "victim":
            instance.set_match_keys()  # bulk_create does not call save()
        problems += self._full_clean(
            instance, exclude=[*record_type.links, *record_type.nested, *USERNAME_COLUMNS]
        )
        for problem in problems:
            self.error(line.number, problem)
        return None if problems else row

    def _set(self, row: Row, record_type: RecordType, column: str, value: Any) -> None:
        instance = row.instance
        if column in record_type.nested:
            row.children += self._nested(instance, column, record_type.nested[column], value)
        elif column in record_type.links and record_type.links[column].many:
            row.children += self._many(instance, column, record_type.links[column], value)
        elif column in record_type.links:
            # A new instance caches no related record: its id is set as `__init__` does.
            instance.__dict__[f"{column}_id"] = self.resolve(value, record_type.links[column])
        elif column in USERNAME_COLUMNS:
            instance.__dict__[f"{column}_id"] = self.user_id(value)
        else:
            setattr(instance, column, coerce(instance._meta.get_field(column), value))

    def resolve(self, value: Any, link: Link) -> uuid.UUID | None:
        """The id a link value names: a ref of the file, an agency acronym, or a UUID of a
        record the database holds."""
        if value is None:
            return None
        if not isinstance(value, str):
            raise BadValue(f"must be the ref of a {link.target}, not {value!r}")
        entry = self.block_refs.get(value)
        if entry is not None:
            if entry.type_name != link.target:
                raise BadValue(f"{value!r} is a {entry.type_name}, not a {link.target}")
            return entry.id
        if link.target == "agency" and value in self.acronyms:
            return self.acronyms[value]
        found = as_uuid(value)
        if found is not None and found in self.known_ids.get(link.target, ()):
            return found
        raise BadValue(f"unknown {link.target} {value!r} (not a ref of this file)")

    def _many(self, instance, column: str, link: Link, value: Any) -> list[models.Model]:
        ids = [self.resolve(item, link) for item in _list_or_bad(value)]
        if len(set(ids)) != len(ids):
            raise BadValue("a record is listed twice")
        m2m = instance._meta.get_field(column)
        through = m2m.remote_field.through
        own, other = f"{m2m.m2m_field_name()}_id", f"{m2m.m2m_reverse_field_name()}_id"
        links = []
        for target in ids:
            link = new_instance(through)
            link.__dict__[own], link.__dict__[other] = instance.id, target
            links.append(link)
        return links

    def _nested(self, instance, column: str, nested: Nested, value: Any) -> list[models.Model]:
        children = []
        for index, item in enumerate(_list_or_bad(value)):
            if not isinstance(item, dict):
                raise BadValue(f"item {index + 1} must be an object")
            unknown = item.keys() - nested.known
            if unknown:
                raise BadValue(f"item {index + 1}: unknown field(s) {', '.join(sorted(unknown))}")
            child = new_instance(nested.model)
            parent = nested.model._meta.get_field(nested.parent_field)
            child.__dict__[parent.attname] = instance.pk  # as `__init__` does
            parent.set_cached_value(child, instance)
            if hasattr(child, "position"):  # the list's order is kept in `position`
                child.position = index
            grandchildren = []
            for key, raw in item.items():
                try:
                    if key in nested.nested:
                        grandchildren += self._nested(child, key, nested.nested[key], raw)
                    else:
                        self._set_child(child, nested, key, raw)
                except BadValue as exc:
                    raise BadValue(f"item {index + 1}: {key}: {exc}") from None
            exclude = [
                nested.parent_field,
                *nested.links,
                *nested.nested,
                *USERNAME_COLUMNS,
                "from_status",
                "to_status",
            ]
            problems = self._full_clean(child, exclude=exclude)
            problems += [
                f"{key}: is required"
                for key in nested.links
                if item.get(key) is None and not nested.model._meta.get_field(key).null
            ]
            if problems:
                raise BadValue(f"item {index + 1}: {'; '.join(problems)}")
            children.append(child)
            children += grandchildren
        return children

    def _set_child(self, child, nested: Nested, key: str, raw: Any) -> None:
        if key in nested.links:
            setattr(child, f"{key}_id", self.resolve(raw, nested.links[key]))
            if key == "victim":
                self._victim_at_hand(child, raw)
        elif key in USERNAME_COLUMNS:
            setattr(child, f"{key}_id", self.user_id(raw))
        else:
            setattr(child, key, coerce(child._meta.get_field(key), raw))

    def user_id(self, raw: Any) -> int | None:
        """The id of the user a username names (users are not records of the file)."""
        if raw is not None and raw not in self.usernames:
            raise BadValue(f"unknown user {raw!r}; create it first (manage.py create_user)")
        return self.usernames.get(raw)

    def _missing_links(self, record_type: RecordType, data: dict[str, Any]) -> list[str]:
        problems = []
        for column, link in record_type.links.items():
            required = not link.many and not record_type.model._meta.get_field(column).null
            # A service may name its referral instead of its victim (see _service_victim).
            optional_here = record_type.name == "service" and column == "victim"
            if required and not optional_here and data.get(column) is None:
                problems.append(f"{column}: is required")
        return problems

    def _service_victim(self, service, ref: Any) -> list[str]:
        """A service names its referral or its victim; under a referral it is the referral's
        victim."""
        if service.referral_id is None:
            return [] if service.victim_id else ["victim: give the victim or the referral"]
        referral = self.block_refs.get(ref) if isinstance(ref, str) else None
        if referral is not None and referral.type_name == "referral":
            try:
                victim_id = self.resolve(referral.extra, VICTIM)
            except BadValue:
                return []  # the referral's own line reports its victim
        else:
            victim_id = (
                Referral.objects.filter(pk=service.referral_id)
                .values_list("victim_id", flat=True)
                .first()
            )
        if service.victim_id and service.victim_id != victim_id:
            return ["victim: is not the victim of the referral"]
        service.victim_id = victim_id
        return []

    def _full_clean(self, instance: models.Model, *, exclude: list[str]) -> list[str]:
        """The model's own field validation (choices, validators, required fields) and its
        `clean()`, as `full_clean` runs them (transfer.building). Uniqueness and check
        constraints are left to the database, in bulk (see _insert)."""
        try:
            self.validator.full_clean(instance, exclude)
        except ValidationError as exc:
            return _messages(exc)
        return []

    # Inserting ------------------------------------------------------------------------------

    def _insert(self, items: list[tuple[int, models.Model]]) -> None:
        for start in range(0, len(items), BATCH_SIZE):
            batch = items[start : start + BATCH_SIZE]
            try:
                with transaction.atomic():
                    for model, instances in _by_model(instance for _line, instance in batch):
                        if connection.vendor == "postgresql":
                            _copy(model, instances)
                        else:
                            model.objects.bulk_create(instances)
            except IntegrityError:
                self._insert_one_by_one(batch)

    def _insert_one_by_one(self, batch: list[tuple[int, models.Model]]) -> None:
        """Name the lines the database refuses: the model's constraints first (clear
        messages), then the database itself."""
        for line, instance in sorted(batch, key=lambda item: _rank(type(item[1]))):
            try:
                instance.validate_constraints()
            except ValidationError as exc:
                self.error(line, "; ".join(_messages(exc)))
                continue
            try:
                with transaction.atomic():
                    instance.save(force_insert=True)
            except IntegrityError as exc:
                self.error(line, f"refused by the database: {str(exc).splitlines()[0]}")


def _insertion_rank(record_types: Iterable[RecordType]) -> dict[type, tuple[int, int]]:
    """Each model's place in the file's record types, a nested list's rows right after their
    parent's: rows go in after the rows they point at, whatever order a block holds them in
    (the database copies a victim's sex and birth date onto the rows that name them when
    they are written: `reports.copies`)."""
    rank: dict[type, tuple[int, int]] = {}

    def place(nested: Mapping[str, Nested], index: int, depth: int) -> None:
        for child in nested.values():
            rank.setdefault(child.model, (index, depth))
            place(child.nested, index, depth + 1)

    for index, record_type in enumerate(record_types):
        rank.setdefault(record_type.model, (index, 0))
        place(record_type.nested, index, 1)
    return rank


INSERTION_RANK = _insertion_rank(RECORD_TYPES)


def _rank(model: type) -> tuple[int, int]:
    return INSERTION_RANK.get(model, (len(RECORD_TYPES), 0))


def _blocks(source: Iterable[bytes], size: int) -> Iterator[list[tuple[int, bytes]]]:
    """The numbered lines of `source`, `size` at a time."""
    block: list[tuple[int, bytes]] = []
    for number, raw in enumerate(source, start=1):
        block.append((number, raw))
        if len(block) >= size:
            yield block
            block = []
    if block:
        yield block


def _copy(model: type[models.Model], instances: list[models.Model]) -> None:
    """Insert `instances` with PostgreSQL's COPY: what bulk_create does (each field's
    `pre_save`, so `auto_now` stamps; auto-increment ids left to the database), without
    building an INSERT statement."""
    _send_copy(*_copy_text(model, instances))


def _copy_text(model: type[models.Model], instances: list[models.Model]) -> tuple[str, str]:
    """The COPY statement that inserts `instances`, and its data in COPY's text format. The
    text is made a column at a time, each column's values written by one function (mostly
    C code: `str`, `str.translate`), and the columns zipped into lines: the same text as a
    line at a time, in a third of the time (docs/import-export.md)."""
    fields = [f for f in model._meta.concrete_fields if not isinstance(f, AutoFieldMixin)]
    stamped = [
        f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    if instances and stamped:
        # One time stamp for the rows of one COPY (`pre_save` sets it on the instance).
        stamps = [(f.attname, f.pre_save(instances[0], True)) for f in stamped]
        for instance in instances[1:]:
            for attname, stamp in stamps:
                instance.__dict__[attname] = stamp
    columns = [_copy_column(f, instances) for f in fields]
    lines = map("\t".join, zip(*columns, strict=True))
    text = "\n".join(lines) + "\n" if instances else ""
    quote = connection.ops.quote_name
    statement = (
        f"COPY {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)})"
        " FROM STDIN"
    )
    return statement, text


def _copy_column(field: models.Field, instances: list[models.Model]) -> list[str]:
    """`field`'s values of `instances` in COPY's text format."""
    values = map(operator.attrgetter(field.attname), instances)
    form, nullable = _copy_format(field)
    if not nullable:
        return list(map(form, values))
    return ["\\N" if value is None else form(value) for value in values]


def _send_copy(statement: str, text: str) -> None:
    with connection.cursor() as cursor, connection.wrap_database_errors:
        cursor.cursor.copy_expert(statement, io.StringIO(text))


def _copy_texts(rows: list[Row]) -> list[tuple[str, str]]:
    """The COPY statements and data that insert `rows`: as _write, parents then children,
    each model after the models it points at."""
    texts = []
    for items in ([row.instance for row in rows], [c for row in rows for c in row.children]):
        texts += [_copy_text(model, instances) for model, instances in _by_model(items)]
    return texts


def _by_model(instances: Iterable[models.Model]) -> list[tuple[type, list[models.Model]]]:
    """`instances` grouped by model, each model after the models it points at (_rank)."""
    by_model: dict[type, list[models.Model]] = defaultdict(list)
    for instance in instances:
        by_model[type(instance)].append(instance)
    return sorted(by_model.items(), key=lambda item: _rank(item[0]))


# Pass 2 in worker processes (_ImportRun._load_in_parallel) -------------------------------

_WORKER_RUN: _ImportRun | None = None  # the load a forked worker builds rows for


class _NeedsDatabase(Exception):
    """A worker's rules asked the database something: the block is built by the loader."""


def _refuse_queries(execute, sql, params, many, context):
    raise _NeedsDatabase


def _worker_started() -> None:
    """In a forked worker: the loader's database connection is not this process's to use. Its
    socket is pointed at /dev/null here (so nothing this process does, exiting included, can
    reach the loader's session), and any query raises _NeedsDatabase."""
    for alias in connections:
        wrapper = connections[alias]
        if wrapper.connection is not None:
            null = os.open(os.devnull, os.O_RDWR)
            os.dup2(null, wrapper.connection.fileno())
            os.close(null)
        wrapper.execute_wrappers.append(_refuse_queries)
    _WORKER_RUN.max_errors = sys.maxsize  # the loader counts the errors


@contextmanager
def _worker_pool(run: _ImportRun, workers: int) -> Iterator[multiprocessing.pool.Pool]:
    """`workers` processes forked from this one, `run` (as it is now) theirs to work for."""
    global _WORKER_RUN
    _WORKER_RUN = run
    load_code_lists()  # read once here, shared with the workers (not read in each)
    # What exists now stays out of the collector's sight, so that it does not copy the
    # pages the workers share with this process (the workers' memory).
    gc.collect()
    gc.freeze()
    pool = multiprocessing.get_context("fork").Pool(workers, initializer=_worker_started)
    try:
        yield pool
        pool.close()
        pool.join()
    finally:
        pool.terminate()
        gc.unfreeze()
        _WORKER_RUN = None


def _in_order(pool, function: Callable, items: Iterable, ahead: int) -> Iterator:
    """`function` of each of `items` in the pool's processes, given back in order, with at
    most `ahead` items handed out and not yet given back (memory stays flat: unlike
    `Pool.imap`, the items are not all read at once)."""
    pending: deque = deque()
    for item in items:
        pending.append(pool.apply_async(function, (item,)))
        if len(pending) > ahead:
            yield pending.popleft().get()
    while pending:
        yield pending.popleft().get()


class _Span(NamedTuple):
    """Where a block's lines are in the file: what a worker is sent of a block."""

    first: int  # the number of its first line
    offset: int
    size: int


def _file_descriptor(stream) -> int | None:
    try:
        return stream.fileno()
    except (AttributeError, OSError):  # io.UnsupportedOperation is an OSError
        return None


def _for_workers(
    source: BinaryIO, fd: int | None
) -> Iterator[tuple[list[tuple[int, bytes]], _Span | list[tuple[int, bytes]]]]:
    """Each block of `source` from where it stands, and what a worker is sent of it: where
    its lines are (`_Span`: the worker reads them with the file descriptor it inherited, so
    that they are not copied through a pipe), or, for a stream that is no file, the lines."""
    offset = source.tell() if fd is not None else 0
    for block in _blocks(source, BATCH_SIZE):
        if fd is None:
            yield block, block
            continue
        size = sum(len(raw) for _number, raw in block)
        yield block, _Span(block[0][0], offset, size)
        offset += size


def _lines_sent(sent: _Span | list[tuple[int, bytes]]) -> list[tuple[int, bytes]]:
    """A block's numbered lines, in a worker, from what it was sent (`_for_workers`)."""
    if not isinstance(sent, _Span):
        return sent
    data = os.pread(_WORKER_RUN.source_fd, sent.size, sent.offset)
    raws = data.split(b"\n")  # as iterating the file does, but without the line ends
    if raws[-1] == b"":
        raws.pop()
    return list(enumerate(raws, start=sent.first))


def _scan_in_worker(sent: _Span | list[tuple[int, bytes]]) -> tuple[list, tuple]:
    """Pass 1 of a block in a worker: in line order, each line's registration
    (`_registration`) or its error; and what the block's lines link to (`_named_links`)."""
    run = _WORKER_RUN
    items: list = []
    lines: list[ParsedLine] = []
    for number, raw in _lines_sent(sent):
        run.errors = []
        line = run._parse_line(number, raw)
        if line is not None:
            items.append(_registration(line, run.namespace))
            lines.append(line)
        items += run.errors
    return items, _named_links(lines)


def _build_in_worker(sent: _Span | list[tuple[int, bytes]], looked_up: tuple):
    """A block's rows built and validated in a worker: (errors, counts per record type, COPY
    texts), or None when its rules needed the database."""
    run = _WORKER_RUN
    run.errors, run.counts = [], defaultdict(int)
    try:
        run._use(looked_up)
        rows = run._build_rows(run._lines_of(_lines_sent(sent)))
        copies = [] if run.errors else _copy_texts(rows)
    except _NeedsDatabase:
        return None
    return run.errors, dict(run.counts), copies


def _copy_plain(value: Any) -> str:
    """A value in PostgreSQL's COPY text format: NULL, booleans, numbers, dates, UUIDs, text."""
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, dt.date):
        return value.isoformat()
    return copy_text(value)


def _copy_json(value: Any) -> str:
    # The import's JSON values are lists of strings (transfer.values): orjson writes them as
    # the json module would, without its spaces (jsonb keeps no spaces anyway).
    return orjson.dumps(value).decode().translate(COPY_ESCAPES)


def _copy_uuid(value: Any) -> str:
    # 32 hex digits, which PostgreSQL reads as a UUID: a third of the time of str(value).
    return value.hex if isinstance(value, uuid.UUID) else str(uuid.UUID(str(value)))


_COPY_TEXT = operator.methodcaller("translate", COPY_ESCAPES)
_COPY_BOOLEAN = {True: "t", False: "f"}.__getitem__


def _copy_format(field: models.Field) -> tuple[Callable[[Any], str], bool]:
    """The function that writes `field`'s values (other than None) in COPY's text format,
    and whether the field may hold None: the general function, or a shorter one where the
    field's values are always of one kind."""
    kind = field.get_internal_type()
    if kind in ("ForeignKey", "OneToOneField"):
        kind = field.target_field.get_internal_type()
    form = _COPY_KINDS.get(kind)
    if form is None:
        return _copy_plain, False  # it writes None too
    return form, field.null or kind in _COPY_NULL_ANYWAY


_COPY_KINDS: dict[str, Callable[[Any], str]] = {
    "CharField": _COPY_TEXT,
    "TextField": _COPY_TEXT,
    "UUIDField": _copy_uuid,
    "JSONField": _copy_json,
    "IntegerField": str,
    "PositiveIntegerField": str,
    "PositiveSmallIntegerField": str,
    "SmallIntegerField": str,
    "BigIntegerField": str,
    "AutoField": str,  # the users' ids that rows name
    "BigAutoField": str,
    "DateField": dt.date.isoformat,
    "DateTimeField": dt.datetime.isoformat,
    "BooleanField": _COPY_BOOLEAN,
}
# Kinds whose values may be None whatever the field says: a JSON field's null is SQL's NULL
# here, as before.
_COPY_NULL_ANYWAY = {"JSONField"}


# Record types with a workflow: their transitions are walked from `pending`.
WORKFLOWS = {"referral": referral_workflow, "handover": handover_workflow}


def _apply_transitions(
    record, transitions: list[models.Model], status_given: bool, type_name: str
) -> list[str]:
    """Derive each transition's from/to status by walking the record type's workflow from
    `pending`; the walk must end at the record's status (taken from it when the line gives
    none)."""
    if not transitions:
        return []
    workflow = WORKFLOWS[type_name]
    try:
        reached = workflow.walk([item.transition for item in transitions])
    except workflow.WorkflowError as error:
        return [f"transitions: item {error.index + 1}: {error}"]
    status = "pending"
    for item, target in zip(transitions, reached, strict=True):
        item.from_status, item.to_status, status = status, target, target
    if status_given and record.status != status:
        return [f"status: is {record.status!r} but the transitions lead to {str(status)!r}"]
    record.status = status
    record.status_changed_at = transitions[-1].at
    return []


def _json_line(text: str) -> Any:
    """A line's JSON value: read by orjson (fast), and by the json module when orjson refuses
    it, so that what the json module accepts (NaN) is read as before and what it refuses is
    reported in its words. orjson reads a whole number past 64 bits as a float: refused all
    the same, as no field holds one."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def _shown(value: Any) -> str:
    return json.dumps(value if isinstance(value, str | int | bool | list) else str(value))


def _existing_ids(model: type[models.Model], ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    ids = list(ids)
    found: set[uuid.UUID] = set()
    for start in range(0, len(ids), BATCH_SIZE):
        chunk = ids[start : start + BATCH_SIZE]
        found.update(pk for (pk,) in _key_shared(model.objects.filter(pk__in=chunk), "pk"))
    return found


def _key_shared(queryset: models.QuerySet, *fields: str) -> Iterable:
    """The records of `queryset` (or, given `fields`, their values as tuples), on PostgreSQL
    locked as a foreign-key check locks the row it finds (`FOR KEY SHARE`): until the import
    commits, none can be deleted nor its key changed; they can still be edited. The import
    locks every record of the database it links to (see _links_checked_here)."""
    if fields:
        queryset = queryset.values_list(*fields)
    if connection.vendor != "postgresql":
        return list(queryset)
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # such as `username__in=[]`
        return []
    if not fields:
        return list(queryset.model.objects.raw(f"{sql} FOR KEY SHARE", params))
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} FOR KEY SHARE", params)
        return cursor.fetchall()


def _named_links(lines: list[ParsedLine]) -> tuple[set[tuple[str, str]], set[str]]:
    """What `lines` link to: (value, the record type it names) of every link, and the
    usernames."""
    named: set[tuple[str, str]] = set()
    users: set[str] = set()
    for line in lines:
        named.update(
            (value, link.target) for value, link in _link_values(line) if isinstance(value, str)
        )
        users |= _usernames(line.data, line.record_type.nested)
    return named, users


def _link_values(line: ParsedLine) -> Iterator[tuple[Any, Link]]:
    record_type = line.record_type
    for column, link in record_type.links.items():
        value = line.data.get(column)
        yield from ((item, link) for item in (_list(value) if link.many else [value]))
    for column, nested in record_type.nested.items():
        for item in _list(line.data.get(column)):
            if isinstance(item, dict):
                yield from ((item.get(key), link) for key, link in nested.links.items())


def _usernames(data: dict[str, Any], nested: dict[str, Nested]) -> set[str]:
    """Every username a line names, in its own fields and its nested lists."""
    found = {data[key] for key in USERNAME_COLUMNS if isinstance(data.get(key), str)}
    for column, sub in nested.items():
        for item in _list(data.get(column)):
            if isinstance(item, dict):
                found |= _usernames(item, sub.nested)
    return found


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _list_or_bad(value: Any) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise BadValue("must be a list")
    return value


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [
            f"{name}: {' '.join(messages)}" if name != "__all__" else " ".join(messages)
            for name, messages in exc.message_dict.items()
        ]
    return list(exc.messages)
