"""Case work on a victim (SPEC section 9): notes, care plans with goals and tasks, risk
assessments, documents and consent entries. Each belongs to the agency that wrote it."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ctms.choices import ServiceCode
from ctms.models import Record
from ctms.rules import Rules, today
from ctms.validators import CodeListValidator

from .choices import ConsentKind, ConsentMethod, DocumentKind, NoteKind, RiskFactor, RiskLevel

MAX_DOCUMENT_BYTES = 15 * 1024 * 1024
DOCUMENT_TYPES = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


REVIEW_BEFORE_PLAN = _("The review date cannot be before the plan's date.")


def validate_not_after_today(value) -> None:
    """An event cannot be dated after today (SPEC section 10)."""
    if value and value > today():
        raise ValidationError(_("The date cannot be after today."), code="future_date")


class CaseNote(Record):
    """What a social worker, nurse, counsellor or lawyer wrote about a person. A confidential
    note is seen only by the writing agency's users."""

    victim = models.ForeignKey(
        "victims.Victim", on_delete=models.PROTECT, related_name="case_notes"
    )
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="case_notes"
    )
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    date = models.DateField(validators=[validate_not_after_today])
    kind = models.CharField(max_length=20, choices=NoteKind.choices)
    text = models.TextField()
    confidential = models.BooleanField(default=False)

    class Meta:
        ordering = ["-date", "-created_at"]
        indexes = [models.Index(fields=["victim", "date"])]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=NoteKind.values), name="case_note_kind"),
            models.CheckConstraint(condition=~Q(text=""), name="case_note_has_text"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} note of {self.date}"

    def clean(self) -> None:
        # Checked against the stored links; an import checks its links once they are written.
        if self.case_id and self.victim_id:
            on_case = CaseNote.case.field.related_model.victims.through.objects.filter(
                case_id=self.case_id
            )
            if on_case.exists() and not on_case.filter(victim_id=self.victim_id).exists():
                raise ValidationError({"case": _("The person is not on this case.")})


class CarePlan(Record):
    """What an agency plans with a person: goals per service domain, each with tasks."""

    victim = models.ForeignKey(
        "victims.Victim", on_delete=models.PROTECT, related_name="care_plans"
    )
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    created_on = models.DateField(validators=[validate_not_after_today])
    review_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-created_on", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(review_on__isnull=True) | Q(review_on__gte=models.F("created_on")),
                name="care_plan_review_after_creation",
                violation_error_message=REVIEW_BEFORE_PLAN,
            )
        ]

    def __str__(self) -> str:
        return f"care plan of {self.created_on}"

    def clean(self) -> None:
        """The constraint's rule, said next to the review date."""
        rules = Rules(self)
        rules.not_before("review_on", self.created_on, REVIEW_BEFORE_PLAN)
        rules.check()


class CarePlanGoal(Record):
    """One goal of a care plan, in one service domain."""

    plan = models.ForeignKey(CarePlan, on_delete=models.CASCADE, related_name="goals")
    position = models.PositiveSmallIntegerField(default=0)
    domain = models.CharField(max_length=30, choices=ServiceCode.choices)
    goal = models.TextField()

    class Meta:
        ordering = ["position", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(domain__in=ServiceCode.values), name="care_plan_goal_domain"
            ),
            models.CheckConstraint(condition=~Q(goal=""), name="care_plan_goal_has_text"),
        ]

    def __str__(self) -> str:
        return self.goal[:60]


class CarePlanTask(Record):
    """A step towards a goal, due on a date, assigned to a user of the plan's agency."""

    goal = models.ForeignKey(CarePlanGoal, on_delete=models.CASCADE, related_name="tasks")
    position = models.PositiveSmallIntegerField(default=0)
    task = models.TextField()
    due_on = models.DateField(null=True, blank=True)
    done_on = models.DateField(null=True, blank=True, validators=[validate_not_after_today])
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,  # a departed user's tasks stay, unassigned
        related_name="care_plan_tasks",
    )
    overdue_notified_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["position", "created_at"]
        indexes = [models.Index(fields=["assigned_to", "done_on", "due_on"])]
        constraints = [models.CheckConstraint(condition=~Q(task=""), name="care_plan_task_text")]

    def __str__(self) -> str:
        return self.task[:60]

    def is_overdue(self, today) -> bool:
        return self.done_on is None and self.due_on is not None and self.due_on < today


class RiskAssessment(Record):
    """How much danger a person is in, and why, as assessed on a date."""

    victim = models.ForeignKey(
        "victims.Victim", on_delete=models.PROTECT, related_name="risk_assessments"
    )
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    date = models.DateField(validators=[validate_not_after_today])
    level = models.CharField(max_length=10, choices=RiskLevel.choices)
    factors = models.JSONField(default=list, blank=True, validators=[CodeListValidator(RiskFactor)])
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-date", "-created_at"]
        indexes = [models.Index(fields=["victim", "date"])]
        constraints = [
            models.CheckConstraint(condition=Q(level__in=RiskLevel.values), name="risk_level")
        ]

    def __str__(self) -> str:
        return f"{self.level} risk on {self.date}"

    def factor_labels(self) -> str:
        names = dict(RiskFactor.choices)
        return ", ".join(str(names.get(code, code)) for code in self.factors)


class Document(Record):
    """A file (PDF, JPEG or PNG) attached to a victim, a case or a prosecution. The file lives
    under the private MEDIA_ROOT and is streamed by a view that checks access."""

    victim = models.ForeignKey(
        "victims.Victim", null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    prosecution = models.ForeignKey(
        "cases.Prosecution",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    title = models.CharField(max_length=200)
    # Blank only for documents imported without their file (import files carry no files).
    file = models.FileField(upload_to="documents/%Y/", max_length=200, blank=True)
    content_type = models.CharField(max_length=40, editable=False)
    size = models.PositiveIntegerField(editable=False)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=DocumentKind.values), name="document_kind"),
            models.CheckConstraint(
                condition=Q(content_type__in=list(DOCUMENT_TYPES)), name="document_content_type"
            ),
            models.CheckConstraint(
                condition=Q(size__lte=MAX_DOCUMENT_BYTES), name="document_at_most_15_mb"
            ),
            models.CheckConstraint(
                condition=(
                    Q(victim__isnull=False, case__isnull=True, prosecution__isnull=True)
                    | Q(victim__isnull=True, case__isnull=False, prosecution__isnull=True)
                    | Q(victim__isnull=True, case__isnull=True, prosecution__isnull=False)
                ),
                name="document_attached_to_one_record",
                violation_error_message=_(
                    "A document is attached to exactly one of: a victim, a case, a prosecution."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Consent(Record):
    """One consent decision of a person. A withdrawal is a new entry with `given` false; the
    victim's `consent_*` fields hold the latest entry of each kind."""

    victim = models.ForeignKey("victims.Victim", on_delete=models.PROTECT, related_name="consents")
    kind = models.CharField(max_length=20, choices=ConsentKind.choices)
    given = models.BooleanField()
    date = models.DateField(validators=[validate_not_after_today])
    method = models.CharField(max_length=10, choices=ConsentMethod.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    agency = models.ForeignKey(
        "agencies.Agency", null=True, on_delete=models.PROTECT, related_name="+"
    )
    document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.PROTECT, related_name="consents"
    )

    class Meta:
        ordering = ["-date", "-created_at"]
        indexes = [models.Index(fields=["victim", "kind", "date"])]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ConsentKind.values), name="consent_kind"),
            models.CheckConstraint(
                condition=Q(method__in=ConsentMethod.values), name="consent_method"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {'given' if self.given else 'refused'} on {self.date}"

    def clean(self) -> None:
        # A document not stored yet (later in the same import file) is checked by its link.
        if not self.document_id:
            return
        owners = list(
            Document.objects.filter(pk=self.document_id).values_list("victim_id", flat=True)
        )
        if owners and owners[0] != self.victim_id:
            raise ValidationError({"document": _("The document belongs to another person.")})
