"""Kinds of notification (SPEC section 9)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    REFERRAL_RECEIVED = "referral_received", _("A referral received by my agency")
    REFERRAL_ANSWERED = "referral_answered", _("An answer to a referral my agency sent")
    HANDOVER_RECEIVED = "handover_received", _("A hand-over received by my agency")
    HANDOVER_ANSWERED = "handover_answered", _("An answer to a hand-over my agency sent")
    ACCESS_REQUEST = "access_request", _("An access request to answer")
    TASK_OVERDUE = "task_overdue", _("A care-plan task of mine past due")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("A person withdrew consent to share their details")
