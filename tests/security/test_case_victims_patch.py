"""Item 10 of issue 12: `PATCH /api/v1/cases/{id}/ {"victims": [...]}` changes only the links
the caller can see (another agency's victim linked to the case stays linked), the answer lists
only what the caller sees, and the audit entry records what was added and removed."""

from __future__ import annotations

from cases.models import Case
from cases.services import case_link
from ctms.models import AuditEvent
from tests.api_support import client_for
from tests.factories import CaseFactory, VictimFactory


def test_patch_victims_keeps_the_links_the_caller_cannot_see(world):
    # given alice's case with her victim A, and victim B of another department that the
    # ministry (parent of both) linked to the case
    a = VictimFactory(agency=world.agencies.dosvy_bmc, given_name="A")
    b = VictimFactory(agency=world.agencies.dosvy_svr, given_name="B")
    c = VictimFactory(agency=world.agencies.dosvy_bmc, given_name="C")
    case: Case = CaseFactory(agency=world.agencies.dosvy_bmc)
    case.victims.add(a)
    case_link(user=world.users.minister, case_id=case.pk, victims=[b])
    api = client_for(world.users.alice)

    # when alice replaces the list with the victims she holds
    response = api.patch(f"/api/v1/cases/{case.pk}/", {"victims": [str(c.pk)]}, format="json")

    # then A is unlinked, C linked, B untouched and not even shown to her
    assert response.status_code == 200
    assert response.json()["victims"] == [str(c.pk)]
    assert set(case.victims.values_list("pk", flat=True)) == {b.pk, c.pk}
    event = AuditEvent.objects.filter(action="update", object_id=str(case.pk)).latest("id")
    assert event.actor_username == "alice"
    assert event.details == {"changed": {"victims": {"added": [str(c.pk)], "removed": [str(a.pk)]}}}


def test_the_case_answer_lists_only_the_victims_the_reader_sees(world):
    a = VictimFactory(agency=world.agencies.dosvy_bmc)
    b = VictimFactory(agency=world.agencies.dosvy_svr)
    case: Case = CaseFactory(agency=world.agencies.dosvy_bmc)
    case.victims.add(a, b)

    listed = client_for(world.users.alice).get("/api/v1/cases/").json()["results"]

    assert [row["victims"] for row in listed] == [[str(a.pk)]]
