"""Code lists of cases, suspects, operations and prosecutions (SPEC section 2, HTCDS 2.0)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    FOLLOW_UP = "follow_up", _("Follow-up")
    CLOSED = "closed", _("Closed")
    CLOSED_REFERRED = "closed_referred", _("Closed (referred)")


class ExploitationType(models.TextChoices):
    SEXUAL_EXPLOITATION = "sexual_exploitation", _("Sexual exploitation")
    FORCED_LABOUR = "forced_labour", _("Forced labour")
    CHILD_LABOUR = "child_labour", _("Child labour")
    FORCED_MARRIAGE = "forced_marriage", _("Forced marriage")
    SERVITUDE = "servitude", _("Servitude")
    ORGAN_REMOVAL = "organ_removal", _("Organ removal")
    FORCED_BEGGING = "forced_begging", _("Forced begging")
    FORCED_ADOPTION = "forced_adoption", _("Forced adoption")
    SURROGACY = "surrogacy", _("Surrogacy")
    OTHER = "other", _("Other")


class LabourSector(models.TextChoices):
    AGRICULTURE = "agriculture", _("Agriculture")
    FISHING = "fishing", _("Fishing")
    BEGGING = "begging", _("Begging")
    CONSTRUCTION = "construction", _("Construction")
    DOMESTIC_WORK = "domestic_work", _("Domestic work")
    HOSPITALITY = "hospitality", _("Hospitality")
    ILLICIT_ACTIVITIES = "illicit_activities", _("Illicit activities")
    MANUFACTURING = "manufacturing", _("Manufacturing")
    MINING = "mining", _("Mining")
    PEDDLING = "peddling", _("Peddling")
    TRANSPORTATION = "transportation", _("Transportation")
    OTHER = "other", _("Other")


class SexualExploitationType(models.TextChoices):
    PROSTITUTION = "prostitution", _("Prostitution")
    PORNOGRAPHY = "pornography", _("Pornography")
    REMOTE_INTERACTIVE_SERVICES = "remote_interactive_services", _("Remote interactive services")
    PRIVATE_SEXUAL_SERVICES = "private_sexual_services", _("Private sexual services")


class MeansOfControl(models.TextChoices):
    DEBT_BONDAGE = "debt_bondage", _("Debt bondage")
    TAKES_EARNINGS = "takes_earnings", _("Takes earnings")
    RESTRICTS_FINANCIAL_ACCESS = "restricts_financial_access", _("Restricts financial access")
    PHYSICAL_THREATS = "physical_threats", _("Threats of physical harm")
    THREATENS_FAMILY = "threatens_family", _("Threatens family")
    THREATS_LAW_ENFORCEMENT = "threats_law_enforcement", _("Threats of law enforcement action")
    PSYCHOLOGICAL_ABUSE = "psychological_abuse", _("Psychological abuse")
    PHYSICAL_ABUSE = "physical_abuse", _("Physical abuse")
    SEXUAL_ABUSE = "sexual_abuse", _("Sexual abuse")
    FALSE_PROMISES = "false_promises", _("False promises")
    PSYCHOACTIVE_SUBSTANCES = "psychoactive_substances", _("Psychoactive substances")
    RESTRICTS_MOVEMENT = "restricts_movement", _("Restricts movement")
    RESTRICTS_MEDICAL_CARE = "restricts_medical_care", _("Restricts medical care")
    EXCESSIVE_WORKING_HOURS = "excessive_working_hours", _("Excessive working hours")
    WITHHOLDS_NECESSITIES = "withholds_necessities", _("Withholds necessities")
    WITHHOLDS_DOCUMENTS = "withholds_documents", _("Withholds documents")
    OTHER = "other", _("Other")


class RecruitmentMethod(models.TextChoices):
    """HTCDS MethodOfRecruitment, in snake_case."""

    ABDUCTION = "abduction", _("Abduction")
    FALSE_JOB_OFFER = "false_job_offer", _("False job offer")
    FALSE_MARRIAGE_OFFER = "false_marriage_offer", _("False marriage offer")
    FALSE_EDUCATION_OFFER = "false_education_offer", _("False education offer")
    FALSE_TRAVEL_OFFER = "false_travel_offer", _("False travel offer")
    APPROACHED_BY_INTERMEDIARY = "approached_by_intermediary", _("Approached by an intermediary")
    ONLINE = "online", _("Online / social media")
    SOLD_BY_FAMILY = "sold_by_family", _("Sold by family")
    PERSONAL_ACQUAINTANCE = "personal_acquaintance", _("Personal acquaintance")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")


class RecruiterRelation(models.TextChoices):
    INTIMATE_PARTNER = "intimate_partner", _("Intimate partner")
    FRIEND = "friend", _("Friend")
    FAMILY = "family", _("Family")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")


class SuspectRole(models.TextChoices):
    RECRUITER_OR_INTERMEDIARY = "recruiter_or_intermediary", _("Recruiter or intermediary")
    BROKER_TRAVEL_AGENT = "broker_travel_agent", _("Broker / travel agent")
    TRANSPORTER = "transporter", _("Transporter")
    EXPLOITER = "exploiter", _("Exploiter")
    BUYER = "buyer", _("Buyer")
    SMUGGLER = "smuggler", _("Smuggler")
    ABUSER = "abuser", _("Abuser")
    OTHER = "other", _("Other")


class OperationKind(models.TextChoices):
    RAID = "raid", _("Raid")
    RESCUE = "rescue", _("Rescue")
    PATROL = "patrol", _("Patrol")
    INSPECTION = "inspection", _("Inspection")
    INTERCEPTION = "interception", _("Interception")


class Placement(models.TextChoices):
    DOSVY = "dosvy", _("DoSVY")
    NGO = "ngo", _("NGO")
    FAMILY = "family", _("Family")
    OTHER = "other", _("Other")


class Verdict(models.TextChoices):
    PENDING = "pending", _("Pending")
    CONVICTED = "convicted", _("Convicted")
    ACQUITTED = "acquitted", _("Acquitted")
    DISMISSED = "dismissed", _("Dismissed")
