"""Lockout after repeated failed sign-ins: LOGIN_FAILURE_LIMIT failures within
LOGIN_LOCKOUT_WINDOW for one username from one address lock that pair until the oldest of
those failures leaves the window. A success clears the pair's failures."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import LoginFailure

LOCKOUT_MESSAGE = _("Too many failed sign-in attempts. Try again later, or ask an administrator.")


def _key(username: str | None) -> str:
    return (username or "").strip().lower()[:150]


def is_locked_out(*, username: str | None, ip_address: str | None) -> bool:
    since = timezone.now() - settings.LOGIN_LOCKOUT_WINDOW
    failures = LoginFailure.objects.filter(
        username=_key(username), ip_address=ip_address, at__gte=since
    )
    return failures.count() >= settings.LOGIN_FAILURE_LIMIT


def login_failure_record(*, username: str | None, ip_address: str | None) -> None:
    """Count one failure, and forget those too old to matter, so that guessing many names
    cannot grow the table without end."""
    LoginFailure.objects.filter(at__lt=timezone.now() - 2 * settings.LOGIN_LOCKOUT_WINDOW).delete()
    LoginFailure.objects.create(username=_key(username), ip_address=ip_address)


def login_failures_clear(*, username: str | None, ip_address: str | None) -> None:
    LoginFailure.objects.filter(username=_key(username), ip_address=ip_address).delete()
