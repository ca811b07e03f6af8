"""Receivers of Django's auth signals: audit every sign-in, failure and sign-out, and feed the
lockout counter."""

from __future__ import annotations

import time

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from ctms.audit import audit
from ctms.models import AuditEvent
from ctms.request_context import client_ip

from .lockout import login_failure_record, login_failures_clear
from .sessions import SESSION_SEEN_KEY, SESSION_STARTED_KEY


def _ip(request) -> str | None:
    return client_ip(request) if request is not None else None


@receiver(user_logged_in, dispatch_uid="ctms-audit-login")
def on_logged_in(sender, request, user, **kwargs) -> None:
    ip_address = _ip(request)
    login_failures_clear(username=user.get_username(), ip_address=ip_address)
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[SESSION_STARTED_KEY] = now
        request.session[SESSION_SEEN_KEY] = now
    audit(actor=user, action=AuditEvent.Action.LOGIN, obj=user, ip_address=ip_address)


@receiver(user_login_failed, dispatch_uid="ctms-audit-login-failed")
def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    # `credentials` has the password already removed by Django.
    username = str(credentials.get("username", ""))[:150]
    ip_address = _ip(request)
    login_failure_record(username=username, ip_address=ip_address)
    audit(
        actor=None,
        actor_username=username,
        action=AuditEvent.Action.LOGIN_FAILED,
        object_type="user",
        ip_address=ip_address,
    )


@receiver(user_logged_out, dispatch_uid="ctms-audit-logout")
def on_logged_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        audit(actor=user, action=AuditEvent.Action.LOGOUT, obj=user, ip_address=_ip(request))
