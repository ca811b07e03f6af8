"""Sign-in: lockout after repeated failures, and no way to learn whether a username exists."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse

from accounts.models import LoginFailure

GOOD = "correct-horse-battery"
INVALID = "Please enter a correct username and password."
LOCKED = "Too many failed sign-in attempts."


def sign_in(client, username: str, password: str, ip: str = "198.51.100.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def form_errors(response) -> list[str]:
    return response.context["form"].non_field_errors()


def test_five_failures_lock_the_username_from_that_address_even_with_the_right_password(
    world, client
):
    for attempt in range(4):
        assert form_errors(sign_in(client, "alice", f"wrong-{attempt}"))[0].startswith(INVALID)
    fifth = sign_in(client, "alice", "wrong-4")
    right_password = sign_in(client, "alice", GOOD)
    assert form_errors(fifth)[0].startswith(LOCKED)
    assert right_password.status_code == 200
    assert form_errors(right_password)[0].startswith(LOCKED)
    assert "_auth_user_id" not in client.session


def test_the_lockout_is_per_address_and_ends_after_the_window(world, client):
    for attempt in range(5):
        sign_in(client, "alice", f"wrong-{attempt}")
    # Another address is not locked
    assert sign_in(client, "alice", GOOD, ip="198.51.100.2").status_code == 302
    client.logout()
    # Fifteen minutes later the first address is free again
    LoginFailure.objects.update(at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    assert sign_in(client, "alice", GOOD).status_code == 302


def test_the_lockout_also_refuses_other_callers_of_authenticate(world):
    request = RequestFactory().post("/api/v1/auth/token/", REMOTE_ADDR="198.51.100.1")
    for attempt in range(5):
        assert authenticate(request, username="alice", password=f"wrong-{attempt}") is None
    assert authenticate(request, username="alice", password=GOOD) is None
    assert LoginFailure.objects.count() == 6


def test_messages_do_not_tell_whether_the_username_exists(world, client):
    # Given an existing user, a deactivated one and a name nobody has
    world.users.bob.is_active = False
    world.users.bob.save()
    answers = {}
    for username in ("alice", "bob", "nobody-here"):
        response = sign_in(client, username, "wrong-password-1")
        bob_or_right = sign_in(client, username, GOOD) if username == "bob" else response
        answers[username] = (response.status_code, form_errors(response), form_errors(bob_or_right))
    # Then every answer is the same words
    assert answers["alice"][:2] == answers["bob"][:2] == answers["nobody-here"][:2]
    assert answers["bob"][2] == answers["alice"][1]
    # And a locked existing user reads exactly like a locked unknown name
    for attempt in range(5):
        alice = sign_in(client, "alice", f"x{attempt}", ip="198.51.100.9")
        ghost = sign_in(client, "ghost", f"x{attempt}", ip="198.51.100.9")
    assert form_errors(alice) == form_errors(ghost)
    assert form_errors(alice)[0].startswith(LOCKED)


@pytest.mark.parametrize(
    ("password", "error_code"),
    [
        ("Kh7#mq2!vZp", "password_too_short"),  # 11 characters
        ("password1234", "password_too_common"),
        ("830492817365", "password_entirely_numeric"),
        ("Kh7#mq2!vZpw", None),  # 12 characters, none of the above
    ],
)
def test_password_rules(password, error_code):
    if error_code is None:
        validate_password(password)
        return
    with pytest.raises(ValidationError) as raised:
        validate_password(password)
    assert error_code in [error.code for error in raised.value.error_list]


def test_no_password_reset_page_can_probe_for_accounts(client):
    # Passwords are reset by an administrator; no public page takes a username or an email.
    assert client.get("/accounts/password_reset/").status_code == 404


def test_old_failures_are_forgotten(world, client):
    sign_in(client, "ghost-1", "x")
    LoginFailure.objects.update(at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    sign_in(client, "ghost-2", "x")
    assert list(LoginFailure.objects.values_list("username", flat=True)) == ["ghost-2"]
