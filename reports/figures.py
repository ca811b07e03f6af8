"""The figures of the statistics report (SPEC section 4), aggregated in the database.

`compute_figures(start, end)` is the only code path: the report calls it once for the period and
once for the same period a year earlier. Every figure is a COUNT/SUM with a filter, a DISTINCT,
or a `values().annotate()` breakdown; Python only names and nests the results.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Min,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce, ExtractDay, ExtractMonth, ExtractYear
from django.db.models.lookups import LessThan

from cases.choices import Placement
from cases.models import Case as TraffickingCase
from cases.models import Defendant, Operation, Prosecution, Rescue
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
    event's year minus `birth_year`, else NULL. `person` is the lookup prefix of the victim
    (`"victim__"`), empty when the query is on Victim itself. Extract* work on SQLite and
    PostgreSQL alike.
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


def _foreign(prefix: str = "") -> Q:
    return ~Q(**{f"{prefix}citizenship": HOME_COUNTRY}) & ~Q(**{f"{prefix}citizenship": ""})


def law_enforcement(start: dt.date, end: dt.date, province: str = "") -> dict[str, Any]:
    operations = Operation.objects.filter(
        in_province(province, OPERATION_PROVINCE), date__range=(start, end)
    )
    counts = operations.aggregate(
        operations=Count("pk"), cases_investigated=Count("case", distinct=True)
    )
    # From the detentions of the period (a suspect detained twice counts once: DISTINCT).
    detentions = Operation.suspects_detained.through.objects.filter(
        in_province(province, f"operation__{OPERATION_PROVINCE}"),
        operation__date__range=(start, end),
    )
    suspects = detentions.aggregate(
        total=Count("suspect", distinct=True),
        female=Count("suspect", distinct=True, filter=Q(suspect__sex=Sex.FEMALE)),
        foreign=Count("suspect", distinct=True, filter=_foreign("suspect__")),
    )
    suspects["by_citizenship"] = breakdown(
        detentions.filter(_foreign("suspect__")),
        "suspect__citizenship",
        Count("suspect", distinct=True),
    )
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

    One row per victim (GROUP BY victim) with the date of their first rescue in the period,
    then counted (Django wraps the grouped query in a subquery for the aggregate).
    """
    rescues = Rescue.objects.filter(
        in_province(province, f"operation__{OPERATION_PROVINCE}"),
        operation__date__range=(start, end),
    )
    per_victim = (
        rescues.order_by()
        .values("victim_id", "victim__sex", "victim__date_of_birth", "victim__birth_year")
        .annotate(first_rescue=Min("operation__date"))
        .alias(age=age_at("first_rescue", "victim__"))
    )
    counts = per_victim.aggregate(
        total=Count("victim_id"),
        female=Count("victim_id", filter=Q(victim__sex=Sex.FEMALE)),
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
    counts = {"total": Count("pk")}
    if female:
        counts["female"] = Count("pk", filter=Q(victim__sex=Sex.FEMALE))
    counts["children"] = Count("pk", filter=Q(age__lt=CHILD_AGE))
    figures = received.alias(age=age_at("received_on", "victim__")).aggregate(**counts)
    figures["by_country"] = breakdown(received, "from_country")
    return figures


def referrals(start: dt.date, end: dt.date, province: str = "") -> dict[str, Any]:
    created = Referral.objects.filter(
        in_province(province, "from_agency__province"), created_on__range=(start, end)
    )
    return {"total": created.count(), "by_partner": breakdown(created, "to_agency__acronym")}


def reintegration(start: dt.date, end: dt.date, province: str = "") -> dict[str, Any]:
    def distinct_victims(kind: str, extra: Q | None = None) -> Count:
        return Count("victim", distinct=True, filter=Q(kind=kind) & (extra or Q()))

    follow_ups = FollowUp.objects.filter(
        in_province(province, "agency__province"), date__range=(start, end)
    )
    counts = follow_ups.aggregate(
        monitored=distinct_victims(FollowUpKind.MONITORING),
        monitored_female=distinct_victims(FollowUpKind.MONITORING, Q(victim__sex=Sex.FEMALE)),
        family_tracing=distinct_victims(FollowUpKind.FAMILY_TRACING),
        family_assessed=distinct_victims(FollowUpKind.FAMILY_ASSESSMENT),
    )
    return {
        "monitored": {"total": counts["monitored"], "female": counts["monitored_female"]},
        "family_tracing": counts["family_tracing"],
        "family_assessed": counts["family_assessed"],
    }


def cases(start: dt.date, end: dt.date, province: str = "") -> dict[str, int]:
    opened = TraffickingCase.objects.filter(
        in_province(province, "agency__province"), opened_on__lte=end
    )
    return opened.aggregate(
        cases_opened=Count("pk", filter=Q(opened_on__gte=start)),
        cases_closed=Count("pk", filter=Q(closed_on__range=(start, end))),
        cases_open_at_end=Count("pk", filter=Q(closed_on__isnull=True) | Q(closed_on__gt=end)),
    )


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
    court = in_province(province, "prosecution__court__province")
    defendants = Defendant.objects.filter(
        court, prosecution__filed_on__range=(start, end)
    ).aggregate(
        defendants=Count("pk"), defendants_female=Count("pk", filter=Q(suspect__sex=Sex.FEMALE))
    )
    return {
        "cases_prosecuted": Prosecution.objects.filter(
            in_province(province, "court__province"), filed_on__range=(start, end)
        ).count(),
        **defendants,
        "convictions": Defendant.objects.filter(
            court, verdict="convicted", verdict_on__range=(start, end)
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


def build_report(period, province: str = "") -> dict[str, Any]:
    """The report JSON of SPEC section 4 for a `reports.periods.Period` (and a province)."""
    previous = period.previous()
    figures = compute_figures(period.start, period.end, province)
    previous_figures = compute_figures(previous.start, previous.end, province)
    return {
        "period": period.as_dict(),
        "previous_period": previous.as_dict(),
        "figures": figures,
        "previous_figures": previous_figures,
        "changes": changes(figures, previous_figures),
    }
