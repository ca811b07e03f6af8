"""Code lists of agencies and users (SPEC section 1 and 2)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AgencyKind(models.TextChoices):
    MINISTRY = "ministry", _("Ministry")
    PROVINCIAL_DEPARTMENT = "provincial_department", _("Provincial department")
    POLICE_UNIT = "police_unit", _("Police unit")
    COURT = "court", _("Court")
    NGO = "ngo", _("NGO")
    INTERNATIONAL_ORG = "international_org", _("International organisation")
    OTHER = "other", _("Other")


# Agencies that take people into their care (a police unit or a court shelters nobody): the
# only ones a rescue places a person with or a hand-over moves a record to.
SHELTERING_KINDS = frozenset(
    {
        AgencyKind.MINISTRY,
        AgencyKind.PROVINCIAL_DEPARTMENT,
        AgencyKind.NGO,
        AgencyKind.INTERNATIONAL_ORG,
        AgencyKind.OTHER,
    }
)
