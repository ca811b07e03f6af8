"""Exchange with OSCaR and Primero (SPEC section 11): the external systems CTMS talks to, the
links between their records and CTMS's, and a log of every exchange."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ctms.models import Record, register_audit_actions

# The audit actions of the exchange, declared to the core's audit trail (its `action` choices).
AUDIT_ACTIONS = (
    ("system_registered", _("External system registered")),
    ("system_rotated", _("External system password changed")),
    ("system_deactivated", _("External system deactivated")),
    ("system_reactivated", _("External system reactivated")),
    ("oscar_sign_in_failed", _("External system sign-in failed")),
    ("oscar_upsert", _("Client received from an external system")),
    ("oscar_update_links", _("Client ids received from an external system")),
    ("oscar_statuses", _("Referral statuses received from an external system")),
    ("oscar_sync", _("Exchange run with an external system")),
)
register_audit_actions(*AUDIT_ACTIONS)


class ExternalSystem(Record):
    """An OSCaR instance, a Primero or an OpenFn job acting for one agency.

    It signs in to CTMS with `login` and a password (stored hashed); behind it stands a service
    user of its agency, `user`, whose hashed expiring API tokens answer the OSCaR-style sign-in.
    With a `url`, CTMS is also its client and pulls from it (`remote_login`/`remote_password`).
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="external_systems"
    )
    login = models.CharField(_("login"), max_length=150, unique=True)
    password_hash = models.CharField(max_length=256)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="external_system"
    )
    url = models.URLField(_("API url"), max_length=500, blank=True)
    remote_login = models.CharField(max_length=150, blank=True)
    # CTMS must present this to the partner's API, so it cannot be stored hashed.
    remote_password = models.CharField(max_length=256, blank=True)
    cursor = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ExternalClient(models.Model):
    """A person as an external system knows them: its `external_id`, and the OSCaR `global_id`
    shared by every system. One per (system, external_id)."""

    id = models.BigAutoField(primary_key=True)
    system = models.ForeignKey(ExternalSystem, on_delete=models.CASCADE, related_name="clients")
    victim = models.ForeignKey(
        "victims.Victim", on_delete=models.CASCADE, related_name="external_links"
    )
    external_id = models.CharField(max_length=100, blank=True)
    external_id_display = models.CharField(max_length=100, blank=True)
    global_id = models.CharField(max_length=40, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["system", "external_id"],
                condition=~Q(external_id=""),
                name="external_client_unique_external_id",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.system} {self.external_id or self.global_id}"


class ExternalReferral(models.Model):
    """A CTMS referral that came from (`inbound`) or went to (`outbound`) an external system,
    with the id the system gave it and the status it last heard."""

    class Direction(models.TextChoices):
        INBOUND = "inbound", _("Came from")
        OUTBOUND = "outbound", _("Went to")

    id = models.BigAutoField(primary_key=True)
    system = models.ForeignKey(ExternalSystem, on_delete=models.CASCADE, related_name="referrals")
    referral = models.OneToOneField(
        "referrals.Referral", on_delete=models.CASCADE, related_name="external"
    )
    direction = models.CharField(max_length=10, choices=Direction.choices)
    external_referral_id = models.CharField(max_length=100, blank=True)
    external_status = models.CharField(max_length=20, blank=True)
    sent_status = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(direction__in=["inbound", "outbound"]),
                name="external_referral_direction",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.system}"

    @property
    def client_id(self) -> str:
        """The id the system gave the person (shown as it shows it), once it told CTMS."""
        link = (
            ExternalClient.objects.filter(
                system_id=self.system_id, victim_id=self.referral.victim_id
            )
            .exclude(external_id="")
            .first()
        )
        return (link.external_id_display or link.external_id) if link else ""


class Exchange(models.Model):
    """One call between CTMS and an external system, either way: what, how many records, result."""

    id = models.BigAutoField(primary_key=True)
    system = models.ForeignKey(ExternalSystem, on_delete=models.CASCADE, related_name="exchanges")
    at = models.DateTimeField(auto_now_add=True)
    direction = models.CharField(max_length=10)  # "in": it called CTMS; "out": CTMS called it
    operation = models.CharField(max_length=40)
    records = models.PositiveIntegerField(default=0)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["system", "-at"])]

    def __str__(self) -> str:
        return f"{self.system} {self.operation} {self.at:%Y-%m-%d %H:%M}"

    @property
    def outcome(self) -> str:
        """`ok` (2xx), `refused` (any other answer) or `failed` (no answer at all)."""
        if self.status_code is None:
            return "failed"
        return "ok" if 200 <= self.status_code < 300 else "refused"
