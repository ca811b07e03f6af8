"""Referrals of victims to partner agencies, their transitions, services delivered, webhooks."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ctms.choices import ReferralStatus, ServiceCode
from ctms.fields import CodeListField
from ctms.models import Record, TransitionRecord
from ctms.rules import Rules, related
from victims.models import BEFORE_BIRTH, birth_date_of

from .choices import Transition, Urgency
from .workflow import step

NO_SERVICES_CONSENT = _(
    "The victim has not consented to receive services; a referral cannot be sent."
)


class Referral(Record):
    """An outgoing referral (HTCDS) of a victim from one agency to another."""

    victim = models.ForeignKey("victims.Victim", on_delete=models.PROTECT, related_name="referrals")
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="referrals"
    )
    from_agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="referrals_sent"
    )
    to_agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="referrals_received"
    )
    created_on = models.DateField()
    services_requested = CodeListField(ServiceCode)
    reason = models.TextField(blank=True)
    urgency = models.CharField(max_length=10, choices=Urgency.choices, default=Urgency.ROUTINE)
    status = models.CharField(
        max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.PENDING
    )
    decline_reason = models.TextField(blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_on", "-created_at"]
        indexes = [
            models.Index(fields=["to_agency", "status", "-created_on"]),
            # The API inbox pages by (created_on, created_at): one index scan per page.
            models.Index(
                fields=["to_agency", "status", "-created_on", "-created_at"],
                name="referral_inbox_page",
            ),
            models.Index(
                fields=["to_agency", "-created_on", "-created_at"], name="referral_received_page"
            ),
            models.Index(fields=["from_agency", "-created_on"]),
            models.Index(fields=["created_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ReferralStatus.values), name="referral_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(urgency__in=Urgency.values), name="referral_urgency_valid"
            ),
            models.CheckConstraint(
                condition=~Q(from_agency=models.F("to_agency")), name="referral_not_to_self"
            ),
        ]

    def __str__(self) -> str:
        return f"Referral {str(self.id)[:8]} → {self.to_agency_id} ({self.status})"

    def clean(self) -> None:
        """SPEC sections 3 and 10: a new referral needs the victim's consent to services; its
        date is not after today nor before the person was born."""
        rules = Rules(self)
        rules.not_after_today("created_on")
        rules.not_before("created_on", birth_date_of(self), BEFORE_BIRTH)
        if self._state.adding:
            victim = related(self, "victim")
            rules.require(
                victim is None or victim.consent_services is True, "victim", NO_SERVICES_CONSENT
            )
        rules.check()

    def can_transition(self, transition: str) -> bool:
        """Whether `transition` is allowed from the current status (by the workflow table)."""
        return step(self.status, transition) is not None


class ReferralTransition(TransitionRecord):
    """Who moved a referral from one status to another, when and why (the referral's history)."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="transitions")
    transition = models.CharField(max_length=10, choices=Transition.choices)
    from_status = models.CharField(max_length=20, choices=ReferralStatus.choices)
    to_status = models.CharField(max_length=20, choices=ReferralStatus.choices)


class Service(Record):
    """A service delivered to a victim, under a referral or directly."""

    referral = models.ForeignKey(
        Referral, null=True, blank=True, on_delete=models.PROTECT, related_name="services"
    )
    victim = models.ForeignKey("victims.Victim", on_delete=models.PROTECT, related_name="services")
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="services_delivered"
    )
    date = models.DateField()
    service = models.CharField(max_length=30, choices=ServiceCode.choices)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(service__in=ServiceCode.values), name="service_code_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.service} on {self.date}"

    def clean(self) -> None:
        rules = Rules(self)
        rules.not_after_today("date")
        rules.not_before("date", birth_date_of(self), BEFORE_BIRTH)
        rules.check()


class WebhookEndpoint(Record):
    """A partner's URL that receives signed referral events."""

    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    url = models.URLField(max_length=500)
    secret = models.CharField(max_length=128)
    is_active = models.BooleanField(default=True)

    def __str__(self) -> str:
        return self.url


class WebhookDelivery(models.Model):
    """One attempt (and its retries) to post an event to an endpoint."""

    id = models.BigAutoField(primary_key=True)
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(max_length=50)
    payload = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=0)
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    # Set when the retries ran out (or the address was refused): nothing more is tried until
    # someone asks for a redelivery (POST /api/v1/webhook-deliveries/{id}/redeliver/).
    given_up_at = models.DateTimeField(null=True, blank=True)
    log = models.JSONField(
        default=list, blank=True, help_text="Each attempt: when, HTTP status, error (last 20)"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "webhook deliveries"

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint_id} ({self.attempts} attempts)"

    @property
    def state(self) -> str:
        """`delivered`, `given_up`, `retrying` (failed, another attempt is due) or `pending`
        (not attempted yet)."""
        if self.delivered_at is not None:
            return "delivered"
        if self.given_up_at is not None:
            return "given_up"
        return "retrying" if self.attempts else "pending"
