"""Item 7 of issue 12 (the purge part): purging a person also removes the copies kept outside
their records — stored API answers of Idempotency-Key requests and the admin's change log —
and a periodic task deletes stored answers past their lifetime."""

from __future__ import annotations

import datetime as dt

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from ctms.models import AuditEvent, IdempotencyKey
from ctms.tasks import delete_expired_idempotency_keys
from tests.api_support import client_for
from victims.models import Victim
from victims.services import victim_purge


def test_purge_removes_stored_answers_and_admin_log_names(world):
    # given a victim created through the API with an Idempotency-Key, then referred (also
    # with a key), and an admin log entry naming her
    api = client_for(world.users.alice)
    created = api.post(
        "/api/v1/victims/",
        {
            "given_name": "Sokunthea",
            "family_name": "Chan",
            "home_province": "01",
            "consent_services": True,
            "consent_data_sharing": True,
        },
        format="json",
        HTTP_IDEMPOTENCY_KEY="intake-1",
    )
    assert created.status_code == 201, created.content
    victim = Victim.objects.get(pk=created.json()["id"])
    referred = api.post(
        "/api/v1/referrals/",
        {
            "victim": str(victim.pk),
            "to_agency": str(world.agencies.afesip.pk),
            "services_requested": ["shelter"],
        },
        format="json",
        HTTP_IDEMPOTENCY_KEY="referral-1",
    )
    assert referred.status_code == 201, referred.content
    unrelated = api.post(
        "/api/v1/victims/",
        {"given_name": "Other", "home_province": "01"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="intake-2",
    )
    LogEntry.objects.create(
        user=world.users.admin,
        content_type=ContentType.objects.get_for_model(Victim),
        object_id=str(victim.pk),
        object_repr=str(victim),
        action_flag=CHANGE,
        change_message="Changed given_name.",
    )
    assert IdempotencyKey.objects.count() == 3

    # when an administrator purges her
    victim_purge(victim=victim, user=world.users.admin, reason="Asked to be forgotten")

    # then only the unrelated stored answer is left, and the admin log no longer names her
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["intake-2"]
    assert unrelated.status_code == 201
    assert list(LogEntry.objects.values_list("object_repr", "change_message")) == [("(purged)", "")]
    event = AuditEvent.objects.get(details__purged=True)
    assert event.details["deleted"]["idempotency_keys"] == 2
    assert event.details["deleted"]["admin_log_entries_scrubbed"] == 1


def test_the_periodic_task_deletes_expired_stored_answers(world):
    now = timezone.now()
    for key, expires_at in (
        ("old", now - dt.timedelta(minutes=1)),
        ("new", now + dt.timedelta(hours=1)),
    ):
        IdempotencyKey.objects.create(
            user=world.users.alice, key=key, request_hash="x", expires_at=expires_at
        )

    assert delete_expired_idempotency_keys.delay().get() == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new"]


def test_the_housekeeping_tasks_are_scheduled(db):
    assert set(
        PeriodicTask.objects.filter(interval__every=1, interval__period="hours").values_list(
            "task", flat=True
        )
    ) >= {"ctms.tasks.delete_expired_idempotency_keys", "accounts.tasks.delete_expired_enrolments"}
