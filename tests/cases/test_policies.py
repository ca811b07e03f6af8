"""The action policies of cases, and the two places where the browser and the API disagreed
before they asked them (issue 11): case notes and linking victims, for administrators."""

from __future__ import annotations

import pytest

from cases.models import Defendant
from cases.policies import can_edit_case, can_link_case, can_read_case_notes, can_record_verdict
from ctms.models import AuditEvent
from tests.factories import (
    CaseFactory,
    OperationFactory,
    ProsecutionFactory,
    SuspectFactory,
    VictimFactory,
)


@pytest.fixture
def case(world):
    return CaseFactory(agency=world.agencies.dosvy_bmc, notes="Family asks for discretion.")


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("alice", True),  # the owning department
        ("minister", True),  # its parent ministry
        ("bob", False),  # a sibling department
        ("officer", False),
        ("clerk", False),
        ("partner", False),
        ("analyst", False),
        ("admin", True),
    ],
)
def test_case_policies_by_persona(world, case, persona, expected):
    user = getattr(world.users, persona)
    assert can_edit_case(user, case) is expected
    assert can_link_case(user, case) is expected
    assert can_read_case_notes(user, case) is expected


@pytest.mark.parametrize("persona", ["admin", "alice", "officer"])
def test_given_a_case_with_notes_then_browser_and_api_agree_on_who_reads_them(
    world, client, case, persona
):
    given_operation_links_case_to_police(world, case)
    client.force_login(getattr(world.users, persona))
    page = client.get(f"/cases/{case.pk}/").content.decode()
    api = client.get(f"/api/v1/cases/{case.pk}/").json()
    expected = persona in ("admin", "alice")
    assert ("Family asks for discretion." in page) is expected
    assert ("notes" in api) is expected
    assert (api.get("notes") == "Family asks for discretion.") is expected


def given_operation_links_case_to_police(world, case):
    OperationFactory(agency=world.agencies.police, case=case)


@pytest.mark.parametrize(("persona", "shown"), [("admin", True), ("alice", True)])
def test_given_who_may_link_then_the_page_offers_the_forms_and_the_post_links(
    world, client, case, persona, shown
):
    victim = VictimFactory(agency=world.agencies.dosvy_bmc)
    client.force_login(getattr(world.users, persona))
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert (f"/cases/{case.pk}/victims/" in page) is shown
    response = client.post(f"/cases/{case.pk}/victims/", {"reference": str(victim.pk)})
    assert response.status_code == 302
    assert list(case.victims.all()) == [victim]
    assert AuditEvent.objects.filter(action="update", object_id=str(case.pk)).count() == 1


def test_given_police_reading_a_linked_case_then_no_link_forms(world, client, case):
    given_operation_links_case_to_police(world, case)
    client.force_login(world.users.officer)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert f"/cases/{case.pk}/victims/" not in page
    assert client.post(f"/cases/{case.pk}/victims/", {}).status_code == 403


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("clerk", True), ("other_clerk", False), ("alice", False), ("admin", True)],
)
def test_verdict_policy_and_page_agree(world, client, persona, expected):
    prosecution = ProsecutionFactory(
        court=world.agencies.court, case=CaseFactory(agency=world.agencies.dosvy_bmc)
    )
    Defendant.objects.create(prosecution=prosecution, suspect=SuspectFactory())
    user = getattr(world.users, persona)
    assert can_record_verdict(user, prosecution) is expected
    client.force_login(user)
    response = client.get(f"/prosecutions/{prosecution.pk}/")
    if persona == "other_clerk":
        assert response.status_code == 404
    else:
        assert ("Record the verdict" in response.content.decode()) is expected
