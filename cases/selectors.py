"""Who may see which case, suspect, operation and prosecution (SPEC section 1).

The only place these scope rules are written; everything is denied unless a rule grants it.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from ctms.choices import Role
from ctms.scope import has_role, is_admin, owning_agency_q
from victims.models import FollowUp, Victim
from victims.selectors import VictimAccess, reference_q, victims_visible_to

from .choices import CaseStatus
from .models import Case, CourtSubmission, Defendant, Operation, Prosecution, Suspect


def cases_visible_to(user) -> QuerySet[Case]:
    """Case workers: cases of their agency and its children. Police: cases linked to their
    operations (read). Justice: cases prosecuted at their court (read)."""
    if is_admin(user):
        return Case.objects.all()
    rules: list[Q] = []
    if has_role(user, Role.CASE_WORKER):
        rules.append(owning_agency_q(user))
    if has_role(user, Role.POLICE):
        rules.append(
            Q(
                pk__in=Operation.objects.filter(
                    agency_id=user.agency_id, case__isnull=False
                ).values("case_id")
            )
        )
    if has_role(user, Role.JUSTICE):
        rules.append(
            Q(
                pk__in=Prosecution.objects.filter(
                    court_id=user.agency_id, case__isnull=False
                ).values("case_id")
            )
        )
        rules.append(Q(pk__in=_sent_to_court(user)))
    return _filter_any(Case.objects, rules)


def _sent_to_court(user):
    return CourtSubmission.objects.filter(court_id=user.agency_id).values("case_id")


def cases_sent_to_court_of(user) -> QuerySet[Case]:
    """The cases a court clerk may file prosecutions on: those sent to their court (any case
    for administrators)."""
    if is_admin(user):
        return Case.objects.all()
    if not has_role(user, Role.JUSTICE):
        return Case.objects.none()
    return Case.objects.filter(pk__in=_sent_to_court(user))


def operations_visible_to(user) -> QuerySet[Operation]:
    """Police: their own agency's operations. Case workers: operations on cases they own."""
    if is_admin(user):
        return Operation.objects.all()
    rules: list[Q] = []
    if has_role(user, Role.POLICE):
        rules.append(Q(agency_id=user.agency_id))
    if has_role(user, Role.CASE_WORKER):
        rules.append(Q(case__in=cases_visible_to(user)))
    return _filter_any(Operation.objects, rules)


def suspects_visible_to(user) -> QuerySet[Suspect]:
    """Police: suspects their agency recorded or detained. Case workers: suspects of their cases.
    Justice: defendants before their court."""
    if is_admin(user):
        return Suspect.objects.all()
    rules: list[Q] = []
    if has_role(user, Role.POLICE):
        detained = Operation.suspects_detained.through.objects.filter(
            operation__agency_id=user.agency_id
        ).values("suspect_id")
        rules.append(Q(agency_id=user.agency_id) | Q(pk__in=detained))
    if has_role(user, Role.CASE_WORKER):
        linked = Case.suspects.through.objects.filter(case__in=cases_visible_to(user)).values(
            "suspect_id"
        )
        rules.append(Q(agency_id=user.agency_id) | Q(pk__in=linked))
    if has_role(user, Role.JUSTICE):
        rules.append(
            Q(
                pk__in=Defendant.objects.filter(prosecution__court_id=user.agency_id).values(
                    "suspect_id"
                )
            )
        )
        # The suspects of a case sent to the court: the defendants it may name.
        on_sent_cases = Case.suspects.through.objects.filter(case_id__in=_sent_to_court(user))
        rules.append(Q(pk__in=on_sent_cases.values("suspect_id")))
    return _filter_any(Suspect.objects, rules)


def prosecutions_visible_to(user) -> QuerySet[Prosecution]:
    """Justice: their own court's prosecutions. Case workers: prosecutions of their cases (read)."""
    if is_admin(user):
        return Prosecution.objects.all()
    rules: list[Q] = []
    if has_role(user, Role.JUSTICE):
        rules.append(Q(court_id=user.agency_id))
    if has_role(user, Role.CASE_WORKER):
        rules.append(Q(case__in=cases_visible_to(user)))
    return _filter_any(Prosecution.objects, rules)


def _filter_any(manager, rules: list[Q]) -> QuerySet:
    if not rules:
        return manager.none()
    combined = rules[0]
    for q in rules[1:]:
        combined |= q
    return manager.filter(combined)


def case_for_filing(user, reference) -> Case | None:
    """A case sent to the clerk's court, by its reference: in full, or the 8 characters shown
    in lists when they name one case only. A case not sent there reads like one that does not
    exist."""
    condition = reference_q(str(reference or "").strip())
    if condition is None:
        return None
    found = list(cases_sent_to_court_of(user).filter(condition)[:2])
    return found[0] if len(found) == 1 else None


def _id_prefix_q(term: str) -> Q | None:
    """The records whose id starts with `term` (4 to 32 hex digits, dashes ignored), as an id
    range the primary-key index answers."""
    compact = term.replace("-", "").lower()
    if not 4 <= len(compact) <= 32 or any(c not in "0123456789abcdef" for c in compact):
        return None
    low, high = compact.ljust(32, "0"), compact.ljust(32, "f")
    return Q(pk__gte=uuid.UUID(low), pk__lte=uuid.UUID(high))


def cases_for_filing_search(user, query: str) -> QuerySet[Case]:
    """The prosecution form's case picker: cases sent to the clerk's court whose reference
    starts with `query`, or with a suspect or victim the clerk may see whose name has every
    word of it. Nothing outside `cases_sent_to_court_of` is ever searched."""
    cases = cases_sent_to_court_of(user)
    query = query.strip()
    if not query:
        return cases.none()
    condition = _id_prefix_q(query) or Q(pk__in=[])
    suspects = suspects_visible_to(user)
    victims = victims_visible_to(user)
    for word in query.split()[:5]:
        suspects = suspects.filter(Q(given_name__icontains=word) | Q(family_name__icontains=word))
        victims = victims.filter(
            Q(given_name__icontains=word)
            | Q(family_name__icontains=word)
            | Q(name_khmer__icontains=word)
        )
    condition |= Q(
        pk__in=Case.suspects.through.objects.filter(suspect__in=suspects).values("case_id")
    ) | Q(pk__in=Case.victims.through.objects.filter(victim__in=victims).values("case_id"))
    return cases.filter(condition).order_by("-opened_on")


def follow_ups_due(user, *, today, every_days: int = 90) -> QuerySet[Victim]:
    """Victims of the user's own agency on a case in follow-up who had no follow-up in the last
    `every_days`, the earliest taken in first, each with `last_follow_up` (or None).

    Written with EXISTS so that the database can stop at the first rows of a page instead of
    aggregating every follow-up of a large department."""
    since = today - dt.timedelta(days=every_days)
    on_follow_up_case = Case.victims.through.objects.filter(
        victim_id=OuterRef("pk"), case__status=CaseStatus.FOLLOW_UP
    )
    recent = FollowUp.objects.filter(victim_id=OuterRef("pk"), date__gte=since)
    last = FollowUp.objects.filter(victim_id=OuterRef("pk")).order_by("-date").values("date")[:1]
    return (
        victims_visible_to(user, at_least=VictimAccess.FULL)
        .filter(Exists(on_follow_up_case), ~Exists(recent), agency_id=user.agency_id)
        .annotate(last_follow_up=Subquery(last))
        .order_by("created_at")
    )
