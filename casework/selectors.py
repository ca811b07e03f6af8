"""Who may see which piece of case work (SPEC sections 1 and 9). The only place these rules
are written; everything is denied unless a rule below grants it.

- Case workers who hold the victim in full see its case work, except confidential notes of
  other agencies.
- Case workers and partners who see the victim through an open referral (the referral view)
  see what their own agency wrote, for as long as they have that view.
- A confidential note is seen only by users of the agency that wrote it.
- Police, justice and the secretariat never see case notes, care plans, risk assessments or
  consent entries; justice sees the documents of its own court's prosecutions.
- Administrators see everything but confidential notes (every read is audited).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from cases.models import Case, Prosecution
from ctms.choices import Role
from ctms.scope import has_role, is_admin, owning_agency_q
from victims.selectors import VictimAccess, victim_access, victims_visible_to

from .models import CarePlan, CarePlanTask, CaseNote, Consent, Document, RiskAssessment

CASE_WORK_ROLES = (Role.CASE_WORKER, Role.PARTNER)


def _victims_q(user, at_least: VictimAccess, victim=None) -> Q:
    """Rows about a victim the user sees with at least `at_least`. For one known victim (its
    page), whether the user sees that person is asked once: matching every row against the
    user's whole scope makes PostgreSQL hash every victim the agency sees (a scan of the whole
    table at a million victims) for each kind of case work."""
    visible = victims_visible_to(user, at_least=at_least)
    if victim is None:  # correlated: the victim of each row looked at, by its primary key
        return Q(Exists(visible.filter(pk=OuterRef("victim_id"))))
    return Q(victim_id=victim.pk) if _access(user, victim) >= at_least else Q(pk__in=[])


def _access(user, victim) -> VictimAccess:
    """The user's access to `victim`, asked once per victim object (a page asks for each kind
    of case work; the answer is the victims app's own rule)."""
    known = victim.__dict__.setdefault("_casework_access", {})
    if user.pk not in known:
        known[user.pk] = victim_access(user, victim)
    return known[user.pk]


def _held_in_full(user, victim=None) -> Q:
    return _victims_q(user, VictimAccess.FULL, victim)


def _own_agency_while_in_view(user, agency_field: str = "agency", victim=None) -> Q:
    """What the user's agency wrote about a victim it still sees (at least the referral view)."""
    return Q(**{f"{agency_field}_id": user.agency_id}) & _victims_q(
        user, VictimAccess.REFERRAL, victim
    )


def _case_work_q(user, agency_field: str = "agency", victim=None) -> Q | None:
    """The rule shared by care plans, risk assessments and consent entries; None: nothing."""
    if not has_role(user, *CASE_WORK_ROLES):
        return None
    rule = _own_agency_while_in_view(user, agency_field, victim)
    if has_role(user, Role.CASE_WORKER):
        rule |= _held_in_full(user, victim)
    return rule


def _of(queryset: QuerySet, victim) -> QuerySet:
    return queryset if victim is None else queryset.filter(victim_id=victim.pk)


# Each selector below takes an optional `victim`: the same rule, for that person's records only.


def case_notes_visible_to(user, victim=None) -> QuerySet[CaseNote]:
    if is_admin(user):
        return _of(CaseNote.objects.filter(confidential=False), victim)
    if not has_role(user, *CASE_WORK_ROLES):
        return CaseNote.objects.none()
    rule = _own_agency_while_in_view(user, victim=victim)
    if has_role(user, Role.CASE_WORKER):
        rule |= _held_in_full(user, victim) & Q(confidential=False)
    return _of(CaseNote.objects.filter(rule), victim)


def care_plans_visible_to(user, victim=None) -> QuerySet[CarePlan]:
    if is_admin(user):
        return _of(CarePlan.objects.all(), victim)
    rule = _case_work_q(user, victim=victim)
    return CarePlan.objects.none() if rule is None else _of(CarePlan.objects.filter(rule), victim)


def risk_assessments_visible_to(user, victim=None) -> QuerySet[RiskAssessment]:
    if is_admin(user):
        return _of(RiskAssessment.objects.all(), victim)
    rule = _case_work_q(user, victim=victim)
    if rule is None:
        return RiskAssessment.objects.none()
    return _of(RiskAssessment.objects.filter(rule), victim)


def consents_visible_to(user, victim=None) -> QuerySet[Consent]:
    if is_admin(user):
        return _of(Consent.objects.all(), victim)
    rule = _case_work_q(user, victim=victim)
    return Consent.objects.none() if rule is None else _of(Consent.objects.filter(rule), victim)


def cases_held_in_full(user) -> QuerySet[Case]:
    """Cases of the user's agency or its children (case workers); police and justice only read
    the cases linked to them, which is not full access."""
    if is_admin(user):
        return Case.objects.all()
    if not has_role(user, Role.CASE_WORKER):
        return Case.objects.none()
    return Case.objects.filter(owning_agency_q(user))


def prosecutions_held_in_full(user) -> QuerySet[Prosecution]:
    """Prosecutions of the user's court (justice) or of a case held in full (case workers)."""
    if is_admin(user):
        return Prosecution.objects.all()
    rule = Q(case__in=cases_held_in_full(user))
    if has_role(user, Role.JUSTICE):
        rule |= Q(court_id=user.agency_id)
    return Prosecution.objects.filter(rule)


def _full_access_attachments_q(user, victim=None) -> Q | None:
    """Documents attached to a record the user has full access to."""
    if not has_role(user, Role.CASE_WORKER, Role.JUSTICE):
        return None
    rule = Q(prosecution__in=prosecutions_held_in_full(user))
    if has_role(user, Role.CASE_WORKER):
        rule |= _held_in_full(user, victim) | Q(case__in=cases_held_in_full(user))
    return rule


def documents_servable_to(user, victim=None) -> QuerySet[Document]:
    """Documents whose file the user may download: full access to what they are attached to."""
    if is_admin(user):
        return _of(Document.objects.all(), victim)
    rule = _full_access_attachments_q(user, victim)
    return Document.objects.none() if rule is None else _of(Document.objects.filter(rule), victim)


def documents_visible_to(user, victim=None) -> QuerySet[Document]:
    """Documents the user may see listed: those it may download, and the ones its own agency
    attached to a victim it still sees through a referral (title and kind; not the file)."""
    if is_admin(user):
        return _of(Document.objects.all(), victim)
    rules = [
        rule
        for rule in (
            _full_access_attachments_q(user, victim),
            _own_agency_while_in_view(user, victim=victim)
            if has_role(user, *CASE_WORK_ROLES)
            else None,
        )
        if rule is not None
    ]
    if not rules:
        return Document.objects.none()
    rule = rules[0] | rules[1] if len(rules) == 2 else rules[0]
    return _of(Document.objects.filter(rule), victim)


def latest_risk_level(user, victim) -> str | None:
    """The level of the latest risk assessment of `victim` the user may see."""
    latest = risk_assessments_visible_to(user, victim).order_by("-date", "-created_at")
    return latest.values_list("level", flat=True).first()


def tasks_due(user, *, today=None) -> QuerySet[CarePlanTask]:
    """Open tasks assigned to the user and past due, the oldest first, on plans the user may
    still see."""
    today = today or timezone.localdate()
    return (
        CarePlanTask.objects.filter(
            assigned_to=user,
            done_on__isnull=True,
            due_on__lt=today,
            goal__plan__in=care_plans_visible_to(user),
        )
        .select_related("goal__plan__victim")
        .order_by("due_on", "created_at")
    )
