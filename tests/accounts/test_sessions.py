"""Signed-in sessions end after 30 idle minutes and 12 hours at most."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from accounts.sessions import SESSION_SEEN_KEY, SESSION_STARTED_KEY


def age_session(client, *, started_ago: float, seen_ago: float) -> None:
    session = client.session
    now = time.time()
    session[SESSION_STARTED_KEY] = now - started_ago
    session[SESSION_SEEN_KEY] = now - seen_ago
    session.save()


@pytest.mark.parametrize(
    ("started_ago", "seen_ago", "signed_in"),
    [
        (60, 60, True),
        (11 * 3600, 29 * 60, True),  # active all day, within both limits
        (3600, 30 * 60 + 5, False),  # idle over 30 minutes
        (12 * 3600 + 5, 10, False),  # active, but signed in more than 12 hours ago
    ],
)
def test_session_lifetime(world, client, started_ago, seen_ago, signed_in):
    client.force_login(world.users.alice)
    age_session(client, started_ago=started_ago, seen_ago=seen_ago)
    response = client.get("/")
    if signed_in:
        assert response.status_code == 200
    else:
        assert (response.status_code, response.url) == (302, f"{reverse('login')}?next=/")
        assert "_auth_user_id" not in client.session
        assert client.get("/").status_code == 302


def test_activity_pushes_the_idle_limit_back(world, client, settings):
    client.force_login(world.users.alice)
    age_session(client, started_ago=3600, seen_ago=20 * 60)
    assert client.get("/").status_code == 200
    assert time.time() - client.session[SESSION_SEEN_KEY] < 5


def test_an_expired_api_session_answers_401(world, client):
    client.force_login(world.users.alice)
    age_session(client, started_ago=3600, seen_ago=3600)
    assert client.get("/api/v1/schema/").status_code == 401


def test_the_session_cookie_does_not_outlive_the_browser_or_twelve_hours(settings):
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_AGE == 12 * 3600
    assert settings.SESSION_IDLE_TIMEOUT == 30 * 60


def test_an_expired_session_can_sign_in_again_at_once(world, client):
    client.force_login(world.users.alice)
    age_session(client, started_ago=3600, seen_ago=3600)
    page = client.get(reverse("login"))
    signed_in = client.post(
        reverse("login"), {"username": "alice", "password": "correct-horse-battery"}
    )
    assert page.status_code == 200
    assert (signed_in.status_code, signed_in.url) == (302, "/")
    assert client.get("/").status_code == 200
