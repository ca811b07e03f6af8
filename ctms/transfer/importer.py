"""Loading a JSON Lines file of records (SPEC section 6): all or nothing, every error with its
line number.

The load runs in phases so that bad input never reaches the database:
1. parse every line (UTF-8, JSON object, known type, known fields, a ref);
2. give every ref an id up front (a ref that is a UUID keeps it, so an export re-imports with the
   same ids) and look up, in a few queries, the records of the database that the file names;
3. build every model instance and validate it with the model's own `full_clean` (choices, code
   validators, gazetteer codes, lengths), links resolved against the refs;
4. only if nothing failed, insert in batches (`bulk_create`) inside one transaction. Should the
   database refuse a batch (a check or unique constraint), that batch is retried row by row to
   name the lines, and the whole transaction is rolled back.

With `dry_run` the same work is done and then rolled back.
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from agencies.models import Agency, User
from ctms.audit import audit
from referrals.choices import WORKFLOW, ReferralStatus
from referrals.models import Referral

from .schema import BY_NAME, RECORD_TYPES, Link, Nested, RecordType
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
    ids: dict[str, uuid.UUID] = field(default_factory=dict)

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
    stream: Iterable[bytes], *, dry_run: bool = False, actor=None, max_errors: int = MAX_ERRORS
) -> ImportResult:
    """Load the records of a JSON Lines byte stream. Nothing is written unless every line is
    valid; with `dry_run` nothing is written at all."""
    run = _ImportRun(max_errors=max_errors)
    result = ImportResult(dry_run=dry_run)
    try:
        lines = run.parse(stream)
        run.register(lines)
        rows = run.build(lines)
        del lines  # the parsed JSON is no longer needed: only the built rows are kept
        if not run.errors:
            result.counts = run.write(rows, dry_run=dry_run, actor=actor)
    except TooManyErrors:
        result.truncated = True
    result.errors = sorted(run.errors, key=lambda error: error.line)
    if result.errors:
        result.counts = {}
    else:
        result.ids = {ref: entry.id for ref, entry in run.refs.items()}
    return result


@dataclass
class _Entry:
    type_name: str
    id: uuid.UUID
    line: int


class _ImportRun:
    """The state of one load: refs, what the database already holds, errors so far."""

    def __init__(self, *, max_errors: int):
        self.max_errors = max_errors
        self.errors: list[LineError] = []
        self.refs: dict[str, _Entry] = {}
        self.acronyms: dict[str, uuid.UUID] = {}
        self.known_ids: dict[str, set[uuid.UUID]] = defaultdict(set)
        self.usernames: dict[str, int] = {}
        self.referral_victims: dict[uuid.UUID, uuid.UUID] = {}

    def error(self, line: int, message: str) -> None:
        self.errors.append(LineError(line, message))
        if len(self.errors) >= self.max_errors:
            raise TooManyErrors

    # Phase 1 ---------------------------------------------------------------------------------

    def parse(self, stream: Iterable[bytes]) -> list[ParsedLine]:
        lines = []
        for number, raw in enumerate(stream, start=1):
            parsed = self._parse_line(number, raw)
            if parsed is not None:
                lines.append(parsed)
        return lines

    def _parse_line(self, number: int, raw: bytes) -> ParsedLine | None:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            self.error(number, f"not valid UTF-8 (byte {exc.start + 1} of the line)")
            return None
        if number == 1:
            text = text.removeprefix("\ufeff")  # a byte-order mark some editors write
        if not text.strip():
            return None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            self.error(number, f"invalid JSON: {exc.msg} (column {exc.colno})")
            return None
        if not isinstance(data, dict):
            self.error(number, "a line must be one JSON object")
            return None
        type_name, ref = data.pop("type", None), data.pop("ref", None)
        record_type = BY_NAME.get(type_name) if isinstance(type_name, str) else None
        if record_type is None:
            expected = ", ".join(BY_NAME)
            self.error(number, f"unknown type {type_name!r}; expected one of: {expected}")
            return None
        if not isinstance(ref, str) or not ref.strip():
            self.error(number, 'missing ref: every line needs a "ref" string unique in the file')
            return None
        unknown = sorted(set(data) - set(record_type.columns))
        if unknown:
            self.error(number, f"unknown field(s) for {type_name}: {', '.join(unknown)}")
            return None
        return ParsedLine(number, record_type, ref, data)

    # Phase 2 ---------------------------------------------------------------------------------

    def register(self, lines: list[ParsedLine]) -> None:
        """Give every ref its id and learn which linked records the database already has."""
        for line in lines:
            first = self.refs.get(line.ref)
            if first is not None:
                self.error(
                    line.number, f"duplicate ref {line.ref!r} (first used on line {first.line})"
                )
                continue
            self.refs[line.ref] = _Entry(
                line.record_type.name, as_uuid(line.ref) or uuid.uuid4(), line.number
            )
        self._check_new_ids(lines)
        self._load_acronyms(lines)
        self._load_linked_ids(lines)
        self._load_usernames(lines)

    def _check_new_ids(self, lines: list[ParsedLine]) -> None:
        by_type: dict[str, dict[uuid.UUID, int]] = defaultdict(dict)
        for line in lines:
            entry = self.refs[line.ref]
            if entry.line == line.number and as_uuid(line.ref):
                by_type[entry.type_name][entry.id] = line.number
        for type_name, ids in by_type.items():
            for existing in _existing_ids(BY_NAME[type_name].model, ids):
                self.error(ids[existing], f"{type_name} {existing} already exists in the database")

    def _load_acronyms(self, lines: list[ParsedLine]) -> None:
        in_database = dict(Agency.objects.values_list("acronym", "id"))
        for line in lines:
            acronym = line.data.get("acronym")
            if line.record_type.name != "agency" or not isinstance(acronym, str):
                continue
            if acronym in in_database or acronym in self.acronyms:
                self.error(line.number, f"acronym: an agency {acronym!r} already exists")
                continue
            self.acronyms[acronym] = self.refs[line.ref].id
        self.acronyms.update(in_database)

    def _load_linked_ids(self, lines: list[ParsedLine]) -> None:
        """Values that are not refs of the file but spell a UUID may name database records."""
        wanted: dict[str, set[uuid.UUID]] = defaultdict(set)
        for line in lines:
            for value, link in _link_values(line):
                if isinstance(value, str) and value not in self.refs and as_uuid(value):
                    wanted[link.target].add(as_uuid(value))
        for type_name, ids in wanted.items():
            self.known_ids[type_name].update(_existing_ids(BY_NAME[type_name].model, ids))

    def _load_usernames(self, lines: list[ParsedLine]) -> None:
        names = {
            item.get("by")
            for line in lines
            for item in _list(line.data.get("transitions"))
            if isinstance(item, dict) and isinstance(item.get("by"), str)
        }
        self.usernames = dict(User.objects.filter(username__in=names).values_list("username", "id"))

    # Phase 3 ---------------------------------------------------------------------------------

    def build(self, lines: list[ParsedLine]) -> dict[str, list[Row]]:
        rows: dict[str, list[Row]] = defaultdict(list)
        by_type: dict[str, list[ParsedLine]] = defaultdict(list)
        for line in lines:
            if self.refs[line.ref].line == line.number:
                by_type[line.record_type.name].append(line)
        for record_type in RECORD_TYPES:
            for line in by_type[record_type.name]:
                row = self._build_row(line)
                if row is not None:
                    rows[record_type.name].append(row)
        return rows

    def _build_row(self, line: ParsedLine) -> Row | None:
        record_type = line.record_type
        instance = record_type.model(id=self.refs[line.ref].id)
        row = Row(line.number, instance)
        problems: list[str] = []
        for column, value in line.data.items():
            try:
                self._set(row, record_type, column, value)
            except BadValue as exc:
                problems.append(f"{column}: {exc}")
        problems += self._missing_links(record_type, line.data)
        if record_type.name == "referral" and not problems:
            problems += _apply_transitions(instance, row.children, "status" in line.data)
        if record_type.name == "service":
            problems += self._service_victim(instance)
        problems += _full_clean(instance, exclude=[*record_type.links, *record_type.nested])
        if record_type.name == "referral":
            self.referral_victims[instance.id] = instance.victim_id
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
            setattr(instance, f"{column}_id", self.resolve(value, record_type.links[column]))
        else:
            setattr(instance, column, coerce(instance._meta.get_field(column), value))

    def resolve(self, value: Any, link: Link) -> uuid.UUID | None:
        """The id a link value names: a ref of the file, an agency acronym, or a UUID of a
        record the database holds."""
        if value is None:
            return None
        if not isinstance(value, str):
            raise BadValue(f"must be the ref of a {link.target}, not {value!r}")
        entry = self.refs.get(value)
        if entry is not None:
            if entry.type_name != link.target:
                raise BadValue(f"{value!r} is a {entry.type_name}, not a {link.target}")
            return entry.id
        if link.target == "agency" and value in self.acronyms:
            return self.acronyms[value]
        found = as_uuid(value)
        if found is not None and found in self.known_ids[link.target]:
            return found
        raise BadValue(f"unknown {link.target} {value!r} (not a ref of this file)")

    def _many(self, instance, column: str, link: Link, value: Any) -> list[models.Model]:
        ids = [self.resolve(item, link) for item in _list_or_bad(value)]
        if len(set(ids)) != len(ids):
            raise BadValue("a record is listed twice")
        m2m = instance._meta.get_field(column)
        through = m2m.remote_field.through
        own, other = f"{m2m.m2m_field_name()}_id", f"{m2m.m2m_reverse_field_name()}_id"
        return [through(**{own: instance.id, other: target}) for target in ids]

    def _nested(self, instance, column: str, nested: Nested, value: Any) -> list[models.Model]:
        children = []
        for index, item in enumerate(_list_or_bad(value)):
            if not isinstance(item, dict):
                raise BadValue(f"item {index + 1} must be an object")
            unknown = sorted(set(item) - set(nested.columns))
            if unknown:
                raise BadValue(f"item {index + 1}: unknown field(s) {', '.join(unknown)}")
            child = nested.model(**{f"{nested.parent_field}_id": instance.id})
            for key, raw in item.items():
                try:
                    self._set_child(child, nested, key, raw)
                except BadValue as exc:
                    raise BadValue(f"item {index + 1}: {key}: {exc}") from None
            exclude = [nested.parent_field, *nested.links, "by", "from_status", "to_status"]
            problems = _full_clean(child, exclude=exclude)
            problems += [
                f"{key}: is required"
                for key in nested.links
                if item.get(key) is None and not nested.model._meta.get_field(key).null
            ]
            if problems:
                raise BadValue(f"item {index + 1}: {'; '.join(problems)}")
            children.append(child)
        return children

    def _set_child(self, child, nested: Nested, key: str, raw: Any) -> None:
        if key in nested.links:
            setattr(child, f"{key}_id", self.resolve(raw, nested.links[key]))
        elif key == "by":
            if raw is not None and raw not in self.usernames:
                raise BadValue(f"unknown user {raw!r}; create it first (manage.py create_user)")
            child.by_id = self.usernames.get(raw)
        else:
            setattr(child, key, coerce(child._meta.get_field(key), raw))

    def _missing_links(self, record_type: RecordType, data: dict[str, Any]) -> list[str]:
        problems = []
        for column, link in record_type.links.items():
            required = not link.many and not record_type.model._meta.get_field(column).null
            # A service may name its referral instead of its victim (see _service_victim).
            optional_here = record_type.name == "service" and column == "victim"
            if required and not optional_here and data.get(column) is None:
                problems.append(f"{column}: is required")
        return problems

    def _service_victim(self, service) -> list[str]:
        """A service names its referral or its victim; under a referral it is the referral's
        victim."""
        if service.referral_id is None:
            return [] if service.victim_id else ["victim: give the victim or the referral"]
        victim_id = self.referral_victims.get(service.referral_id) or (
            Referral.objects.filter(pk=service.referral_id)
            .values_list("victim_id", flat=True)
            .first()
        )
        if service.victim_id and service.victim_id != victim_id:
            return ["victim: is not the victim of the referral"]
        service.victim_id = victim_id
        return []

    # Phase 4 ---------------------------------------------------------------------------------

    def write(self, rows: dict[str, list[Row]], *, dry_run: bool, actor) -> dict[str, int]:
        counts = {name: len(items) for name, items in rows.items() if items}
        with transaction.atomic():
            for record_type in RECORD_TYPES:
                items = rows.get(record_type.name, [])
                self._insert([(row.line, row.instance) for row in items])
            for record_type in RECORD_TYPES:
                items = rows.get(record_type.name, [])
                self._insert([(row.line, child) for row in items for child in row.children])
            if not self.errors and not dry_run:
                audit(
                    actor=actor,
                    action="import",
                    object_type="records",
                    channel="cli",
                    details={"counts": counts},
                )
            if self.errors or dry_run:
                transaction.set_rollback(True)
        return counts

    def _insert(self, items: list[tuple[int, models.Model]]) -> None:
        for start in range(0, len(items), BATCH_SIZE):
            batch = items[start : start + BATCH_SIZE]
            by_model: dict[type, list[models.Model]] = defaultdict(list)
            for _line, instance in batch:
                by_model[type(instance)].append(instance)
            try:
                with transaction.atomic():
                    for model, instances in by_model.items():
                        model.objects.bulk_create(instances)
            except IntegrityError:
                self._insert_one_by_one(batch)

    def _insert_one_by_one(self, batch: list[tuple[int, models.Model]]) -> None:
        """Name the lines the database refuses: the model's constraints first (clear
        messages), then the database itself."""
        for line, instance in batch:
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


def _apply_transitions(referral, transitions: list[models.Model], status_given: bool) -> list[str]:
    """Derive each transition's from/to status by walking the workflow from `pending`; the
    walk must end at the referral's status (taken from it when the line gives none)."""
    status = ReferralStatus.PENDING
    for index, item in enumerate(transitions):
        if item.transition not in WORKFLOW:
            return [f"transitions: item {index + 1}: unknown transition {item.transition!r}"]
        sources, target, _side = WORKFLOW[item.transition]
        if status not in sources:
            return [
                f"transitions: item {index + 1}: cannot {item.transition} a referral that is "
                f"{status}"
            ]
        item.from_status, item.to_status, status = status, target, target
    if not transitions:
        return []
    if status_given and referral.status != status:
        return [f"status: is {referral.status!r} but the transitions lead to {status!r}"]
    referral.status = status
    referral.status_changed_at = transitions[-1].at
    return []


def _existing_ids(model: type[models.Model], ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    ids = list(ids)
    found: set[uuid.UUID] = set()
    for start in range(0, len(ids), BATCH_SIZE):
        chunk = ids[start : start + BATCH_SIZE]
        found.update(model.objects.filter(pk__in=chunk).values_list("pk", flat=True))
    return found


def _link_values(line: ParsedLine) -> Iterator[tuple[Any, Link]]:
    record_type = line.record_type
    for column, link in record_type.links.items():
        value = line.data.get(column)
        yield from ((item, link) for item in (_list(value) if link.many else [value]))
    for column, nested in record_type.nested.items():
        for item in _list(line.data.get(column)):
            if isinstance(item, dict):
                yield from ((item.get(key), link) for key, link in nested.links.items())


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _list_or_bad(value: Any) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise BadValue("must be a list")
    return value


def _full_clean(instance: models.Model, *, exclude: list[str]) -> list[str]:
    """The model's own field validation (choices, validators, required fields). Uniqueness and
    check constraints are left to the database, in bulk (see _insert)."""
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        return _messages(exc)
    return []


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [
            f"{name}: {' '.join(messages)}" if name != "__all__" else " ".join(messages)
            for name, messages in exc.message_dict.items()
        ]
    return list(exc.messages)
