"""Reads of notifications: a user sees their own, nobody else's."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import EmailOptOut, Notification


def notifications_visible_to(user) -> QuerySet[Notification]:
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(user=user)


def unread_count(user) -> int:
    return notifications_visible_to(user).filter(read_at__isnull=True).count()


def email_opt_outs(user) -> set[str]:
    return set(EmailOptOut.objects.filter(user=user).values_list("kind", flat=True))
