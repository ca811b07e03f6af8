"""API tokens (issue, use, expiry, revocation) and the agency directory."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.tokens import token_digest, token_issue
from agencies.models import ApiToken
from ctms.models import AuditEvent
from tests.api_support import client_for


@pytest.fixture(autouse=True)
def _fresh_throttles():
    """Throttle counters live in the cache, which outlives a test: start each one at zero."""
    cache.clear()


def test_given_too_many_password_attempts_then_429(world, settings):
    settings.API_TOKEN_REQUEST_RATE = "2/minute"
    wrong = {"username": "partner", "password": "nope"}

    statuses = [
        APIClient().post("/api/v1/auth/token/", wrong, format="json").status_code for _ in range(3)
    ]

    assert statuses == [401, 401, 429]


def bearer(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def test_given_password_when_requesting_token_then_shown_once_stored_hashed_and_audited(world):
    response = APIClient().post(
        "/api/v1/auth/token/",
        {"username": "partner", "password": "correct-horse-battery", "name": "afesip-crm"},
        format="json",
    )

    assert response.status_code == 201
    token = response.json()["token"]
    row = ApiToken.objects.get()
    assert (row.user, row.name, row.digest) == (
        world.users.partner,
        "afesip-crm",
        token_digest(token),
    )
    assert token not in str(ApiToken.objects.values().get())
    assert row.expires_at.date() == (timezone.now() + dt.timedelta(days=90)).date()
    assert AuditEvent.objects.filter(action="token_issued", actor=world.users.partner).count() == 1
    assert bearer(token).get("/api/v1/referrals/").status_code == 200


def test_given_wrong_password_when_requesting_token_then_401_audited_and_no_token(world):
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "partner", "password": "nope"}, format="json"
    )

    assert response.status_code == 401
    assert ApiToken.objects.count() == 0
    assert AuditEvent.objects.filter(action="login_failed").count() == 1


def test_given_missing_fields_when_requesting_token_then_400_per_field(world):
    response = APIClient().post("/api/v1/auth/token/", {}, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"username", "password"}


@pytest.mark.parametrize("state", ["expired", "revoked", "inactive_user", "unknown"])
def test_given_dead_token_when_used_then_401(world, state):
    row, token = token_issue(user=world.users.partner, name="crm")
    if state == "expired":
        ApiToken.objects.filter(pk=row.pk).update(
            expires_at=timezone.now() - dt.timedelta(seconds=1)
        )
    elif state == "revoked":
        ApiToken.objects.filter(pk=row.pk).update(revoked_at=timezone.now())
    elif state == "inactive_user":
        world.users.partner.is_active = False
        world.users.partner.save()
    else:
        token = token[:-4] + "abcd"

    response = bearer(token).get("/api/v1/referrals/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_given_no_credentials_then_401_and_session_works_for_the_browser(world):
    anonymous = APIClient().get("/api/v1/victims/")
    browser = APIClient()
    browser.force_login(world.users.alice)

    assert anonymous.status_code == 401
    assert browser.get("/api/v1/victims/").status_code == 200


def test_given_token_used_twice_within_a_minute_then_last_use_written_once(world):
    row, token = token_issue(user=world.users.partner, name="crm")
    client = bearer(token)
    client.get("/api/v1/agencies/")
    first_use = ApiToken.objects.get(pk=row.pk).last_used_at

    client.get("/api/v1/agencies/")

    assert first_use is not None
    assert ApiToken.objects.get(pk=row.pk).last_used_at == first_use


def test_given_several_integrations_then_each_revoked_alone(world):
    _crm, crm_token = token_issue(user=world.users.partner, name="crm")
    sms, sms_token = token_issue(user=world.users.partner, name="sms")

    response = bearer(crm_token).post(f"/api/v1/auth/tokens/{sms.pk}/revoke/")

    assert response.status_code == 200
    assert bearer(sms_token).get("/api/v1/agencies/").status_code == 401
    assert bearer(crm_token).get("/api/v1/agencies/").status_code == 200
    assert AuditEvent.objects.filter(action="token_revoked").count() == 1


def test_given_another_users_token_when_revoking_then_404_and_still_live(world):
    row, token = token_issue(user=world.users.partner, name="crm")

    response = client_for(world.users.other_partner).post(f"/api/v1/auth/tokens/{row.pk}/revoke/")

    assert response.status_code == 404
    assert bearer(token).get("/api/v1/agencies/").status_code == 200


def test_issue_token_command_prints_the_token_alone_on_its_last_line(world):
    out = io.StringIO()

    call_command("issue_token", "partner", "--name", "afesip-crm", stdout=out, stderr=io.StringIO())

    token = out.getvalue().strip().splitlines()[-1]
    assert ApiToken.objects.get().digest == token_digest(token)
    assert bearer(token).get("/api/v1/agencies/").status_code == 200


def test_revoke_token_command_ends_the_tokens_of_one_integration(world):
    _row, crm = token_issue(user=world.users.partner, name="crm")
    _row, sms = token_issue(user=world.users.partner, name="sms")

    call_command("revoke_token", "--user", "partner", "--name", "crm", stdout=io.StringIO())

    assert bearer(crm).get("/api/v1/agencies/").status_code == 401
    assert bearer(sms).get("/api/v1/agencies/").status_code == 200


def test_given_rate_exceeded_then_429_for_that_token_only(world, settings):
    settings.API_THROTTLE_RATE = "3/minute"
    busy = client_for(world.users.partner, name="busy")
    calm = client_for(world.users.partner, name="calm")

    statuses = [busy.get("/api/v1/agencies/").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    assert calm.get("/api/v1/agencies/").status_code == 200


@pytest.mark.parametrize("persona", ["alice", "partner", "officer", "clerk", "analyst", "admin"])
def test_given_any_role_when_listing_agencies_then_directory_and_no_writes(world, persona):
    client = client_for(getattr(world.users, persona))

    listing = client.get("/api/v1/agencies/?kind=ngo")
    write = client.post(
        "/api/v1/agencies/", {"acronym": "X", "name": "X", "kind": "ngo"}, format="json"
    )

    assert [row["acronym"] for row in listing.json()["results"]] == ["AFESIP", "Hagar"]
    assert write.status_code == 405


def test_given_role_with_second_factor_when_requesting_token_then_code_required(world):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    credentials = {"username": "analyst", "password": "correct-horse-battery", "name": "stats"}
    before_enrolment = APIClient().post("/api/v1/auth/token/", credentials, format="json")
    device = TOTPDevice.objects.create(user=world.users.analyst, name="phone", confirmed=True)
    without_code = APIClient().post("/api/v1/auth/token/", credentials, format="json")
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    with_code = APIClient().post(
        "/api/v1/auth/token/", {**credentials, "otp_code": code}, format="json"
    )

    assert (before_enrolment.status_code, without_code.status_code) == (401, 401)
    assert with_code.status_code == 201
    assert ApiToken.objects.filter(user=world.users.analyst).count() == 1
    assert AuditEvent.objects.filter(action="login_failed", details__step="totp").count() == 2
