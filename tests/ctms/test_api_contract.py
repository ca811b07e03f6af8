"""The API contract of issue 18: JSON only, every error in the schema, strict query parameters,
JSON answers for any URL under /api/v1/, idempotent replays that re-check access and are
audited, webhook redelivery, and 429s that say when to come back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from django.utils import timezone

from ctms.error_views import server_error
from ctms.models import AuditEvent, IdempotencyKey
from referrals.models import WebhookDelivery, WebhookEndpoint
from referrals.workflow import RECEIVER, SIDE, WORKFLOW
from tests.api_support import client_for
from tests.factories import ReferralFactory, VictimFactory
from victims.models import Victim

ERRORS = {"400", "401", "403", "404", "429"}


@pytest.fixture
def schema(world):
    return yaml.safe_load(client_for(world.users.partner).get("/api/v1/schema/").content)


def _operations(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            yield path, method.upper(), operation


def test_every_operation_declares_its_errors_with_json_bodies(schema):
    for path, method, operation in _operations(schema):
        responses = operation["responses"]
        assert ERRORS <= set(responses), (method, path)
        for status in ERRORS:
            assert "$ref" in responses[status]["content"]["application/json"]["schema"]
        assert responses["429"]["headers"]["Retry-After"]["required"] is True
        if method in {"POST", "PATCH", "DELETE"}:
            assert "409" in responses, (method, path)


def test_idempotency_key_declared_on_every_post_that_honours_it(schema):
    for path, method, operation in _operations(schema):
        if method != "POST" or path == "/api/v1/auth/token/":
            continue
        headers = [p["name"] for p in operation.get("parameters", []) if p["in"] == "header"]
        assert headers == ["Idempotency-Key"], path
        assert "422" in operation["responses"], path


def test_request_bodies_are_json_only_except_file_uploads(schema):
    components = schema["components"]["schemas"]
    for path, _method, operation in _operations(schema):
        content = operation.get("requestBody", {}).get("content", {})
        if list(content) == ["multipart/form-data"]:
            ref = content["multipart/form-data"]["schema"]["$ref"].rsplit("/", 1)[-1]
            formats = [p.get("format") for p in components[ref]["properties"].values()]
            assert "binary" in formats, path  # multipart only where a file is uploaded
        elif content:
            assert list(content) == ["application/json"], path


def test_form_bodies_are_refused_415(world):
    client = client_for(world.users.partner)

    response = client.post(
        "/api/v1/webhook-endpoints/",
        "url=https%3A%2F%2Fexample.org%2Fhook&secret=0123456789abcdef0123",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 415
    assert WebhookEndpoint.objects.count() == 0


def test_report_request_is_declared_202_with_the_run(schema):
    post = schema["paths"]["/api/v1/reports/"]["post"]

    assert "201" not in post["responses"]
    ref = post["responses"]["202"]["content"]["application/json"]["schema"]["$ref"]
    assert ref == "#/components/schemas/ReportRun"


def test_always_present_fields_are_required_and_enums_are_one_per_value_set(schema):
    components = schema["components"]["schemas"]
    referral = components["Referral"]
    enums = [frozenset(c["enum"]) for n, c in components.items() if n.endswith("Enum")]
    status = next(
        p
        for p in schema["paths"]["/api/v1/referrals/"]["get"]["parameters"]
        if p["name"] == "status"
    )

    assert {"id", "status", "victim_summary", "created_at"} <= set(referral["required"])
    assert "reason" not in referral["required"]  # left out until the receiver accepts
    assert len(enums) == len(set(enums))
    assert "RescuedPersonSexEnum" not in components
    assert status["schema"]["items"] == {"$ref": "#/components/schemas/ReferralStatusEnum"}


def test_each_transition_says_the_statuses_it_is_allowed_from(schema):
    paths = schema["paths"]

    close = paths["/api/v1/referrals/{id}/close/"]["post"]["description"]
    accept = paths["/api/v1/referrals/{id}/accept/"]["post"]["description"]

    assert "Allowed from: `accepted`, `in_service`; leads to `closed`" in close
    assert "Allowed from: `pending`; leads to `accepted`" in accept


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/v1/victims/?created_before=2020-01-01T00:00:00-22:57", 200),
        ("/api/v1/referrals/not-a-uuid/", 404),
        ("/api/v1/no-such-resource/", 404),
        ("/api/v1/referrals/?stauts=pending", 400),
        ("/api/v1/webhook-deliveries/?delivered=garbage", 400),
        ("/api/v1/referrals/?status=", 400),
        ("/api/v1/referrals/?page_size=abc", 400),
        ("/api/v1/referrals/?from_agency=00000000-0000-0000-0000-000000000000", 200),
        ("/api/v1/agencies/?format=api", 404),
    ],
)
def test_every_answer_under_the_api_is_json(world, url, status):
    browser = "text/html,application/xhtml+xml,*/*;q=0.8"
    response = client_for(world.users.alice).get(url, HTTP_ACCEPT=browser)

    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    assert isinstance(response.json(), dict)


def test_unknown_or_malformed_parameters_are_named(world):
    client = client_for(world.users.partner)

    typo = client.get("/api/v1/referrals/?stauts=pending&direction=received").json()
    boolean = client.get("/api/v1/webhook-deliveries/?delivered=garbage").json()
    detail = client.get(f"/api/v1/referrals/{ReferralFactory().pk}/?status=pending").json()

    assert typo == {"stauts": ["Unknown query parameter."]}
    assert boolean == {"delivered": ["Must be true or false."]}
    assert detail == {"status": ["Unknown query parameter."]}


def test_an_empty_victim_is_refused_with_the_reason(world):
    response = client_for(world.users.alice).post("/api/v1/victims/", {}, format="json")

    assert response.status_code == 400
    assert response.json() == {"name_khmer": ["Give the name in Khmer or in Latin script."]}
    assert Victim.objects.count() == 0


def test_replay_is_byte_identical_audited_and_refused_once_access_is_gone(world):
    victim = VictimFactory(agency=world.agencies.dosvy_bmc)
    referral = ReferralFactory(victim=victim, to_agency=world.agencies.afesip)
    client = client_for(world.users.partner)
    url = f"/api/v1/referrals/{referral.pk}/accept/"

    first = client.post(url, HTTP_IDEMPOTENCY_KEY="K")
    views_before = AuditEvent.objects.filter(action="view", object_id=str(victim.pk)).count()
    replay = client.post(url, HTTP_IDEMPOTENCY_KEY="K")
    views_after = AuditEvent.objects.filter(action="view", object_id=str(victim.pk)).count()
    closed = client.post(
        f"/api/v1/referrals/{referral.pk}/close/", {"reason": "moved"}, format="json"
    )
    after_close = client.post(url, HTTP_IDEMPOTENCY_KEY="K")

    assert first.status_code == replay.status_code == 200
    assert replay.content == first.content
    assert replay["Idempotent-Replayed"] == "true"
    assert victim.given_name in first.content.decode()
    assert views_after == views_before + 1
    assert closed.status_code == 200
    assert after_close.status_code == 404
    assert victim.given_name not in after_close.content.decode()
    assert IdempotencyKey.objects.get(key="K").revealed == [f"victims.victim:{victim.pk}"]


def _delivery(world, **fields) -> WebhookDelivery:
    endpoint = WebhookEndpoint.objects.create(
        agency=world.agencies.afesip,
        url="https://partner.example.org/hook",
        secret="0123456789abcdef0123",
        created_by=world.users.partner,
    )
    return WebhookDelivery.objects.create(
        endpoint=endpoint, event="referral.accepted", payload={}, **fields
    )


def test_deliveries_tell_given_up_from_retrying(world):
    retrying = _delivery(world, attempts=2, last_status_code=500)
    given_up = _delivery(world, attempts=7, given_up_at=timezone.now())
    client = client_for(world.users.partner)

    states = {
        row["id"]: row["state"]
        for row in client.get("/api/v1/webhook-deliveries/").json()["results"]
    }
    only_given_up = client.get("/api/v1/webhook-deliveries/?given_up=true").json()["results"]

    assert states == {retrying.pk: "retrying", given_up.pk: "given_up"}
    assert [row["id"] for row in only_given_up] == [given_up.pk]


def test_redeliver_a_given_up_delivery_and_refuse_one_still_retrying(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    queued = []
    monkeypatch.setattr("referrals.tasks.dispatch_delivery", queued.append)
    given_up = _delivery(world, attempts=7, given_up_at=timezone.now())
    retrying = _delivery(world, attempts=2)
    client = client_for(world.users.partner)

    with django_capture_on_commit_callbacks(execute=True):
        with_redeliver = client.post(f"/api/v1/webhook-deliveries/{given_up.pk}/redeliver/")
    conflict = client.post(f"/api/v1/webhook-deliveries/{retrying.pk}/redeliver/")
    stranger = client_for(world.users.alice).post(
        f"/api/v1/webhook-deliveries/{given_up.pk}/redeliver/"
    )

    assert with_redeliver.status_code == 202
    assert with_redeliver.json()["state"] == "retrying"
    assert queued == [given_up.pk]
    assert conflict.status_code == 409
    assert conflict.json()["status"] == "retrying"
    assert stranger.status_code == 404
    given_up.refresh_from_db()
    assert given_up.given_up_at is None
    assert AuditEvent.objects.filter(object_id=str(given_up.pk), action="update").count() == 1


def test_429_always_carries_retry_after(world, settings):
    client = client_for(world.users.partner)
    settings.API_THROTTLE_RATE = "5/minute"
    for _ in range(5):
        client.get("/api/v1/agencies/")
    settings.API_THROTTLE_RATE = "2/minute"  # lowered below what was already counted

    refused = client.get("/api/v1/agencies/")

    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1


def test_docs_list_the_statuses_each_transition_is_allowed_from():
    docs = (Path(__file__).resolve().parents[2] / "docs" / "api.md").read_text()

    for transition in SIDE:
        starts = [status for status, steps in WORKFLOW.items() if transition in steps]
        to_status = WORKFLOW[starts[0]][transition].to_status
        side = "receiving agency" if SIDE[transition] == RECEIVER else "sending side"
        allowed = ", ".join(f"`{status}`" for status in starts)
        assert f"| `{transition}` | {allowed} | `{to_status}` | {side} |" in docs, transition


def test_api_server_errors_are_json(rf):
    response = server_error(rf.get("/api/v1/referrals/"))
    page = server_error(rf.get("/referrals/"))

    assert response.status_code == 500
    assert json.loads(response.content) == {
        "detail": "Server error: the request was not completed."
    }
    assert page["Content-Type"].startswith("text/html")
