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
from victims.models import BEFORE_BIRTH, Victim
from victims.selectors import VictimAccess, victims_visible_to

from .choices import Verdict
from .models import Case, CourtSubmission, Defendant, Operation, Prosecution, Rescue, Suspect
from .policies import (
    can_edit_case,
    can_edit_operation,
    can_edit_prosecution,
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
    operations_visible_to,
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
        _add_rescues(user, operation, rescues, channel)
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


def _add_rescues(user, operation: Operation, rescues, channel: str) -> list[Rescue]:
    """Rescue each person (created on the spot when given as a dict) in `operation`, hand the
    ones placed with an agency over to it, and link them to the operation's case."""
    added = []
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
        if operation.case is not None:
            operation.case.victims.add(victim)
        added.append(rescue)
    return added


OPERATION_FIELDS = ("date", "kind", "province", "case", "notes")


def operation_update(
    *,
    user,
    operation_id,
    data: dict[str, Any],
    suspects: list[Suspect | dict[str, Any]] = (),
    released: list[Suspect] = (),
    rescues: list[dict[str, Any]] = (),
    detained: list[Suspect] | None = None,
    channel: str = "web",
) -> Operation:
    """Correct an operation the user's unit logged: its fields, more suspects detained (new
    ones created as in `operation_record`), suspects taken off it (`released`: a mistake in the
    log), more persons rescued (handed over like those of the first log). A person already
    rescued stays: their placement moves through hand-overs. `detained`, when given (the
    API's PATCH), is the list of suspects detained as the caller wants it, instead of
    `suspects` and `released`: those on the operation that the caller sees and does not list
    are taken off, those listed are added. Audited with old and new values."""
    if not can_edit_operation(user):
        raise NotFound
    data = {key: value for key, value in data.items() if key in OPERATION_FIELDS}
    case = data.get("case")
    if case is not None and not cases_visible_to(user).filter(pk=case.pk).exists():
        raise NotFound
    with transaction.atomic():
        operation = (
            operations_visible_to(user)
            .select_for_update(of=("self",))
            .filter(pk=operation_id)
            .first()
        )
        if operation is None or not can_edit_operation(user, operation):
            raise NotFound
        before = plain_values(operation, data.keys())
        old_case_id = operation.case_id
        apply_fields(operation, data)
        operation.full_clean()
        # A new date must not come before the birth of someone rescued: the one rule of a
        # rescue that reads the operation (its placement moves through hand-overs, not here).
        for rescue in operation.rescues.select_related("victim"):
            rescue.operation = operation
            if rescue.before_birth():
                raise ValidationError({"date": BEFORE_BIRTH})
        operation.save()
        current = set(operation.suspects_detained.values_list("pk", flat=True))
        if detained is not None:
            listed = {suspect.pk for suspect in detained}
            released = list(suspects_visible_to(user).filter(pk__in=current - listed))
            suspects = [suspect for suspect in detained if suspect.pk not in current]
        taken_off = [suspect for suspect in released if suspect.pk in current]
        operation.suspects_detained.remove(*taken_off)
        detained = [_suspect(user, item) for item in suspects]
        operation.suspects_detained.add(*detained)
        added_rescues = _add_rescues(user, operation, rescues, channel)
        if operation.case is not None:
            operation.case.suspects.add(*detained)
            if operation.case_id != old_case_id:  # the new case gets the operation's people
                operation.case.suspects.add(*operation.suspects_detained.all())
                operation.case.victims.add(*operation.rescues.values_list("victim_id", flat=True))
        changes = changed_fields(before, plain_values(operation, data.keys()))
        if detained or taken_off:
            changes["suspects_detained"] = {
                "added": sorted(str(s.pk) for s in detained),
                "removed": sorted(str(s.pk) for s in taken_off),
            }
        if added_rescues:
            changes["persons_rescued"] = {"added": [str(r.victim_id) for r in added_rescues]}
        audit(
            actor=user,
            action="update",
            obj=operation,
            channel=channel,
            details={"changed": changes},
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


PROSECUTION_FIELDS = ("case", "court_case_number", "filed_on", "charges")


def prosecution_update(
    *,
    user,
    prosecution_id,
    data: dict[str, Any],
    defendants: list[Suspect] | None = None,
    channel: str = "web",
) -> Prosecution:
    """Correct a prosecution filed at the clerk's own court: its fields, its case (one sent to
    the court, as when filing) and its defendants (`defendants`: the suspects charged, all of
    them suspects of the case). A defendant with a verdict stays: the verdict is changed, with
    its history, through `defendant_verdict_record`. Audited with old and new values."""
    if not can_edit_prosecution(user):
        raise NotFound
    data = {key: value for key, value in data.items() if key in (*PROSECUTION_FIELDS, "case_id")}
    with transaction.atomic():
        prosecution = (
            prosecutions_visible_to(user)
            .select_for_update(of=("self",))
            .filter(pk=prosecution_id)
            .first()
        )
        if prosecution is None or not can_edit_prosecution(user, prosecution):
            raise NotFound
        if "case_id" in data:  # the case named by its id (the API), as when filing
            case_id = data.pop("case_id")
            if case_id is None or case_id == prosecution.case_id:
                data["case"] = prosecution.case if case_id is not None else None
            else:
                data["case"] = cases_sent_to_court_of(user).filter(pk=case_id).first()
                if data["case"] is None:
                    raise NotFound
        case = data.get("case", prosecution.case)
        if "case" in data and getattr(case, "pk", None) != prosecution.case_id:
            if case is not None and not cases_sent_to_court_of(user).filter(pk=case.pk).exists():
                raise NotFound
        before = plain_values(prosecution, data.keys())
        apply_fields(prosecution, data)
        prosecution.full_clean()
        current = {d.suspect_id: d for d in prosecution.defendants.select_related("suspect")}
        wanted = list(current[pk].suspect for pk in current) if defendants is None else defendants
        _check_defendants(case, wanted)
        wanted_ids = {suspect.pk for suspect in wanted}
        kept = [
            d for pk, d in current.items() if pk not in wanted_ids and d.verdict != Verdict.PENDING
        ]
        if kept:
            raise ValidationError(
                {
                    "defendants": [
                        _("%(name)s has a verdict and stays a defendant.") % {"name": d.suspect}
                        for d in kept
                    ]
                }
            )
        prosecution.save()
        for defendant in current.values():
            defendant.prosecution = prosecution
            try:  # a new filing date must not come after a verdict
                defendant.full_clean(validate_unique=False)
            except ValidationError as error:
                raise ValidationError({"filed_on": error.messages}) from None
        removed = [pk for pk in current if pk not in wanted_ids]
        prosecution.defendants.filter(suspect_id__in=removed).delete()
        added = [suspect for suspect in wanted if suspect.pk not in current]
        for suspect in added:
            defendant = Defendant(prosecution=prosecution, suspect=suspect)
            defendant.full_clean()
            defendant.save()
        changes = changed_fields(before, plain_values(prosecution, data.keys()))
        if added or removed:
            changes["defendants"] = {
                "added": sorted(str(s.pk) for s in added),
                "removed": sorted(map(str, removed)),
            }
        audit(
            actor=user,
            action="update",
            obj=prosecution,
            channel=channel,
            details={"changed": changes},
        )
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
