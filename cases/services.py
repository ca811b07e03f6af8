"""Writes of cases, suspects, operations and prosecutions."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from agencies.choices import Role
from ctms.audit import audit
from ctms.errors import NotFound, PermissionDenied
from ctms.scope import has_role, is_admin
from victims.models import Victim

from .models import Case, Defendant, Operation, Prosecution, Rescue, Suspect
from .selectors import cases_visible_to


def case_create(
    *, user, data: dict[str, Any], victims=(), suspects=(), channel: str = "web"
) -> Case:
    """Open a case owned by the user's agency."""
    if not (has_role(user, Role.CASE_WORKER) or is_admin(user)):
        raise PermissionDenied(_("Only case workers open cases."))
    case = Case(created_by=user, **{"agency_id": user.agency_id, **data})
    case.full_clean()
    with transaction.atomic():
        case.save()
        case.victims.set(victims)
        case.suspects.set(suspects)
        audit(actor=user, action="create", obj=case, channel=channel)
    return case


def suspect_create(*, user, data: dict[str, Any], channel: str = "web") -> Suspect:
    if not (has_role(user, Role.POLICE, Role.CASE_WORKER) or is_admin(user)):
        raise PermissionDenied(_("Your role does not record suspects."))
    suspect = Suspect(created_by=user, **{"agency_id": user.agency_id, **data})
    suspect.full_clean()
    with transaction.atomic():
        suspect.save()
        audit(actor=user, action="create", obj=suspect, channel=channel)
    return suspect


def operation_record(
    *,
    user,
    data: dict[str, Any],
    suspects: list[Suspect | dict[str, Any]] = (),
    rescues: list[dict[str, Any]] = (),
    channel: str = "web",
) -> Operation:
    """Log a police operation in one transaction: the suspects detained and the victims rescued
    with each one's placement. A suspect or rescued victim given as a dict is created on the
    spot as a minimal record owned by the unit."""
    if not (has_role(user, Role.POLICE) or is_admin(user)):
        raise PermissionDenied(_("Only police units log operations."))
    case = data.get("case")
    if case is not None and not cases_visible_to(user).filter(pk=case.pk).exists():
        raise NotFound
    operation = Operation(created_by=user, **{"agency_id": user.agency_id, **data})
    operation.full_clean()
    with transaction.atomic():
        operation.save()
        detained = [_suspect(user, item) for item in suspects]
        operation.suspects_detained.set(detained)
        for item in rescues:
            victim = _victim(user, item["victim"])
            rescue = Rescue(operation=operation, victim=victim, placement=item["placement"])
            rescue.full_clean()
            rescue.save()
            if case is not None:
                case.victims.add(victim)
        if case is not None:
            case.suspects.add(*detained)
        audit(
            actor=user,
            action="create",
            obj=operation,
            channel=channel,
            details={"suspects": len(detained), "rescues": len(rescues)},
        )
    return operation


def _suspect(user, item: Suspect | dict[str, Any]) -> Suspect:
    if isinstance(item, Suspect):
        return item
    suspect = Suspect(created_by=user, agency_id=user.agency_id, **item)
    suspect.full_clean()
    suspect.save()
    return suspect


def _victim(user, item: Victim | dict[str, Any]) -> Victim:
    if isinstance(item, Victim):
        return item
    victim = Victim(created_by=user, agency_id=user.agency_id, **item)
    victim.full_clean()
    victim.save()
    return victim


def prosecution_record(
    *, user, data: dict[str, Any], defendants: list[dict[str, Any]] = (), channel: str = "web"
) -> Prosecution:
    """A court clerk files a prosecution at their own court, with its defendants."""
    if not (has_role(user, Role.JUSTICE) or is_admin(user)):
        raise PermissionDenied(_("Only court clerks record prosecutions."))
    prosecution = Prosecution(created_by=user, **{"court_id": user.agency_id, **data})
    prosecution.full_clean()
    with transaction.atomic():
        prosecution.save()
        for item in defendants:
            defendant = Defendant(prosecution=prosecution, **item)
            defendant.full_clean()
            defendant.save()
        audit(actor=user, action="create", obj=prosecution, channel=channel)
    return prosecution
