"""Item 9 of issue 12: the browser case page lists only the suspects the user's suspect scope
holds (as the API does), and the names it shows are audited."""

from __future__ import annotations

from cases.models import Case
from ctms.models import AuditEvent
from tests.factories import CaseFactory, OperationFactory, SuspectFactory


def test_police_see_on_the_case_page_only_the_suspects_of_their_scope(world, client):
    # given alice's case with two suspects, one of them detained in the police unit's operation
    detained = SuspectFactory(given_name="Detained", agency=world.agencies.dosvy_bmc)
    named = SuspectFactory(given_name="NamedByVictim", agency=world.agencies.dosvy_bmc)
    case: Case = CaseFactory(agency=world.agencies.dosvy_bmc)
    case.suspects.set([detained, named])
    operation = OperationFactory(agency=world.agencies.police, case=case)
    operation.suspects_detained.set([detained])
    client.force_login(world.users.officer)

    # when the officer opens the case and the operation
    case_page = client.get(f"/cases/{case.pk}/").content.decode()
    operation_page = client.get(f"/operations/{operation.pk}/").content.decode()

    # then only the suspect the police hold is named, and that read is audited
    assert "Detained" in case_page and "NamedByVictim" not in case_page
    assert "Detained" in operation_page
    assert set(
        AuditEvent.objects.filter(action="view", object_type="suspect").values_list(
            "actor_username", "object_id"
        )
    ) == {("officer", str(detained.pk))}
