"""Writes of cases, suspects, operations and prosecutions."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from agencies.choices import AgencyKind
from agencies.models import Agency
from ctms.audit import audit, changed_fields
from ctms.errors import NotFound, PermissionDenied, ValidationError
from ctms.services import apply_fields, plain_values
from handovers.services import handover_rescue_placement
from victims.models import Victim
from victims.selectors import VictimAccess, victims_visible_to

from .models import Case, CourtSubmission, Defendant, Operation, Prosecution, Rescue, Suspect
from .policies import (
    can_edit_case,
    can_link_case,
    can_open_case,
    can_record_operation,
    can_record_prosecution,
    can_record_suspect,
    can_record_verdict,
    can_send_case_to_court,
)
from .selectors import (
    cases_sent_to_court_of,
    cases_visible_to,
    prosecutions_visible_to,
    suspects_visible_to,
)


def case_create(
    *, user, data: dict[str, Any], victims=(), suspects=(), channel: str = "web"
) -> Case:
    """Open a case owned by the user's agency."""
    if not can_open_case(user):
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
    if not can_record_suspect(user):
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
    spot as a minimal record owned by the unit. A person placed with an agency (`placed_with`)
    is handed over to it: a pending `rescue_placement` hand-over."""
    if not can_record_operation(user):
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
            rescue = Rescue(
                operation=operation,
                victim=victim,
                placement=item["placement"],
                placed_with=item.get("placed_with"),
            )
            rescue.full_clean()
            rescue.save()
            handover_rescue_placement(user=user, rescue=rescue, channel=channel)
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
    """A court clerk files a prosecution at their own court, on a case sent to it (any other
    case reads as missing: NotFound), with defendants who are suspects of that case."""
    if not can_record_prosecution(user):
        raise PermissionDenied(_("Only court clerks record prosecutions."))
    data = dict(data)
    case_id = data.pop("case_id", None) or getattr(data.get("case"), "pk", None)
    case = None
    if case_id is not None:
        case = cases_sent_to_court_of(user).filter(pk=case_id).first()
        if case is None:
            raise NotFound
    data["case"] = case
    _check_defendants(case, [item["suspect"] for item in defendants])
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


def _check_defendants(case, suspects) -> None:
    """Every defendant must be a suspect of the case the prosecution is filed on."""
    if not suspects:
        return
    linked = set(case.suspects.values_list("pk", flat=True)) if case is not None else set()
    if any(suspect.pk not in linked for suspect in suspects):
        raise ValidationError({"defendants": [_("Every defendant must be a suspect of the case.")]})


def case_send_to_court(*, user, case_id, court: Agency, channel: str = "web") -> CourtSubmission:
    """Send a case to a court, which may then read it and file prosecutions on it: by the
    owning agency's case workers or a police unit with an operation on it (otherwise the case
    reads as missing). Sending it again to the same court changes nothing. Audited."""
    if not can_send_case_to_court(user):
        raise NotFound
    if court is None or court.kind != AgencyKind.COURT:
        raise ValidationError({"court": [_("Choose a court.")]})
    with transaction.atomic():
        case = cases_visible_to(user).select_for_update(of=("self",)).filter(pk=case_id).first()
        if case is None or not can_send_case_to_court(user, case):
            raise NotFound
        submission, created = CourtSubmission.objects.get_or_create(
            case=case,
            court=court,
            defaults={"created_by": user, "sent_by_agency_id": user.agency_id},
        )
        if created:
            audit(
                actor=user,
                action="update",
                obj=case,
                channel=channel,
                details={"sent_to_court": court.acronym},
            )
    return submission


def defendant_verdict_record(
    *,
    user,
    defendant_id: int,
    verdict: str,
    verdict_on=None,
    sentence_months: int | None = None,
    channel: str = "web",
) -> Defendant:
    """A court clerk records the verdict of a defendant before their own court."""
    if not can_record_verdict(user):
        raise PermissionDenied(_("Only court clerks record verdicts."))
    with transaction.atomic():
        defendant = (
            Defendant.objects.select_for_update(of=("self",))
            .select_related("prosecution")
            .filter(pk=defendant_id, prosecution__in=prosecutions_visible_to(user))
            .first()
        )
        if defendant is None or not can_record_verdict(user, defendant.prosecution):
            raise NotFound
        names = ("verdict", "verdict_on", "sentence_months")
        before = plain_values(defendant, names)
        defendant.verdict = verdict
        defendant.verdict_on = verdict_on
        defendant.sentence_months = sentence_months
        defendant.full_clean()
        defendant.save()
        # Every verdict is kept in the trail (an appeal changes it): old and new values.
        audit(
            actor=user,
            action="update",
            obj=defendant,
            channel=channel,
            details={
                "verdict": verdict,
                "changed": changed_fields(before, plain_values(defendant, names)),
            },
        )
    return defendant


def case_link(*, user, case_id, victims=(), suspects=(), channel: str = "web") -> Case:
    """Link more victims and suspects to a case the user's agency holds. Every victim must be
    one the user holds in full; anything else looks like a missing record."""
    if not can_link_case(user):
        raise PermissionDenied(_("Only case workers change cases."))
    visible = victims_visible_to(user, at_least=VictimAccess.FULL)
    if visible.filter(pk__in=[v.pk for v in victims]).count() != len(set(victims)):
        raise NotFound
    with transaction.atomic():
        case = cases_visible_to(user).select_for_update(of=("self",)).filter(pk=case_id).first()
        if case is None or not can_link_case(user, case):
            raise NotFound
        case.victims.add(*victims)
        case.suspects.add(*suspects)
        audit(
            actor=user,
            action="update",
            obj=case,
            channel=channel,
            details={"victims_added": len(victims), "suspects_added": len(suspects)},
        )
    return case


def case_update(
    *, user, case_id, data: dict[str, Any], victims=None, suspects=None, channel: str = "web"
) -> Case:
    """Change a case the user's agency owns (case workers; police and courts only read)."""
    if not can_edit_case(user):
        raise NotFound
    with transaction.atomic():
        case = cases_visible_to(user).select_for_update(of=("self",)).filter(pk=case_id).first()
        if case is None or not can_edit_case(user, case):
            raise NotFound
        before = plain_values(case, data.keys())
        apply_fields(case, data)
        case.full_clean()
        case.save()
        links = {}
        if victims is not None:
            seen = victims_visible_to(user, at_least=VictimAccess.FULL)
            links["victims"] = _replace_seen_links(case.victims, seen, victims)
        if suspects is not None:
            links["suspects"] = _replace_seen_links(
                case.suspects, suspects_visible_to(user), suspects
            )
        changes = changed_fields(before, plain_values(case, data.keys()))
        for name, (added, removed) in links.items():
            if added or removed:
                changes[name] = {"added": added, "removed": removed}
        audit(actor=user, action="update", obj=case, channel=channel, details={"changed": changes})
    return case


def _replace_seen_links(related, seen, wanted) -> tuple[list[str], list[str]]:
    """Make the links the user can see exactly `wanted`; links to records the user cannot see
    stay as they are (a list sent by one agency must not silently unlink another's victims).
    Returns the ids added and removed, for the audit trail."""
    current = set(related.values_list("pk", flat=True))
    visible_current = set(seen.filter(pk__in=current).values_list("pk", flat=True))
    wanted_ids = {record.pk for record in wanted}
    added, removed = wanted_ids - current, visible_current - wanted_ids
    related.add(*added)
    related.remove(*removed)
    return sorted(map(str, added)), sorted(map(str, removed))
