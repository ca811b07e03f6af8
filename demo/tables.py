"""The tables the demo generator fills, with the columns (model attribute names) of its rows,
in the order they are written (a table only references tables before it)."""

from __future__ import annotations

from django.db import models

from cases.models import Case, Defendant, Operation, Prosecution, Rescue, Suspect
from handovers.models import Handover, HandoverTransition
from referrals.models import Referral, ReferralTransition, Service
from reports.models import Activity, DeporteeReport
from victims.models import FollowUp, Repatriation, Victim

RECORD = ("id", "created_at", "updated_at", "created_by_id")

TABLES: dict[str, tuple[type[models.Model], tuple[str, ...]]] = {
    "victim": (
        Victim,
        RECORD
        + (
            "agency_id", "given_name", "family_name", "name_khmer", "sex", "date_of_birth",
            "birth_year", "citizenship", "primary_language", "literate_khmer", "contact",
            "home_province", "home_district", "home_commune", "home_village",
            "trafficking_status", "consent_services", "consent_data_sharing",
            "consent_legal_proceedings", "social_notes", "match_given", "match_family",
            "match_khmer", "match_year",
        ),
    ),
    "suspect": (
        Suspect,
        RECORD
        + (
            "agency_id", "given_name", "family_name", "aliases", "sex", "birth_year",
            "citizenship", "role", "address_known", "identified_by_victim",
        ),
    ),
    "case": (
        Case,
        RECORD
        + (
            "agency_id", "opened_on", "closed_on", "status", "closure_reason",
            "exploitation_types", "cross_border", "countries_of_exploitation", "labour_sectors",
            "sexual_exploitation_types", "means_of_control", "recruitment_method",
            "recruiter_relation", "notes",
        ),
    ),
    "case_victim": (Case.victims.through, ("case_id", "victim_id")),
    "case_suspect": (Case.suspects.through, ("case_id", "suspect_id")),
    "operation": (
        Operation,
        RECORD + ("agency_id", "case_id", "date", "kind", "province", "notes"),
    ),
    "operation_suspect": (Operation.suspects_detained.through, ("operation_id", "suspect_id")),
    "rescue": (Rescue, ("operation_id", "victim_id", "placement", "placed_with_id")),
    "prosecution": (
        Prosecution,
        RECORD + ("court_id", "case_id", "court_case_number", "filed_on", "charges"),
    ),
    "defendant": (
        Defendant,
        ("prosecution_id", "suspect_id", "verdict", "verdict_on", "sentence_months"),
    ),
    "referral": (
        Referral,
        RECORD
        + (
            "victim_id", "case_id", "from_agency_id", "to_agency_id", "created_on",
            "services_requested", "reason", "urgency", "status", "decline_reason",
            "status_changed_at",
        ),
    ),
    "transition": (
        ReferralTransition,
        ("referral_id", "transition", "from_status", "to_status", "at", "by_agency_id", "reason"),
    ),
    "handover": (
        Handover,
        RECORD
        + (
            "victim_id", "case_id", "from_agency_id", "to_agency_id", "kind", "created_on",
            "reason", "status", "decline_reason", "status_changed_at",
        ),
    ),
    "handover_transition": (
        HandoverTransition,
        ("handover_id", "transition", "from_status", "to_status", "at", "by_agency_id", "reason"),
    ),
    "service": (
        Service,
        RECORD + ("referral_id", "victim_id", "agency_id", "date", "service", "notes"),
    ),
    "repatriation": (
        Repatriation,
        RECORD
        + ("victim_id", "kind", "from_country", "received_on", "receiving_agency_id",
           "border_province"),
    ),
    "repatriation_agency": (Repatriation.assisted_by.through, ("repatriation_id", "agency_id")),
    "follow_up": (FollowUp, RECORD + ("victim_id", "agency_id", "date", "kind", "outcome")),
    "activity": (
        Activity,
        RECORD
        + (
            "agency_id", "date", "kind", "working_group", "province", "participants_total",
            "participants_female", "participants_children", "description",
        ),
    ),
    "deportee_report": (
        DeporteeReport,
        RECORD
        + ("agency_id", "month", "from_country", "total", "female", "children",
           "detained_over_month"),
    ),
}  # fmt: skip
