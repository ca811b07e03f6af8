"""Code lists of victims, repatriations and follow-ups (SPEC section 2)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TraffickingStatus(models.TextChoices):
    ACTUAL = "actual", _("Identified victim")
    POSSIBLE = "possible", _("Possible victim / at risk")
    NOT_VICTIM = "not_victim", _("Not a victim")


class RepatriationKind(models.TextChoices):
    VICTIM = "victim", _("Trafficking victim or person at risk")
    MIGRANT = "migrant", _("Returned migrant")


class FollowUpKind(models.TextChoices):
    MONITORING = "monitoring", _("Monitoring")
    FAMILY_TRACING = "family_tracing", _("Family tracing")
    FAMILY_ASSESSMENT = "family_assessment", _("Family assessment")
    REINTEGRATION_SUPPORT = "reintegration_support", _("Reintegration support")


class AgeBand(models.TextChoices):
    """Age bands of the report (SPEC section 4) and of the non-identifying referral summary."""

    UNDER_15 = "under_15", _("Under 15")
    FROM_15_TO_17 = "15_17", _("15 to 17")
    ADULT = "18_plus", _("18 and over")
    UNKNOWN = "unknown", _("Unknown")
