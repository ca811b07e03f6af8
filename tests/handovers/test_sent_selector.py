"""`handovers_sent` is the hand-over list's second part: every hand-over the user sees that is
not addressed to its own agency, written by side for the planner. It must be exactly those."""

from __future__ import annotations

import pytest

from handovers.selectors import handovers_sent, handovers_visible_to
from tests.factories import HandoverFactory, VictimFactory


@pytest.mark.parametrize("persona", ["alice", "minister", "partner", "officer", "admin", "clerk"])
def test_given_handovers_between_all_sides_when_sent_listed_then_visible_less_received(
    world, persona
):
    agencies = world.agencies
    sides = [
        agencies.mosvy,
        agencies.dosvy_bmc,
        agencies.dosvy_svr,
        agencies.afesip,
        agencies.hagar,
        agencies.police,
    ]
    for sender in sides:
        for receiver in sides:
            if sender != receiver:
                HandoverFactory(
                    victim=VictimFactory(agency=sender), from_agency=sender, to_agency=receiver
                )
    user = getattr(world.users, persona)
    expected = set(
        handovers_visible_to(user).exclude(to_agency_id=user.agency_id).values_list("pk", flat=True)
    )

    sent = list(handovers_sent(user))

    assert {handover.pk for handover in sent} == expected
    assert len(sent) == len(expected)  # no hand-over twice
    assert [h.created_on for h in sent] == sorted((h.created_on for h in sent), reverse=True)
    if persona in ("alice", "minister", "partner", "officer", "admin"):
        assert expected  # each of these sees some, so the comparison says something
