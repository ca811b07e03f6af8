"""Every list of the API, every persona: who sees the one record of each type that the BMC
provincial department, police unit and court share (SPEC section 1, through the selectors)."""

from __future__ import annotations

import pytest

from tests.api_support import client_for
from tests.factories import (
    ActivityFactory,
    CaseFactory,
    DeporteeReportFactory,
    FollowUpFactory,
    OperationFactory,
    ProsecutionFactory,
    ReferralFactory,
    RepatriationFactory,
    RescueFactory,
    ServiceFactory,
    SuspectFactory,
    VictimFactory,
)

RESOURCES = (
    "victims",
    "cases",
    "suspects",
    "operations",
    "prosecutions",
    "referrals",
    "services",
    "repatriations",
    "follow-ups",
    "activities",
    "deportee-reports",
)
# Rows seen per resource, in the order of RESOURCES.
EXPECTED = {
    "alice": (1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1),  # owning department
    "minister": (1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0),  # parent ministry; aggregates are per agency
    "bob": (0,) * 11,  # sibling department
    "partner": (1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0),  # accepted referral: the victim and referral
    "other_partner": (0,) * 11,
    "officer": (1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0),  # rescued in their operation on the case
    "other_officer": (0,) * 11,
    "clerk": (1, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0),  # party and defendant before their court
    "other_clerk": (0,) * 11,
    "analyst": (0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1),  # aggregates only, never a victim
    "admin": (1,) * 11,
}


@pytest.fixture
def records(world):
    a = world.agencies
    victim = VictimFactory(agency=a.dosvy_bmc)
    suspect = SuspectFactory(agency=a.police)
    case = CaseFactory(agency=a.dosvy_bmc)
    case.victims.add(victim)
    case.suspects.add(suspect)
    operation = OperationFactory(agency=a.police, case=case)
    operation.suspects_detained.add(suspect)
    RescueFactory(operation=operation, victim=victim)
    ProsecutionFactory(court=a.court, case=case).defendants.create(suspect=suspect)
    referral = ReferralFactory(victim=victim, to_agency=a.afesip, status="accepted")
    ServiceFactory(victim=victim, agency=a.dosvy_bmc, referral=referral)
    RepatriationFactory(victim=victim, receiving_agency=a.dosvy_bmc)
    FollowUpFactory(victim=victim, agency=a.dosvy_bmc)
    ActivityFactory(agency=a.dosvy_bmc)
    DeporteeReportFactory(agency=a.dosvy_bmc)


@pytest.mark.parametrize("persona", list(EXPECTED))
def test_given_shared_records_when_each_persona_lists_then_scope_of_section_1(
    world, records, persona
):
    client = client_for(getattr(world.users, persona))

    seen = tuple(len(client.get(f"/api/v1/{name}/").json()["results"]) for name in RESOURCES)

    assert dict(zip(RESOURCES, seen, strict=True)) == dict(
        zip(RESOURCES, EXPECTED[persona], strict=True)
    )
