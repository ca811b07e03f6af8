"""Hand-overs: responsibility for a person (and optionally their case) passing from one agency
to another, and the history of each hand-over's answers (SPEC section 7)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ctms.models import Record, TransitionRecord
from ctms.rules import AFTER_TODAY, today

from .choices import MOVES_OWNERSHIP, HandoverKind, HandoverStatus, HandoverTransitionName
from .workflow import step


class Handover(Record):
    """A victim (and, for a transfer, their case) offered by one agency to another, or an
    agency's request to the owner for access to a record. `from_agency` is always the side that
    created it, `to_agency` the side that answers."""

    victim = models.ForeignKey("victims.Victim", on_delete=models.PROTECT, related_name="handovers")
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="handovers"
    )
    from_agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="handovers_sent"
    )
    to_agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="handovers_received"
    )
    kind = models.CharField(max_length=20, choices=HandoverKind.choices)
    created_on = models.DateField()
    reason = models.TextField(blank=True)
    status = models.CharField(
        max_length=20, choices=HandoverStatus.choices, default=HandoverStatus.PENDING
    )
    decline_reason = models.TextField(blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_on", "-created_at"]
        indexes = [
            models.Index(fields=["to_agency", "status", "-created_on"]),
            models.Index(fields=["from_agency", "-created_on"]),
            models.Index(fields=["victim", "status"]),
            # Every hand-over, newest first (the administrators' list).
            models.Index(fields=["-created_on", "-created_at"], name="handover_newest"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=HandoverKind.values), name="handover_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=HandoverStatus.values), name="handover_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(from_agency=models.F("to_agency")), name="handover_not_to_self"
            ),
            models.CheckConstraint(
                condition=Q(case__isnull=True) | Q(kind=HandoverKind.TRANSFER),
                name="handover_case_only_in_transfer",
            ),
            # A person is handed to one agency at a time: a second offer waits for the first.
            models.UniqueConstraint(
                fields=["victim"],
                condition=Q(status=HandoverStatus.PENDING, kind__in=sorted(MOVES_OWNERSHIP)),
                name="handover_one_pending_move_per_victim",
            ),
            models.UniqueConstraint(
                fields=["victim", "from_agency"],
                condition=Q(status=HandoverStatus.PENDING, kind=HandoverKind.ACCESS_REQUEST),
                name="handover_one_pending_request_per_agency",
            ),
        ]

    def __str__(self) -> str:
        return f"Handover {str(self.id)[:8]} {self.kind} → {self.to_agency_id} ({self.status})"

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if self.created_on and self.created_on > today():
            errors.setdefault("created_on", []).append(AFTER_TODAY)
        if self.from_agency_id and self.from_agency_id == self.to_agency_id:
            errors.setdefault("to_agency", []).append(_("A hand-over goes to another agency."))
        if self.case_id and self.kind != HandoverKind.TRANSFER:
            errors.setdefault("case", []).append(_("Only a transfer moves a case."))
        elif self._case_without_victim():
            errors.setdefault("case", []).append(_("This case is not the person's."))
        if self.status == HandoverStatus.DECLINED and not self.decline_reason.strip():
            errors.setdefault("decline_reason", []).append(_("Give a reason for declining."))
        if errors:
            raise ValidationError(errors)

    def _case_without_victim(self) -> bool:
        """Whether the case named does not link the person. Checked when the case object is at
        hand (services); the importer links by id, to rows that may not be written yet."""
        if not (self.case_id and self.victim_id and self._meta.get_field("case").is_cached(self)):
            return False
        return not self.case.victims.filter(pk=self.victim_id).exists()

    def can_transition(self, transition: str) -> bool:
        """Whether `transition` is allowed from the current status."""
        return step(self.status, transition) is not None

    @property
    def moves_ownership(self) -> bool:
        return self.kind in MOVES_OWNERSHIP


class HandoverTransition(TransitionRecord):
    """Who answered or withdrew a hand-over, when and why (the hand-over's history)."""

    handover = models.ForeignKey(Handover, on_delete=models.CASCADE, related_name="transitions")
    transition = models.CharField(max_length=10, choices=HandoverTransitionName.choices)
    from_status = models.CharField(max_length=20, choices=HandoverStatus.choices)
    to_status = models.CharField(max_length=20, choices=HandoverStatus.choices)
