"""Cases, suspects, police operations (with their rescues) and prosecutions (with defendants)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agencies.choices import SHELTERING_KINDS
from ctms.choices import Sex
from ctms.fields import CodeListField, CountryField, CountryListField, ProvinceField
from ctms.models import Record
from ctms.rules import Rules, related, today
from victims.models import BEFORE_BIRTH, BIRTH_YEAR_RANGE, VictimCopy, birth_date_of

from .choices import (
    CaseStatus,
    ExploitationType,
    LabourSector,
    MeansOfControl,
    OperationKind,
    Placement,
    RecruiterRelation,
    RecruitmentMethod,
    SexualExploitationType,
    SuspectRole,
    Verdict,
)

EXPLOITATION_REQUIRED = _("A case needs at least one form of exploitation.")
CLOSED_BEFORE_OPENED = _("A case cannot be closed before it was opened.")
VERDICT_BEFORE_FILING = _("The verdict cannot come before the prosecution was filed.")
VERDICT_DATE_REQUIRED = _("Give the date of the verdict.")
SENTENCE_WITHOUT_CONVICTION = _("A sentence follows a conviction only.")


class Suspect(Record):
    """A person suspected of trafficking (HTCDS per_). `agency` is the agency that recorded them."""

    agency = models.ForeignKey(
        "agencies.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="suspects"
    )
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100, blank=True)
    aliases = models.JSONField(default=list, blank=True)
    sex = models.CharField(max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True)
    citizenship = CountryField(blank=True)
    role = models.CharField(max_length=30, choices=SuspectRole.choices, default=SuspectRole.OTHER)
    address_known = models.BooleanField(null=True, blank=True)
    identified_by_victim = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["family_name", "given_name"]
        constraints = [
            models.CheckConstraint(condition=Q(sex__in=Sex.values), name="suspect_sex_valid"),
            models.CheckConstraint(
                condition=Q(role__in=SuspectRole.values), name="suspect_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return " ".join(p for p in (self.given_name, self.family_name) if p) or str(self.id)[:8]

    def clean(self) -> None:
        rules = Rules(self)
        this_year = today().year
        rules.require(
            self.birth_year is None or 1900 <= self.birth_year <= this_year,
            "birth_year",
            BIRTH_YEAR_RANGE,
            year=this_year,
        )
        rules.check()


class Case(Record):
    """A trafficking case (HTCDS cas_), owned by one agency, linking victims and suspects."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="cases")
    opened_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=CaseStatus.choices, default=CaseStatus.ACTIVE)
    closure_reason = models.TextField(blank=True)
    exploitation_types = CodeListField(ExploitationType)
    cross_border = models.BooleanField(default=False)
    countries_of_exploitation = CountryListField()
    labour_sectors = CodeListField(LabourSector)
    sexual_exploitation_types = CodeListField(SexualExploitationType)
    means_of_control = CodeListField(MeansOfControl)
    recruitment_method = models.CharField(
        max_length=40, choices=RecruitmentMethod.choices, blank=True
    )
    recruiter_relation = models.CharField(
        max_length=20, choices=RecruiterRelation.choices, blank=True
    )
    victims = models.ManyToManyField("victims.Victim", blank=True, related_name="cases")
    suspects = models.ManyToManyField(Suspect, blank=True, related_name="cases")
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-opened_on"]
        indexes = [models.Index(fields=["opened_on"]), models.Index(fields=["closed_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=CaseStatus.values), name="case_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("opened_on")),
                name="case_closed_after_opened",
                violation_error_message=CLOSED_BEFORE_OPENED,
            ),
        ]

    def __str__(self) -> str:
        return f"Case {str(self.id)[:8]} ({self.opened_on})"

    def clean(self) -> None:
        rules = Rules(self)
        rules.require(bool(self.exploitation_types), "exploitation_types", EXPLOITATION_REQUIRED)
        rules.not_after_today("opened_on", "closed_on")
        rules.not_before("closed_on", self.opened_on, CLOSED_BEFORE_OPENED)
        rules.check()

    @property
    def is_closed(self) -> bool:
        return self.status in (CaseStatus.CLOSED, CaseStatus.CLOSED_REFERRED)


class Operation(Record):
    """A police action (raid, rescue, …) with the suspects detained and the victims rescued."""

    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="operations"
    )
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="operations"
    )
    date = models.DateField()
    kind = models.CharField(max_length=20, choices=OperationKind.choices)
    province = ProvinceField()
    suspects_detained = models.ManyToManyField(Suspect, blank=True, related_name="operations")
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-date"]
        indexes = [models.Index(fields=["date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=OperationKind.values), name="operation_kind_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} on {self.date}"

    def clean(self) -> None:
        rules = Rules(self)
        rules.not_after_today("date")
        rules.check()


# Placements that put the person in an agency's care: the rescue names that agency.
PLACED_WITH_AGENCY = frozenset({Placement.DOSVY, Placement.NGO})


class Rescue(VictimCopy):
    """A victim rescued in an operation, where they were placed and, for a DoSVY or NGO
    placement, the agency that took them in (`placed_with`)."""

    id = models.BigAutoField(primary_key=True)
    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="rescues")
    victim = models.ForeignKey("victims.Victim", on_delete=models.PROTECT, related_name="rescues")
    placement = models.CharField(max_length=10, choices=Placement.choices)
    placed_with = models.ForeignKey(
        "agencies.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="placements",
    )
    # The operation's date, kept by the database like the victim's copies (`reports.copies`).
    operation_date = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["operation", "victim"], name="rescue_once_per_operation"
            ),
            models.CheckConstraint(
                condition=Q(placement__in=Placement.values), name="rescue_placement_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.victim_id} → {self.placement}"

    def before_birth(self) -> bool:
        """Whether the operation's date is before the person's birth (both known). An edit of
        the operation asks this of each rescue, the rescue's own `clean` too."""
        operation = related(self, "operation")
        born = birth_date_of(self)
        return operation is not None and born is not None and operation.date < born

    def clean(self) -> None:
        """A person cannot be rescued before they were born. A DoSVY or NGO placement names the
        agency that took the person in; a placement with the family names none."""
        rules = Rules(self)
        rules.require(not self.before_birth(), "victim", BEFORE_BIRTH)
        rules.require(
            self.placement not in PLACED_WITH_AGENCY or self.placed_with_id is not None,
            "placed_with",
            _("Name the agency that took the person in."),
        )
        rules.require(
            self.placement != Placement.FAMILY or self.placed_with_id is None,
            "placed_with",
            _("A person placed with their family is not placed with an agency."),
        )
        # The agency's kind is checked when the agency object is at hand (forms, API, services);
        # the importer links by id, possibly to an agency of the same file not yet written.
        agency = self.placed_with if self._meta.get_field("placed_with").is_cached(self) else None
        rules.require(
            agency is None or agency.kind in SHELTERING_KINDS,
            "placed_with",
            _("A police unit or a court does not take people in."),
        )
        rules.check()


class Prosecution(Record):
    """A criminal case filed at a court for a trafficking case."""

    court = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="prosecutions"
    )
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="prosecutions"
    )
    court_case_number = models.CharField(max_length=60, blank=True)
    filed_on = models.DateField()
    charges = models.TextField(blank=True)

    class Meta:
        ordering = ["-filed_on"]
        indexes = [models.Index(fields=["filed_on"])]

    def __str__(self) -> str:
        return self.court_case_number or f"Prosecution {str(self.id)[:8]}"

    def clean(self) -> None:
        rules = Rules(self)
        rules.not_after_today("filed_on")
        rules.check()


class Defendant(models.Model):
    """A suspect as a defendant in a prosecution, with the verdict."""

    id = models.BigAutoField(primary_key=True)
    prosecution = models.ForeignKey(
        Prosecution, on_delete=models.CASCADE, related_name="defendants"
    )
    suspect = models.ForeignKey(Suspect, on_delete=models.PROTECT, related_name="defendants")
    verdict = models.CharField(max_length=10, choices=Verdict.choices, default=Verdict.PENDING)
    verdict_on = models.DateField(null=True, blank=True)
    sentence_months = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["verdict", "verdict_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["prosecution", "suspect"], name="defendant_once_per_prosecution"
            ),
            models.CheckConstraint(
                condition=Q(verdict__in=Verdict.values), name="defendant_verdict_valid"
            ),
            models.CheckConstraint(
                condition=Q(verdict=Verdict.PENDING) | Q(verdict_on__isnull=False),
                name="defendant_verdict_dated",
                violation_error_message=VERDICT_DATE_REQUIRED,
            ),
            models.CheckConstraint(
                condition=Q(sentence_months__isnull=True) | Q(verdict=Verdict.CONVICTED),
                name="defendant_sentence_only_convicted",
                violation_error_message=SENTENCE_WITHOUT_CONVICTION,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.suspect} ({self.verdict})"

    def clean(self) -> None:
        """SPEC section 10: a verdict other than pending has its date, not after today nor
        before the filing; a sentence only with a conviction."""
        rules = Rules(self)
        rules.require(
            self.verdict == Verdict.PENDING or self.verdict_on is not None,
            "verdict_on",
            VERDICT_DATE_REQUIRED,
        )
        rules.not_after_today("verdict_on")
        prosecution = related(self, "prosecution")
        filed_on = prosecution.filed_on if prosecution else None
        rules.not_before("verdict_on", filed_on, VERDICT_BEFORE_FILING)
        rules.require(
            self.sentence_months is None or self.verdict == Verdict.CONVICTED,
            "sentence_months",
            SENTENCE_WITHOUT_CONVICTION,
        )
        rules.check()


class CourtSubmission(Record):
    """A case sent to a court by its owner or by the police unit of one of its operations:
    the court may then read it and file prosecutions on it (and on nothing else)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="court_submissions")
    court = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="cases_received"
    )
    sent_by_agency = models.ForeignKey(
        "agencies.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "court"], name="case_sent_once_per_court")
        ]

    def __str__(self) -> str:
        return f"Case {str(self.case_id)[:8]} → {self.court_id}"
