"""A rescue placed with DoSVY-BMC, logged through the API by the police unit AHTJP-BMC."""

from __future__ import annotations

import pytest

from handovers.models import Handover
from tests.api_support import client_for
from tests.factories import CaseFactory, VictimFactory


@pytest.fixture
def police_api(world):
    return client_for(world.users.officer)


@pytest.fixture
def placement(world, police_api) -> Handover:
    """The pending rescue placement of Srey Pov, rescued in a raid and taken in by DoSVY-BMC."""
    response = police_api.post(
        "/api/v1/operations/",
        {
            "date": "2010-07-10",
            "kind": "raid",
            "province": "01",
            "rescues": [
                {
                    "person": {"given_name": "Srey", "family_name": "Pov", "sex": "female"},
                    "placement": "dosvy",
                    "placed_with": str(world.agencies.dosvy_bmc.pk),
                }
            ],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    return Handover.objects.get()


@pytest.fixture
def held(world):
    """A person DoSVY-BMC holds, with a case of its own."""
    victim = VictimFactory(
        agency=world.agencies.dosvy_bmc,
        given_name="Channary",
        family_name="Sok",
        sex="female",
        birth_year=1995,
        home_province="01",
        social_notes="Met her mother twice.",
    )
    case = CaseFactory(agency=world.agencies.dosvy_bmc)
    case.victims.add(victim)
    return victim
