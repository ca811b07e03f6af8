"""Writes of notifications. Feature apps call `notify_agency` / `notify_users` (from
`transaction.on_commit`, so nobody is told of a write that was rolled back); this app imports
no feature app, so the dependency only goes one way."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from ctms.audit import audit
from ctms.choices import Role

from . import tasks
from .choices import NotificationKind
from .models import EmailOptOut, Notification
from .wording import notification_email

# Who of an agency hears of its referrals and hand-overs.
AGENCY_ROLES = (Role.CASE_WORKER, Role.PARTNER)


def notify_users(*, users: Iterable, kind: str, params: dict | None = None, link: str = "") -> list:
    """One notification per user, each emailed by a Celery task after the commit."""
    kind = NotificationKind(kind)
    notifications = [
        Notification(user=user, kind=kind, params=params or {}, link=link) for user in users
    ]
    with transaction.atomic():
        Notification.objects.bulk_create(notifications)
        for notification in notifications:
            transaction.on_commit(
                lambda pk=notification.pk: tasks.send_notification_email.delay(str(pk))
            )
    return notifications


def notify_agency(
    *, agency_id, kind: str, params: dict | None = None, link: str = "", roles=AGENCY_ROLES
) -> list:
    """Notify every active user of an agency who works its referrals and hand-overs."""
    users = get_user_model().objects.filter(agency_id=agency_id, is_active=True, role__in=roles)
    return notify_users(users=users, kind=kind, params=params, link=link)


def notifications_mark_read(*, user, ids: Iterable | None = None) -> int:
    """Mark the user's notifications read (all of them when `ids` is None)."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())


def email_opt_outs_set(*, user, kinds: Iterable[str], channel: str = "web") -> set[str]:
    """Replace the kinds of email the user has turned off."""
    kinds = {NotificationKind(kind).value for kind in kinds}
    with transaction.atomic():
        EmailOptOut.objects.filter(user=user).exclude(kind__in=kinds).delete()
        existing = set(EmailOptOut.objects.filter(user=user).values_list("kind", flat=True))
        EmailOptOut.objects.bulk_create(
            [EmailOptOut(user=user, kind=kind) for kind in sorted(kinds - existing)]
        )
        audit(
            actor=user,
            action="update",
            object_type="email_opt_out",
            object_id=str(user.pk),
            channel=channel,
            details={"kinds": sorted(kinds)},
        )
    return kinds


def notification_email_send(*, notification_id) -> bool:
    """Email one notification unless it was sent already, the user turned its kind off or has
    no address. Safe to retry: the row is locked and `emailed_at` is set in the same step."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("user")
            .filter(pk=notification_id, emailed_at__isnull=True)
            .first()
        )
        if notification is None:
            return False
        user = notification.user
        opted_out = EmailOptOut.objects.filter(user=user, kind=notification.kind).exists()
        if opted_out or not user.email or not user.is_active:
            return False
        subject, body = notification_email(notification)
        send_mail(subject, body, None, [user.email])
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    return True
