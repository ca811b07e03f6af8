"""Writes of agencies and users: accounts and API tokens (issue, revoke, record use)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ctms import errors
from ctms.audit import audit

from .choices import Role
from .models import Agency, ApiToken, User


def generate_password() -> str:
    """A random password of 16 URL-safe characters (about 96 bits)."""
    return secrets.token_urlsafe(12)


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


TOKEN_PREFIX = "ctms_"
# Recording every request's use would be one UPDATE per API call; a minute is precise enough
# to tell an administrator whether an integration is still alive.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def token_digest(token: str) -> str:
    """The SHA-256 hex digest under which a token is stored (the token itself never is)."""
    return hashlib.sha256(token.encode()).hexdigest()


def token_issue(
    *,
    user: User,
    name: str = "default",
    lifetime: dt.timedelta | None = None,
    actor=None,
    channel: str = "api",
    ip_address: str | None = None,
) -> tuple[ApiToken, str]:
    """Create a bearer token for `user`, named after the integration that uses it. Returns the
    stored row and the token, which is shown once and cannot be recovered afterwards."""
    name = (name or "default").strip()
    if not name or len(name) > 100:
        raise errors.ValidationError(
            {"name": [_("Give the integration a name of 1 to 100 characters.")]}
        )
    if not user.is_active:
        raise errors.ValidationError({"username": [_("This user is not active.")]})
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        row = ApiToken.objects.create(
            user=user,
            name=name,
            prefix=token[:12],
            digest=token_digest(token),
            expires_at=timezone.now() + (lifetime or settings.API_TOKEN_LIFETIME),
            created_by=actor or user,
        )
        audit(
            actor=actor or user,
            action="token_issued",
            obj=row,
            channel=channel,
            ip_address=ip_address,
            details={"user": user.username, "name": name, "prefix": row.prefix},
        )
    return row, token


def token_revoke(*, token_id, actor, channel: str = "api") -> ApiToken:
    """Revoke one token. Users revoke their own tokens; administrators anyone's."""
    from ctms.scope import is_admin

    with transaction.atomic():
        tokens = ApiToken.objects.select_for_update()
        if not is_admin(actor):
            tokens = tokens.filter(user_id=actor.pk)
        row = tokens.filter(pk=token_id).first()
        if row is None:
            raise errors.NotFound
        if row.revoked_at is None:
            row.revoked_at = timezone.now()
            row.save(update_fields=["revoked_at", "updated_at"])
            audit(
                actor=actor,
                action="token_revoked",
                obj=row,
                channel=channel,
                details={"user": row.user.username, "prefix": row.prefix},
            )
    return row


def token_authenticate(token: str) -> ApiToken | None:
    """The live token row for a presented bearer token (with its user), else None."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    row = (
        ApiToken.objects.select_related("user", "user__agency")
        .filter(digest=token_digest(token))
        .first()
    )
    now = timezone.now()
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        return None
    if not row.user.is_active:
        return None
    token_record_use(row, now=now)
    return row


def token_record_use(row: ApiToken, *, now: dt.datetime) -> None:
    """Remember when a token was last used, at most once a minute per token."""
    if row.last_used_at is not None and now - row.last_used_at < LAST_USED_RESOLUTION:
        return
    ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    row.last_used_at = now
