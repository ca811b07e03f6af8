"""Writes of victims, repatriations and follow-ups."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from agencies.choices import Role
from ctms.audit import audit, changed_fields
from ctms.errors import NotFound, PermissionDenied, ValidationError
from ctms.scope import has_role, is_admin
from ctms.services import apply_fields, plain_values

from .models import FollowUp, Repatriation, Victim
from .selectors import VictimAccess, victims_visible_to


def victim_create(*, user, data: dict[str, Any], channel: str = "web") -> Victim:
    """Take in a victim for the user's agency (case workers and police who rescue them)."""
    if not (has_role(user, Role.CASE_WORKER, Role.POLICE) or is_admin(user)):
        raise PermissionDenied(_("Your role does not take in victims."))
    data = {"agency_id": user.agency_id, **data}
    victim = Victim(created_by=user, **data)
    victim.full_clean()
    with transaction.atomic():
        victim.save()
        audit(
            actor=user,
            action="create",
            obj=victim,
            channel=channel,
            details={"fields": sorted(key for key in data if data[key] not in ("", None))},
        )
    return victim


def victim_update(*, user, victim_id, data: dict[str, Any], channel: str = "web") -> Victim:
    """Change a victim record the user holds in full; the audit names the fields changed."""
    with transaction.atomic():
        victim = (
            victims_visible_to(user, at_least=VictimAccess.FULL)
            .select_for_update(of=("self",))
            .filter(pk=victim_id)
            .first()
        )
        if victim is None:
            raise NotFound
        before = plain_values(victim, data.keys())
        apply_fields(victim, data)
        victim.full_clean()
        victim.save()
        changes = changed_fields(before, plain_values(victim, data.keys()))
        if changes:
            audit(
                actor=user,
                action="update",
                obj=victim,
                channel=channel,
                details={"changed": changes},
            )
    return victim


def victim_archive(*, user, victim_id, reason: str, channel: str = "web") -> Victim:
    """Victims are never hard-deleted by users: they are archived with a reason."""
    if not reason.strip():
        raise ValidationError({"reason": [_("Give a reason for archiving.")]})
    with transaction.atomic():
        victim = (
            victims_visible_to(user, at_least=VictimAccess.FULL)
            .select_for_update(of=("self",))
            .filter(pk=victim_id)
            .first()
        )
        if victim is None:
            raise NotFound
        victim.is_archived = True
        victim.archived_reason = reason
        victim.save(update_fields=["is_archived", "archived_reason", "updated_at"])
        audit(actor=user, action="update", obj=victim, channel=channel, details={"archived": True})
    return victim


def repatriation_record(
    *, user, data: dict[str, Any], assisted_by=(), channel: str = "web"
) -> Repatriation:
    """Record a person received back from a foreign authority."""
    victim = data.get("victim")
    if (
        victim is None
        or not victims_visible_to(user, at_least=VictimAccess.FULL).filter(pk=victim.pk).exists()
    ):
        raise NotFound
    repatriation = Repatriation(created_by=user, **data)
    repatriation.full_clean()
    with transaction.atomic():
        repatriation.save()
        repatriation.assisted_by.set(assisted_by)
        audit(actor=user, action="create", obj=repatriation, channel=channel)
    return repatriation


def follow_up_record(*, user, data: dict[str, Any], channel: str = "web") -> FollowUp:
    """Record a reintegration follow-up by the user's agency, for a victim it may see."""
    victim = data.get("victim")
    if (
        victim is None
        or not victims_visible_to(user, at_least=VictimAccess.REFERRAL)
        .filter(pk=victim.pk)
        .exists()
    ):
        raise NotFound
    follow_up = FollowUp(created_by=user, agency_id=user.agency_id, **data)
    follow_up.full_clean()
    with transaction.atomic():
        follow_up.save()
        audit(actor=user, action="create", obj=follow_up, channel=channel)
    return follow_up
