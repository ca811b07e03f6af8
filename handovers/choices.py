"""Code lists of hand-overs and their workflow (SPEC section 7)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class HandoverKind(models.TextChoices):
    RESCUE_PLACEMENT = "rescue_placement", _("Placement after a rescue")
    TRANSFER = "transfer", _("Transfer")
    ACCESS_REQUEST = "access_request", _("Access request")


class HandoverStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class HandoverTransitionName(models.TextChoices):
    ACCEPT = "accept", _("Accept")
    DECLINE = "decline", _("Decline")
    WITHDRAW = "withdraw", _("Withdraw")


class Side(models.TextChoices):
    """Which side of a hand-over a user acts for: the agency that created it (the police unit
    of a rescue, the owner offering a transfer, the agency asking for access) or the one that
    answers it."""

    CREATOR = "creator", _("the agency that sent it")
    ANSWERER = "answerer", _("the agency that answers it")


# Kinds whose acceptance makes the receiving agency the owner of the person (and of the case).
MOVES_OWNERSHIP = frozenset({HandoverKind.RESCUE_PLACEMENT, HandoverKind.TRANSFER})
