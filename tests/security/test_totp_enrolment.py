"""Item 1 of issue 12: a TOTP secret shown during enrolment can never become someone's second
factor later; confirming one device removes the others; only an administrator resets an
enrolment. Item 8 (part): the admin never shows a device's secret key."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from accounts.services import (
    two_factor_expired_enrolments_delete,
    two_factor_reset,
)
from agencies.models import ApiToken
from ctms.errors import PermissionDenied
from ctms.models import AuditEvent

pytestmark = pytest.mark.two_factor
GOOD = "correct-horse-battery"


def code(device: TOTPDevice) -> str:
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{value:06d}"


def signed_in(client_class, username: str):
    client = client_class()
    client.post(reverse("login"), {"username": username, "password": GOOD})
    return client


def shown_device(response) -> TOTPDevice:
    secret = response.context["secret"].replace(" ", "")
    return next(d for d in TOTPDevice.objects.all() if f"secret={secret}" in d.config_url)


def test_a_secret_seen_by_an_intruder_never_becomes_the_users_factor(world, client):
    # given an intruder with the analyst's password opened the enrolment page
    intruder = signed_in(type(client), "analyst")
    seen = shown_device(intruder.get(reverse("otp-setup")))
    # when the analyst enrols afterwards
    analyst = signed_in(type(client), "analyst")
    page = analyst.get(reverse("otp-setup"))
    mine = shown_device(page)
    confirmed = analyst.post(reverse("otp-setup"), {"token": code(mine), "next": "/"})
    # then the analyst got a different secret, theirs is the only device left ...
    assert mine.bin_key != seen.bin_key
    assert confirmed.status_code == 302
    assert list(TOTPDevice.objects.values_list("pk", "confirmed")) == [(mine.pk, True)]
    # ... and the intruder's code gets no token
    answer = APIClient().post(
        "/api/v1/auth/token/",
        {"username": "analyst", "password": GOOD, "name": "x", "otp_code": code(seen)},
        format="json",
    )
    assert answer.status_code == 401
    assert ApiToken.objects.count() == 0


def test_every_visit_shows_a_new_secret(world, client):
    client.post(reverse("login"), {"username": "analyst", "password": GOOD})
    first = client.get(reverse("otp-setup")).context["secret"]
    second = client.get(reverse("otp-setup")).context["secret"]
    assert first != second
    assert TOTPDevice.objects.filter(user=world.users.analyst).count() == 1


def test_an_enrolment_older_than_ten_minutes_is_refused(world, client):
    client.post(reverse("login"), {"username": "analyst", "password": GOOD})
    device = shown_device(client.get(reverse("otp-setup")))
    TOTPDevice.objects.filter(pk=device.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=11)
    )

    response = client.post(reverse("otp-setup"), {"token": code(device), "next": "/"})

    assert response.status_code == 200  # the page again, with a new secret
    assert not TOTPDevice.objects.filter(confirmed=True).exists()
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    assert [str(m) for m in response.context["messages"]] == [
        "That secret key has expired: scan the new code."
    ]


def test_expired_enrolments_are_deleted_by_the_cleanup(world):
    old = TOTPDevice.objects.create(user=world.users.analyst, name="old", confirmed=False)
    fresh = TOTPDevice.objects.create(user=world.users.admin, name="fresh", confirmed=False)
    kept = TOTPDevice.objects.create(user=world.users.admin, name="kept", confirmed=True)
    TOTPDevice.objects.filter(pk__in=[old.pk, kept.pk]).update(
        created_at=timezone.now() - dt.timedelta(hours=1)
    )

    assert two_factor_expired_enrolments_delete() == 1
    assert set(TOTPDevice.objects.values_list("pk", flat=True)) == {fresh.pk, kept.pk}


@pytest.mark.parametrize("actor", ["analyst", "alice"])
def test_only_an_administrator_resets_an_enrolment(world, actor):
    device = TOTPDevice.objects.create(user=world.users.analyst, name="phone", confirmed=True)
    with pytest.raises(PermissionDenied):
        two_factor_reset(user=world.users.analyst, actor=getattr(world.users, actor))
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_the_admin_resets_an_enrolment_and_never_sees_a_key(world, client):
    # given the analyst's device, and an administrator in the admin (second factor given)
    device = TOTPDevice.objects.create(user=world.users.analyst, name="phone", confirmed=True)
    admin = signed_in(type(client), "root")
    root_device = TOTPDevice.objects.create(user=world.users.admin, name="root", confirmed=True)
    admin.post(reverse("otp-verify"), {"token": code(root_device), "next": "/admin/"})
    base = "/admin/otp_totp/totpdevice/"

    # when they open the device's pages
    listing = admin.get(base)
    page = admin.get(f"{base}{device.pk}/change/")
    config = admin.get(f"{base}{device.pk}/config/")

    # then the key shows nowhere
    assert (listing.status_code, page.status_code) == (200, 200)
    assert config.status_code in (302, 404)
    for response in (listing, page):
        assert device.key not in response.content.decode()
        assert "qrcode" not in response.content.decode()

    # when they reset the analyst's enrolment
    reset = admin.post(base, {"action": "reset_enrolment", "_selected_action": [device.pk]})

    # then the analyst has no device (enrols again) and the reset is audited
    assert reset.status_code == 302
    assert not TOTPDevice.objects.filter(user=world.users.analyst).exists()
    event = AuditEvent.objects.get(details__totp_reset=True)
    assert (event.actor_username, event.object_id, event.details) == (
        "root",
        str(world.users.analyst.pk),
        {"totp_reset": True, "devices_removed": 1},
    )
