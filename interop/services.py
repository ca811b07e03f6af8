"""Every write of the OSCaR exchange (SPEC section 11): registering a system, signing it in,
and the upsert / update_links / update_statuses it sends. Each is atomic and audited."""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.tokens import token_issue
from agencies.models import Agency, ApiToken, User
from agencies.selectors import agency_named
from casework.choices import ConsentKind, ConsentMethod
from casework.services import consent_record
from ctms import errors
from ctms.audit import audit
from ctms.choices import ReferralStatus, Role
from ctms.validators import validate_village
from referrals.choices import ENDED
from referrals.models import Referral
from referrals.services import referral_create, referral_transition
from victims.models import Victim
from victims.services import victim_create

from . import wire
from .matching import same_person
from .models import Exchange, ExternalClient, ExternalReferral, ExternalSystem
from .oscar_services import ctms_service
from .policies import can_manage_external_systems

CHANNEL = "oscar"


def external_system_register(
    *,
    name: str,
    agency: Agency,
    url: str = "",
    remote_login: str = "",
    remote_password: str = "",
    actor=None,
    channel: str = "cli",
) -> tuple[ExternalSystem, str]:
    """Register a system acting for `agency`. Returns it and its password (shown once). The
    command (`register_external_system`, no actor) and the administrators' page both call it."""
    name = name.strip()
    if not name or len(name) > 100:
        raise errors.ValidationError(
            {"name": [_("Give the system a name of 1 to 100 characters.")]}
        )
    if ExternalSystem.objects.filter(name__iexact=name).exists():
        raise errors.ValidationError({"name": [_("A system of this name is registered already.")]})
    if actor is not None and not can_manage_external_systems(actor):
        raise errors.PermissionDenied
    slug = "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-")
    login = f"{slug}@{agency.acronym.lower()}.ctms"
    if not slug:
        raise errors.ValidationError(
            {"name": [_("Give the system a name with at least one letter or digit.")]}
        )
    if (
        ExternalSystem.objects.filter(login__iexact=login).exists()
        or User.objects.filter(username__iexact=f"ext-{slug}"[:150]).exists()
    ):
        raise errors.ValidationError(
            {"name": [_("A system of a name this close is registered already.")]}
        )
    password = secrets.token_urlsafe(24)
    with transaction.atomic():
        user = User.objects.create(
            username=f"ext-{slug}"[:150],
            agency=agency,
            role=Role.CASE_WORKER,
            first_name=name[:150],
        )
        user.set_unusable_password()  # it never signs in to the browser
        user.save(update_fields=["password"])
        system = ExternalSystem.objects.create(
            name=name,
            agency=agency,
            login=login,
            password_hash=make_password(password),
            user=user,
            url=url,
            remote_login=remote_login,
            remote_password=remote_password,
            created_by=actor,
        )
        audit(
            actor=actor,
            action="system_registered",
            obj=system,
            channel=channel,
            details={"name": name, "agency": agency.acronym, "login": login},
        )
    return system, password


def _managed(system_id, actor) -> ExternalSystem:
    if not can_manage_external_systems(actor):
        raise errors.PermissionDenied
    system = ExternalSystem.objects.select_for_update().filter(pk=system_id).first()
    if system is None:
        raise errors.NotFound
    return system


def _revoke_tokens(system: ExternalSystem) -> int:
    """End every live sign-in of the system's service user (tokens it was given)."""
    return ApiToken.objects.filter(user=system.user, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), updated_at=timezone.now()
    )


def external_system_password_rotate(*, system_id, actor) -> tuple[ExternalSystem, str]:
    """A new password for the system (shown once); the old one and every token signed in
    with it stop working at once."""
    password = secrets.token_urlsafe(24)
    with transaction.atomic():
        system = _managed(system_id, actor)
        system.password_hash = make_password(password)
        system.save(update_fields=["password_hash", "updated_at"])
        revoked = _revoke_tokens(system)
        audit(
            actor=actor,
            action="system_rotated",
            obj=system,
            channel="web",
            details={"name": system.name, "tokens_revoked": revoked},
        )
    return system, password


def external_system_active_set(*, system_id, actor, active: bool) -> ExternalSystem:
    """Switch a system off (it can no longer sign in, its tokens end, CTMS stops calling it)
    or on again (with the password it had). Setting what already holds changes nothing."""
    with transaction.atomic():
        system = _managed(system_id, actor)
        if system.is_active == active:
            return system
        system.is_active = active
        system.save(update_fields=["is_active", "updated_at"])
        revoked = 0 if active else _revoke_tokens(system)
        audit(
            actor=actor,
            action="system_reactivated" if active else "system_deactivated",
            obj=system,
            channel="web",
            details={"name": system.name, "tokens_revoked": revoked},
        )
    return system


def external_system_sign_in(*, email: str, password: str, ip_address: str | None = None):
    """The OSCaR sign-in: a CTMS token (hashed, expiring) for the system's service user."""
    system = (
        ExternalSystem.objects.select_related("user")
        .filter(login__iexact=(email or "").strip(), is_active=True)
        .first()
    )
    if system is None or not check_password(password or "", system.password_hash):
        audit(
            actor=None,
            action="oscar_sign_in_failed",
            channel=CHANNEL,
            ip_address=ip_address,
            details={"login": (email or "")[:150]},
        )
        return None
    row, token = token_issue(
        user=system.user,
        name=f"oscar-sign-in {system.name}"[:100],
        channel=CHANNEL,
        ip_address=ip_address,
    )
    exchange_log(system=system, direction="in", operation="sign_in", status_code=200)
    return system, row, token


def exchange_log(
    *,
    system,
    direction: str,
    operation: str,
    records: int = 0,
    status_code: int | None = None,
    detail: str = "",
) -> Exchange:
    return Exchange.objects.create(
        system=system,
        direction=direction,
        operation=operation,
        records=records,
        status_code=status_code,
        detail=detail[:2000],
    )


class UpsertError(Exception):
    """An upsert that cannot be stored; `message` goes back as OSCaR's 422 body."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def client_upsert(*, system: ExternalSystem, client: dict[str, Any]) -> tuple[str, bool]:
    """Store an OSCaR client sent by `system`: the person (matched first by global_id, then by
    (system, external_id), then by the duplicate matcher), the consent it asserts and, when
    `is_referred`, a referral to the agency named by `organization_name`. Repeating it changes
    nothing. Returns (external_id, created-a-referral)."""
    if not isinstance(client, dict):
        raise UpsertError(_("Send the client under 'organization'."))
    external_id = wire.text(client.get("external_id")).strip()
    global_id = wire.text(client.get("global_id")).strip()
    if not external_id and not global_id:
        raise UpsertError(_("Give the client's global_id or external_id."))
    try:
        date_of_birth = wire.date_in(client.get("date_of_birth"))
    except ValueError as error:
        raise UpsertError(_("date_of_birth must be a date YYYY-MM-DD.")) from error
    is_referred = client.get("is_referred") in (True, "true", "True", "1", 1)
    to_agency = None
    if is_referred:
        short_name = wire.text(client.get("organization_name")).strip()
        to_agency = agency_named(short_name)
        if to_agency is None or to_agency.pk == system.agency_id:
            raise UpsertError(_("organization_name names no agency of CTMS to refer to."))
    services = [s for s in client.get("services") or [] if isinstance(s, dict)]
    codes = sorted({code for s in services if (code := ctms_service(s))})
    if is_referred and not codes:
        raise UpsertError(_("Name at least one OSCaR service that CTMS provides."))
    user = system.user
    with transaction.atomic():
        ExternalSystem.objects.select_for_update().filter(pk=system.pk).first()  # one at a time
        link = _find_link(system, global_id, external_id)
        victim = link.victim if link else None
        if victim is None:
            victim = same_person(
                system=system,
                name_khmer=" ".join(
                    wire.text(client.get(k)) for k in ("local_family_name", "local_given_name")
                ).strip(),
                given_name=wire.text(client.get("given_name")),
                family_name=wire.text(client.get("family_name")),
                date_of_birth=date_of_birth,
            )
        if victim is None:
            victim = _victim_from(user, client, date_of_birth)
        if link is None:
            link = ExternalClient.objects.create(
                system=system,
                victim=victim,
                external_id=external_id,
                external_id_display=wire.text(client.get("external_id_display")),
                global_id=global_id or wire.global_id_for(victim.pk),
            )
        created = False
        if is_referred:
            for kind in (ConsentKind.SERVICES, ConsentKind.DATA_SHARING):
                if getattr(victim, f"consent_{kind}") is not True:
                    consent_record(
                        user=user,
                        victim=victim,
                        kind=kind,
                        given=True,
                        date=timezone.localdate(),
                        method=ConsentMethod.EXTERNAL,
                        channel=CHANNEL,
                    )
            victim.refresh_from_db()
            open_referral = (
                Referral.objects.filter(
                    victim=victim, from_agency=system.agency, to_agency=to_agency
                )
                .exclude(status__in=ENDED)
                .first()
            )
            if open_referral is None:
                referral_id = next(
                    (
                        wire.text(s.get("referral_id"))
                        for s in services
                        if s.get("referral_id") not in (None, "")
                    ),
                    "",
                )
                try:
                    referral = referral_create(
                        user=user,
                        victim=victim,
                        to_agency=to_agency,
                        services_requested=codes,
                        reason=wire.text(client.get("reason_for_referral")),
                        channel=CHANNEL,
                    )
                except errors.ValidationError as error:
                    raise UpsertError(getattr(error, "detail", str(error))) from error
                ExternalReferral.objects.create(
                    system=system,
                    referral=referral,
                    direction="inbound",
                    external_referral_id=referral_id,
                    sent_status="Referred",
                )
                created = True
        audit(
            actor=user,
            action="oscar_upsert",
            obj=victim,
            channel=CHANNEL,
            details={
                "system": system.name,
                "external_id": external_id,
                "global_id": link.global_id,
                "referral_created": created,
            },
        )
        exchange_log(system=system, direction="in", operation="upsert", records=1, status_code=200)
    return link.external_id or external_id, created


def _find_link(system, global_id: str, external_id: str) -> ExternalClient | None:
    links = ExternalClient.objects.select_related("victim").filter(victim__agency=system.agency)
    if global_id:
        found = links.filter(global_id=global_id).first()
        if found:
            return found
    if external_id:
        return links.filter(system=system, external_id=external_id).first()
    return None


def _victim_from(user, client: dict, date_of_birth) -> Victim:
    village = wire.text(client.get("location_current_village_code")).strip()
    try:
        validate_village(village)
    except DjangoValidationError:
        village = ""
    data = {
        "given_name": wire.text(client.get("given_name"))[:100],
        "family_name": wire.text(client.get("family_name"))[:100],
        "name_khmer": " ".join(
            part
            for part in (
                wire.text(client.get("local_family_name")),
                wire.text(client.get("local_given_name")),
            )
            if part
        )[:200],
        "sex": wire.SEX_IN.get(wire.text(client.get("gender")).lower(), "unknown"),
        "date_of_birth": date_of_birth,
        "home_village": village,
    }
    try:
        return victim_create(user=user, data=data, channel=CHANNEL)
    except (errors.ValidationError, DjangoValidationError) as error:
        raise UpsertError(getattr(error, "message_dict", None) or str(error)) from error


def client_links_update(*, system: ExternalSystem, items: list) -> int:
    """Remember the system's own ids for people CTMS shared with it (by global_id)."""
    saved = 0
    with transaction.atomic():
        for item in items if isinstance(items, list) else []:
            if not isinstance(item, dict):
                continue
            global_id = wire.text(item.get("global_id")).strip()
            victim = _shared_victim(system, global_id)
            if victim is None:
                continue
            ExternalClient.objects.update_or_create(
                system=system,
                victim=victim,
                global_id=global_id,
                defaults={
                    "external_id": wire.text(item.get("external_id"))[:100],
                    "external_id_display": wire.text(item.get("external_id_display"))[:100],
                },
            )
            saved += 1
        audit(
            actor=system.user,
            action="oscar_update_links",
            channel=CHANNEL,
            details={"system": system.name, "records": saved},
        )
        exchange_log(
            system=system, direction="in", operation="update_links", records=saved, status_code=200
        )
    return saved


def shared_referrals(system: ExternalSystem):
    """The referrals the system may exchange: sent to its agency, or sent by it."""
    return Referral.objects.filter(
        Q(to_agency=system.agency) | Q(from_agency=system.agency, external__system=system)
    )


def _shared_victim(system, global_id: str) -> Victim | None:
    if not global_id:
        return None
    for referral in shared_referrals(system).select_related("victim"):
        if wire.global_id_for(referral.victim_id) == global_id:
            return referral.victim
    link = ExternalClient.objects.filter(global_id=global_id, system=system).first()
    return link.victim if link else None


def referral_statuses_update(*, system: ExternalSystem, items: list) -> list[str]:
    """The system answers referrals CTMS sent to its agency. Returns the problems (empty: all
    saved). A status already reached changes nothing."""
    problems: list[str] = []
    done = 0
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            problems.append(_("Each item is an object."))
            continue
        status = wire.text(item.get("referral_status"))
        if status not in wire.STATUSES:
            problems.append(_("Referral status must be one of ['Accepted', 'Exited', 'Referred']."))
            continue
        referral = Referral.objects.filter(
            to_agency=system.agency, pk=_uuid_or_none(item.get("referral_id"))
        ).first()
        if referral is None:
            problems.append(_("Referral not found."))
            continue
        for transition in _transitions(referral.status, status):
            referral_transition(
                referral_id=referral.pk,
                user=system.user,
                transition=transition,
                reason=_("Answered in %(system)s") % {"system": system.name}
                if transition in ("decline", "close")
                else "",
                channel=CHANNEL,
            )
        ExternalReferral.objects.update_or_create(
            referral=referral,
            defaults={"system": system, "direction": "outbound", "external_status": status},
        )
        done += 1
    audit(
        actor=system.user,
        action="oscar_statuses",
        channel=CHANNEL,
        details={"system": system.name, "records": done, "problems": len(problems)},
    )
    exchange_log(
        system=system,
        direction="in",
        operation="update_statuses",
        records=done,
        status_code=422 if problems else 200,
    )
    return problems


def _transitions(current: str, status: str) -> list[str]:
    """The CTMS steps that bring a referral from `current` to OSCaR's `status` (none if there)."""
    if status == "Accepted":
        return ["accept"] if current == ReferralStatus.PENDING else []
    if status == "Active":
        if current == ReferralStatus.PENDING:
            return ["accept", "start"]
        return ["start"] if current == ReferralStatus.ACCEPTED else []
    if status == "Exited":
        if current == ReferralStatus.PENDING:
            return ["decline"]
        if current in (ReferralStatus.ACCEPTED, ReferralStatus.IN_SERVICE):
            return ["close"]
    return []


def _uuid_or_none(value):
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None
