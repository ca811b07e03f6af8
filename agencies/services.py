"""Writes of agencies and users (API tokens: accounts.tokens)."""

from __future__ import annotations

import secrets
import string

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ctms.audit import audit
from ctms.choices import Role

from .models import Agency, User

PASSWORD_ALPHABET = string.ascii_letters + string.digits


def generate_password() -> str:
    """A random password of 16 letters and digits (about 95 bits): nothing a shell or a
    command-line parser reads as an option (a leading "-") or needs quoted."""
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(16))


def user_create(
    *,
    username: str,
    role: str,
    agency_acronym: str | None,
    password: str | None = None,
    actor=None,
    channel: str = "cli",
) -> tuple[User, str]:
    """Create a user of an agency with a role; return the user and the password (generated when
    none is given). Every role but `admin` belongs to an agency."""
    errors: dict[str, list[str]] = {}
    if role not in Role.values:
        errors["role"] = [
            _("Unknown role %(role)s; choose one of: %(roles)s.")
            % {"role": role, "roles": ", ".join(Role.values)}
        ]
    agency = None
    if agency_acronym:
        agency = Agency.objects.filter(acronym=agency_acronym).first()
        if agency is None:
            errors["agency"] = [
                _("No agency has the acronym %(acronym)s.") % {"acronym": agency_acronym}
            ]
    elif role != Role.ADMIN:
        errors["agency"] = [_("Every role but admin belongs to an agency: give --agency.")]
    if User.objects.filter(username=username).exists():
        errors["username"] = [_("A user %(username)s already exists.") % {"username": username}]
    if errors:
        raise ValidationError(errors)
    user = User(username=username, role=role, agency=agency, is_staff=role == Role.ADMIN)
    password = password or generate_password()
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    with transaction.atomic():
        user.save()
        audit(
            actor=actor,
            action="create",
            obj=user,
            channel=channel,
            details={"role": role, "agency": agency_acronym or ""},
        )
    return user, password
