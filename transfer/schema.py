"""The JSON Lines import/export format (SPEC section 6): which fields each record type has.

One line is one record: `{"type": "victim", "ref": "v1", "agency": "DoSVY-BMC", ...}`. The
field names are the SPEC section 2 names, which are also the model field names. A *link* names
another record by its `ref` (or, for agencies, their acronym; or any record already in the
database by its UUID). A *nested* field is a list of child rows that exist only inside their
parent (an operation's rescues, a prosecution's defendants, a referral's transitions).

Victim photos and document files are not carried by this format (a `document` line carries
its metadata only). Fields that name a user (`by`, `recorded_by`, `assigned_to`) hold the
username, which must exist where the file is imported.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models

from agencies.models import Agency
from cases.models import Case, Defendant, Operation, Prosecution, Rescue, Suspect
from casework.models import (
    CarePlan,
    CarePlanGoal,
    CarePlanTask,
    CaseNote,
    Consent,
    Document,
    RiskAssessment,
)
from handovers.models import Handover, HandoverTransition
from referrals.models import Referral, ReferralTransition, Service
from reports.models import Activity, DeporteeReport
from victims.models import FollowUp, Repatriation, Victim


@dataclass(frozen=True)
class Link:
    """A field naming another record of type `target`; `many` for a list of them."""

    target: str
    many: bool = False


@dataclass(frozen=True)
class Nested:
    """A list of child rows stored in `model`, each pointing at its parent by `parent_field`."""

    model: type[models.Model]
    parent_field: str
    columns: tuple[str, ...]
    links: dict[str, Link] = field(default_factory=dict)
    # Lists inside each child (a care plan's goals hold their tasks), kept in list order.
    nested: dict[str, Nested] = field(default_factory=dict)
    known: frozenset[str] = field(init=False, repr=False, compare=False)  # the columns

    def __post_init__(self) -> None:
        object.__setattr__(self, "known", frozenset(self.columns))


# Columns that name a user by username.
USERNAME_COLUMNS = frozenset({"by", "recorded_by", "assigned_to"})


@dataclass(frozen=True)
class RecordType:
    """One record type of the file: its model and its columns in output order."""

    name: str
    model: type[models.Model]
    columns: tuple[str, ...]
    links: dict[str, Link] = field(default_factory=dict)
    nested: dict[str, Nested] = field(default_factory=dict)
    # The columns as a set: a line's unknown fields are one set difference away.
    known: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "known", frozenset(self.columns))

    @property
    def plain_columns(self) -> tuple[str, ...]:
        return tuple(
            c
            for c in self.columns
            if c not in self.links and c not in self.nested and c not in USERNAME_COLUMNS
        )


AGENCY = Link("agency")
VICTIM = Link("victim")
CASE = Link("case")
SUSPECT = Link("suspect")

RECORD_TYPES: tuple[RecordType, ...] = (
    RecordType(
        "agency",
        Agency,
        (
            "name",
            "name_khmer",
            "acronym",
            "oscar_short_name",
            "kind",
            "province",
            "parent",
            "accepts_referrals",
            "services",
            "working_groups",
        ),
        links={"parent": AGENCY},
    ),
    RecordType(
        "victim",
        Victim,
        (
            "agency",
            "given_name",
            "family_name",
            "name_khmer",
            "sex",
            "date_of_birth",
            "birth_year",
            "citizenship",
            "primary_language",
            "literate_khmer",
            "contact",
            "home_province",
            "home_district",
            "home_commune",
            "home_village",
            "trafficking_status",
            "consent_services",
            "consent_data_sharing",
            "consent_legal_proceedings",
            "social_notes",
            "medical_notes",
            "psychosocial_notes",
            "is_archived",
            "archived_reason",
            "merged_into",
            "merged_at",
        ),
        links={"agency": AGENCY, "merged_into": VICTIM},
    ),
    RecordType(
        "suspect",
        Suspect,
        (
            "agency",
            "given_name",
            "family_name",
            "aliases",
            "sex",
            "birth_year",
            "citizenship",
            "role",
            "address_known",
            "identified_by_victim",
        ),
        links={"agency": AGENCY},
    ),
    RecordType(
        "case",
        Case,
        (
            "agency",
            "opened_on",
            "closed_on",
            "status",
            "closure_reason",
            "exploitation_types",
            "cross_border",
            "countries_of_exploitation",
            "labour_sectors",
            "sexual_exploitation_types",
            "means_of_control",
            "recruitment_method",
            "recruiter_relation",
            "victims",
            "suspects",
            "notes",
        ),
        links={
            "agency": AGENCY,
            "victims": Link("victim", many=True),
            "suspects": Link("suspect", many=True),
        },
    ),
    RecordType(
        "operation",
        Operation,
        ("agency", "case", "date", "kind", "province", "suspects_detained", "rescues", "notes"),
        links={"agency": AGENCY, "case": CASE, "suspects_detained": Link("suspect", many=True)},
        nested={
            "rescues": Nested(
                Rescue,
                "operation",
                ("victim", "placement", "placed_with"),
                {"victim": VICTIM, "placed_with": AGENCY},
            ),
        },
    ),
    RecordType(
        "prosecution",
        Prosecution,
        ("court", "case", "court_case_number", "filed_on", "charges", "defendants"),
        links={"court": AGENCY, "case": CASE},
        nested={
            "defendants": Nested(
                Defendant,
                "prosecution",
                ("suspect", "verdict", "verdict_on", "sentence_months"),
                {"suspect": SUSPECT},
            ),
        },
    ),
    RecordType(
        "referral",
        Referral,
        (
            "victim",
            "case",
            "from_agency",
            "to_agency",
            "created_on",
            "services_requested",
            "reason",
            "urgency",
            "status",
            "decline_reason",
            "transitions",
        ),
        links={"victim": VICTIM, "case": CASE, "from_agency": AGENCY, "to_agency": AGENCY},
        nested={
            # from_status and to_status follow from the workflow; `by` is a username.
            "transitions": Nested(
                ReferralTransition,
                "referral",
                ("transition", "at", "by", "by_agency", "reason"),
                {"by_agency": AGENCY},
            ),
        },
    ),
    RecordType(
        "handover",
        Handover,
        (
            "victim",
            "case",
            "from_agency",
            "to_agency",
            "kind",
            "created_on",
            "reason",
            "status",
            "decline_reason",
            "transitions",
        ),
        links={"victim": VICTIM, "case": CASE, "from_agency": AGENCY, "to_agency": AGENCY},
        nested={
            # As a referral's: from_status and to_status follow from the workflow.
            "transitions": Nested(
                HandoverTransition,
                "handover",
                ("transition", "at", "by", "by_agency", "reason"),
                {"by_agency": AGENCY},
            ),
        },
    ),
    RecordType(
        "service",
        Service,
        ("referral", "victim", "agency", "date", "service", "notes"),
        links={"referral": Link("referral"), "victim": VICTIM, "agency": AGENCY},
    ),
    RecordType(
        "repatriation",
        Repatriation,
        (
            "victim",
            "kind",
            "from_country",
            "received_on",
            "receiving_agency",
            "border_province",
            "assisted_by",
        ),
        links={
            "victim": VICTIM,
            "receiving_agency": AGENCY,
            "assisted_by": Link("agency", many=True),
        },
    ),
    RecordType(
        "follow_up",
        FollowUp,
        ("victim", "agency", "date", "kind", "outcome"),
        links={"victim": VICTIM, "agency": AGENCY},
    ),
    RecordType(
        "case_note",
        CaseNote,
        ("victim", "case", "agency", "date", "kind", "text", "confidential"),
        links={"victim": VICTIM, "case": CASE, "agency": AGENCY},
    ),
    RecordType(
        "care_plan",
        CarePlan,
        ("victim", "agency", "created_on", "review_on", "goals"),
        links={"victim": VICTIM, "agency": AGENCY},
        nested={
            "goals": Nested(
                CarePlanGoal,
                "plan",
                ("domain", "goal", "tasks"),
                nested={
                    "tasks": Nested(
                        CarePlanTask, "goal", ("task", "due_on", "done_on", "assigned_to")
                    )
                },
            )
        },
    ),
    RecordType(
        "risk_assessment",
        RiskAssessment,
        ("victim", "agency", "date", "level", "factors", "notes"),
        links={"victim": VICTIM, "agency": AGENCY},
    ),
    RecordType(
        "document",
        Document,
        ("victim", "case", "prosecution", "agency", "kind", "title", "content_type", "size"),
        links={
            "victim": VICTIM,
            "case": CASE,
            "prosecution": Link("prosecution"),
            "agency": AGENCY,
        },
    ),
    RecordType(
        "consent",
        Consent,
        ("victim", "kind", "given", "date", "method", "recorded_by", "agency", "document"),
        links={"victim": VICTIM, "agency": AGENCY, "document": Link("document")},
    ),
    RecordType(
        "activity",
        Activity,
        (
            "agency",
            "date",
            "kind",
            "working_group",
            "province",
            "participants_total",
            "participants_female",
            "participants_children",
            "description",
        ),
        links={"agency": AGENCY},
    ),
    RecordType(
        "deportee_report",
        DeporteeReport,
        ("agency", "month", "from_country", "total", "female", "children", "detained_over_month"),
        links={"agency": AGENCY},
    ),
)

# In dependency order: a record only links to types listed before it (and agencies to agencies).
BY_NAME: dict[str, RecordType] = {record_type.name: record_type for record_type in RECORD_TYPES}
