"""Writes of the account area: TOTP enrolment and its reset (audited)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from ctms.audit import audit
from ctms.errors import PermissionDenied
from ctms.models import AuditEvent

from .policies import can_reset_two_factor

# An enrolment not confirmed within this time is void: its secret may have been seen.
ENROLMENT_LIFETIME = dt.timedelta(minutes=10)


def two_factor_enrolment_start(*, user) -> TOTPDevice:
    """A new unconfirmed device with a new secret, for every enrolment attempt. Any earlier
    unconfirmed device of the user goes, so a secret shown once (to the user, or to someone who
    signed in with their password) never becomes their second factor later."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name="CTMS", confirmed=False)


def two_factor_enrolment_device(*, user, device_id) -> TOTPDevice | None:
    """The unconfirmed device this enrolment attempt showed, while it is fresh; else None."""
    if device_id is None:
        return None
    return TOTPDevice.objects.filter(
        pk=device_id,
        user=user,
        confirmed=False,
        created_at__gt=timezone.now() - ENROLMENT_LIFETIME,
    ).first()


def two_factor_enrolment_confirm(*, user, device: TOTPDevice) -> TOTPDevice:
    """Make `device` the user's only second factor: every other device of theirs goes."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
        audit(
            actor=user,
            action=AuditEvent.Action.UPDATE,
            obj=user,
            details={"totp_enrolled": True},
        )
    device.confirmed = True
    return device


def two_factor_reset(*, user, actor, channel: str = "admin") -> int:
    """Remove every device of `user`: they enrol again at their next sign-in. Administrators
    only (accounts.policies.can_reset_two_factor). Returns the devices removed."""
    if not can_reset_two_factor(actor, user):
        raise PermissionDenied("Only an administrator resets a second factor.")
    with transaction.atomic():
        removed, _by_model = TOTPDevice.objects.filter(user=user).delete()
        audit(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=user,
            channel=channel,
            details={"totp_reset": True, "devices_removed": removed},
        )
    return removed


def two_factor_expired_enrolments_delete(*, now: dt.datetime | None = None) -> int:
    """Delete unconfirmed devices older than ENROLMENT_LIFETIME (a periodic task calls it)."""
    cutoff = (now or timezone.now()) - ENROLMENT_LIFETIME
    removed, _by_model = TOTPDevice.objects.filter(confirmed=False, created_at__lte=cutoff).delete()
    return removed
