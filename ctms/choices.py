"""Code lists shared by several apps: the roles of users (SPEC section 1), the code lists of
several record types (SPEC section 2) and the referral statuses, which the victim scope reads
too (the workflow itself is `referrals`')."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CASE_WORKER = "case_worker", _("Case worker")
    POLICE = "police", _("Police")
    PARTNER = "partner", _("Partner")
    JUSTICE = "justice", _("Justice")
    SECRETARIAT = "secretariat", _("Secretariat")
    ADMIN = "admin", _("Administrator")


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")


class ServiceCode(models.TextChoices):
    SHELTER = "shelter", _("Shelter")
    MEDICAL = "medical", _("Medical care")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial support")
    LEGAL = "legal", _("Legal aid")
    EDUCATION = "education", _("Education")
    VOCATIONAL_TRAINING = "vocational_training", _("Vocational training")
    ECONOMIC_SUPPORT = "economic_support", _("Economic support")
    JOB_PLACEMENT = "job_placement", _("Job placement")
    FAMILY_TRACING = "family_tracing", _("Family tracing")
    REINTEGRATION = "reintegration", _("Reintegration")
    REPATRIATION_SUPPORT = "repatriation_support", _("Repatriation support")


class WorkingGroupCode(models.TextChoices):
    PREVENTION = "prevention", _("Prevention")
    LAW_ENFORCEMENT = "law_enforcement", _("Law enforcement")
    VICTIM_PROTECTION = "victim_protection", _("Victim protection")
    JUSTICE = "justice", _("Justice")
    COOPERATION = "cooperation", _("Bilateral and multilateral cooperation")
    CHILD_AFFAIRS = "child_affairs", _("Child affairs")


class ReferralStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    IN_SERVICE = "in_service", _("In service")
    COMPLETED = "completed", _("Completed")
    CLOSED = "closed", _("Closed")


# While a referral is in one of these, the receiving agency sees the referral view of the victim.
OPEN_FOR_RECEIVER = frozenset({ReferralStatus.ACCEPTED, ReferralStatus.IN_SERVICE})
