"""The figures of the statistics report (SPEC section 4), aggregated in the database.

`compute_figures(start, end)` is the only code path: the report calls it once for the period and
once for the same period a year earlier. Every figure is a COUNT/SUM with a filter, a DISTINCT,
or a `values().annotate()` breakdown; Python only names and nests the results.

Every figure starts from the period's own rows, read from an index on their date, so a quarter
costs what the quarter holds, not what the database holds (issue 17; plans in
docs/performance.md): rows that hang off the period's operations or prosecutions (rescues,
detentions, defendants) are looked up by the ids of those (`among`). A person's sex and birth
date are read from the counted row itself (`victims.models.VictimCopy`, kept exact by the
database: `reports.copies`), not looked up among a million victims.
"""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.db import connection, connections
from django.db.models import (
    BooleanField,
    Case,
    Count,
    F,
    Func,
    IntegerField,
    Max,
    Min,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce, ExtractDay, ExtractMonth, ExtractYear
from django.db.models.lookups import LessThan

from cases.choices import Placement
from cases.models import Case as TraffickingCase
from cases.models import Defendant, Operation, Prosecution, Rescue, Suspect
from ctms.choices import Sex
from referrals.models import Referral
from reports.models import Activity, ActivityKind, DeporteeReport
from victims.choices import AgeBand, FollowUpKind, RepatriationKind
from victims.models import FollowUp, Repatriation

HOME_COUNTRY = "KHM"
CHILD_AGE = 18


def age_at(event_date: Combinable | str, person: str = "") -> Case:
    """SQL expression: the person's age in whole years on `event_date`.

    From `date_of_birth` (one year less while the birthday is still to come that year), else the
    event's year minus `birth_year`, else NULL. `person` is the prefix of the person's fields:
    `"victim_"` for the copies on a counted row (`VictimCopy`), empty on Victim itself.
    Extract* work on SQLite and PostgreSQL alike.
    """
    event = F(event_date) if isinstance(event_date, str) else event_date
    dob = F(f"{person}date_of_birth")
    birthday_to_come = LessThan(
        ExtractMonth(event) * 100 + ExtractDay(event), ExtractMonth(dob) * 100 + ExtractDay(dob)
    )
    return Case(
        When(
            Q(**{f"{person}date_of_birth__isnull": False}),
            then=ExtractYear(event)
            - ExtractYear(dob)
            - Case(When(birthday_to_come, then=Value(1)), default=Value(0)),
        ),
        When(
            Q(**{f"{person}birth_year__isnull": False}),
            then=ExtractYear(event) - F(f"{person}birth_year"),
        ),
        default=None,
        output_field=IntegerField(),
    )


class Among(Func):
    """`column IN (SELECT …)`, read from the subquery's rows first.

    On PostgreSQL it is written `column = ANY(ARRAY(SELECT …))`: the subquery (the period's
    operation ids, say) runs once, and its values are looked up in the column's index, in key
    order, which the planner cannot turn into a hash join that reads the whole table. Same
    meaning as IN for the non-null keys it is used on.
    """

    output_field = BooleanField()
    arity = 2

    def as_sql(self, compiler, connection, **extra_context):
        column, subquery = self.source_expressions
        column_sql, column_params = compiler.compile(column)
        subquery_sql, subquery_params = compiler.compile(subquery)
        return f"{column_sql} IN {subquery_sql}", (*column_params, *subquery_params)

    def as_postgresql(self, compiler, connection, **extra_context):
        column, subquery = self.source_expressions
        column_sql, column_params = compiler.compile(column)
        subquery_sql, subquery_params = compiler.compile(subquery)
        return f"{column_sql} = ANY(ARRAY{subquery_sql})", (*column_params, *subquery_params)


def among(column: str, queryset: QuerySet, field: str = "pk") -> Among:
    """The rows whose `column` is one of the `field` values of `queryset` (see `Among`)."""
    return Among(F(column), Subquery(queryset.order_by().values(field)))


def breakdown(
    queryset: QuerySet, key: str, amount: Any = None, order: list[str] | None = None
) -> dict[str, int]:
    """`{key: n}` of a queryset grouped by `key` (`amount` defaults to COUNT); only n > 0.

    Largest first (as the presentation lists countries), or in the fixed `order` of a code list
    (placements).
    """
    # COUNT(*), not COUNT(id): a covering index of the period's rows then answers alone.
    amount = Count("*") if amount is None else amount
    rows = queryset.order_by().values(key).annotate(n=amount).filter(n__gt=0).order_by("-n", key)
    result = {str(row[key]): row["n"] for row in rows if row[key] not in (None, "")}
    return result if order is None else {code: result[code] for code in order if code in result}


def in_province(province: str, field: str) -> Q:
    """Q of the rows of `province` (a gazetteer code) by `field`; every row when it is ""."""
    return Q(**{field: province}) if province else Q()


# Where a figure happens, for a province's figures: operations and activities by their own
# province; every other record by the province of the agency that recorded it.
OPERATION_PROVINCE = "province"
ACTIVITY_PROVINCE = "province"


def _foreign_citizenship(code: str | None) -> bool:
    """A citizenship given and not Cambodian."""
    return code not in (None, "", HOME_COUNTRY)


def period_operations(start: dt.date, end: dt.date, province: str = "") -> QuerySet:
    return Operation.objects.filter(
        in_province(province, OPERATION_PROVINCE), date__range=(start, end)
    )


def law_enforcement(start: dt.date, end: dt.date, province: str = "") -> dict[str, Any]:
    operations = period_operations(start, end, province)
    counts = operations.aggregate(
        operations=Count("pk"), cases_investigated=Count("case", distinct=True)
    )
    # The suspects detained in the period's operations, each once (DISTINCT by construction:
    # a suspect detained twice is one row of Suspect).
    detentions = Operation.suspects_detained.through.objects.filter(
        among("operation_id", operations)
    )
    detained = Suspect.objects.filter(among("id", detentions, "suspect_id"))
    # One pass over the detained: counted by citizenship and sex, then added up.
    groups = detained.order_by().values("citizenship", "sex").annotate(n=Count("*"))
    foreign = _foreign_citizenship
    suspects = {"total": 0, "female": 0, "foreign": 0, "by_citizenship": {}}
    for row in groups:
        suspects["total"] += row["n"]
        suspects["female"] += row["n"] if row["sex"] == Sex.FEMALE else 0
        if foreign(row["citizenship"]):
            suspects["foreign"] += row["n"]
            by = suspects["by_citizenship"]
            by[row["citizenship"]] = by.get(row["citizenship"], 0) + row["n"]
    by = suspects["by_citizenship"]
    suspects["by_citizenship"] = {key: by[key] for key in sorted(by, key=lambda k: (-by[k], k))}
    rescued = victims_rescued(start, end, province)
    return {**counts, "suspects_detained": suspects, "victims_rescued": rescued}


AGE_BANDS = {
    AgeBand.UNDER_15.value: Q(age__lt=15),
    AgeBand.FROM_15_TO_17.value: Q(age__gte=15, age__lt=CHILD_AGE),
    AgeBand.ADULT.value: Q(age__gte=CHILD_AGE),
    AgeBand.UNKNOWN.value: Q(age__isnull=True),
}


def victims_rescued(start: dt.date, end: dt.date, province: str = "") -> dict[str, Any]:
    """Distinct victims rescued in the period, age-banded at their first rescue in it.

    The period's rescues are those of the period's operations, read by the operation's date
    copied onto each rescue (`reports.copies`); a province's, those of its operations. One row
    per victim (GROUP BY victim) with the date of their first rescue in the period, then
    counted (Django wraps the grouped query in a subquery for the aggregate).
    """
    rescues = Rescue.objects.filter(operation_date__range=(start, end))
    if province:
        rescues = rescues.filter(among("operation_id", period_operations(start, end, province)))
    # Grouped by the person alone; their copies are the same on each of their rows (Max).
    per_victim = (
        rescues.order_by()
        .values("victim_id")
        .annotate(
            first_rescue=Min("operation_date"),
            sex=Max("victim_sex"),
            date_of_birth=Max("victim_date_of_birth"),
            birth_year=Max("victim_birth_year"),
        )
        .alias(age=age_at("first_rescue"))
    )
    counts = per_victim.aggregate(
        total=Count("victim_id"),
        female=Count("victim_id", filter=Q(sex=Sex.FEMALE)),
        **{band: Count("victim_id", filter=condition) for band, condition in AGE_BANDS.items()},
    )
    return {
        "total": counts["total"],
        "female": counts["female"],
        "by_age_band": {band: counts[band] for band in AGE_BANDS if counts[band]},
        "by_placement": breakdown(rescues, "placement", order=Placement.values),
    }


def victim_protection(start: dt.date, end: dt.date, province: str = "") -> dict[str, Any]:
    victim, migrant = RepatriationKind.VICTIM, RepatriationKind.MIGRANT
    return {
        "repatriated_victims": repatriations(start, end, victim, female=True, province=province),
        "returned_migrants": repatriations(start, end, migrant, female=False, province=province),
        "referrals": referrals(start, end, province),
        "reintegration": reintegration(start, end, province),
        **cases(start, end, province),
        "deportees": deportees(start, end, province),
    }


def repatriations(
    start: dt.date, end: dt.date, kind: str, *, female: bool, province: str = ""
) -> dict[str, Any]:
    received = Repatriation.objects.filter(
        in_province(province, "receiving_agency__province"),
        kind=kind,
        received_on__range=(start, end),
    )
    # COUNT(victim_id), not COUNT(id): the period's rows are then read from the index alone.
    counts = {"total": Count("victim_id")}
    if female:
        counts["female"] = Count("victim_id", filter=Q(victim_sex=Sex.FEMALE))
    counts["children"] = Count("victim_id", filter=Q(age__lt=CHILD_AGE))
    figures = received.alias(age=age_at("received_on", "victim_")).aggregate(**counts)
    figures["by_country"] = breakdown(received, "from_country")
    return figures


def referrals(start: dt.date, end: dt.date, province: str = "") -> dict[str, Any]:
    created = Referral.objects.filter(
        in_province(province, "from_agency__province"), created_on__range=(start, end)
    )
    return {"total": created.count(), "by_partner": breakdown(created, "to_agency__acronym")}


def reintegration(start: dt.date, end: dt.date, province: str = "") -> dict[str, Any]:
    follow_ups = FollowUp.objects.filter(
        in_province(province, "agency__province"), date__range=(start, end)
    )
    # Each person once per kind of follow-up (grouped), their sex from the copy on the
    # follow-up (the same on each of their rows: Max); then counted.
    per_person = follow_ups.order_by().values("victim_id", "kind").annotate(sex=Max("victim_sex"))

    def people(kind: str, *condition: Q) -> Count:
        return Count("victim_id", filter=Q(*condition, kind=kind))

    monitoring = FollowUpKind.MONITORING
    counts = per_person.aggregate(
        monitored=people(monitoring),
        monitored_female=people(monitoring, Q(sex=Sex.FEMALE)),
        family_tracing=people(FollowUpKind.FAMILY_TRACING),
        family_assessed=people(FollowUpKind.FAMILY_ASSESSMENT),
    )
    return {
        "monitored": {"total": counts["monitored"], "female": counts["monitored_female"]},
        "family_tracing": counts["family_tracing"],
        "family_assessed": counts["family_assessed"],
    }


def cases(start: dt.date, end: dt.date, province: str = "") -> dict[str, int]:
    """Cases opened and closed in the period, and open at its end: opened by then and not
    closed by then. The last is counted as (still open today) + (closed after the end), each
    from its own index, so a recent period reads the open cases and what closed since, not
    every case ever opened."""
    recorded = TraffickingCase.objects.filter(in_province(province, "agency__province"))
    opened_by_end = recorded.filter(opened_on__lte=end)
    return {
        "cases_opened": recorded.filter(opened_on__range=(start, end)).count(),
        "cases_closed": recorded.filter(closed_on__range=(start, end)).count(),
        "cases_open_at_end": opened_by_end.filter(closed_on__isnull=True).count()
        + opened_by_end.filter(closed_on__gt=end).count(),
    }


def months_in(start: dt.date, end: dt.date) -> tuple[str, str]:
    """First and last `YYYY-MM` whose first day lies in the period (a month is in the period
    when it starts in it: a range from 15 January counts from February)."""
    first = start if start.day == 1 else (start.replace(day=28) + dt.timedelta(days=4))
    return first.strftime("%Y-%m"), end.strftime("%Y-%m")


def deportees(start: dt.date, end: dt.date, province: str = "") -> dict[str, Any]:
    first, last = months_in(start, end)
    reports = DeporteeReport.objects.filter(
        in_province(province, "agency__province"), month__gte=first, month__lte=last
    )
    fields = ("total", "female", "children", "detained_over_month")
    figures = reports.aggregate(**{name: Coalesce(Sum(name), 0) for name in fields})
    figures["by_country"] = breakdown(reports, "from_country", Coalesce(Sum("total"), 0))
    return figures


def justice(start: dt.date, end: dt.date, province: str = "") -> dict[str, int]:
    prosecutions = Prosecution.objects.filter(
        in_province(province, "court__province"), filed_on__range=(start, end)
    )
    # The defendants of the period's prosecutions, looked up by prosecution id.
    defendants = Defendant.objects.filter(among("prosecution_id", prosecutions)).aggregate(
        defendants=Count("suspect_id"),
        defendants_female=Count("suspect_id", filter=Q(suspect__sex=Sex.FEMALE)),
    )
    return {
        "cases_prosecuted": prosecutions.count(),
        **defendants,
        "convictions": Defendant.objects.filter(
            in_province(province, "prosecution__court__province"),
            verdict="convicted",
            verdict_on__range=(start, end),
        ).count(),
    }


def prevention(start: dt.date, end: dt.date, province: str = "") -> dict[str, Any]:
    activities = Activity.objects.filter(
        in_province(province, ACTIVITY_PROVINCE), date__range=(start, end)
    ).exclude(kind=ActivityKind.CHILD_LABOUR_WITHDRAWAL)
    counts = activities.aggregate(
        activities=Count("pk"),
        total=Coalesce(Sum("participants_total"), 0),
        female=Coalesce(Sum("participants_female"), 0),
    )
    return {
        "activities": counts["activities"],
        "participants": {"total": counts["total"], "female": counts["female"]},
        "by_kind": breakdown(activities, "kind", Coalesce(Sum("participants_total"), 0)),
    }


def child_affairs(start: dt.date, end: dt.date, province: str = "") -> dict[str, Any]:
    withdrawn = Activity.objects.filter(
        in_province(province, ACTIVITY_PROVINCE),
        date__range=(start, end),
        kind=ActivityKind.CHILD_LABOUR_WITHDRAWAL,
    ).aggregate(
        total=Coalesce(Sum("participants_total"), 0),
        girls=Coalesce(Sum("participants_female"), 0),
        boys=Coalesce(Sum(F("participants_total") - F("participants_female")), 0),
    )
    return {"child_labour_withdrawn": withdrawn}


def compute_figures(start: dt.date, end: dt.date, province: str = "") -> dict[str, Any]:
    """Every figure of SPEC section 4 for the dates start ≤ date ≤ end, as nested dicts; with
    `province` (a gazetteer code), that province's figures only (see OPERATION_PROVINCE)."""
    return {
        "law_enforcement": law_enforcement(start, end, province),
        "victim_protection": victim_protection(start, end, province),
        "justice": justice(start, end, province),
        "prevention": prevention(start, end, province),
        "child_affairs": child_affairs(start, end, province),
    }


def flatten(figures: dict[str, Any], prefix: str = "") -> dict[str, int]:
    """`{"law_enforcement.operations": 160, "…by_citizenship.GBR": 4, …}`."""
    flat: dict[str, int] = {}
    for key, value in figures.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat


def change_pct(value: int, previous: int) -> float | None:
    """(value − previous) / previous × 100, rounded to 2 places; None where previous is 0."""
    if not previous:
        return None
    return round((value - previous) / previous * 100, 2)


def changes(figures: dict[str, Any], previous_figures: dict[str, Any]) -> dict[str, Any]:
    """Per dotted key (breakdown entries included): value, previous, change and change_pct."""
    now, before = flatten(figures), flatten(previous_figures)
    return {
        key: {
            "value": now.get(key, 0),
            "previous": before.get(key, 0),
            "change": now.get(key, 0) - before.get(key, 0),
            "change_pct": change_pct(now.get(key, 0), before.get(key, 0)),
        }
        # The figures' own order (SPEC section 4), then breakdown keys only the past had.
        for key in dict.fromkeys([*now, *before])
    }


def figures_of_both_periods(period, province: str = "") -> tuple[dict, dict]:
    """`compute_figures` of the period and of the same period a year earlier.

    On PostgreSQL, outside a transaction, the two run at once, each in a thread with its own
    connection (closed at the end): the database works on both periods on two cores, and the
    report takes about the time of one period. Inside a transaction (a test, a caller's
    atomic block) another connection could not see its uncommitted rows: one after the
    other, as on SQLite.
    """
    previous = period.previous()
    calls = [
        lambda: compute_figures(period.start, period.end, province),
        lambda: compute_figures(previous.start, previous.end, province),
    ]
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return calls[0](), calls[1]()
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="report") as pool:
        now, before = [pool.submit(_with_own_connection, call) for call in calls]
        return now.result(), before.result()


def _with_own_connection(call):
    try:
        return call()
    finally:
        connections.close_all()  # this thread's connections only


def build_report(period, province: str = "") -> dict[str, Any]:
    """The report JSON of SPEC section 4 for a `reports.periods.Period` (and a province)."""
    previous = period.previous()
    figures, previous_figures = figures_of_both_periods(period, province)
    return {
        "period": period.as_dict(),
        "previous_period": previous.as_dict(),
        "figures": figures,
        "previous_figures": previous_figures,
        "changes": changes(figures, previous_figures),
    }
