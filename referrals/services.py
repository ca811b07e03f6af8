"""Writes of referrals and services: the referral workflow of SPEC section 3."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency
from ctms.audit import audit
from ctms.errors import Conflict, NotFound, PermissionDenied, TransitionNotAllowed, ValidationError
from ctms.services import workflow_take_step
from notifications.choices import NotificationKind
from notifications.services import notify_agency
from victims.models import Victim
from victims.selectors import VictimAccess, victims_visible_to

from .choices import Transition
from .models import Referral, ReferralTransition, Service, WebhookDelivery, WebhookEndpoint
from .policies import (
    allowed_transitions,
    can_manage_webhooks,
    can_record_service,
    can_send_referral,
    can_take_transition,
)
from .selectors import (
    referrals_visible_to,
    webhook_deliveries_visible_to,
    webhook_endpoints_visible_to,
)
from .workflow import FLOW, SIDE


def referral_create(
    *,
    user,
    victim: Victim,
    to_agency: Agency,
    services_requested: list[str],
    reason: str = "",
    urgency: str = "routine",
    case=None,
    created_on: dt.date | None = None,
    channel: str = "web",
) -> Referral:
    """Refer a victim the user holds in full to a partner. Needs the victim's consent to
    services and to sharing data: a referral always lets the receiver see identifying data
    once it accepts."""
    if not can_send_referral(user, victim):
        raise NotFound
    referral = Referral(
        victim=victim,
        case=case,
        from_agency_id=user.agency_id,
        to_agency=to_agency,
        created_on=created_on or timezone.localdate(),
        services_requested=services_requested,
        reason=reason,
        urgency=urgency,
        created_by=user,
    )
    # The record's own rules (consent to services, dates: Referral.clean), then what sending
    # one now needs; every reason at once.
    errors = _validation_errors(referral)
    if victim.consent_data_sharing is not True:
        errors.setdefault("victim", []).append(
            _("The victim has not consented to sharing their data with a partner agency.")
        )
    if not to_agency.accepts_referrals:
        errors.setdefault("to_agency", []).append(_("This agency does not accept referrals."))
    if to_agency.pk == user.agency_id:
        errors.setdefault("to_agency", []).append(_("A referral goes to another agency."))
    if not services_requested:
        errors.setdefault("services_requested", []).append(_("Choose at least one service."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        referral.save()
        audit(
            actor=user,
            action="create",
            obj=referral,
            channel=channel,
            details={"to_agency": to_agency.acronym, "services": services_requested},
        )
        transaction.on_commit(lambda: _notify(referral.pk, "referral.created"))
        transaction.on_commit(lambda: _tell_receiver(referral))
    return referral


def _validation_errors(record) -> dict[str, list[str]]:
    try:
        record.full_clean()
    except ValidationError as error:
        return {field: list(messages) for field, messages in error.message_dict.items()}
    return {}


def _tell_receiver(referral: Referral) -> None:
    """The receiving agency hears of a new referral: who sent it and how urgent, not whom it
    is about (a pending referral shows the summary only)."""
    notify_agency(
        agency_id=referral.to_agency_id,
        kind=NotificationKind.REFERRAL_RECEIVED,
        params={"agency": referral.from_agency.acronym, "urgency": referral.urgency},
        link=reverse("referrals:detail", args=[referral.pk]),
    )


def _tell_sender(referral: Referral) -> None:
    """The sending agency hears of the receiver's answer (accept, decline, start, close…)."""
    notify_agency(
        agency_id=referral.from_agency_id,
        kind=NotificationKind.REFERRAL_ANSWERED,
        params={"agency": referral.to_agency.acronym, "status": referral.status},
        link=reverse("referrals:detail", args=[referral.pk]),
    )


def referral_transition(
    *, referral_id, user, transition: str, reason: str = "", channel: str = "web"
) -> Referral:
    """Move a referral along the workflow. The row is locked for the check and the write, so
    that two requests racing on one referral end with exactly one transition."""
    FLOW.check_request(transition, reason)
    with transaction.atomic():
        referral = (
            referrals_visible_to(user)
            .select_for_update(of=("self",))
            .filter(pk=referral_id)
            .first()
        )
        if referral is None:
            raise NotFound
        if not can_take_transition(user, referral, transition):
            raise PermissionDenied(
                _("Only the %(side)s of a referral may %(action)s it.")
                % {"side": _(SIDE[transition]), "action": transition}
            )
        if transition not in allowed_transitions(user, referral):
            raise TransitionNotAllowed(transition=transition, current_status=referral.status)
        target = workflow_take_step(
            record=referral, flow=FLOW, action=transition,
            user=user, reason=reason, history=ReferralTransition,
        )  # fmt: skip
        audit(
            actor=user,
            action="transition",
            obj=referral,
            channel=channel,
            details={"transition": transition, "to_status": target},
        )
        transaction.on_commit(lambda: _notify(referral.pk, f"referral.{target}"))
        if SIDE[transition] == "receiver":
            transaction.on_commit(lambda: _tell_sender(referral))
    return referral


def referral_accept(*, referral_id, user, channel: str = "web") -> Referral:
    return referral_transition(
        referral_id=referral_id, user=user, transition=Transition.ACCEPT, channel=channel
    )


def referral_decline(*, referral_id, user, reason: str, channel: str = "web") -> Referral:
    return referral_transition(
        referral_id=referral_id,
        user=user,
        transition=Transition.DECLINE,
        reason=reason,
        channel=channel,
    )


def service_record(
    *,
    user,
    victim: Victim,
    service: str,
    date: dt.date,
    referral: Referral | None = None,
    notes: str = "",
    channel: str = "web",
) -> Service:
    """Record a service the user's agency delivered: under an accepted referral it received,
    or to a victim it holds in full."""
    if referral is not None:
        if not can_record_service(user, referral):
            raise PermissionDenied(_("Services are recorded under an accepted referral."))
        victim = referral.victim
    elif not victims_visible_to(user, at_least=VictimAccess.FULL).filter(pk=victim.pk).exists():
        raise NotFound
    record = Service(
        referral=referral,
        victim=victim,
        agency_id=user.agency_id,
        date=date,
        service=service,
        notes=notes,
        created_by=user,
    )
    record.full_clean()
    with transaction.atomic():
        record.save()
        audit(actor=user, action="create", obj=record, channel=channel)
    return record


def _notify(referral_id, event: str) -> None:
    """Queue the webhook deliveries of a referral event (see referrals.tasks)."""
    from . import tasks

    tasks.queue_referral_event(referral_id=referral_id, event=event)


def webhook_endpoint_create(*, user, data: dict, channel: str = "api") -> WebhookEndpoint:
    """Register a URL of the user's agency that receives signed referral events."""
    if not can_manage_webhooks(user):
        raise PermissionDenied(_("Only agencies that send or receive referrals have webhooks."))
    endpoint = WebhookEndpoint(created_by=user, agency_id=user.agency_id, **data)
    endpoint.full_clean()
    with transaction.atomic():
        endpoint.save()
        audit(
            actor=user,
            action="create",
            obj=endpoint,
            channel=channel,
            details={"url": endpoint.url},
        )
    return endpoint


def webhook_endpoint_update(
    *, user, endpoint_id, data: dict, channel: str = "api"
) -> WebhookEndpoint:
    """Change the URL, secret or active flag of one of the user's agency's endpoints."""
    with transaction.atomic():
        endpoint = (
            webhook_endpoints_visible_to(user).select_for_update().filter(pk=endpoint_id).first()
        )
        if endpoint is None:
            raise NotFound
        for name, value in data.items():
            setattr(endpoint, name, value)
        endpoint.full_clean()
        endpoint.save()
        audit(
            actor=user,
            action="update",
            obj=endpoint,
            channel=channel,
            details={"fields": sorted(data)},
        )
    return endpoint


def webhook_endpoint_delete(*, user, endpoint_id, channel: str = "api") -> None:
    """Remove an endpoint of the user's agency, with its delivery log."""
    with transaction.atomic():
        endpoint = webhook_endpoints_visible_to(user).filter(pk=endpoint_id).first()
        if endpoint is None:
            raise NotFound
        audit(
            actor=user,
            action="delete",
            obj=endpoint,
            channel=channel,
            details={"url": endpoint.url},
        )
        endpoint.delete()


def webhook_delivery_redeliver(*, user, delivery_id, channel: str = "api") -> WebhookDelivery:
    """Try a delivery that was given up once more, with a fresh set of retries (the partner
    fixed its server, say). Only a given-up delivery: one still retrying or delivered is a
    conflict. Audited; the attempt is queued once the change is committed."""
    from . import tasks

    with transaction.atomic():
        delivery = (
            webhook_deliveries_visible_to(user).select_for_update().filter(pk=delivery_id).first()
        )
        if delivery is None:
            raise NotFound
        if delivery.state != "given_up":
            raise Conflict(
                _("Only a delivery that was given up can be redelivered; this one is %(state)s.")
                % {"state": delivery.state},
                current_status=delivery.state,
            )
        delivery.given_up_at = None
        delivery.save(update_fields=["given_up_at"])
        audit(
            actor=user,
            action="update",
            obj=delivery,
            channel=channel,
            details={"redeliver": True, "event": delivery.event},
        )
        transaction.on_commit(lambda: tasks.dispatch_delivery(delivery.pk))
    return delivery
