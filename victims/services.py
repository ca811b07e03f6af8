"""Writes of victims, repatriations and follow-ups."""

from __future__ import annotations

from typing import Any

from django.core.files import File
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _

from ctms.audit import audit, changed_fields
from ctms.errors import NotFound, PermissionDenied, ValidationError
from ctms.services import apply_fields, plain_values

from .models import FollowUp, Repatriation, Victim
from .photos import photo_without_metadata
from .policies import (
    can_archive_victim,
    can_purge_victim,
    can_record_follow_up,
    can_record_repatriation,
    can_take_in_victim,
)
from .selectors import VictimAccess, victims_visible_to


def victim_create(*, user, data: dict[str, Any], channel: str = "web") -> Victim:
    """Take in a victim for the user's agency (case workers and police who rescue them)."""
    if not can_take_in_victim(user):
        raise PermissionDenied(_("Your role does not take in victims."))
    data = _with_clean_photo({"agency_id": user.agency_id, **data})
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
        data = _with_clean_photo(data)
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


def _with_clean_photo(data: dict[str, Any]) -> dict[str, Any]:
    """Replace a newly uploaded photo by a copy without its metadata (EXIF, GPS…)."""
    photo = data.get("photo")
    if photo and isinstance(photo, File) and not isinstance(photo, FieldFile):
        return {**data, "photo": photo_without_metadata(photo)}
    return data


def victim_archive(*, user, victim_id, reason: str, channel: str = "web") -> Victim:
    """Victims are never hard-deleted by users: they are archived with a reason, after which
    only the owning agency's archive list and the administrators show them."""
    if not can_archive_victim(user):
        raise NotFound
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
        audit(
            actor=user,
            action="update",
            obj=victim,
            channel=channel,
            details={"archived": True},
        )
    return victim


def victim_purge(*, victim: Victim, user, reason: str, channel: str = "web") -> dict[str, int]:
    """Delete a victim record and every record about that person (referrals and their
    services, follow-ups, repatriations, rescues, case links, the photo file). Administrators
    only, with a reason; the audit event keeps who, when, why and how many rows went, but no
    personal data. Everyone else is refused and nothing changes. Returns the counts deleted."""
    if not can_purge_victim(user):
        raise PermissionDenied(_("Only an administrator can purge a victim record."))
    if not reason.strip():
        raise ValidationError({"reason": [_("Give a reason for purging.")]})
    with transaction.atomic():
        victim = Victim.objects.select_for_update().get(pk=victim.pk)
        photo_name = victim.photo.name if victim.photo else ""
        # Through the victim's reverse relations: referrals and cases import this app, not back.
        deleted = {
            "services": _delete(victim.services.all()),
            "referrals": _delete(victim.referrals.all()),
            "follow_ups": _delete(FollowUp.objects.filter(victim=victim)),
            "repatriations": _delete(Repatriation.objects.filter(victim=victim)),
            "rescues": _delete(victim.rescues.all()),
            "case_links": _delete(victim.cases.through.objects.filter(victim=victim)),
        }
        audit(
            actor=user,
            action="delete",
            object_type="victim",
            object_id=str(victim.pk),
            channel=channel,
            details={"purged": True, "reason": reason, "deleted": deleted},
        )
        victim.delete()
        if photo_name:
            # Only once the rows are surely gone: a rolled-back purge keeps its photo.
            storage = victim.photo.storage
            transaction.on_commit(lambda: storage.delete(photo_name))
    return deleted


def _delete(queryset) -> int:
    """Delete and count the rows of the queryset's own model (not what cascades with them)."""
    return queryset.delete()[1].get(queryset.model._meta.label, 0)


def repatriation_record(
    *, user, data: dict[str, Any], assisted_by=(), channel: str = "web"
) -> Repatriation:
    """Record a person received back from a foreign authority."""
    victim = data.get("victim")
    if victim is None or not can_record_repatriation(user, victim):
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
    if victim is None or not can_record_follow_up(user, victim):
        raise NotFound
    follow_up = FollowUp(created_by=user, agency_id=user.agency_id, **data)
    follow_up.full_clean()
    with transaction.atomic():
        follow_up.save()
        audit(actor=user, action="create", obj=follow_up, channel=channel)
    return follow_up
