"""Writes of hand-overs: creating them (after a rescue, as a transfer, as an access request)
and the workflow of SPEC section 7 (accept, decline, withdraw)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.choices import SHELTERING_KINDS
from agencies.models import Agency
from ctms.audit import audit
from ctms.choices import Role
from ctms.errors import NotFound, PermissionDenied, TransitionNotAllowed, ValidationError
from ctms.services import workflow_take_step
from notifications.choices import NotificationKind
from notifications.services import notify_agency
from victims.models import Victim
from victims.selectors import VictimAccess, victims_visible_to

from . import policies, tasks
from .choices import HandoverKind, HandoverStatus, HandoverTransitionName
from .models import Handover, HandoverTransition
from .selectors import handover_side, handovers_visible_to
from .workflow import FLOW, SIDE


def handover_rescue_placement(*, user, rescue, channel: str = "web") -> Handover | None:
    """The pending hand-over of a person rescued and placed with an agency, from the police
    unit to that agency. Called inside the operation's transaction. None when there is nothing
    to hand over: no agency named, the agency already holds the record, or a hand-over of the
    person is already waiting for an answer."""
    victim = rescue.victim
    to_agency = rescue.placed_with
    if to_agency is None or victim.agency_id == to_agency.pk:
        return None
    if Handover.objects.filter(
        victim=victim, status=HandoverStatus.PENDING, kind__in=_MOVES
    ).exists():
        return None
    return _create(
        user=user,
        handover=Handover(
            victim=victim,
            from_agency_id=rescue.operation.agency_id,
            to_agency=to_agency,
            kind=HandoverKind.RESCUE_PLACEMENT,
            created_on=rescue.operation.date,
            created_by=user,
        ),
        channel=channel,
    )


def handover_transfer(
    *,
    user,
    victim: Victim,
    to_agency: Agency,
    reason: str = "",
    case=None,
    created_on: dt.date | None = None,
    channel: str = "web",
) -> Handover:
    """The owning agency offers a person (and their case, if named) to another agency."""
    if not policies.can_transfer(user, victim):
        _refuse(user, victim, _("Only the agency that holds the record transfers it."))
    errors: dict[str, list[str]] = {}
    if to_agency.kind not in SHELTERING_KINDS:
        errors["to_agency"] = [_("A police unit or a court does not take people in.")]
    if case is not None and not policies.can_transfer_case(user, case):
        errors["case"] = [_("Your agency does not hold this case.")]
    if _pending_move(victim):
        errors["victim"] = [_("A hand-over of this person is already waiting for an answer.")]
    if errors:
        raise ValidationError(errors)
    handover = Handover(
        victim=victim,
        case=case,
        from_agency_id=victim.agency_id,
        to_agency=to_agency,
        kind=HandoverKind.TRANSFER,
        created_on=created_on or timezone.localdate(),
        reason=reason,
        created_by=user,
    )
    return _create(user=user, handover=handover, channel=channel)


def handover_request_access(*, user, victim: Victim, reason: str, channel: str = "web") -> Handover:
    """Ask the agency that holds a person's record for full access to it. The caller has
    already decided the user may name this person (a record they see, or a duplicate match)."""
    if not policies.can_request_access(user):
        raise PermissionDenied(_("Only case workers and partner staff ask for access."))
    if not policies.can_request_access(user, victim):
        raise PermissionDenied(_("Your agency holds this record already."))
    errors: dict[str, list[str]] = {}
    if not reason.strip():
        errors["reason"] = [_("Say why your agency needs this record.")]
    if victims_visible_to(user, at_least=VictimAccess.FULL).filter(pk=victim.pk).exists():
        errors["victim"] = [_("You already have full access to this record.")]
    elif Handover.objects.filter(
        victim=victim,
        from_agency_id=user.agency_id,
        kind=HandoverKind.ACCESS_REQUEST,
        status=HandoverStatus.PENDING,
    ).exists():
        errors["victim"] = [_("Your agency has already asked for this record.")]
    if errors:
        raise ValidationError(errors)
    handover = Handover(
        victim=victim,
        from_agency_id=user.agency_id,
        to_agency_id=victim.agency_id,
        kind=HandoverKind.ACCESS_REQUEST,
        created_on=timezone.localdate(),
        reason=reason,
        created_by=user,
    )
    return _create(user=user, handover=handover, channel=channel)


def handover_transition(
    *, handover_id, user, transition: str, reason: str = "", channel: str = "web"
) -> Handover:
    """Accept, decline or withdraw a hand-over. The row is locked for the check and the write,
    so that requests racing on one hand-over end with exactly one transition."""
    FLOW.check_request(transition, reason)
    with transaction.atomic():
        handover = (
            handovers_visible_to(user)
            .select_for_update(of=("self",))
            .select_related("from_agency", "victim")
            .filter(pk=handover_id)
            .first()
        )
        if handover is None:
            raise NotFound
        if transition not in policies.allowed_transitions(user, handover):
            if handover_side(user, handover) != SIDE[transition]:
                raise PermissionDenied(_("Only the other side of this hand-over may do this."))
            raise TransitionNotAllowed(
                transition=transition, current_status=handover.status, record="hand-over"
            )
        target = workflow_take_step(
            record=handover, flow=FLOW, action=transition,
            user=user, reason=reason, history=HandoverTransition,
        )  # fmt: skip
        details = {"transition": transition, "to_status": target, "kind": handover.kind}
        if transition == HandoverTransitionName.ACCEPT and handover.moves_ownership:
            details["owner"] = _move_ownership(handover)
        audit(actor=user, action="transition", obj=handover, channel=channel, details=details)
        transaction.on_commit(lambda: _notify(handover.pk, f"handover.{target}"))
        if transition != HandoverTransitionName.WITHDRAW:
            transaction.on_commit(lambda: _tell_creator(handover))
    return handover


def handover_accept(*, handover_id, user, channel: str = "web") -> Handover:
    return handover_transition(
        handover_id=handover_id,
        user=user,
        transition=HandoverTransitionName.ACCEPT,
        channel=channel,
    )


def handover_decline(*, handover_id, user, reason: str, channel: str = "web") -> Handover:
    return handover_transition(
        handover_id=handover_id,
        user=user,
        transition=HandoverTransitionName.DECLINE,
        reason=reason,
        channel=channel,
    )


def handover_withdraw(*, handover_id, user, reason: str = "", channel: str = "web") -> Handover:
    return handover_transition(
        handover_id=handover_id,
        user=user,
        transition=HandoverTransitionName.WITHDRAW,
        reason=reason,
        channel=channel,
    )


_MOVES = sorted({HandoverKind.RESCUE_PLACEMENT, HandoverKind.TRANSFER})


def _pending_move(victim: Victim) -> bool:
    return Handover.objects.filter(
        victim=victim, status=HandoverStatus.PENDING, kind__in=_MOVES
    ).exists()


def _refuse(user, victim: Victim, message: str):
    """A person the user cannot see is a 404; one they see but do not hold, a 403."""
    if victims_visible_to(user).filter(pk=victim.pk).exists():
        raise PermissionDenied(message)
    raise NotFound


def _create(*, user, handover: Handover, channel: str) -> Handover:
    handover.full_clean()
    with transaction.atomic():
        handover.save()
        audit(
            actor=user,
            action="create",
            obj=handover,
            channel=channel,
            details={"kind": handover.kind, "to_agency": handover.to_agency.acronym},
        )
        transaction.on_commit(lambda: _notify(handover.pk, "handover.created"))
        transaction.on_commit(lambda: _tell_answerer(handover))
    return handover


def _move_ownership(handover: Handover) -> str:
    """Make the receiving agency the owner of the person and, for a transfer naming one, of
    the case. The former owner keeps only what its own operations, referrals and records show
    it (victims.selectors decides that, from these rows)."""
    victim = Victim.objects.select_for_update().get(pk=handover.victim_id)
    victim.agency_id = handover.to_agency_id
    victim.save(update_fields=["agency", "updated_at"])
    if handover.case_id is not None:
        case = handover.case
        case.agency_id = handover.to_agency_id
        case.save(update_fields=["agency", "updated_at"])
    return handover.to_agency.acronym


def _notify(handover_id, event: str) -> None:
    """Queue the webhook deliveries of a hand-over event (see handovers.tasks)."""
    tasks.queue_handover_event(handover_id=handover_id, event=event)


def _tell_answerer(handover: Handover) -> None:
    """The answering agency hears of a hand-over waiting for it: from whom, never whom."""
    notify_agency(
        agency_id=handover.to_agency_id,
        kind=NotificationKind.ACCESS_REQUEST
        if handover.kind == HandoverKind.ACCESS_REQUEST
        else NotificationKind.HANDOVER_RECEIVED,
        params={"agency": handover.from_agency.acronym},
        link=reverse("handovers:detail", args=[handover.pk]),
    )


def _tell_creator(handover: Handover) -> None:
    """The agency that sent the hand-over (a police unit, for a placement) hears the answer."""
    notify_agency(
        agency_id=handover.from_agency_id,
        kind=NotificationKind.HANDOVER_ANSWERED,
        params={"agency": handover.to_agency.acronym, "status": handover.status},
        link=reverse("handovers:detail", args=[handover.pk]),
        roles=(Role.CASE_WORKER, Role.PARTNER, Role.POLICE),
    )
