"""Writes of victims, repatriations and follow-ups."""

from __future__ import annotations

from typing import Any

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files import File
from django.db import transaction
from django.db.models import UniqueConstraint
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext as _

from ctms.audit import audit, changed_fields
from ctms.errors import Conflict, NotFound, PermissionDenied, ValidationError
from ctms.services import apply_fields, idempotency_keys_forget, plain_values

from .models import FollowUp, Repatriation, Victim
from .photos import checked_photo
from .policies import (
    can_archive_victim,
    can_edit_victim,
    can_merge,
    can_merge_records,
    can_purge_victim,
    can_record_follow_up,
    can_record_repatriation,
    can_take_in_victim,
)
from .selectors import VictimAccess, victim_access, victims_visible_to


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
        return {**data, "photo": checked_photo(photo)}
    return data


def victim_photo_set(*, user, victim_id, photo, channel: str = "web") -> Victim:
    """Put a new photo on a victim record, or take it off (`photo=None`): whoever may correct
    the record. The new file is checked and stored without its metadata; the old file is
    deleted once the change is committed. Audited as a change of `photo` (never its content)."""
    if not can_edit_victim(user):
        raise NotFound
    new = checked_photo(photo) if photo is not None else None
    with transaction.atomic():
        victim = (
            victims_visible_to(user, at_least=VictimAccess.FULL)
            .select_for_update(of=("self",))
            .filter(pk=victim_id)
            .first()
        )
        if victim is None or not can_edit_victim(user, victim):
            raise NotFound
        old_name = victim.photo.name if victim.photo else ""
        if new is None and not old_name:
            return victim
        storage = victim.photo.storage
        if new is None:
            victim.photo = ""
        else:
            victim.photo.save(new.name, new, save=False)
        try:
            victim.save(update_fields=["photo", "updated_at"])
            audit(
                actor=user,
                action="update",
                obj=victim,
                channel=channel,
                details={"changed": {"photo": "removed" if new is None else "changed"}},
            )
        except Exception:
            if new is not None:  # the new file must not outlive a refused change
                storage.delete(victim.photo.name)
            raise
        if old_name:
            # Only once the change is surely kept: a rolled-back one keeps the old photo.
            transaction.on_commit(lambda: storage.delete(old_name))
    return victim


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
        copies = _forget_copies(victim)
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
            details={"purged": True, "reason": reason, "deleted": {**deleted, **copies}},
        )
        victim.delete()
        if photo_name:
            # Only once the rows are surely gone: a rolled-back purge keeps its photo.
            storage = victim.photo.storage
            transaction.on_commit(lambda: storage.delete(photo_name))
    return deleted


def _forget_copies(victim: Victim) -> dict[str, int]:
    """Remove the copies of the person kept outside their records: stored API answers (an
    Idempotency-Key replay would hand them back) and the admin's change log, whose entries
    name the person (`object_repr`) — for the victim and every record about them."""
    records = {
        Victim: [victim.pk],
        victim.referrals.model: list(victim.referrals.values_list("pk", flat=True)),
        victim.services.model: list(victim.services.values_list("pk", flat=True)),
        FollowUp: list(FollowUp.objects.filter(victim=victim).values_list("pk", flat=True)),
        Repatriation: list(Repatriation.objects.filter(victim=victim).values_list("pk", flat=True)),
    }
    every_id = [pk for ids in records.values() for pk in ids]
    scrubbed = 0
    for model, ids in records.items():
        scrubbed += LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=[str(pk) for pk in ids],
        ).update(object_repr="(purged)", change_message="")
    return {
        "idempotency_keys": idempotency_keys_forget(record_ids=every_id),
        "admin_log_entries_scrubbed": scrubbed,
    }


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


# Fields a merge copies from the duplicate where the survivor has nothing (SPEC section 8).
MERGE_FILLED_FIELDS = (
    "given_name", "family_name", "name_khmer", "sex", "date_of_birth", "birth_year",
    "citizenship", "primary_language", "literate_khmer", "contact", "home_province",
    "home_district", "home_commune", "home_village", "consent_services", "consent_data_sharing",
    "consent_legal_proceedings", "social_notes", "medical_notes", "psychosocial_notes", "photo",
)  # fmt: skip
EMPTY_VALUES = (None, "", "unknown")


def victim_merge(*, user, survivor_id, duplicate_id, channel: str = "web") -> Victim:
    """Merge the record `duplicate_id` into `survivor_id`: every row that points at the
    duplicate (through any foreign key or many-to-many link, whichever app declares it) moves
    to the survivor, the survivor's empty fields are filled from the duplicate, and the
    duplicate is kept with `merged_into` set, visible to administrators only. A case worker
    (or an administrator) with full access to both; 404 for a record the user may not see, 409
    for one already merged."""
    if not can_merge_records(user):
        raise PermissionDenied(_("Only case workers and administrators merge records."))
    if str(survivor_id) == str(duplicate_id):
        raise ValidationError({"duplicate": [_("A record cannot be merged with itself.")]})
    with transaction.atomic():
        # Lock both rows in a fixed order, so that two merges of one pair cannot deadlock.
        locked = {
            str(victim.pk): victim
            for victim in Victim.objects.select_for_update()
            .filter(pk__in=[survivor_id, duplicate_id])
            .order_by("pk")
        }
        survivor, duplicate = locked.get(str(survivor_id)), locked.get(str(duplicate_id))
        for victim in (survivor, duplicate):
            _check_mergeable(user, victim)
        if not can_merge(user, survivor, duplicate):
            raise PermissionDenied(_("Only a case worker with full access to both records merges."))
        moved = _move_links(duplicate, survivor)
        filled = _fill_empty_fields(survivor, duplicate)
        duplicate.merged_into = survivor
        duplicate.merged_at = timezone.now()
        duplicate.save(update_fields=["merged_into", "merged_at", "updated_at"])
        audit(
            actor=user,
            action="update",
            obj=survivor,
            channel=channel,
            details={"merged": str(duplicate.pk), "moved": moved, "filled": filled},
        )
        audit(actor=user, action="update", obj=duplicate, channel=channel,
              details={"merged_into": str(survivor.pk)})  # fmt: skip
    return survivor


def _check_mergeable(user, victim: Victim | None) -> None:
    """404 unless the user holds the record in full (an already merged one: in full through the
    record it went into), 409 when it is already merged."""
    if victim is None:
        raise NotFound
    root = victim
    while root.merged_into_id is not None:
        root = root.merged_into
    if victim_access(user, root) < VictimAccess.FULL:
        raise NotFound
    if victim.merged_into_id is not None:
        raise Conflict(
            _("Record %(reference)s has already been merged into another record.")
            % {"reference": str(victim.pk)[:8]},
            current_status="merged",
        )


def _move_links(duplicate: Victim, survivor: Victim) -> dict[str, int]:
    """Point every row that refers to `duplicate` at `survivor`, over all relations to Victim
    that any installed app declares (read from `_meta`, so that apps added later are covered).
    A link the survivor already has (the same case, the same operation) is dropped, not doubled.
    Returns the rows moved per model label (dropped duplicates of links as `label:dropped`)."""
    moved: dict[str, int] = {}
    for relation in Victim._meta.get_fields(include_hidden=True):
        if not relation.is_relation or not relation.auto_created or relation.concrete:
            continue
        if relation.many_to_many:
            through = relation.through
            own = relation.field.m2m_reverse_field_name()  # the through row's column to Victim
            other = relation.field.m2m_field_name()  # its column to the declaring model
        else:
            through, own, other = relation.related_model, relation.field.name, None
        _move_rows(through, own, other, duplicate, survivor, moved)
    for field in Victim._meta.many_to_many:  # links declared on Victim itself
        through = field.remote_field.through
        own, other = field.m2m_field_name(), field.m2m_reverse_field_name()
        _move_rows(through, own, other, duplicate, survivor, moved)
    return moved


def _move_rows(model, own: str, other: str | None, duplicate, survivor, moved: dict) -> None:
    """Move `model`'s rows whose `own` column is the duplicate; first drop those that would
    repeat a row of the survivor under one of the model's unique constraints."""
    label, manager = model._meta.label, model._default_manager
    clashing: set = set()
    for rest in _unique_with(model, own, other):
        kept = manager.filter(**{own: survivor})
        if not rest:  # one row per victim at most
            if kept.exists():
                clashing |= set(manager.filter(**{own: duplicate}).values_list("pk", flat=True))
            continue
        taken = set(kept.values_list(*rest))
        for pk, *values in manager.filter(**{own: duplicate}).values_list("pk", *rest):
            if tuple(values) in taken:
                clashing.add(pk)
    if clashing:
        moved[f"{label}:dropped"] = manager.filter(pk__in=clashing).delete()[1].get(label, 0)
    count = manager.filter(**{own: duplicate}).update(**{own: survivor})
    if count:
        moved[label] = count


def _unique_with(model, own: str, other: str | None) -> list[tuple[str, ...]]:
    """The field sets that, together with the column `own`, are unique in `model`."""
    sets = [tuple(names) for names in model._meta.unique_together if own in names]
    sets += [
        tuple(constraint.fields)
        for constraint in model._meta.constraints
        if isinstance(constraint, UniqueConstraint)
        and constraint.condition is None
        and own in constraint.fields
    ]
    if model._meta.get_field(own).unique:
        sets.append((own,))
    if other is not None:  # an automatic many-to-many table: one row per pair
        sets.append((own, other))
    return list(dict.fromkeys(tuple(name for name in names if name != own) for names in sets))


def _fill_empty_fields(survivor: Victim, duplicate: Victim) -> list[str]:
    """Copy into the survivor what only the duplicate knows; returns the field names."""
    filled = []
    for name in MERGE_FILLED_FIELDS:
        if name == "birth_year" and survivor.date_of_birth:
            continue  # a date of birth already says the year
        if name == "date_of_birth" and survivor.birth_year and not duplicate.date_of_birth:
            continue
        mine, theirs = getattr(survivor, name), getattr(duplicate, name)
        if (mine in EMPTY_VALUES or (name == "photo" and not mine)) and theirs not in EMPTY_VALUES:
            if name == "photo" and not theirs:
                continue
            setattr(survivor, name, theirs)
            filled.append(name)
    if "date_of_birth" in filled:
        survivor.birth_year = None
    if filled:
        survivor.full_clean()
        survivor.save()
    return filled
