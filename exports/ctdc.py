"""The anonymised case-level data set in the layout of IOM's Counter Trafficking Data
Collaborative (CTDC global k-anonymised data set, 63 columns).

Decisions (see docs/exports.md for the full mapping):
- One row per victim-case pair (a victim linked to two cases gives two rows), for victims whose
  trafficking status is `actual` or `possible` and who are not archived. Victims with no case are
  not in the data set: CTDC describes identified cases.
- Nothing identifying leaves the database: no names, no ids, no date finer than the year;
  countries as ISO 3166-1 alpha-2 as CTDC has them; the age as CTDC's broad band.
- k-anonymity: the quasi-identifiers are QUASI_IDENTIFIERS below. Rows whose group (same values
  of all of them, an unknown value being a value of its own) holds fewer than k distinct
  victims are suppressed. The group size is a window over the whole result computed by the
  database (`DENSE_RANK() OVER (PARTITION BY …)`, then `MAX(…) OVER (PARTITION BY …)`): that
  counts people, not rows, so a person in two cases cannot make a group of ten look like
  eleven. Every output row carries its group size; the writer drops and counts the small ones.

The SQL is written once from the column table below for PostgreSQL and SQLite; it holds no
parameters (the codes inlined are constants of our code lists, checked below), so the benchmark
can hand the same SELECT to PostgreSQL's `COPY … TO STDOUT`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pycountry
from django.conf import settings
from django.db import connection, transaction

from cases.models import Case
from victims.models import Victim

CHUNK_SIZE = 5000
DATASOURCE = "Case Management"
QUASI_IDENTIFIERS = (
    "yearOfRegistration",
    "gender",
    "ageBroad",
    "citizenship",
    "CountryOfExploitation",
)
_CODE = re.compile(r"^[a-z_]+$")


def k_anonymity() -> int:
    return int(getattr(settings, "CTDC_K_ANONYMITY", 11))


class Dialect:
    """The few SQL snippets that differ between PostgreSQL and SQLite (tests, embedded set-up).
    JSON lists are `jsonb` on PostgreSQL and JSON text on SQLite; dates are `date` or ISO text."""

    def __init__(self, vendor: str):
        if vendor not in ("postgresql", "sqlite"):
            raise NotImplementedError(f"CTDC export has no SQL for {vendor}")
        self.vendor = vendor

    def has(self, column: str, code: str) -> str:
        """The JSON list `column` holds `code` (a boolean SQL condition)."""
        if not _CODE.match(code):  # inlined as a literal: only our own snake_case codes
            raise ValueError(code)
        if self.vendor == "postgresql":
            return f"({column} ? '{code}')"
        # SQLite keeps the list as JSON text; a code in quotes cannot match part of another.
        return f"(instr({column}, '\"{code}\"') > 0)"

    # PostgreSQL: date_part (double precision) rather than EXTRACT, which returns numeric since
    # PostgreSQL 14: the age is computed from four of them and the planner repeats it in each
    # branch of the age band, so numeric arithmetic cost about a quarter of the summary's time
    # at a million victims (docs/performance.md). Same values: years, months and days are
    # small whole numbers, exact in a double.
    def year(self, column: str) -> str:
        if self.vendor == "postgresql":
            return f"CAST(date_part('year', {column}) AS INTEGER)"
        return f"CAST(substr({column}, 1, 4) AS INTEGER)"

    def month_day(self, column: str) -> str:
        if self.vendor == "postgresql":
            return f"(date_part('month', {column}) * 100 + date_part('day', {column}))"
        return f"CAST(substr({column}, 6, 2) || substr({column}, 9, 2) AS INTEGER)"

    def first(self, column: str) -> str:
        """The first element of a JSON list of strings, or NULL."""
        if self.vendor == "postgresql":
            return f"({column} ->> 0)"
        return f"json_extract({column}, '$[0]')"


# ---- the column table -------------------------------------------------------------------------
# Each column is a function of the dialect returning an SQL expression over the `base` row
# (see _base_sql): its columns are named after the CTMS fields they come from.

Expr = Callable[[Dialect], str]


def _flag(column: str, *codes: str) -> Expr:
    """1 when the list holds any of the codes, else 0."""
    return lambda d: (
        "CASE WHEN " + " OR ".join(d.has(column, c) for c in codes) + " THEN 1 ELSE 0 END"
    )


def _labels(parts: list[tuple[str, str]]) -> Expr:
    """CTDC's `…Concatenated` columns: the labels of the flags set, joined by '; '. Computed
    in the last SELECT from the flag columns (by name), so each flag is evaluated once."""

    def sql(d: Dialect) -> str:
        pieces = " || ".join(
            f"CASE WHEN {_quoted(name)} = 1 THEN '; {label}' ELSE '' END" for label, name in parts
        )
        return f"NULLIF(substr({pieces}, 3), '')"

    return sql


MEANS_OF_CONTROL: list[tuple[str, str | None, Expr]] = [
    ("meansOfControlDebtBondage", "Debt bondage", _flag("means", "debt_bondage")),
    ("meansOfControlTakesEarnings", "Takes earnings", _flag("means", "takes_earnings")),
    (
        "meansOfControlRestrictsFinancialAccess",
        "Restricts financial access",
        _flag("means", "restricts_financial_access"),
    ),
    ("meansOfControlThreats", "Threats", _flag("means", "physical_threats", "threatens_family")),
    (
        "meansOfControlPsychologicalAbuse",
        "Psychological abuse",
        _flag("means", "psychological_abuse"),
    ),
    ("meansOfControlPhysicalAbuse", "Physical abuse", _flag("means", "physical_abuse")),
    ("meansOfControlSexualAbuse", "Sexual abuse", _flag("means", "sexual_abuse")),
    ("meansOfControlFalsePromises", "False promises", _flag("means", "false_promises")),
    (
        "meansOfControlPsychoactiveSubstances",
        "Psychoactive substances",
        _flag("means", "psychoactive_substances"),
    ),
    ("meansOfControlRestrictsMovement", "Restricts movement", _flag("means", "restricts_movement")),
    (
        "meansOfControlRestrictsMedicalCare",
        "Restricts medical care",
        _flag("means", "restricts_medical_care"),
    ),
    (
        "meansOfControlExcessiveWorkingHours",
        "Excessive working hours",
        _flag("means", "excessive_working_hours"),
    ),
    ("meansOfControlUsesChildren", None, lambda d: "NULL"),  # not recorded in CTMS
    (
        "meansOfControlThreatOfLawEnforcement",
        "Threat of law enforcement",
        _flag("means", "threats_law_enforcement"),
    ),
    (
        "meansOfControlWithholdsNecessities",
        "Withholds necessities",
        _flag("means", "withholds_necessities"),
    ),
    (
        "meansOfControlWithholdsDocuments",
        "Withholds documents",
        _flag("means", "withholds_documents"),
    ),
    ("meansOfControlOther", "Other", _flag("means", "other")),
    (
        "meansOfControlNotSpecified",
        "Not specified",
        lambda d: "CASE WHEN means_count = 0 THEN 1 ELSE 0 END",
    ),
]

_LABOUR_CODES = ("forced_labour", "child_labour", "forced_begging")
_SEX_CODES = ("sexual_exploitation",)
_OTHER_CODES = ("forced_adoption", "surrogacy", "other")
EXPLOITATION: list[tuple[str, str | None, Expr]] = [
    ("isForcedLabour", "Forced labour", _flag("exploitation", *_LABOUR_CODES)),
    ("isSexualExploit", "Sexual exploitation", _flag("exploitation", *_SEX_CODES)),
    ("isOtherExploit", "Other", _flag("exploitation", *_OTHER_CODES)),
    (
        "isSexAndLabour",
        None,  # a combination of the two above, not a type of its own
        lambda d: 'CASE WHEN "isForcedLabour" = 1 AND "isSexualExploit" = 1 THEN 1 ELSE 0 END',
    ),
    ("isForcedMarriage", "Forced marriage", _flag("exploitation", "forced_marriage")),
    ("isForcedMilitary", None, lambda d: "NULL"),  # not a CTMS code
    ("isOrganRemoval", "Organ removal", _flag("exploitation", "organ_removal")),
    ("isSlaveryAndPractices", "Slavery and similar practices", _flag("exploitation", "servitude")),
]

LABOUR: list[tuple[str, str, Expr]] = [
    ("typeOfLabourAgriculture", "Agriculture", _flag("sectors", "agriculture")),
    ("typeOfLabourAquafarming", "Aquafarming", _flag("sectors", "fishing")),
    ("typeOfLabourBegging", "Begging", _flag("sectors", "begging")),
    ("typeOfLabourConstruction", "Construction", _flag("sectors", "construction")),
    ("typeOfLabourDomesticWork", "Domestic work", _flag("sectors", "domestic_work")),
    ("typeOfLabourHospitality", "Hospitality", _flag("sectors", "hospitality")),
    ("typeOfLabourIllicitActivities", "Illicit activities", _flag("sectors", "illicit_activities")),
    ("typeOfLabourManufacturing", "Manufacturing", _flag("sectors", "manufacturing")),
    ("typeOfLabourMiningOrDrilling", "Mining or drilling", _flag("sectors", "mining")),
    ("typeOfLabourPeddling", "Peddling", _flag("sectors", "peddling")),
    ("typeOfLabourTransportation", "Transportation", _flag("sectors", "transportation")),
    ("typeOfLabourOther", "Other", _flag("sectors", "other")),
    (
        "typeOfLabourNotSpecified",
        "Not specified",
        lambda d: (
            f"CASE WHEN sectors_count = 0 AND ({_flag('exploitation', *_LABOUR_CODES)(d)}) = 1"
            " THEN 1 ELSE 0 END"
        ),
    ),
]

SEXUAL: list[tuple[str, str, Expr]] = [
    ("typeOfSexProstitution", "Prostitution", _flag("sexual", "prostitution")),
    ("typeOfSexPornography", "Pornography", _flag("sexual", "pornography")),
    (
        "typeOfSexRemoteInteractiveServices",
        "Remote interactive services",
        _flag("sexual", "remote_interactive_services"),
    ),
    (
        "typeOfSexPrivateSexualServices",
        "Private sexual services",
        _flag("sexual", "private_sexual_services"),
    ),
]

RECRUITER_RELATION = [
    ("recruiterRelationIntimatePartner", "intimate_partner", "Intimate Partner"),
    ("recruiterRelationFriend", "friend", "Friend"),
    ("recruiterRelationFamily", "family", "Family/Relative"),
    ("recruiterRelationOther", "other", "Other"),
    ("recruiterRelationUnknown", "unknown", "Unknown"),
]

AGE_BANDS = [  # CTDC's ageBroad: (last age in the band, label)
    (8, "0--8"),
    (17, "9--17"),
    (20, "18--20"),
    (23, "21--23"),
    (26, "24--26"),
    (29, "27--29"),
    (38, "30--38"),
    (47, "39--47"),
]

GENDER = {"female": "Female", "male": "Male", "other": "Transgender/NonConforming"}


def _group(
    columns: list[tuple[str, str | None, Expr]], concatenated: str
) -> list[tuple[str, Expr]]:
    """The flag columns of one CTDC group followed by their `…Concatenated` column."""
    flags = [(name, expr) for name, _label, expr in columns]
    labelled = [(label, name) for name, label, _expr in columns if label]
    return [*flags, (concatenated, _labels(labelled))]


def _case(column: str, mapping: dict[str, str]) -> Expr:
    whens = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in mapping.items())
    return lambda d: f"CASE {column} {whens} ELSE NULL END"


def _age_broad(d: Dialect) -> str:
    whens = " ".join(f"WHEN age <= {last} THEN '{label}'" for last, label in AGE_BANDS)
    return f"CASE WHEN age IS NULL OR age < 0 THEN NULL {whens} ELSE '48+' END"


COLUMNS: list[tuple[str, Expr]] = [
    ("yearOfRegistration", lambda d: "registration_year"),
    ("Datasource", lambda d: f"'{DATASOURCE}'"),
    ("gender", _case("sex", GENDER)),
    ("ageBroad", _age_broad),
    (
        "majorityStatus",
        lambda d: (
            "CASE WHEN age < 0 THEN NULL WHEN age < 18 THEN 'Minor' WHEN age >= 18 THEN 'Adult' END"
        ),
    ),
    ("majorityStatusAtExploit", lambda d: "NULL"),  # CTMS records no date of exploitation
    ("majorityEntry", lambda d: "NULL"),  # nor the date the person entered the situation
    ("citizenship", lambda d: "citizenship_iso2"),
    *_group(MEANS_OF_CONTROL, "meansOfControlConcatenated"),
    *_group(EXPLOITATION, "typeOfExploitConcatenated"),
    *_group(LABOUR, "typeOfLabourConcatenated"),
    *_group(SEXUAL, "typeOfSexConcatenated"),
    (
        "isAbduction",
        lambda d: (
            "CASE WHEN recruitment_method = 'abduction' THEN 1"
            " WHEN recruitment_method IN ('', 'unknown') THEN NULL ELSE 0 END"
        ),
    ),
    (
        "RecruiterRelationship",
        _case("recruiter_relation", {c: lbl for _n, c, lbl in RECRUITER_RELATION}),
    ),
    ("CountryOfExploitation", lambda d: "country_iso2"),
    *[
        (
            name,
            lambda d, code=code: (
                f"CASE WHEN recruiter_relation = '{code}' THEN 1 "
                "WHEN recruiter_relation = '' THEN NULL ELSE 0 END"
            ),
        )
        for name, code, _label in RECRUITER_RELATION
    ],
]
COLUMN_NAMES: list[str] = [name for name, _expr in COLUMNS]
# Columns computed from other columns, in the last SELECT (above the windows).
DERIVED = {name for name in COLUMN_NAMES if name.endswith("Concatenated")} | {"isSexAndLabour"}


# ---- the query --------------------------------------------------------------------------------


def _country_codes_sql() -> str:
    """ISO alpha-3 → alpha-2 as an inline table (CTDC has alpha-2; CTMS stores alpha-3)."""
    rows = ", ".join(f"('{c.alpha_3}', '{c.alpha_2}')" for c in pycountry.countries)
    return f"country_code(iso3, iso2) AS (VALUES {rows})"


def _base_sql(d: Dialect) -> str:
    """One row per victim-case pair with the CTMS fields the columns need, age at registration."""
    case_victims = Case.victims.through._meta.db_table
    age = (
        "CASE WHEN v.date_of_birth IS NOT NULL THEN "
        f"{d.year('c.opened_on')} - {d.year('v.date_of_birth')}"
        f" - CASE WHEN {d.month_day('c.opened_on')} < {d.month_day('v.date_of_birth')}"
        " THEN 1 ELSE 0 END "
        f"WHEN v.birth_year IS NOT NULL THEN {d.year('c.opened_on')} - v.birth_year END"
    )
    length = "jsonb_array_length" if d.vendor == "postgresql" else "json_array_length"
    # Every piece is a constant of this module or a table name: no input reaches the SQL.
    return f"""base AS (
  SELECT cv.victim_id AS victim_id, {d.year("c.opened_on")} AS registration_year,
         {age} AS age,
         v.sex AS sex, cit.iso2 AS citizenship_iso2, coe.iso2 AS country_iso2,
         c.means_of_control AS means, {length}(c.means_of_control) AS means_count,
         c.exploitation_types AS exploitation, c.labour_sectors AS sectors,
         {length}(c.labour_sectors) AS sectors_count, c.sexual_exploitation_types AS sexual,
         c.recruitment_method AS recruitment_method, c.recruiter_relation AS recruiter_relation
  FROM {case_victims} cv
  JOIN {Case._meta.db_table} c ON c.id = cv.case_id
  JOIN {Victim._meta.db_table} v ON v.id = cv.victim_id
  LEFT JOIN country_code cit ON cit.iso3 = v.citizenship
  LEFT JOIN country_code coe ON coe.iso3 = {d.first("c.countries_of_exploitation")}
  WHERE v.trafficking_status IN ('actual', 'possible') AND NOT v.is_archived
)"""  # noqa: S608


def _quoted(name: str) -> str:
    return f'"{name}"'


def rows_sql(vendor: str | None = None) -> str:
    """SELECT of every CTDC column plus `group_people` (distinct victims sharing the row's
    quasi-identifiers), last. Nothing is suppressed yet: see `exported_rows_sql`."""
    d = Dialect(vendor or connection.vendor)
    columns = ",\n         ".join(
        f"{expr(d)} AS {_quoted(name)}" for name, expr in COLUMNS if name not in DERIVED
    )
    partition = ", ".join(_quoted(name) for name in QUASI_IDENTIFIERS)
    output = ", ".join(
        f"{expr(d)} AS {_quoted(name)}" if name in DERIVED else _quoted(name)
        for name, expr in COLUMNS
    )
    return f"""WITH {_country_codes_sql()},
{_base_sql(d)},
pairs AS (
  SELECT victim_id, {columns}
  FROM base
),
ranked AS (
  SELECT pairs.*, DENSE_RANK() OVER (PARTITION BY {partition} ORDER BY victim_id) AS person_rank
  FROM pairs
)
SELECT {output}, MAX(person_rank) OVER (PARTITION BY {partition}) AS group_people
FROM ranked"""  # noqa: S608


def exported_rows_sql(k: int, vendor: str | None = None) -> str:
    """The rows that survive k-anonymity, CTDC columns only (what the benchmark COPYs)."""
    output = ", ".join(_quoted(name) for name in COLUMN_NAMES)
    return f"SELECT {output} FROM ({rows_sql(vendor)}) q WHERE group_people >= {int(k)}"  # noqa: S608


def summary_sql(k: int, vendor: str | None = None) -> str:
    """Rows read and rows suppressed, by grouping the quasi-identifiers alone: far cheaper than
    the export's query (no other column, no window), for the export page."""
    d = Dialect(vendor or connection.vendor)
    expressions = dict(COLUMNS)
    keys = ", ".join(f"{expressions[name](d)} AS {_quoted(name)}" for name in QUASI_IDENTIFIERS)
    group_by = ", ".join(_quoted(name) for name in QUASI_IDENTIFIERS)
    return f"""WITH {_country_codes_sql()},
{_base_sql(d)},
keys AS (SELECT victim_id, {keys} FROM base),
grouped AS (
  SELECT COUNT(*) AS row_count, COUNT(DISTINCT victim_id) AS people FROM keys GROUP BY {group_by}
)
SELECT COALESCE(SUM(row_count), 0),
       COALESCE(SUM(CASE WHEN people < {int(k)} THEN row_count ELSE 0 END), 0)
FROM grouped"""  # noqa: S608


@dataclass
class ExportSummary:
    """What an export wrote and what k-anonymity held back."""

    k: int
    rows_total: int = 0
    rows_suppressed: int = 0

    @property
    def rows_exported(self) -> int:
        return self.rows_total - self.rows_suppressed


def ctdc_summary(k: int | None = None) -> ExportSummary:
    """Counts only, computed by the database over the whole data set (seconds at a million
    victims): the export page shows them as kept by exports.summary, never counted in a visit."""
    k = k or k_anonymity()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # JIT compiles this one query's expressions for about 1.8 s at a million victims,
            # more than it saves on it: off for this transaction only.
            cursor.execute("SET LOCAL jit = off")
        cursor.execute(summary_sql(k))
        total, suppressed = cursor.fetchone()
    return ExportSummary(k=k, rows_total=int(total), rows_suppressed=int(suppressed))


def ctdc_row_chunks(summary: ExportSummary, chunk_size: int = CHUNK_SIZE) -> Iterator[list[tuple]]:
    """The exported rows in chunks, read through a server-side cursor on PostgreSQL so memory
    stays flat. Rows of groups under k are dropped here and counted into `summary`."""
    k = summary.k
    with connection.chunked_cursor() as cursor:
        cursor.execute(rows_sql())
        while chunk := cursor.fetchmany(chunk_size):
            kept = [row[:-1] for row in chunk if row[-1] >= k]
            summary.rows_total += len(chunk)
            summary.rows_suppressed += len(chunk) - len(kept)
            if kept:
                yield kept


class _LargeGroupsOnly:
    """The file PostgreSQL's `COPY (rows_sql) TO STDOUT (FORMAT csv)` writes into: it keeps the
    lines whose last field (the group size) is at least k, without it, and counts the others.

    COPY hands over blocks of bytes that need not end on a line; the rest of a line waits for
    the next block. A line is a row: every field is a code, a label of this module or a number
    (no free text, so no quoted line break), and the group size, last, holds no comma.
    """

    def __init__(self, out, summary: ExportSummary, progress=None):
        self.out = out
        self.summary = summary
        self.progress = progress
        self.pending = b""
        self.written = 0

    def write(self, data) -> int:
        if isinstance(data, str):
            data = data.encode()
        block = self.pending + data
        end = block.rfind(b"\n") + 1
        self.pending = block[end:]
        if end:
            self._lines(block[:end])
        return len(data)

    def _lines(self, block: bytes) -> None:
        k = self.summary.k
        lines = block.split(b"\n")
        lines.pop()  # after the last newline
        kept = [
            head
            for head, _, people in (line.rpartition(b",") for line in lines)
            if int(people) >= k
        ]
        self.summary.rows_total += len(lines)
        self.summary.rows_suppressed += len(lines) - len(kept)
        if kept:
            self.out.write(b"\n".join(kept).decode() + "\n")
            self.written += len(kept)
            if self.progress is not None:
                self.progress(self.written)

    def close(self) -> None:
        if self.pending:
            raise ValueError("COPY ended in the middle of a line")


def copy_csv_rows(stream, summary: ExportSummary, progress=None) -> int:
    """PostgreSQL only: write the exported rows (no header) to a text stream through `COPY`,
    which formats CSV in the server (2-3 times faster than fetching rows into Python). Returns
    the rows written; `summary` counts what k-anonymity held back, as `ctdc_row_chunks` does."""
    sink = _LargeGroupsOnly(stream, summary, progress)
    with connection.cursor() as cursor:
        cursor.copy_expert(f"COPY ({rows_sql('postgresql')}) TO STDOUT WITH (FORMAT csv)", sink)
    sink.close()
    return sink.written
