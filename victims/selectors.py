"""Who may see which victim, and how much of the record (SPEC section 1).

This is the only place the victim scope rule is written: the browser UI, the API and every
export call these functions. Everything is denied unless a rule below grants it.
"""

from __future__ import annotations

import enum

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from ctms.choices import OPEN_FOR_RECEIVER, Role
from ctms.scope import has_role, is_admin, owning_agency_q

from .models import FollowUp, Repatriation, Victim


class VictimAccess(enum.IntEnum):
    """How much of a victim record a user may see; a higher level includes the lower ones' need."""

    NONE = 0
    PARTY_NAME = 1  # justice: the name of a victim who is party to their court's prosecution
    POLICE = 2  # police: rescued in their operation; no social, medical or psychosocial notes
    REFERRAL = 3  # receiver of an accepted referral or of a pending rescue placement
    FULL = 4  # owning agency (case workers, and its parent's), access granted, administrators


IDENTITY_FIELDS = ("id", "given_name", "family_name", "name_khmer")
PERSON_FIELDS = IDENTITY_FIELDS + ("sex", "primary_language", "literate_khmer", "contact")
# SPEC section 1: the referral view has the age (`Victim.age`), not the date of birth.
REFERRAL_FIELDS = PERSON_FIELDS + ("age",)
POLICE_FIELDS = PERSON_FIELDS + (
    "date_of_birth",
    "birth_year",
    "agency",
    "citizenship",
    "home_province",
    "home_district",
    "home_commune",
    "home_village",
    "trafficking_status",
)
FULL_FIELDS = POLICE_FIELDS + (
    "consent_services",
    "consent_data_sharing",
    "consent_legal_proceedings",
    "social_notes",
    "medical_notes",
    "psychosocial_notes",
    "photo",
    "is_archived",
    "archived_reason",
)

FIELDS_BY_ACCESS: dict[VictimAccess, tuple[str, ...]] = {
    VictimAccess.NONE: (),
    VictimAccess.PARTY_NAME: IDENTITY_FIELDS,
    VictimAccess.POLICE: POLICE_FIELDS,
    VictimAccess.REFERRAL: REFERRAL_FIELDS,
    VictimAccess.FULL: FULL_FIELDS,
}


def _related(**conditions) -> Exists:
    """This victim (the outer row) through a relation: a correlated EXISTS. OR-ed with the other
    rules it never repeats a victim (no DISTINCT over a million rows), and PostgreSQL probes the
    relation's index for the victims it looks at (a page of a list, one record) instead of
    hashing every id the condition matches (`pk IN (subquery)` under OR: 27,000 referrals of
    one partner read to open one of its victims, 0.6 s at a million victims, against 0.1 ms)."""
    return Exists(Victim.objects.filter(pk=OuterRef("pk"), **conditions))


def _access_rules(user) -> list[tuple[VictimAccess, Q]]:
    """The conditions under which `user` sees a victim, highest access first.

    Rules that follow a relation are correlated EXISTS subqueries (`_related`). Referrals,
    rescues and cases point at victims, so those apps import this one; the rules reach their
    rows through Victim's reverse relations (`referrals`, `rescues`, `cases`) and never import
    them back.
    """
    if is_admin(user):
        return [(VictimAccess.FULL, Q())]
    rules: list[tuple[VictimAccess, Q]] = []
    if has_role(user, Role.CASE_WORKER):
        rules.append((VictimAccess.FULL, owning_agency_q(user)))
    if has_role(user, Role.PARTNER):
        # An NGO that took a person in through an accepted hand-over owns the record.
        rules.append((VictimAccess.FULL, Q(agency_id=user.agency_id)))
    if has_role(user, Role.CASE_WORKER, Role.PARTNER):
        # An accepted access request: full access as the owner has, the owner unchanged.
        # (Hand-overs point at victims, so the rules read them through `Victim.handovers`;
        # the codes are handovers.choices' HandoverKind and HandoverStatus.)
        requesters = (
            owning_agency_q(user, "handovers__from_agency")
            if has_role(user, Role.CASE_WORKER)
            else Q(handovers__from_agency_id=user.agency_id)
        )
        granted = Exists(
            Victim.objects.filter(
                requesters,
                pk=OuterRef("pk"),
                handovers__kind="access_request",
                handovers__status="accepted",
            )
        )
        rules.append((VictimAccess.FULL, Q(granted)))
        received = _related(
            referrals__to_agency_id=user.agency_id, referrals__status__in=OPEN_FOR_RECEIVER
        )
        # Once the person withdraws consent to sharing their details, the receiver is back to
        # the referral summary (referrals.selectors.referral_shows_identity says the same).
        rules.append((VictimAccess.REFERRAL, Q(received, consent_data_sharing=True)))
        # A person placed with the agency after a rescue is already in its care: while the
        # hand-over waits, the referral view lets it confirm who arrived.
        arriving = _related(
            handovers__to_agency_id=user.agency_id,
            handovers__kind="rescue_placement",
            handovers__status="pending",
        )
        rules.append((VictimAccess.REFERRAL, Q(arriving)))
    if has_role(user, Role.POLICE):
        rescued = _related(rescues__operation__agency_id=user.agency_id)
        rules.append((VictimAccess.POLICE, Q(rescued)))
    if has_role(user, Role.JUSTICE):
        parties = _related(cases__prosecutions__court_id=user.agency_id)
        rules.append((VictimAccess.PARTY_NAME, Q(parties)))
    # Archived records and merged duplicates are out of everyone's sight but the administrators'.
    return [(level, q & Q(is_archived=False, merged_into__isnull=True)) for level, q in rules]


def victims_visible_to(
    user, *, at_least: VictimAccess = VictimAccess.PARTY_NAME
) -> QuerySet[Victim]:
    """Every victim `user` may open with at least the given access, each once."""
    combined = None
    for level, q in _access_rules(user):
        if level >= at_least:
            combined = q if combined is None else combined | q
    return Victim.objects.none() if combined is None else Victim.objects.filter(combined)


def victim_access(user, victim: Victim) -> VictimAccess:
    """The highest access `user` has to this victim (NONE when it must look like a 404)."""
    for level, q in _access_rules(user):
        if Victim.objects.filter(q, pk=victim.pk).exists():
            return level
    return VictimAccess.NONE


def victim_fields(user, victim: Victim) -> tuple[str, ...]:
    """The fields of `victim` that `user` may read."""
    return FIELDS_BY_ACCESS[victim_access(user, victim)]


def repatriations_visible_to(user) -> QuerySet[Repatriation]:
    """Repatriations of victims the user sees in full, or received by the user's agency."""
    if is_admin(user):
        return Repatriation.objects.all()
    if not has_role(user, Role.CASE_WORKER):
        return Repatriation.objects.none()
    return Repatriation.objects.filter(
        Q(victim__in=victims_visible_to(user, at_least=VictimAccess.FULL))
        | Q(receiving_agency_id=user.agency_id),
        victim__is_archived=False,
    )


def follow_ups_visible_to(user) -> QuerySet[FollowUp]:
    """Follow-ups recorded by the user's agency, or of victims the user sees in full."""
    if is_admin(user):
        return FollowUp.objects.all()
    if not has_role(user, Role.CASE_WORKER, Role.PARTNER):
        return FollowUp.objects.none()
    return FollowUp.objects.filter(
        Q(agency_id=user.agency_id)
        | Q(victim__in=victims_visible_to(user, at_least=VictimAccess.FULL)),
        victim__is_archived=False,
    )


def archived_victims_of(user) -> QuerySet[Victim]:
    """The archive list: archived victims of the user's agency (and its children) for its case
    workers, every archived victim for administrators. Nowhere else does an archived person
    appear."""
    if is_admin(user):
        return Victim.objects.filter(is_archived=True)
    if not has_role(user, Role.CASE_WORKER):
        return Victim.objects.none()
    return Victim.objects.filter(owning_agency_q(user), is_archived=True)


def reference_q(term: str) -> Q | None:
    """A victim reference is the record id: in full, or its first 8 hex digits as shown in
    lists. A prefix becomes an id range, so the primary-key index answers it."""
    import uuid

    compact = term.replace("-", "").lower()
    if len(compact) == 32:
        try:
            return Q(pk=uuid.UUID(compact))
        except ValueError:
            return None
    if len(compact) == 8 and all(c in "0123456789abcdef" for c in compact):
        return Q(pk__gte=uuid.UUID(compact + "0" * 24), pk__lte=uuid.UUID(compact + "f" * 24))
    return None


def victim_search(
    user,
    *,
    query: str = "",
    sex: str = "",
    trafficking_status: str = "",
    province: str = "",
    agency_id=None,
) -> QuerySet[Victim]:
    """The victim list of a case worker: visible in full, filtered. `query` matches a reference
    or, word by word, the Khmer or Latin names."""
    victims = victims_visible_to(user, at_least=VictimAccess.FULL)
    query = query.strip()
    if query:
        reference = reference_q(query)
        if reference is not None:
            victims = victims.filter(reference)
        else:
            for word in query.split()[:5]:
                victims = victims.filter(
                    Q(given_name__icontains=word)
                    | Q(family_name__icontains=word)
                    | Q(name_khmer__icontains=word)
                )
    filters = {
        "sex": sex,
        "trafficking_status": trafficking_status,
        "home_province": province,
        "agency_id": agency_id,
    }
    return victims.filter(**{key: value for key, value in filters.items() if value})


def victim_timeline(victim: Victim) -> list[dict]:
    """Everything that happened to a victim, oldest first: intake, rescues, referrals and each
    of their transitions, services, follow-ups and repatriations. Each event is
    `{"on": date, "kind": str, "obj": record}`; the template words it. Rescues, referrals and
    services are read through the victim's reverse relations (their apps import this one)."""
    events = [{"on": timezone.localdate(victim.created_at), "kind": "intake", "obj": victim}]
    handovers = victim.handovers.select_related("from_agency", "to_agency").prefetch_related(
        "transitions__by_agency"
    )
    for handover in handovers:
        events.append({"on": handover.created_on, "kind": "handover", "obj": handover})
        for step in handover.transitions.all():
            events.append({"on": timezone.localdate(step.at), "kind": "handover_step", "obj": step})
    for rescue in victim.rescues.select_related("operation", "operation__agency"):
        events.append({"on": rescue.operation.date, "kind": "rescue", "obj": rescue})
    referrals = victim.referrals.select_related("from_agency", "to_agency").prefetch_related(
        "transitions__by_agency"
    )
    steps = []
    for referral in referrals:
        events.append({"on": referral.created_on, "kind": "referral", "obj": referral})
        steps.extend(referral.transitions.all())
    for step in sorted(steps, key=lambda step: (step.at, step.id)):
        events.append({"on": timezone.localdate(step.at), "kind": "transition", "obj": step})
    for service in victim.services.select_related("agency"):
        events.append({"on": service.date, "kind": "service", "obj": service})
    for follow_up in victim.follow_ups.select_related("agency"):
        events.append({"on": follow_up.date, "kind": "follow_up", "obj": follow_up})
    for repatriation in victim.repatriations.select_related("receiving_agency"):
        events.append({"on": repatriation.received_on, "kind": "repatriation", "obj": repatriation})
    for duplicate in victim.merged_duplicates.select_related("agency"):
        events.append({"on": timezone.localdate(duplicate.merged_at), "kind": "merge",
                       "obj": duplicate})  # fmt: skip
    order = [
        "intake", "rescue", "handover", "handover_step", "repatriation", "referral",
        "transition", "service", "follow_up", "merge",
    ]  # fmt: skip
    return sorted(events, key=lambda event: (event["on"], order.index(event["kind"])))


def victims_with_access(user, *, at_least: VictimAccess = VictimAccess.PARTY_NAME):
    """`victims_visible_to` with each row annotated `access` (a VictimAccess value), computed
    in the same query so that a list of any length costs one query, not one per victim."""
    rules = [(level, q) for level, q in _access_rules(user) if level >= at_least]
    if not rules:
        return Victim.objects.none()
    whens = []
    default = VictimAccess.NONE
    for level, q in rules:
        if not q:  # an unconditional rule (administrators): every row has this level
            default = level
            break
        whens.append(When(q, then=Value(int(level))))
    access = (
        Case(*whens, default=Value(int(default)), output_field=IntegerField())
        if whens
        else Value(int(default), output_field=IntegerField())
    )
    return victims_visible_to(user, at_least=at_least).annotate(access=access)


def link_counts(victim: Victim) -> dict[str, int]:
    """How many records of each kind point at the victim, over every relation any app declares
    (what a merge moves), keyed by the plural name of the kind; kinds with none are left out."""
    counts: dict[str, int] = {}
    for relation in Victim._meta.get_fields(include_hidden=True):
        if not relation.is_relation or not relation.auto_created or relation.concrete:
            continue
        model, column = relation.related_model, relation.field.name
        if model is Victim:
            continue  # records merged into this one are not links of the person
        count = model._default_manager.filter(**{column: victim}).count()
        if count:
            counts[str(model._meta.verbose_name_plural)] = count
    return counts
