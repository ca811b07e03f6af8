"""TOTP second factor for administrators and the secretariat, on every page and the admin."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from ctms.models import AuditEvent

pytestmark = pytest.mark.two_factor
GOOD = "correct-horse-battery"


def sign_in(client, username: str):
    return client.post(reverse("login"), {"username": username, "password": GOOD})


def clear_throttle(device: TOTPDevice) -> None:
    """django-otp refuses any code for a while after a wrong one; tests do not wait."""
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )


def code(device: TOTPDevice) -> str:
    """The code the user's app shows now."""
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{value:06d}"


@pytest.mark.parametrize("username", ["root", "analyst"])
def test_first_sign_in_requires_enrolment_before_anything_else(world, client, username):
    # Given the password is right
    sign_in(client, username)
    # When any page is asked, the enrolment page answers instead
    for path in ("/", "/admin/", "/api/v1/schema/"):
        response = client.get(path)
        assert response.status_code in (302, 403), path
        if response.status_code == 302:
            assert response.url.startswith(reverse("otp-setup"))
    setup = client.get(reverse("otp-setup"))
    device = TOTPDevice.objects.get(user__username=username, confirmed=False)
    assert setup.status_code == 200
    assert setup.context["qr_svg"].startswith("data:image/svg+xml")
    assert setup.context["secret"].replace(" ", "") in device.config_url
    # When a wrong code then the right one are entered
    wrong = client.post(reverse("otp-setup"), {"token": "000000", "next": "/"})
    clear_throttle(device)
    right = client.post(reverse("otp-setup"), {"token": code(device), "next": "/"})
    # Then the device is confirmed and pages open
    assert wrong.status_code == 200 and wrong.context["form"].errors
    assert right.status_code == 302 and right.url == "/"
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert client.get("/").status_code == 200


def test_the_admin_site_needs_the_verification_step_every_sign_in(world, client):
    device = TOTPDevice.objects.create(user=world.users.admin, name="phone", confirmed=True)
    sign_in(client, "root")
    blocked = client.get("/admin/")
    assert blocked.status_code == 302
    assert blocked.url.startswith(reverse("otp-verify"))
    wrong = client.post(reverse("otp-verify"), {"token": "123456", "next": "/admin/"})
    assert wrong.status_code == 200
    assert client.get("/admin/").status_code == 302
    clear_throttle(device)
    right = client.post(reverse("otp-verify"), {"token": code(device), "next": "/admin/"})
    assert (right.status_code, right.url) == (302, "/admin/")
    assert client.get("/admin/").status_code == 200
    steps = list(
        AuditEvent.objects.filter(details__step="totp")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert steps == ["login_failed", "login"]


def test_other_roles_sign_in_with_the_password_alone(world, client):
    response = sign_in(client, "alice")
    assert (response.status_code, response.url) == (302, "/")
    assert client.get("/").status_code == 200
    assert not TOTPDevice.objects.exists()


def test_the_admin_site_refuses_verified_users_of_other_roles(world, client):
    world.users.alice.is_staff = True  # even a stray staff flag does not open it
    world.users.alice.save()
    TOTPDevice.objects.create(user=world.users.alice, name="phone", confirmed=True)
    sign_in(client, "alice")
    device = TOTPDevice.objects.get(user=world.users.alice)
    client.post(reverse("otp-verify"), {"token": code(device), "next": "/"})
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "login" in response.url


def test_a_session_not_verified_is_verified_only_for_itself(world, client):
    # The verification is stored in the session, never on the user: a second browser that
    # only knows the password is stopped again.
    TOTPDevice.objects.create(user=world.users.analyst, name="phone", confirmed=True)
    sign_in(client, "analyst")
    device = TOTPDevice.objects.get(user=world.users.analyst)
    client.post(reverse("otp-verify"), {"token": code(device), "next": "/"})
    assert client.get("/").status_code == 200
    from django.test import Client

    other = Client()
    sign_in(other, "analyst")
    assert other.get("/").status_code == 302
