"""Bearer tokens of the REST API: issue, revoke, authenticate and record use. The ApiToken rows
live in `agencies` beside the users they belong to; this module is the only one that writes them."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import ApiToken, User
from ctms import errors
from ctms.audit import audit
from ctms.scope import is_admin

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
