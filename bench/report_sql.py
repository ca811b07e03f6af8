#!/usr/bin/env python
"""The quarterly statistics report (`compute_figures` for a quarter and the same quarter a year
earlier, through the ORM) against hand-written SQL for the same figures, on PostgreSQL.

    python bench/report_sql.py --db postgres://postgres@127.0.0.1:5432/ctms_bench

Both sides run `--repeat` times, alternately, after one warm-up each; the ratio is of the
medians (target ≤ 1.5). The two sides must give the same numbers, key by key, or the run fails.
The report itself (both periods through the ORM) has its own target, under 0.5 s (issue 17), and
none of its statements may read a large table whole: each statement of the ORM side is
EXPLAINed and every sequential scan of a table over 100,000 rows is listed (`seq_scans`, should
be empty). The machine is shared: the load average is given with the times.
`run(...) -> dict` is what bench/run.py calls (read-only on the database).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RATIO_TARGET = 1.5
REPORT_TARGET_SECONDS = 0.5
LARGE_TABLE_ROWS = 100_000

# One statement per group of figures; %(start)s / %(end)s are the period, %(first_month)s /
# %(last_month)s its deportee months. Written by hand from SPEC section 4, each starting from the
# period's own rows as one would for a large database: the period's rescues, repatriations and
# follow-ups by date with the person's sex and birth date copied onto them (reports.copies), the
# period's operations (prosecutions) by date, then their detentions (defendants) by the ids of
# those and each suspect by primary key, in key order (`= ANY(ARRAY(…))`). No statement reads a
# whole table. Like the report, the two periods run at once, each on its own connection.
PERIOD_OPERATIONS = "SELECT id FROM cases_operation WHERE date BETWEEN %(start)s AND %(end)s"
SQL: dict[str, str] = {
    "operations": """
        SELECT count(*), count(DISTINCT case_id)
        FROM cases_operation WHERE date BETWEEN %(start)s AND %(end)s""",
    "suspects": f"""
        SELECT s.citizenship, count(*), count(*) FILTER (WHERE s.sex = 'female')
        FROM cases_suspect s
        WHERE s.id = ANY(ARRAY(
            SELECT sd.suspect_id FROM cases_operation_suspects_detained sd
            WHERE sd.operation_id = ANY(ARRAY({PERIOD_OPERATIONS}))))
        GROUP BY s.citizenship""",
    "rescued": """
        WITH first_rescue AS (
            SELECT r.victim_id, min(r.operation_date) AS day, max(r.victim_sex) AS sex,
                   max(r.victim_date_of_birth) AS born, max(r.victim_birth_year) AS year
            FROM cases_rescue r
            WHERE r.operation_date BETWEEN %(start)s AND %(end)s
            GROUP BY r.victim_id),
        aged AS (
            SELECT sex, CASE WHEN born IS NOT NULL THEN date_part('year', age(day, born))
                             WHEN year IS NOT NULL THEN date_part('year', day) - year END AS age
            FROM first_rescue)
        SELECT count(*), count(*) FILTER (WHERE sex = 'female'),
               count(*) FILTER (WHERE age < 15),
               count(*) FILTER (WHERE age >= 15 AND age < 18),
               count(*) FILTER (WHERE age >= 18),
               count(*) FILTER (WHERE age IS NULL)
        FROM aged""",
    "placements": """
        SELECT placement, count(*) FROM cases_rescue
        WHERE operation_date BETWEEN %(start)s AND %(end)s
        GROUP BY placement""",
    "repatriations": """
        SELECT kind, from_country, count(*),
               count(*) FILTER (WHERE victim_sex = 'female'),
               count(*) FILTER (WHERE CASE
                   WHEN victim_date_of_birth IS NOT NULL
                   THEN date_part('year', age(received_on, victim_date_of_birth))
                   ELSE date_part('year', received_on) - victim_birth_year END < 18)
        FROM victims_repatriation
        WHERE received_on BETWEEN %(start)s AND %(end)s
        GROUP BY kind, from_country""",
    "referrals": """
        SELECT a.acronym, count(*)
        FROM referrals_referral r JOIN agencies_agency a ON a.id = r.to_agency_id
        WHERE r.created_on BETWEEN %(start)s AND %(end)s GROUP BY a.acronym""",
    "follow_ups": """
        WITH people AS (
            SELECT victim_id, kind, max(victim_sex) AS sex FROM victims_followup
            WHERE date BETWEEN %(start)s AND %(end)s GROUP BY victim_id, kind)
        SELECT count(*) FILTER (WHERE kind = 'monitoring'),
               count(*) FILTER (WHERE kind = 'monitoring' AND sex = 'female'),
               count(*) FILTER (WHERE kind = 'family_tracing'),
               count(*) FILTER (WHERE kind = 'family_assessment')
        FROM people""",
    "cases": """
        SELECT (SELECT count(*) FROM cases_case WHERE opened_on BETWEEN %(start)s AND %(end)s),
               (SELECT count(*) FROM cases_case WHERE closed_on BETWEEN %(start)s AND %(end)s),
               (SELECT count(*) FROM cases_case WHERE closed_on IS NULL AND opened_on <= %(end)s)
               + (SELECT count(*) FROM cases_case
                  WHERE closed_on > %(end)s AND opened_on <= %(end)s)""",
    "deportees": """
        SELECT from_country, sum(total), sum(female), sum(children), sum(detained_over_month)
        FROM reports_deporteereport
        WHERE month BETWEEN %(first_month)s AND %(last_month)s GROUP BY from_country""",
    "prosecutions": """
        SELECT count(*) FROM cases_prosecution WHERE filed_on BETWEEN %(start)s AND %(end)s""",
    "defendants": """
        SELECT count(*), count(*) FILTER (WHERE s.sex = 'female')
        FROM cases_defendant d JOIN cases_suspect s ON s.id = d.suspect_id
        WHERE d.prosecution_id = ANY(ARRAY(
            SELECT id FROM cases_prosecution WHERE filed_on BETWEEN %(start)s AND %(end)s))""",
    "convictions": """
        SELECT count(*) FROM cases_defendant
        WHERE verdict = 'convicted' AND verdict_on BETWEEN %(start)s AND %(end)s""",
    "activities": """
        SELECT kind, count(*), coalesce(sum(participants_total), 0),
               coalesce(sum(participants_female), 0)
        FROM reports_activity WHERE date BETWEEN %(start)s AND %(end)s GROUP BY kind""",
}


# The same figures computed from the victims themselves (each counted row joined to its victim),
# not from the copies on the rows (reports.copies): run once per bench, compared with the
# report's figures (`same_figures_as_victims`), so the copies are checked at a million victims.
FROM_VICTIMS: dict[str, str] = {
    **SQL,
    "rescued": f"""
        WITH first_rescue AS MATERIALIZED (
            SELECT r.victim_id, min(o.date) AS day
            FROM cases_operation o JOIN cases_rescue r ON r.operation_id = o.id
            WHERE o.id = ANY(ARRAY({PERIOD_OPERATIONS}))
            GROUP BY r.victim_id ORDER BY r.victim_id),
        aged AS (
            SELECT v.sex,
                   CASE WHEN v.date_of_birth IS NOT NULL
                        THEN date_part('year', age(f.day, v.date_of_birth))
                        WHEN v.birth_year IS NOT NULL
                        THEN date_part('year', f.day) - v.birth_year END AS age
            FROM first_rescue f JOIN victims_victim v ON v.id = f.victim_id)
        SELECT count(*), count(*) FILTER (WHERE sex = 'female'),
               count(*) FILTER (WHERE age < 15),
               count(*) FILTER (WHERE age >= 15 AND age < 18),
               count(*) FILTER (WHERE age >= 18),
               count(*) FILTER (WHERE age IS NULL)
        FROM aged""",
    "placements": f"""
        SELECT placement, count(*) FROM cases_rescue
        WHERE operation_id = ANY(ARRAY({PERIOD_OPERATIONS}))
        GROUP BY placement""",
    "repatriations": """
        SELECT p.kind, p.from_country, count(*),
               count(*) FILTER (WHERE v.sex = 'female'),
               count(*) FILTER (WHERE CASE
                   WHEN v.date_of_birth IS NOT NULL
                   THEN date_part('year', age(p.received_on, v.date_of_birth))
                   ELSE date_part('year', p.received_on) - v.birth_year END < 18)
        FROM victims_repatriation p JOIN victims_victim v ON v.id = p.victim_id
        WHERE p.received_on BETWEEN %(start)s AND %(end)s
        GROUP BY p.kind, p.from_country""",
    "follow_ups": """
        WITH monitored AS (
            SELECT count(*) AS total, count(*) FILTER (WHERE sex = 'female') AS female
            FROM victims_victim
            WHERE id = ANY(ARRAY(
                SELECT victim_id FROM victims_followup
                WHERE date BETWEEN %(start)s AND %(end)s AND kind = 'monitoring'))),
        family AS (
            SELECT count(DISTINCT victim_id) FILTER (WHERE kind = 'family_tracing') AS tracing,
                   count(DISTINCT victim_id) FILTER (WHERE kind = 'family_assessment')
                       AS assessed
            FROM victims_followup WHERE date BETWEEN %(start)s AND %(end)s)
        SELECT monitored.total, monitored.female, family.tracing, family.assessed
        FROM monitored, family""",
}


def _setup(database_url: str | None) -> None:
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ctms.settings")
    import django

    django.setup()


def _rows(cursor, statement: str, params: dict[str, Any]) -> list[tuple]:
    cursor.execute(statement, params)
    return cursor.fetchall()


def _positive(pairs) -> dict[str, int]:
    """A breakdown as the report gives it: largest first, only counts above zero."""
    items = sorted(((str(k), int(n)) for k, n in pairs if k and n), key=lambda kv: (-kv[1], kv[0]))
    return dict(items)


def sql_figures(start: dt.date, end: dt.date, statements: dict[str, str] = SQL) -> dict[str, Any]:
    """Every figure of SPEC section 4 by the hand-written statements above."""
    from django.db import connection

    from reports.figures import months_in

    first_month, last_month = months_in(start, end)
    params = {"start": start, "end": end, "first_month": first_month, "last_month": last_month}
    with connection.cursor() as cursor:
        rows = {name: _rows(cursor, statement, params) for name, statement in statements.items()}
    return _assemble(rows)


def _assemble(rows: dict[str, list[tuple]]) -> dict[str, Any]:
    operations, cases_investigated = rows["operations"][0]
    suspects = rows["suspects"]
    foreign = [(c, n) for c, n, _ in suspects if c not in ("KHM", "")]
    total, female, under_15, teen, adult, unknown = rows["rescued"][0]
    return {
        "law_enforcement": {
            "operations": operations,
            "cases_investigated": cases_investigated,
            "suspects_detained": {
                "total": sum(n for _, n, _ in suspects),
                "female": sum(f for _, _, f in suspects),
                "foreign": sum(n for _, n in foreign),
                "by_citizenship": _positive(foreign),
            },
            "victims_rescued": {
                "total": total,
                "female": female,
                "by_age_band": {
                    k: v
                    for k, v in (
                        ("under_15", under_15),
                        ("15_17", teen),
                        ("18_plus", adult),
                        ("unknown", unknown),
                    )
                    if v
                },
                "by_placement": {
                    k: n
                    for k in ("dosvy", "ngo", "family", "other")
                    for p, n in rows["placements"]
                    if p == k and n
                },
            },
        },
        "victim_protection": _protection(rows),
        "justice": {
            "cases_prosecuted": rows["prosecutions"][0][0],
            "defendants": rows["defendants"][0][0],
            "defendants_female": rows["defendants"][0][1],
            "convictions": rows["convictions"][0][0],
        },
        **_activities(rows["activities"]),
    }


def _repatriated(rows: list[tuple], kind: str, *, female: bool) -> dict[str, Any]:
    mine = [row for row in rows if row[0] == kind]
    figures = {"total": sum(r[2] for r in mine)}
    if female:
        figures["female"] = sum(r[3] for r in mine)
    figures["children"] = sum(r[4] for r in mine)
    figures["by_country"] = _positive((r[1], r[2]) for r in mine)
    return figures


def _protection(rows: dict[str, list[tuple]]) -> dict[str, Any]:
    monitored, monitored_female, tracing, assessed = rows["follow_ups"][0]
    opened, closed, open_at_end = rows["cases"][0]
    deportees = rows["deportees"]
    return {
        "repatriated_victims": _repatriated(rows["repatriations"], "victim", female=True),
        "returned_migrants": _repatriated(rows["repatriations"], "migrant", female=False),
        "referrals": {
            "total": sum(n for _, n in rows["referrals"]),
            "by_partner": _positive(rows["referrals"]),
        },
        "reintegration": {
            "monitored": {"total": monitored, "female": monitored_female},
            "family_tracing": tracing,
            "family_assessed": assessed,
        },
        "cases_opened": opened,
        "cases_closed": closed,
        "cases_open_at_end": open_at_end,
        "deportees": {
            "total": int(sum(r[1] for r in deportees)),
            "female": int(sum(r[2] for r in deportees)),
            "children": int(sum(r[3] for r in deportees)),
            "detained_over_month": int(sum(r[4] for r in deportees)),
            "by_country": _positive((r[0], r[1]) for r in deportees),
        },
    }


def _activities(rows: list[tuple]) -> dict[str, Any]:
    prevention = [r for r in rows if r[0] != "child_labour_withdrawal"]
    withdrawn = [r for r in rows if r[0] == "child_labour_withdrawal"]
    total, girls = sum(int(r[2]) for r in withdrawn), sum(int(r[3]) for r in withdrawn)
    return {
        "prevention": {
            "activities": sum(r[1] for r in prevention),
            "participants": {
                "total": sum(int(r[2]) for r in prevention),
                "female": sum(int(r[3]) for r in prevention),
            },
            "by_kind": _positive((r[0], int(r[2])) for r in prevention),
        },
        "child_affairs": {
            "child_labour_withdrawn": {"total": total, "girls": girls, "boys": total - girls}
        },
    }


def latest_quarter_with_data():
    """The last complete quarter before the newest operation (the data's own 'today')."""
    from django.db.models import Max

    from cases.models import Operation
    from reports.periods import previous_quarter

    newest = Operation.objects.aggregate(newest=Max("date"))["newest"] or dt.date.today()
    return previous_quarter(newest + dt.timedelta(days=1))


def _at_once(*calls):
    """Each call in its own thread and connection, as `figures_of_both_periods` runs them."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    def alone(call):
        try:
            return call()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return tuple(future.result() for future in [pool.submit(alone, c) for c in calls])


def _timed(function) -> tuple[float, Any]:
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def run(database_url: str | None = None, period: str | None = None, repeat: int = 5) -> dict:
    """Time both sides on the same quarter and its previous year; check they agree."""
    _setup(database_url)
    from django.db import connection

    from reports.figures import compute_figures, figures_of_both_periods
    from reports.periods import parse_period

    quarter = parse_period(period) if period else latest_quarter_with_data()
    previous = quarter.previous()
    if connection.vendor != "postgresql":
        raise SystemExit("bench/report_sql.py needs PostgreSQL (hand-written SQL is Postgres')")

    def orm():  # what build_report runs: both periods at once on PostgreSQL
        return figures_of_both_periods(quarter)

    def orm_statements():  # the same statements, on this connection (for their plans)
        return [compute_figures(p.start, p.end) for p in (quarter, previous)]

    def sql():
        return _at_once(
            lambda: sql_figures(quarter.start, quarter.end),
            lambda: sql_figures(previous.start, previous.end),
        )

    orm(), sql()  # warm-up: caches, connection
    load_at_start = os.getloadavg()
    orm_times, sql_times = [], []
    for _ in range(repeat):
        seconds, orm_result = _timed(orm)
        orm_times.append(seconds)
        seconds, sql_result = _timed(sql)
        sql_times.append(seconds)
    load_at_end = os.getloadavg()
    differences = _differences(orm_result, sql_result)
    from_victims = (
        sql_figures(quarter.start, quarter.end, FROM_VICTIMS),
        sql_figures(previous.start, previous.end, FROM_VICTIMS),
    )
    differences_from_victims = _differences(orm_result, from_victims)
    orm_median, sql_median = statistics.median(orm_times), statistics.median(sql_times)
    return {
        "period": quarter.label,
        "previous_period": previous.label,
        "repeat": repeat,
        "load_average_1min": f"{load_at_start[0]:.1f} → {load_at_end[0]:.1f}",
        "orm_seconds": round(orm_median, 4),
        "orm_min_seconds": round(min(orm_times), 4),
        "report_target_seconds": REPORT_TARGET_SECONDS,
        "within_report_target": orm_median < REPORT_TARGET_SECONDS,
        "sql_seconds": round(sql_median, 4),
        "sql_min_seconds": round(min(sql_times), 4),
        "ratio": round(orm_median / sql_median, 3),
        "target": RATIO_TARGET,
        "within_target": orm_median / sql_median <= RATIO_TARGET,
        "seq_scans": ", ".join(large_seq_scans(orm_statements)) or "none",
        "same_figures": not differences,
        "differences": differences,
        "same_figures_as_victims": not differences_from_victims,
        "differences_from_victims": differences_from_victims,
        "operations_in_quarter": orm_result[0]["law_enforcement"]["operations"],
        "victims_rescued_in_quarter": orm_result[0]["law_enforcement"]["victims_rescued"]["total"],
    }


def large_seq_scans(function) -> list[str]:
    """`table (rows)` for every sequential scan of a table over LARGE_TABLE_ROWS rows in the
    plans of the statements `function` runs (EXPLAIN, not executed again)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        function()
    found: dict[str, int] = {}
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            cursor.execute("EXPLAIN (FORMAT JSON) " + query["sql"])
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            for table in _seq_scanned(plan[0]["Plan"]):
                cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = %s", [table])
                rows = cursor.fetchone()[0]
                if rows > LARGE_TABLE_ROWS:
                    found[table] = rows
    return [f"{table} ({rows:,})" for table, rows in sorted(found.items())]


def _seq_scanned(node: dict):
    if node.get("Node Type") == "Seq Scan":
        yield node["Relation Name"]
    for child in node.get("Plans", []):
        yield from _seq_scanned(child)


def _differences(orm_result, sql_result) -> dict[str, Any]:
    from reports.figures import flatten

    differences = {}
    for label, mine, theirs in zip(("period", "previous"), orm_result, sql_result, strict=True):
        ours, hand = flatten(mine), flatten(theirs)
        for key in sorted(ours.keys() | hand.keys()):
            if ours.get(key) != hand.get(key):
                differences[f"{label}:{key}"] = {"orm": ours.get(key), "sql": hand.get(key)}
    return differences


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--period", help="a quarter such as 2026-Q2 (default: the latest)")
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    result = run(database_url=options.db, period=options.period, repeat=options.repeat)
    print(json.dumps(result, indent=2))
    if not result["same_figures"]:
        sys.exit("The ORM and the hand-written SQL disagree.")
    if not result["same_figures_as_victims"]:
        sys.exit("The figures from the copies and from the victims themselves disagree.")


if __name__ == "__main__":
    main()
