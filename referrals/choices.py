"""Code lists of the referral workflow (SPEC section 3)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ctms.choices import ReferralStatus


class Urgency(models.TextChoices):
    ROUTINE = "routine", _("Routine")
    URGENT = "urgent", _("Urgent")


class Transition(models.TextChoices):
    """The actions of the workflow; each moves a referral from some statuses to one status."""

    ACCEPT = "accept", _("Accept")
    DECLINE = "decline", _("Decline")
    START = "start", _("Start service")
    COMPLETE = "complete", _("Complete")
    CLOSE = "close", _("Close")
    WITHDRAW = "withdraw", _("Withdraw")


ENDED = frozenset(
    {
        ReferralStatus.DECLINED,
        ReferralStatus.WITHDRAWN,
        ReferralStatus.COMPLETED,
        ReferralStatus.CLOSED,
    }
)
