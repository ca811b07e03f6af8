"""seed_demo fills case work believably: Khmer and English notes, risk, plans with tasks."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.conf import settings
from django.core.management import call_command

from casework.models import CarePlanTask, CaseNote, Consent, RiskAssessment
from casework.selectors import tasks_due
from demo.seed import seed_demo

pytestmark = pytest.mark.django_db(
    transaction=settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
)


def test_the_demo_has_case_work_in_both_languages_and_a_due_list():
    call_command("load_reference_data", stdout=io.StringIO())

    result = seed_demo(scale=200, until=dt.date(2026, 11, 23))

    assert result.counts["case_note"] == CaseNote.objects.count() > 0
    assert RiskAssessment.objects.count() == result.counts["risk_assessment"] > 0
    assert Consent.objects.exists()
    texts = " ".join(CaseNote.objects.values_list("text", flat=True))
    assert any("\u1780" <= char <= "\u17ff" for char in texts)  # Khmer script
    assert any("a" <= char <= "z" for char in texts)
    assigned = {task.assigned_to.username for task in CarePlanTask.objects.all()}
    assert assigned <= {"demo-partner", "demo-caseworker"}
    due = [
        task
        for user in {t.assigned_to for t in CarePlanTask.objects.all()}
        for task in tasks_due(user, today=dt.date(2026, 11, 23))
    ]
    assert due
