"""Code lists of the referral workflow (SPEC section 3)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReferralStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    IN_SERVICE = "in_service", _("In service")
    COMPLETED = "completed", _("Completed")
    CLOSED = "closed", _("Closed")


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


# While a referral is in one of these, the receiving agency sees the referral view of the victim.
OPEN_FOR_RECEIVER = frozenset({ReferralStatus.ACCEPTED, ReferralStatus.IN_SERVICE})
ENDED = frozenset(
    {
        ReferralStatus.DECLINED,
        ReferralStatus.WITHDRAWN,
        ReferralStatus.COMPLETED,
        ReferralStatus.CLOSED,
    }
)
