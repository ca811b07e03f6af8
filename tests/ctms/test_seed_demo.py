"""`manage.py seed_demo`: believable demo data, reproducible, valid by the models' own rules."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db.models import F

from agencies.models import User
from agencies.services import generate_password
from cases.models import Defendant, Operation, Rescue
from demo.generator import DemoGenerator
from demo.seed import DEMO_USERS, _reference_agencies
from referrals.models import Referral
from reports.models import Activity, DeporteeReport
from tests.ctms.test_transfer import delete_all_records
from tests.reports.test_copies import copies_disagreeing
from transfer.exporter import export_records
from transfer.importer import import_records
from victims.models import FollowUp, Repatriation, Victim

UNTIL = "2026-11-23"


# On PostgreSQL the seed writes from its own connection (a writer thread), which only sees
# committed rows: there the tests need a transactional database. SQLite writes in-line.
pytestmark = pytest.mark.django_db(
    transaction=settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
)


@pytest.fixture
def reference():
    call_command("load_reference_data", stdout=io.StringIO())


def seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", "--until", UNTIL, *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_seeds_the_victims_asked_for_and_one_demo_user_per_role(reference):
    output = seed("--scale", "60")

    assert Victim.objects.count() == 60
    assert Referral.objects.exists() and Operation.objects.exists()
    printed = dict(re.findall(r"^  (demo-\S+) +(\S+)", output, flags=re.MULTILINE))
    assert sorted(printed) == sorted(
        ["demo-caseworker", "demo-police", "demo-partner", "demo-justice", "demo-secretariat",
         "demo-admin"]
    )  # fmt: skip
    caseworker = authenticate(username="demo-caseworker", password=printed["demo-caseworker"])
    assert (caseworker.role, caseworker.agency.acronym) == ("case_worker", "DoSVY-BMC")
    assert User.objects.get(username="demo-admin").agency is None
    assert (
        "demo-secretariat and demo-admin enrol an authenticator app (TOTP) at their first "
        "sign-in" in output
    )
    assert all(re.fullmatch(r"[A-Za-z0-9]{16}", password) for password in printed.values())


def test_a_second_run_adds_nothing_and_says_so(reference):
    seed("--scale", "30")
    counts = (Victim.objects.count(), Referral.objects.count(), User.objects.count())

    output = seed("--scale", "30")

    assert "already holds victims: no demo data added" in output
    assert (Victim.objects.count(), Referral.objects.count(), User.objects.count()) == counts


def test_the_same_seed_gives_the_same_rows(reference):
    def rows(seed: int):
        generator = DemoGenerator(
            agencies=_reference_agencies(), scale=40, seed=seed, until=dt.date(2026, 11, 23)
        )
        return [dict(block) for block in generator.blocks(block_size=10)]

    assert rows(7) == rows(7)
    assert rows(7) != rows(8)


def test_every_seeded_record_passes_the_import_validation(reference):
    # given seeded data exported as JSON Lines
    seed("--scale", "80")
    out = io.StringIO()
    export_records(out)
    counts = Victim.objects.count(), Referral.objects.count(), FollowUp.objects.count()

    # when the database is emptied and the export imported (full_clean on every record)
    User.objects.all().delete()
    delete_all_records()
    # Users are not records of the file; tasks and consents name the demo users.
    for username in DEMO_USERS:
        User.objects.create(username=username, role="admin")
    result = import_records(io.BytesIO(out.getvalue().encode()))

    # then every record is valid and back
    assert result.ok, result.errors[:5]
    assert (Victim.objects.count(), Referral.objects.count(), FollowUp.objects.count()) == counts


def test_each_recent_quarter_has_every_kind_of_event_and_most_rescued_are_adults(reference):
    seed("--scale", "150")

    for first, last in [("2026-07-01", "2026-09-30"), ("2025-10-01", "2025-12-31")]:
        assert Operation.objects.filter(date__range=(first, last)).exists()
        assert Rescue.objects.filter(operation__date__range=(first, last)).exists()
        assert Defendant.objects.filter(verdict="convicted", verdict_on__range=(first, last))
        assert Repatriation.objects.filter(kind="migrant", received_on__range=(first, last))
        assert FollowUp.objects.filter(kind="family_assessment", date__range=(first, last))
        assert Activity.objects.filter(kind="child_labour_withdrawal", date__range=(first, last))
        assert DeporteeReport.objects.filter(month__range=(first[:7], last[:7])).count() == 18
    rescues = Rescue.objects.select_related("victim", "operation")
    bands = [rescue.victim.age_band_on(rescue.operation.date) for rescue in rescues]
    assert bands.count("18_plus") > len(bands) / 2


def test_refuses_without_reference_data():
    with pytest.raises(CommandError, match="run manage.py load_reference_data first"):
        seed("--scale", "5")
    assert Victim.objects.count() == 0


def test_generated_passwords_never_start_with_a_dash():
    passwords = [generate_password() for _ in range(2000)]

    assert all(re.fullmatch(r"[A-Za-z0-9]{16}", password) for password in passwords)
    assert len(set(passwords)) == 2000


def test_the_seeds_rows_carry_exact_copies_of_victims_and_operations(reference):
    # seed_demo writes with COPY on PostgreSQL: the database's triggers fill the copies
    # (reports.copies) there as for any other write.
    seed("--scale", "80")
    assert Rescue.objects.exists() and FollowUp.objects.exists() and Repatriation.objects.exists()
    assert copies_disagreeing() == []
    assert not Rescue.objects.exclude(operation_date=F("operation__date")).exists()
