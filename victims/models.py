"""Victims (persons assisted), their repatriations and their reintegration follow-ups."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Min, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ctms.choices import Sex
from ctms.fields import CountryField, ProvinceField
from ctms.models import Record
from ctms.rules import Rules, related, today
from ctms.validators import (
    validate_commune,
    validate_district,
    validate_language,
    validate_village,
)

from .choices import AgeBand, FollowUpKind, RepatriationKind, TraffickingStatus
from .names import match_keys


def age_on(*, on: dt.date, date_of_birth: dt.date | None, birth_year: int | None) -> int | None:
    """Age in whole years on a date: from the date of birth, else the year difference."""
    if date_of_birth:
        had_birthday = (on.month, on.day) >= (date_of_birth.month, date_of_birth.day)
        return on.year - date_of_birth.year - (0 if had_birthday else 1)
    if birth_year:
        return on.year - birth_year
    return None


def age_band(age: int | None) -> str:
    if age is None:
        return AgeBand.UNKNOWN
    if age < 15:
        return AgeBand.UNDER_15
    if age < 18:
        return AgeBand.FROM_15_TO_17
    return AgeBand.ADULT


FUTURE_BIRTH = _("The date of birth cannot be in the future.")
BIRTH_AFTER_EVENT = _(
    "The date of birth cannot be after %(date)s, when this person's record begins."
)
BEFORE_BIRTH = _("This date is before the person's date of birth.")
BIRTH_YEAR_RANGE = _("Give a year between 1900 and %(year)s.")
BIRTH_DATE_AND_YEAR = _("Give either the date of birth or an estimated birth year, not both.")
NAME_REQUIRED = _("Give the name in Khmer or in Latin script.")


def birth_date_of(record) -> dt.date | None:
    """The date of birth of the victim a record is about (None if unknown, or if the victim is
    neither at hand nor stored): the earliest date an event of that person may carry."""
    victim = related(record, "victim")
    return victim.date_of_birth if victim is not None else None


MATCH_KEY_FIELDS = ("match_given", "match_family", "match_khmer", "match_year")


class Victim(Record):
    """A person assisted (HTCDS prs_/vic_), owned by one agency."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="victims")
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100, blank=True)
    name_khmer = models.CharField(max_length=200, blank=True)
    sex = models.CharField(max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    date_of_birth = models.DateField(null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True)
    citizenship = CountryField(blank=True)
    primary_language = models.CharField(max_length=3, blank=True, validators=[validate_language])
    literate_khmer = models.BooleanField(null=True, blank=True)
    contact = models.CharField(
        max_length=200, blank=True, help_text=_("Phone or address where the person can be reached")
    )
    home_province = ProvinceField()
    home_district = models.CharField(max_length=4, blank=True, validators=[validate_district])
    home_commune = models.CharField(max_length=6, blank=True, validators=[validate_commune])
    home_village = models.CharField(max_length=10, blank=True, validators=[validate_village])
    trafficking_status = models.CharField(
        max_length=12, choices=TraffickingStatus.choices, default=TraffickingStatus.POSSIBLE
    )
    consent_services = models.BooleanField(null=True, blank=True)
    consent_data_sharing = models.BooleanField(null=True, blank=True)
    consent_legal_proceedings = models.BooleanField(null=True, blank=True)
    social_notes = models.TextField(blank=True)
    medical_notes = models.TextField(blank=True)
    psychosocial_notes = models.TextField(blank=True)
    photo = models.ImageField(upload_to="victim-photos/%Y/", blank=True)
    is_archived = models.BooleanField(default=False)
    archived_reason = models.TextField(blank=True)
    # A duplicate merged into another record is kept, pointing at the survivor (SPEC section 8).
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_duplicates",
        editable=False,
    )
    merged_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Match keys (victims.names), derived from the fields above whenever the row is written.
    match_given = models.CharField(max_length=100, blank=True, editable=False)
    match_family = models.CharField(max_length=100, blank=True, editable=False)
    match_khmer = models.CharField(max_length=200, blank=True, editable=False)
    match_year = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["family_name", "given_name"]
        indexes = [
            models.Index(fields=["agency", "family_name", "given_name"]),
            models.Index(fields=["created_at"]),
            # The candidate search of victims.matching: one equality (or a year range) each.
            models.Index(fields=["match_family", "match_given"], name="victim_match_names"),
            models.Index(fields=["match_given", "match_year"], name="victim_match_given_year"),
            models.Index(fields=["match_family", "match_year"], name="victim_match_family_year"),
            models.Index(fields=["match_khmer"], name="victim_match_khmer"),
            # The archive list (newest first): a few rows among a million, read by this
            # partial index instead of a scan of the whole table.
            models.Index(
                fields=["updated_at", "id"],
                condition=Q(is_archived=True),
                name="victim_archived_updated",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(sex__in=Sex.values), name="victim_sex_valid"),
            models.CheckConstraint(
                condition=Q(trafficking_status__in=TraffickingStatus.values),
                name="victim_trafficking_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(birth_year__isnull=True)
                | Q(birth_year__gte=1900, birth_year__lte=2100),
                name="victim_birth_year_plausible",
            ),
            models.CheckConstraint(
                condition=Q(date_of_birth__isnull=True) | Q(birth_year__isnull=True),
                name="victim_birth_date_or_year",
                violation_error_message=BIRTH_DATE_AND_YEAR,
            ),
            models.CheckConstraint(
                condition=~Q(given_name="", family_name="", name_khmer=""),
                name="victim_has_a_name",
                violation_error_message=NAME_REQUIRED,
            ),
        ]

    def clean(self) -> None:
        """SPEC section 10: a name; a date of birth not in the future nor after anything
        recorded about the person; an estimated birth year from 1900 to this year."""
        rules = Rules(self)
        rules.require(
            any((self.name_khmer, self.given_name, self.family_name)), "name_khmer", NAME_REQUIRED
        )
        rules.not_after_today("date_of_birth", message=FUTURE_BIRTH)
        if self.date_of_birth and not self._state.adding:
            first = self.earliest_event()
            rules.require(
                first is None or self.date_of_birth <= first,
                "date_of_birth",
                BIRTH_AFTER_EVENT,
                date=first,
            )
        this_year = today().year
        rules.require(
            self.birth_year is None or 1900 <= self.birth_year <= this_year,
            "birth_year",
            BIRTH_YEAR_RANGE,
            year=this_year,
        )
        rules.require(
            not (self.date_of_birth and self.birth_year), "birth_year", BIRTH_DATE_AND_YEAR
        )
        rules.check()

    def earliest_event(self) -> dt.date | None:
        """The first date recorded about this person: rescue, repatriation, referral, service
        or follow-up."""
        dates = [
            self.rescues.aggregate(first=Min("operation__date"))["first"],
            self.repatriations.aggregate(first=Min("received_on"))["first"],
            self.referrals.aggregate(first=Min("created_on"))["first"],
            self.services.aggregate(first=Min("date"))["first"],
            self.follow_ups.aggregate(first=Min("date"))["first"],
        ]
        return min((day for day in dates if day), default=None)

    def __str__(self) -> str:
        return self.display_name or str(self.id)[:8]

    def save(self, *args, **kwargs) -> None:
        # The match keys are a function of the row's own fields, kept exact in the same write.
        self.set_match_keys()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, *MATCH_KEY_FIELDS}
        super().save(*args, **kwargs)

    def set_match_keys(self) -> None:
        """Derive the `match_*` columns; bulk writers (import, demo data) call it themselves."""
        for name, value in match_keys(
            given_name=self.given_name,
            family_name=self.family_name,
            name_khmer=self.name_khmer,
            date_of_birth=self.date_of_birth,
            birth_year=self.birth_year,
        ).items():
            setattr(self, name, value)

    @property
    def display_name(self) -> str:
        latin = " ".join(part for part in (self.given_name, self.family_name) if part)
        return (
            self.name_khmer
            if not latin
            else (f"{latin} ({self.name_khmer})" if self.name_khmer else latin)
        )

    @property
    def age(self) -> int | None:
        """Age today: what a receiving partner sees instead of the date of birth."""
        return self.age_on(timezone.localdate())

    def age_on(self, on: dt.date) -> int | None:
        return age_on(on=on, date_of_birth=self.date_of_birth, birth_year=self.birth_year)

    def age_band_on(self, on: dt.date) -> str:
        return age_band(self.age_on(on))


class VictimCopy(models.Model):
    """The person's sex and birth date, copied onto a row the statistics report counts by them
    (a rescue, a repatriation, a follow-up), so that a quarter's figures read the quarter's rows
    alone instead of looking a million victims up one by one (issue 17).

    Never written by the application: the database keeps the copies exact in the transaction
    that writes the row or the victim (triggers of `reports.copies`, on PostgreSQL and SQLite),
    whatever writes it (services, the admin, imports, `seed_demo`'s COPY, a merge).
    """

    victim_sex = models.CharField(max_length=10, null=True, blank=True, editable=False)
    victim_date_of_birth = models.DateField(null=True, blank=True, editable=False)
    victim_birth_year = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True


class Repatriation(VictimCopy, Record):
    """A person received back from a foreign authority."""

    victim = models.ForeignKey(Victim, on_delete=models.PROTECT, related_name="repatriations")
    kind = models.CharField(max_length=10, choices=RepatriationKind.choices)
    from_country = CountryField()
    received_on = models.DateField()
    receiving_agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="repatriations_received"
    )
    border_province = ProvinceField()
    assisted_by = models.ManyToManyField(
        "agencies.Agency", blank=True, related_name="repatriations_assisted"
    )

    class Meta:
        ordering = ["-received_on"]
        indexes = [models.Index(fields=["received_on", "kind"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=RepatriationKind.values), name="repatriation_kind_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} from {self.from_country} on {self.received_on}"

    def clean(self) -> None:
        rules = Rules(self)
        rules.not_after_today("received_on")
        rules.not_before("received_on", birth_date_of(self), BEFORE_BIRTH)
        rules.check()


class FollowUp(VictimCopy, Record):
    """A reintegration monitoring visit or step."""

    victim = models.ForeignKey(Victim, on_delete=models.PROTECT, related_name="follow_ups")
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="follow_ups"
    )
    date = models.DateField()
    kind = models.CharField(max_length=30, choices=FollowUpKind.choices)
    outcome = models.TextField(blank=True)

    class Meta:
        ordering = ["-date"]
        indexes = [models.Index(fields=["date", "kind"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=FollowUpKind.values), name="follow_up_kind_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} on {self.date}"

    def clean(self) -> None:
        rules = Rules(self)
        rules.not_after_today("date")
        rules.not_before("date", birth_date_of(self), BEFORE_BIRTH)
        rules.check()
