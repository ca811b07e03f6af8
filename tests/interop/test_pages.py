"""The administrators' pages of the external systems (SPEC section 11, issue 19 item 5): one
test per role for the refusals (nothing changes), and the admin's register / rotate / switch-off
steps through the same service as the command."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import check_password
from django.test import Client

from agencies.models import ApiToken
from ctms.models import AuditEvent
from interop.models import ExternalSystem
from interop.services import exchange_log, external_system_register

pytestmark = pytest.mark.django_db

OTHER_ROLES = ("alice", "officer", "partner", "clerk", "analyst")


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def system(world):
    system, _password = external_system_register(name="Hagar OSCaR", agency=world.agencies.hagar)
    exchange_log(system=system, direction="in", operation="upsert", records=1, status_code=200)
    exchange_log(
        system=system, direction="out", operation="clients", status_code=None, detail="timed out"
    )
    exchange_log(system=system, direction="in", operation="update_statuses", status_code=422)
    return system


def test_the_admin_registers_a_system_and_sees_its_password_once(world):
    admin = browser(world.users.admin)
    response = admin.post(
        "/interop/systems/",
        {"name": "MoSVY Primero", "agency": str(world.agencies.afesip.pk), "url": ""},
    )
    assert response.status_code == 200
    system = ExternalSystem.objects.get(name="MoSVY Primero")
    password = response.context["password"]
    page = response.content.decode()
    assert system.login in page and password in page
    assert check_password(password, system.password_hash)
    assert system.agency == world.agencies.afesip and system.user.agency == world.agencies.afesip
    event = AuditEvent.objects.get(action="system_registered")
    assert (event.actor, event.channel) == (world.users.admin, "web")
    assert password not in str(event.details)
    # The list and the system's page never show it again.
    assert password not in admin.get("/interop/systems/").content.decode()
    assert password not in admin.get(f"/interop/systems/{system.pk}/").content.decode()
    # And it signs in with it, as with the command's.
    signed = Client().post(
        "/api/v1/admin_auth/sign_in",
        {"email": system.login, "password": password},
        content_type="application/json",
    )
    assert signed.status_code == 200


def test_a_bad_registration_shows_the_form_again_and_stores_nothing(world, system):
    admin = browser(world.users.admin)
    no_login = admin.post(
        "/interop/systems/",
        {"name": "CIF OSCaR", "agency": str(world.agencies.hagar.pk), "url": "https://x.org"},
    )
    assert no_login.status_code == 400
    assert list(no_login.context["form"].errors) == ["remote_login"]
    same_name = admin.post(
        "/interop/systems/", {"name": "hagar oscar", "agency": str(world.agencies.hagar.pk)}
    )
    assert same_name.status_code == 400
    assert list(same_name.context["form"].errors) == ["name"]
    assert ExternalSystem.objects.count() == 1


def test_the_admin_sees_the_last_exchanges(world, system):
    page = browser(world.users.admin).get(f"/interop/systems/{system.pk}/")
    assert page.status_code == 200
    exchanges = page.context["exchanges"]
    assert [e.operation for e in exchanges] == ["update_statuses", "clients", "upsert"]
    assert [e.outcome for e in exchanges] == ["refused", "failed", "ok"]
    html = page.content.decode()
    assert "timed out" in html and "HTTP 422" in html
    listing = browser(world.users.admin).get("/interop/systems/")
    assert listing.context["systems"][0].last_exchange_at == exchanges[0].at


def test_a_new_password_ends_the_old_one_and_its_tokens(world, system):
    from accounts.tokens import token_issue

    token_issue(user=system.user, name="oscar-sign-in", channel="oscar")
    old_hash = system.password_hash
    response = browser(world.users.admin).post(f"/interop/systems/{system.pk}/rotate/")
    assert response.status_code == 200
    system.refresh_from_db()
    assert system.password_hash != old_hash
    assert check_password(response.context["password"], system.password_hash)
    assert not ApiToken.objects.filter(user=system.user, revoked_at__isnull=True).exists()
    assert AuditEvent.objects.filter(action="system_rotated", object_id=str(system.pk)).exists()


def test_switching_off_stops_its_sign_in_and_on_again_restores_it(world):
    system, password = external_system_register(name="Hagar OSCaR", agency=world.agencies.hagar)
    admin = browser(world.users.admin)
    body = {"email": system.login, "password": password}
    assert admin.post(f"/interop/systems/{system.pk}/deactivate/").status_code == 302
    assert Client().post("/api/v1/admin_auth/sign_in", body, "application/json").status_code == 401
    assert admin.post(f"/interop/systems/{system.pk}/reactivate/").status_code == 302
    assert Client().post("/api/v1/admin_auth/sign_in", body, "application/json").status_code == 200
    assert list(
        AuditEvent.objects.filter(action__startswith="system_").values_list("action", flat=True)
    ) == ["system_reactivated", "system_deactivated", "system_registered"]


@pytest.mark.parametrize("username", OTHER_ROLES)
def test_every_other_role_is_refused_and_nothing_changes(world, system, username):
    user = getattr(world.users, username)
    client = browser(user)
    before = (
        list(ExternalSystem.objects.values_list("name", "password_hash", "is_active")),
        AuditEvent.objects.filter(action__startswith="system_").count(),
    )
    assert client.get("/interop/systems/").status_code == 403
    assert client.get(f"/interop/systems/{system.pk}/").status_code == 403
    registered = client.post(
        "/interop/systems/", {"name": "Sneaky", "agency": str(world.agencies.hagar.pk)}
    )
    assert registered.status_code == 403
    for action in ("rotate", "deactivate", "reactivate"):
        assert client.post(f"/interop/systems/{system.pk}/{action}/").status_code == 403
    after = (
        list(ExternalSystem.objects.values_list("name", "password_hash", "is_active")),
        AuditEvent.objects.filter(action__startswith="system_").count(),
    )
    assert after == before
    assert "/interop/systems/" not in client.get("/").content.decode()


def test_the_signed_out_are_sent_to_sign_in(system):
    response = Client().post(f"/interop/systems/{system.pk}/rotate/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
