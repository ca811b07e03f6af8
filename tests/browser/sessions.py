"""Browser contexts that hold a signed-in session, for the journeys that start signed in."""

from __future__ import annotations

from django.conf import settings
from django.test import Client


def signed_in_context(
    browser, live_server, user, language: str, *, width: int, height: int,
    timeout_ms: int | None = None,
):  # fmt: skip
    """A browser context of `width` × `height` px holding a session of `user` in `language`
    (the TOTP step of the secretariat is passed as force_login passes it, see
    tests/conftest.py)."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": width, "height": height}, locale="en-GB")
    if timeout_ms is not None:
        context.set_default_timeout(timeout_ms)
    host = live_server.url.split("//")[1].split(":")[0]
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "domain": host,
                "path": "/",
            },
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "domain": host, "path": "/"},
        ]
    )
    return context
