"""Agencies (ministries, departments, police units, courts, partners), users and working groups."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from ctms.choices import Role, ServiceCode, WorkingGroupCode
from ctms.fields import CodeListField, ProvinceField
from ctms.models import Record

from .choices import AgencyKind


class WorkingGroup(models.Model):
    """One of the six NC/S.T.S.L.S working groups, led by a ministry."""

    code = models.CharField(max_length=30, primary_key=True, choices=WorkingGroupCode.choices)
    name = models.CharField(max_length=200)
    name_khmer = models.CharField(max_length=200, blank=True)
    lead_agency = models.ForeignKey(
        "Agency",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_working_groups",
    )

    def __str__(self) -> str:
        return self.name


class Agency(Record):
    """An organisation that uses CTMS; every user and record belongs to one."""

    name = models.CharField(max_length=200)
    name_khmer = models.CharField(max_length=200, blank=True)
    acronym = models.CharField(max_length=40, unique=True)
    # The name OSCaR and its OpenFn jobs give the agency in `organization_name` when it is not
    # the acronym (SPEC section 11), e.g. "cif" for Children in Families.
    oscar_short_name = models.CharField(
        _("OSCaR short name"),
        max_length=40,
        blank=True,
        help_text=_("The name OSCaR gives this agency, if it is not the acronym."),
    )
    kind = models.CharField(max_length=30, choices=AgencyKind.choices)
    province = ProvinceField()
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    accepts_referrals = models.BooleanField(default=False)
    services = CodeListField(ServiceCode)
    working_groups = CodeListField(WorkingGroupCode)

    class Meta:
        ordering = ["acronym"]
        verbose_name_plural = "agencies"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=AgencyKind.values), name="agency_kind_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("id")), name="agency_not_own_parent"
            ),
            models.UniqueConstraint(
                Lower("oscar_short_name"),
                condition=~models.Q(oscar_short_name=""),
                name="agency_oscar_short_name_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.acronym

    def clean(self) -> None:
        super().clean()
        alias = (self.oscar_short_name or "").strip()
        self.oscar_short_name = alias
        if not alias:
            return
        clash = (
            Agency.objects.filter(
                models.Q(acronym__iexact=alias) | models.Q(oscar_short_name__iexact=alias)
            )
            .exclude(pk=self.pk)
            .first()
        )
        if clash is not None:
            raise ValidationError(
                {
                    "oscar_short_name": _("%(acronym)s already answers to this name.")
                    % {"acronym": clash.acronym}
                }
            )

    def offers(self, service: str) -> bool:
        return service in (self.services or [])


class User(AbstractUser):
    """A person who signs in. Exactly one agency and one role (admins may have no agency)."""

    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.CASE_WORKER)
    preferred_language = models.CharField(
        max_length=5, blank=True, help_text=_("Interface language remembered for the user")
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="user_role_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(role=Role.ADMIN) | models.Q(agency__isnull=False),
                name="user_has_agency_unless_admin",
            ),
        ]

    def has_role(self, *roles: str) -> bool:
        return self.is_authenticated and self.is_active and self.role in roles

    @property
    def is_admin_role(self) -> bool:
        return self.role == Role.ADMIN


class ApiToken(Record):
    """A bearer token for the REST API: stored as a SHA-256 digest, expiring, revocable."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(
        max_length=100, default="default", help_text=_("The integration this token is for")
    )
    prefix = models.CharField(max_length=12, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} / {self.name} ({self.prefix}…)"
