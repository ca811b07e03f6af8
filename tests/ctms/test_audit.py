"""The audit trail: append-only in the application and in PostgreSQL, who/what/when/where,
changed fields without sensitive values, sign-ins, and the export command."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from ctms.audit import audit
from ctms.models import AppendOnlyError, AuditEvent
from tests.factories import VictimFactory
from victims.services import victim_update


@pytest.fixture
def event(world):
    return audit(actor=world.users.alice, action="view", object_type="victim", object_id="x1")


def test_an_audit_event_cannot_be_changed_or_deleted_through_the_application(event):
    # Given a written event
    # When the application tries every way of changing or removing it
    event.action = "delete"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="delete")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    # Then the row is as it was written
    assert list(AuditEvent.objects.values_list("action", "object_id")) == [("view", "x1")]


def test_postgresql_refuses_update_and_delete_of_audit_rows(event):
    if connection.vendor != "postgresql":
        pytest.skip("the trigger exists on PostgreSQL only")
    # When raw SQL (bypassing the model) tries to change or delete the row
    for statement in (
        "UPDATE ctms_auditevent SET action = 'delete'",
        "DELETE FROM ctms_auditevent",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(statement)
    # Then the row is unchanged
    assert list(AuditEvent.objects.values_list("action", "object_id")) == [("view", "x1")]


def test_postgresql_refuses_truncate_of_the_audit_table(event):
    if connection.vendor != "postgresql":
        pytest.skip("the trigger exists on PostgreSQL only")
    # When a session that has not opted in (as the application never does) truncates the table
    with pytest.raises(DatabaseError, match="TRUNCATE refused"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL ctms.audit_truncate_allowed = 'off'")
            cursor.execute("TRUNCATE ctms_auditevent")
    # Then the row is still there
    assert list(AuditEvent.objects.values_list("action", "object_id")) == [("view", "x1")]


def test_deleting_a_user_keeps_their_events_unchanged(world, event):
    # Given alice's event; when her account is deleted (which PostgreSQL's trigger would refuse
    # if the deletion rewrote audit rows)
    alice_id = world.users.alice.pk
    world.users.alice.delete()
    # Then the event still names her
    row = AuditEvent.objects.values("actor_id", "actor_username").get()
    assert row == {"actor_id": alice_id, "actor_username": "alice"}


def test_an_update_names_changed_fields_without_sensitive_values(world):
    victim = VictimFactory(agency=world.agencies.dosvy_bmc, given_name="Sokha", sex="female")
    victim_update(
        user=world.users.alice,
        victim_id=victim.pk,
        data={"given_name": "Srey Mom", "sex": "male", "medical_notes": "HIV+"},
    )
    event = AuditEvent.objects.get(action="update")
    assert event.details == {
        "changed": {
            "given_name": "changed",
            "sex": {"from": "female", "to": "male"},
            "medical_notes": "changed",
        }
    }
    assert (event.actor_username, event.object_type, event.object_id) == (
        "alice",
        "victim",
        str(victim.pk),
    )
    serialized = json.dumps(list(AuditEvent.objects.values("details")))
    assert "Srey" not in serialized and "Sokha" not in serialized and "HIV" not in serialized


def test_sign_in_success_and_failure_are_audited_with_the_address(world, client):
    client.post(
        reverse("login"),
        {"username": "alice", "password": "wrong-password-1"},
        REMOTE_ADDR="198.51.100.7",
    )
    client.post(
        reverse("login"),
        {"username": "alice", "password": "correct-horse-battery"},
        REMOTE_ADDR="198.51.100.7",
    )
    client.post(reverse("logout"), REMOTE_ADDR="198.51.100.7")
    rows = list(
        AuditEvent.objects.order_by("id").values_list("action", "actor_username", "ip_address")
    )
    assert rows == [
        ("login_failed", "alice", "198.51.100.7"),
        ("login", "alice", "198.51.100.7"),
        ("logout", "alice", "198.51.100.7"),
    ]


def test_the_address_comes_from_x_forwarded_for_only_behind_a_trusted_proxy(
    world, client, settings
):
    # Given no proxy is configured, a client-supplied header is ignored
    headers = {"HTTP_X_FORWARDED_FOR": "10.9.9.9, 203.0.113.5", "REMOTE_ADDR": "192.0.2.1"}
    client.post(reverse("login"), {"username": "ghost", "password": "x"}, **headers)
    # When one proxy is trusted, its last entry is the client
    settings.NUM_PROXIES = 1
    client.post(reverse("login"), {"username": "ghost", "password": "x"}, **headers)
    assert list(AuditEvent.objects.order_by("id").values_list("ip_address", flat=True)) == [
        "192.0.2.1",
        "203.0.113.5",
    ]


def test_admin_can_search_the_trail_but_not_change_it(world, client, event):
    client.force_login(world.users.admin)
    url = reverse("admin:ctms_auditevent_changelist")
    found = client.get(url, {"q": "alice", "action__exact": "view"})
    change = client.post(
        reverse("admin:ctms_auditevent_change", args=[event.pk]), {"action": "delete"}
    )
    delete = client.post(reverse("admin:ctms_auditevent_delete", args=[event.pk]), {"post": "yes"})
    assert found.status_code == 200
    assert list(found.context["cl"].result_list) == [event]
    assert (change.status_code, delete.status_code) == (403, 403)
    assert AuditEvent.objects.get(pk=event.pk).action == "view"


def test_audit_export_writes_json_lines_and_csv_for_a_period(world, tmp_path):
    audit(actor=world.users.alice, action="view", object_type="victim", object_id="v1")
    audit(actor=world.users.bob, action="create", object_type="case", object_id="c1")
    out = io.StringIO()
    call_command("audit_export", "--since", "2000-01-01", stdout=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [(row["actor_username"], row["action"], row["object_id"]) for row in lines] == [
        ("alice", "view", "v1"),
        ("bob", "create", "c1"),
    ]
    target = tmp_path / "audit.csv"
    call_command("audit_export", "--format", "csv", "--output", str(target), stderr=io.StringIO())
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert [row["object_id"] for row in rows] == ["v1", "c1"]
    empty = io.StringIO()
    call_command("audit_export", "--until", "2000-01-01", stdout=empty)
    assert empty.getvalue() == ""


def test_the_admin_audits_record_pages_saves_and_deletions(world, client):
    from cases.models import Suspect
    from tests.factories import SuspectFactory

    suspect = SuspectFactory(given_name="Dara", agency=world.agencies.police)
    client.force_login(world.users.admin)
    change_url = reverse("admin:cases_suspect_change", args=[suspect.pk])
    page = client.get(change_url)
    form = page.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update({"given_name": "Dara K", "sex": "female", "aliases": "[]"})
    saved = client.post(change_url, data)
    deleted = client.post(reverse("admin:cases_suspect_delete", args=[suspect.pk]), {"post": "yes"})
    assert (page.status_code, saved.status_code, deleted.status_code) == (200, 302, 302)
    assert not Suspect.objects.filter(pk=suspect.pk).exists()
    events = AuditEvent.objects.filter(object_id=str(suspect.pk)).order_by("id")
    assert [(e.action, e.channel) for e in events] == [
        ("view", "admin"),
        ("update", "admin"),
        ("delete", "admin"),
    ]
    assert events[1].details == {
        "changed": {"given_name": "changed", "sex": {"from": "male", "to": "female"}}
    }


def test_a_role_change_in_the_admin_is_audited(world, client):
    client.force_login(world.users.admin)
    url = reverse("admin:agencies_user_change", args=[world.users.bob.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update({"role": "police", "last_login_0": "", "last_login_1": ""})
    data["date_joined_0"], data["date_joined_1"] = "2024-01-01", "00:00:00"
    data.pop("date_joined", None)
    data.pop("last_login", None)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    event = AuditEvent.objects.get(action="update", object_type="user")
    assert event.details["changed"]["role"] == {"from": "case_worker", "to": "police"}
