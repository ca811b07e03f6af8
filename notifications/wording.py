"""The words of a notification, in the recipient's language. Built from the kind and a few
codes only (agency acronyms, statuses, dates), so no notification can carry a name."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .choices import NotificationKind
from .models import Notification

# The same words as the referral and hand-over statuses (one translation each).
STATUS_WORDS = {
    "accepted": gettext_lazy("Accepted"),
    "declined": gettext_lazy("Declined"),
    "withdrawn": gettext_lazy("Withdrawn"),
    "in_service": gettext_lazy("In service"),
    "completed": gettext_lazy("Completed"),
    "closed": gettext_lazy("Closed"),
}


def _text(notification: Notification) -> str:
    params = dict(notification.params)
    params["status"] = str(STATUS_WORDS.get(params.get("status", ""), params.get("status", "")))
    kind = notification.kind
    if kind == NotificationKind.REFERRAL_RECEIVED:
        if params.get("urgency") == "urgent":
            return _("Your agency received a new urgent referral from %(agency)s.") % params
        return _("Your agency received a new referral from %(agency)s.") % params
    if kind == NotificationKind.REFERRAL_ANSWERED:
        return _("A referral your agency sent to %(agency)s is now: %(status)s.") % params
    if kind == NotificationKind.HANDOVER_RECEIVED:
        return _("Your agency received a new hand-over from %(agency)s.") % params
    if kind == NotificationKind.HANDOVER_ANSWERED:
        return _("A hand-over your agency sent to %(agency)s is now: %(status)s.") % params
    if kind == NotificationKind.ACCESS_REQUEST:
        return _("%(agency)s asks for access to a record your agency holds.") % params
    if kind == NotificationKind.TASK_OVERDUE:
        return _("A care-plan task assigned to you was due on %(due_on)s and is not done.") % params
    if kind == NotificationKind.CONSENT_WITHDRAWN:
        return _(
            "A person your agency received by referral withdrew consent to share their "
            "details: you now see the referral summary only."
        )
    return str(NotificationKind(kind).label)


def notification_text(notification: Notification, *, language: str | None = None) -> str:
    """The sentence shown in the list and sent by email, in `language` (default: the
    recipient's own, else the site's)."""
    language = language or notification.user.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        return _text(notification)


def notification_email(notification: Notification) -> tuple[str, str]:
    """Subject and body of the email, in the recipient's language."""
    language = notification.user.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        text = _text(notification)
        subject = _("CTMS: %(kind)s") % {"kind": NotificationKind(notification.kind).label}
        body = "\n\n".join(
            [
                text,
                _("Open CTMS to see it: %(url)s") % {"url": settings.SITE_URL + notification.link},
                _("You can turn these emails off in CTMS under Notifications."),
            ]
        )
    return subject, body
