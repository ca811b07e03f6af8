"""Case-work services: who may write, the model's rules, consent driving the victim's flags."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from casework import services
from casework.models import CarePlan, CarePlanTask, CaseNote, Consent, RiskAssessment
from casework.selectors import (
    care_plans_visible_to,
    case_notes_visible_to,
    tasks_due,
)
from ctms.errors import NotFound, PermissionDenied
from ctms.models import AuditEvent
from notifications.models import Notification
from referrals.selectors import referral_shows_identity
from victims.selectors import VictimAccess, victim_access

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def _note(user, victim, **extra):
    data = {"date": TODAY, "kind": "psychosocial", "text": "Sleeps badly.", **extra}
    return services.case_note_create(user=user, victim=victim, data=data)


def test_partner_with_the_referral_view_writes_a_confidential_note(scene):
    note = _note(scene.users.partner, scene.victim, confidential=True)

    assert (note.agency, note.confidential) == (scene.agencies.afesip, True)
    assert AuditEvent.objects.filter(action="create", object_id=str(note.pk)).count() == 1


@pytest.mark.parametrize("name", ["officer", "clerk", "analyst", "other_partner", "bob"])
def test_others_cannot_write_a_note_and_nothing_is_saved(scene, name):
    user = getattr(scene.users, name)

    with pytest.raises((NotFound, PermissionDenied)):
        _note(user, scene.victim)

    assert CaseNote.objects.count() == 0


def test_a_note_dated_after_today_is_refused(scene):
    with pytest.raises(ValidationError) as error:
        _note(scene.users.alice, scene.victim, date=TODAY + dt.timedelta(days=1))

    assert error.value.message_dict == {"date": ["The date cannot be after today."]}
    assert CaseNote.objects.count() == 0


def test_confidential_notes_are_seen_by_the_writing_agency_only(scene):
    secret = _note(scene.users.partner, scene.victim, confidential=True)
    shared = _note(scene.users.partner, scene.victim)
    owner_note = _note(scene.users.alice, scene.victim)

    def seen(user):
        return set(case_notes_visible_to(user).values_list("pk", flat=True))

    assert seen(scene.users.partner) == {secret.pk, shared.pk}
    assert seen(scene.users.alice) == {shared.pk, owner_note.pk}
    assert seen(scene.users.minister) == {shared.pk, owner_note.pk}  # the parent ministry
    assert seen(scene.users.admin) == {shared.pk, owner_note.pk}
    for name in ("officer", "clerk", "analyst", "other_partner", "bob"):
        assert seen(getattr(scene.users, name)) == set()


def test_partner_loses_its_notes_when_the_referral_ends(scene):
    _note(scene.users.partner, scene.victim)
    scene.referral.status = "completed"
    scene.referral.save()

    assert case_notes_visible_to(scene.users.partner).count() == 0


def test_a_case_note_on_a_case_the_person_is_not_on_is_refused(scene):
    from tests.factories import CaseFactory, VictimFactory

    other_case = CaseFactory(agency=scene.agencies.dosvy_bmc)
    other_case.victims.add(VictimFactory(agency=scene.agencies.dosvy_bmc))
    with pytest.raises(ValidationError) as error:
        _note(scene.users.alice, scene.victim, case=other_case)

    assert error.value.message_dict == {"case": ["The person is not on this case."]}


def _plan(user, victim, **task):
    return services.care_plan_create(
        user=user,
        victim=victim,
        data={
            "created_on": TODAY,
            "goals": [
                {
                    "domain": "psychosocial",
                    "goal": "Feel safe at night",
                    "tasks": [{"task": "Weekly counselling", **task}],
                }
            ],
        },
    )


def test_care_plan_with_a_task_assigned_within_the_agency(scene):
    plan = _plan(
        scene.users.partner,
        scene.victim,
        due_on=TODAY - dt.timedelta(days=2),
        assigned_to="partner",
    )

    task = CarePlanTask.objects.get(goal__plan=plan)
    assert (task.assigned_to, task.due_on) == (scene.users.partner, TODAY - dt.timedelta(days=2))
    assert list(tasks_due(scene.users.partner)) == [task]
    assert set(care_plans_visible_to(scene.users.alice)) == {plan}  # the owner sees it
    assert care_plans_visible_to(scene.users.officer).count() == 0


def test_a_task_cannot_go_to_another_agency(scene):
    with pytest.raises(ValidationError) as error:
        _plan(scene.users.partner, scene.victim, assigned_to="alice")

    assert error.value.message_dict == {"goals": ["Goal 1: alice is not a user of your agency."]}
    assert CarePlan.objects.count() == 0


def test_review_before_the_plan_date_is_refused(scene):
    with pytest.raises(ValidationError) as error:
        services.care_plan_create(
            user=scene.users.alice,
            victim=scene.victim,
            data={
                "created_on": TODAY,
                "review_on": TODAY - dt.timedelta(days=1),
                "goals": [{"domain": "shelter", "goal": "A bed"}],
            },
        )

    assert error.value.messages == ["The review date cannot be before the plan's date."]


def test_done_task_leaves_the_due_list_and_only_the_agency_completes_it(scene):
    plan = _plan(scene.users.partner, scene.victim, due_on=TODAY - dt.timedelta(days=1))
    task = CarePlanTask.objects.get(goal__plan=plan)

    with pytest.raises(NotFound):  # the owner sees the plan but did not write it
        services.care_plan_task_complete(user=scene.users.officer, task_id=task.pk)
    with pytest.raises(PermissionDenied):
        services.care_plan_task_complete(user=scene.users.alice, task_id=task.pk)
    services.care_plan_task_complete(user=scene.users.partner, task_id=task.pk)

    task.refresh_from_db()
    assert task.done_on == TODAY


def test_overdue_task_notifies_the_assignee_once(
    scene, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    scene.users.partner.email = "partner@afesip.example.org"
    scene.users.partner.save()
    _plan(
        scene.users.partner,
        scene.victim,
        due_on=TODAY - dt.timedelta(days=1),
        assigned_to="partner",
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert services.overdue_tasks_notify() == 1
        assert services.overdue_tasks_notify() == 0

    notification = Notification.objects.get(kind="task_overdue")
    assert notification.user == scene.users.partner
    assert len(mail.outbox) == 1
    assert scene.victim.given_name not in mail.outbox[0].body


def test_risk_assessment_refuses_unknown_factors(scene):
    with pytest.raises(ValidationError) as error:
        services.risk_assessment_create(
            user=scene.users.alice,
            victim=scene.victim,
            data={"date": TODAY, "level": "high", "factors": ["trafficker_contact", "bad"]},
        )

    assert error.value.message_dict == {"factors": ["Unknown code(s): bad."]}
    assert RiskAssessment.objects.count() == 0


def _consent(user, victim, kind, given, date=TODAY):
    return services.consent_record(
        user=user, victim=victim, kind=kind, given=given, date=date, method="written"
    )


def test_the_latest_consent_entry_of_each_kind_sets_the_flag(scene):
    victim = scene.victim
    _consent(scene.users.alice, victim, "legal_proceedings", True, TODAY - dt.timedelta(days=5))
    _consent(scene.users.alice, victim, "legal_proceedings", False, TODAY - dt.timedelta(days=9))

    victim.refresh_from_db()
    assert victim.consent_legal_proceedings is True  # the older refusal does not win
    assert Consent.objects.filter(victim=victim).count() == 2


def test_withdrawing_data_sharing_tells_the_partner_and_limits_it_to_the_summary(
    scene, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    scene.users.partner.email = "partner@afesip.example.org"
    scene.users.partner.save()
    assert victim_access(scene.users.partner, scene.victim) == VictimAccess.REFERRAL

    with django_capture_on_commit_callbacks(execute=True):
        _consent(scene.users.alice, scene.victim, "data_sharing", False)

    scene.victim.refresh_from_db()
    assert scene.victim.consent_data_sharing is False
    assert victim_access(scene.users.partner, scene.victim) == VictimAccess.NONE
    assert referral_shows_identity(scene.users.partner, scene.referral) is False
    notification = Notification.objects.get(user=scene.users.partner)
    assert notification.kind == "consent_withdrawn"
    assert [message.to for message in mail.outbox] == [["partner@afesip.example.org"]]
    assert scene.victim.given_name not in mail.outbox[0].body


def test_consent_from_someone_who_may_not_write_changes_nothing(scene):
    with pytest.raises(PermissionDenied):  # police see the person, not their case work
        _consent(scene.users.officer, scene.victim, "services", False)
    with pytest.raises(NotFound):
        _consent(scene.users.other_partner, scene.victim, "services", False)

    scene.victim.refresh_from_db()
    assert (scene.victim.consent_services, Consent.objects.count()) == (True, 0)
