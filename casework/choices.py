"""Code lists of case work (SPEC section 9)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class NoteKind(models.TextChoices):
    SOCIAL = "social", _("Social")
    MEDICAL = "medical", _("Medical")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial")
    LEGAL = "legal", _("Legal")
    OTHER = "other", _("Other")


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class RiskFactor(models.TextChoices):
    TRAFFICKER_CONTACT = "trafficker_contact", _("Contact with the trafficker")
    FAMILY_INVOLVEMENT = "family_involvement", _("Family involved in the trafficking")
    DEBT = "debt", _("Debt")
    HEALTH = "health", _("Health")
    SELF_HARM = "self_harm", _("Self-harm")
    RETALIATION = "retaliation", _("Retaliation")
    UNSAFE_RETURN = "unsafe_return", _("Unsafe return home")
    OTHER = "other", _("Other")


class DocumentKind(models.TextChoices):
    ID_DOCUMENT = "id_document", _("Identity document")
    CONSENT_FORM = "consent_form", _("Consent form")
    POLICE_STATEMENT = "police_statement", _("Police statement")
    MEDICAL_REPORT = "medical_report", _("Medical report")
    COURT_DOCUMENT = "court_document", _("Court document")
    PHOTO = "photo", _("Photo")
    OTHER = "other", _("Other")


class ConsentKind(models.TextChoices):
    SERVICES = "services", _("To receive services")
    DATA_SHARING = "data_sharing", _("To share their details with partners")
    LEGAL_PROCEEDINGS = "legal_proceedings", _("To take part in a criminal case")


class ConsentMethod(models.TextChoices):
    WRITTEN = "written", _("Written")
    VERBAL = "verbal", _("Verbal")
    GUARDIAN = "guardian", _("By a guardian")
    EXTERNAL = "external", _("Asserted by an external system")


# The victim field that each kind of consent drives (SPEC section 2 and 9).
CONSENT_FIELDS = {
    ConsentKind.SERVICES: "consent_services",
    ConsentKind.DATA_SHARING: "consent_data_sharing",
    ConsentKind.LEGAL_PROCEEDINGS: "consent_legal_proceedings",
}
