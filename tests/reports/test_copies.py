"""The victim's sex and birth date copied onto rescues, repatriations and follow-ups
(`reports.copies`) stay exact whatever writes the rows or the victim, and the report's figures
counted from the copies equal the same figures counted from the victims themselves (the raw
computation the report made before issue 17). Runs on SQLite and PostgreSQL: each has its own
triggers."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.db.models import Count, Min, Q

from cases.models import Rescue
from reports.figures import AGE_BANDS, CHILD_AGE, age_at, among, compute_figures
from reports.figures import period_operations as operations_of
from tests.factories import (
    FollowUpFactory,
    OperationFactory,
    RepatriationFactory,
    RescueFactory,
    UserFactory,
    VictimFactory,
)
from victims.models import FollowUp, Repatriation, Victim
from victims.services import victim_merge, victim_update

pytestmark = pytest.mark.django_db
Q3 = (dt.date(2010, 7, 1), dt.date(2010, 9, 30))
COPYING = (Rescue, Repatriation, FollowUp)


def copies_disagreeing() -> list[tuple[str, str]]:
    """(model, row id) of every row whose copies differ from its victim's own values."""
    wrong = []
    for model in COPYING:
        for row in model.objects.select_related("victim"):
            copied = (row.victim_sex, row.victim_date_of_birth, row.victim_birth_year)
            victim = row.victim
            if copied != (victim.sex, victim.date_of_birth, victim.birth_year):
                wrong.append((model.__name__, str(row.pk)))
    return wrong


def test_new_rows_carry_their_victims_sex_and_birth_date():
    victim = VictimFactory(sex="male", date_of_birth=dt.date(1999, 2, 3))
    rescue = RescueFactory(victim=victim)
    repatriation = RepatriationFactory(victim=victim)
    follow_up = FollowUpFactory(victim=victim)
    for row in (rescue, repatriation, follow_up):
        row.refresh_from_db()
        assert (row.victim_sex, row.victim_date_of_birth, row.victim_birth_year) == (
            "male",
            dt.date(1999, 2, 3),
            None,
        )


def test_a_corrected_victim_passes_the_correction_on_in_the_same_transaction():
    victim = VictimFactory(sex="female", birth_year=2001)
    RescueFactory(victim=victim)
    RepatriationFactory(victim=victim)
    FollowUpFactory(victim=victim)
    admin = UserFactory(role="admin", agency=None)
    victim_update(
        user=admin,
        victim_id=victim.pk,
        data={"sex": "male", "birth_year": None, "date_of_birth": dt.date(2000, 5, 6)},
    )
    assert copies_disagreeing() == []
    assert FollowUp.objects.get().victim_sex == "male"


def test_the_application_cannot_write_a_stale_copy():
    victim = VictimFactory(sex="female")
    follow_up = FollowUpFactory(victim=victim)
    follow_up.victim_sex = "male"  # a stale or forged value in memory…
    follow_up.outcome = "visited"
    follow_up.save()  # …is replaced by the victim's own in the database
    follow_up.refresh_from_db()
    assert follow_up.victim_sex == "female"


def test_rows_moved_to_another_person_take_that_persons_values():
    first, second = VictimFactory(sex="female"), VictimFactory(sex="male", birth_year=1980)
    FollowUpFactory(victim=first)
    FollowUp.objects.update(victim=second)  # a bulk update, as a merge moves rows
    assert copies_disagreeing() == []
    assert FollowUp.objects.get().victim_birth_year == 1980


def test_a_merge_keeps_the_copies_exact():
    agency = VictimFactory().agency
    worker = UserFactory(role="case_worker", agency=agency)
    survivor = VictimFactory(agency=agency, sex="unknown", birth_year=None, date_of_birth=None)
    duplicate = VictimFactory(agency=agency, sex="female", birth_year=1990)
    RescueFactory(victim=duplicate)
    FollowUpFactory(victim=duplicate)
    RepatriationFactory(victim=survivor)
    victim_merge(user=worker, survivor_id=survivor.pk, duplicate_id=duplicate.pk)
    assert copies_disagreeing() == []
    assert FollowUp.objects.get().victim_id == survivor.pk


# ---- the figures: from the copies, and from the victims themselves -------------------------


def raw_figures(start: dt.date, end: dt.date) -> dict:
    """The figures that use a person's sex or age, computed from `victims_victim` by joining
    each counted row to its victim (no copy read)."""
    operations = operations_of(start, end)
    rescues = Rescue.objects.filter(among("operation_id", operations))
    per_victim = (
        rescues.order_by()
        .values("victim_id", "victim__sex", "victim__date_of_birth", "victim__birth_year")
        .annotate(first_rescue=Min("operation__date"))
        .alias(age=age_at("first_rescue", "victim__"))
    )
    rescued = per_victim.aggregate(
        total=Count("victim_id"),
        female=Count("victim_id", filter=Q(victim__sex="female")),
        **{band: Count("victim_id", filter=condition) for band, condition in AGE_BANDS.items()},
    )
    repatriated = (
        Repatriation.objects.filter(kind="victim", received_on__range=(start, end))
        .alias(age=age_at("received_on", "victim__"))
        .aggregate(
            total=Count("victim_id"),
            female=Count("victim_id", filter=Q(victim__sex="female")),
            children=Count("victim_id", filter=Q(age__lt=CHILD_AGE)),
        )
    )
    monitored_ids = FollowUp.objects.filter(kind="monitoring", date__range=(start, end))
    monitored = Victim.objects.filter(pk__in=monitored_ids.values("victim_id")).aggregate(
        total=Count("pk"), female=Count("pk", filter=Q(sex="female"))
    )
    return {
        "rescued": {
            "total": rescued["total"],
            "female": rescued["female"],
            "by_age_band": {band: rescued[band] for band in AGE_BANDS if rescued[band]},
        },
        "repatriated": repatriated,
        "monitored": monitored,
    }


def reported(start: dt.date, end: dt.date) -> dict:
    figures = compute_figures(start, end)
    rescued = figures["law_enforcement"]["victims_rescued"]
    repatriated = figures["victim_protection"]["repatriated_victims"]
    return {
        "rescued": {key: rescued[key] for key in ("total", "female", "by_age_band")},
        "repatriated": {key: repatriated[key] for key in ("total", "female", "children")},
        "monitored": figures["victim_protection"]["reintegration"]["monitored"],
    }


def test_figures_from_the_copies_equal_the_raw_computation_after_writes_of_every_kind():
    chance = random.Random(17)
    start, end = Q3
    agency = VictimFactory().agency
    admin = UserFactory(role="admin", agency=None)
    victims = []
    for n in range(30):
        born = chance.choice([None, dt.date(1995 + n % 20, 1 + n % 12, 1 + n % 27)])
        victims.append(
            VictimFactory(
                agency=agency,
                sex=chance.choice(["female", "male", "unknown"]),
                date_of_birth=born,
                birth_year=None if born else chance.choice([None, 1990, 2000, 2004]),
            )
        )
    operations = [OperationFactory(date=start + dt.timedelta(days=d)) for d in (0, 30, 60, 91)]
    for victim in victims:
        for operation in chance.sample(operations, chance.randint(0, 2)):
            RescueFactory(victim=victim, operation=operation)
        for _ in range(chance.randint(0, 2)):
            day = start + dt.timedelta(days=chance.randint(-10, 95))
            kind = chance.choice(["monitoring", "family_tracing"])
            FollowUpFactory(victim=victim, date=day, kind=kind)
        if chance.random() < 0.5:
            day = start + dt.timedelta(days=chance.randint(-10, 95))
            RepatriationFactory(victim=victim, received_on=day)
    assert reported(start, end) == raw_figures(start, end)
    # Corrections of sex and birth date, rows moved between people: still equal.
    for victim in chance.sample(victims, 10):
        born = chance.choice([None, dt.date(2008, 8, 15)])
        data = {"sex": chance.choice(["female", "male"]), "date_of_birth": born}
        data["birth_year"] = None if born else chance.choice([None, 1970])
        victim_update(user=admin, victim_id=victim.pk, data=data)
    moved = FollowUp.objects.filter(victim__in=victims[:5])
    moved.update(victim=victims[-1])
    assert copies_disagreeing() == []
    assert reported(start, end) == raw_figures(start, end)


def test_a_rescue_carries_its_operations_date_through_corrections_and_moves():
    first = OperationFactory(date=dt.date(2010, 7, 5))
    second = OperationFactory(date=dt.date(2010, 8, 9))
    rescue = RescueFactory(operation=first)
    rescue.refresh_from_db()
    assert rescue.operation_date == dt.date(2010, 7, 5)
    first.date = dt.date(2010, 7, 6)
    first.save()
    rescue.refresh_from_db()
    assert rescue.operation_date == dt.date(2010, 7, 6)
    Rescue.objects.filter(pk=rescue.pk).update(operation=second)
    rescue.refresh_from_db()
    assert rescue.operation_date == dt.date(2010, 8, 9)
