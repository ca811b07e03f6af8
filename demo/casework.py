"""Case work for the demo (SPEC section 9): notes, risk assessments, care plans with tasks and
consent entries on a few persons the demo partner and the demo case worker hold, written in
Khmer and English through the services (so they are valid, scoped and audited like real
work). Some tasks are past due, so the home pages show a due list."""

from __future__ import annotations

import datetime as dt
import random

from agencies.models import User
from casework import services
from ctms.choices import ReferralStatus
from victims.models import Victim

PERSONS = 6  # per demo user: enough to show every section without drowning the lists

NOTES = [
    ("psychosocial", True, "គេងមិនលក់ ហើយយល់សប្តិអាក្រក់អំពីកន្លែងការងារ។ ពិគ្រោះយោបល់ពីរដងក្នុងមួយសប្តាហ៍។"),
    ("social", False, "Visited the family in the home village; the mother wants her back."),
    ("medical", False, "ពិនិត្យសុខភាពទូទៅ៖ ខ្វះអាហារូបត្ថម្ភ និងឈឺក្បាលញឹកញាប់។"),
    ("legal", False, "Explained the criminal procedure; she wants to think before she testifies."),
    (
        "psychosocial",
        True,
        "Talks more in the group sessions; still afraid to go to the market alone.",
    ),
]
RISKS = [
    ("high", ["trafficker_contact", "debt"], "មេខ្យល់នៅតែទូរសព្ទទៅគ្រួសារអំពីបំណុល។"),
    (
        "medium",
        ["family_involvement"],
        "An uncle arranged the first journey; he still lives next door.",
    ),
    ("low", ["health"], "Stable; follow the medical plan."),
]
GOALS = [
    ("psychosocial", "មានអារម្មណ៍សុវត្ថិភាព ហើយគេងលក់ពេលយប់", "Weekly counselling session"),
    ("vocational_training", "Learns a trade she chooses (sewing)", "ចុះឈ្មោះចូលរៀនកាត់ដេរ"),
    ("education", "Back to school in her commune", "Meet the school director with the family"),
    ("reintegration", "ត្រឡប់ទៅរស់នៅជាមួយគ្រួសារវិញដោយសុវត្ថិភាព", "Family assessment visit"),
]


def seed_case_work(*, today: dt.date, seed: int = 2010) -> dict[str, int]:
    """Write the demo's case work; returns how many records of each kind were written."""
    rng = random.Random(seed)
    counts = {"case_note": 0, "risk_assessment": 0, "care_plan": 0, "consent": 0}
    partner = User.objects.filter(username="demo-partner").first()
    caseworker = User.objects.filter(username="demo-caseworker").first()
    received = Victim.objects.filter(
        referrals__to_agency_id=getattr(partner, "agency_id", None),
        referrals__status__in=[ReferralStatus.ACCEPTED, ReferralStatus.IN_SERVICE],
        consent_data_sharing=True,
        is_archived=False,
    ).distinct()
    owned = Victim.objects.filter(
        agency_id=getattr(caseworker, "agency_id", None), is_archived=False
    )
    for user, victims in ((partner, received), (caseworker, owned)):
        if user is None:
            continue
        for victim in victims.order_by("pk")[:PERSONS]:
            _write_for(user, victim, today, rng, counts)
    return counts


def _write_for(user, victim: Victim, today: dt.date, rng: random.Random, counts) -> None:
    start = today - dt.timedelta(days=rng.randint(20, 200))
    for offset, (kind, confidential, text) in enumerate(rng.sample(NOTES, 2)):
        services.case_note_create(
            user=user,
            victim=victim,
            data={
                "date": min(start + dt.timedelta(days=7 * offset), today),
                "kind": kind,
                "text": text,
                "confidential": confidential,
            },
            channel="cli",
        )
        counts["case_note"] += 1
    level, factors, notes = rng.choice(RISKS)
    services.risk_assessment_create(
        user=user,
        victim=victim,
        data={"date": start, "level": level, "factors": factors, "notes": notes},
        channel="cli",
    )
    counts["risk_assessment"] += 1
    domain, goal, task = rng.choice(GOALS)
    due = start + dt.timedelta(days=rng.choice([10, 30, 240]))  # some past due, some ahead
    services.care_plan_create(
        user=user,
        victim=victim,
        data={
            "created_on": start,
            "review_on": start + dt.timedelta(days=90),
            "goals": [
                {
                    "domain": domain,
                    "goal": goal,
                    "tasks": [{"task": task, "due_on": due, "assigned_to": user}],
                }
            ],
        },
        channel="cli",
    )
    counts["care_plan"] += 1
    if victim.agency_id == user.agency_id:  # the owner records the consent it took at intake
        for kind, field in (
            ("services", "consent_services"),
            ("data_sharing", "consent_data_sharing"),
        ):
            given = getattr(victim, field)
            if given is not None:
                services.consent_record(
                    user=user,
                    victim=victim,
                    kind=kind,
                    given=given,
                    date=start,
                    method=rng.choice(["written", "verbal", "guardian"]),
                    channel="cli",
                )
                counts["consent"] += 1
