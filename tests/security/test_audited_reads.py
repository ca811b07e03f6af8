"""Item 8 of issue 12: reads of personal data that left no audit entry now do — the API lists
of follow-ups (outcomes), services (notes), suspects (names) and cases (notes), the admin's
victim search, and the admin referral page (its raw-id label names the victim)."""

from __future__ import annotations

import pytest

from ctms.models import AuditEvent
from tests.api_support import client_for
from tests.factories import (
    CaseFactory,
    FollowUpFactory,
    ReferralFactory,
    RescueFactory,
    ServiceFactory,
    SuspectFactory,
    VictimFactory,
)


def reads(username: str, object_type: str) -> set[str]:
    return set(
        AuditEvent.objects.filter(
            action="view", actor_username=username, object_type=object_type
        ).values_list("object_id", flat=True)
    )


@pytest.mark.parametrize(
    ("path", "object_type", "make"),
    [
        (
            "/api/v1/follow-ups/",
            "followup",
            lambda w, v: FollowUpFactory(
                victim=v, agency=w.agencies.dosvy_bmc, outcome="Back at school"
            ),
        ),
        (
            "/api/v1/services/",
            "service",
            lambda w, v: ServiceFactory(victim=v, agency=w.agencies.dosvy_bmc, notes="Counselling"),
        ),
        ("/api/v1/suspects/", "suspect", lambda w, v: SuspectFactory(agency=w.agencies.dosvy_bmc)),
        (
            "/api/v1/cases/",
            "case",
            lambda w, v: CaseFactory(agency=w.agencies.dosvy_bmc, notes="Met the family"),
        ),
    ],
)
def test_api_lists_audit_each_record_shown(world, path, object_type, make):
    victim = VictimFactory(agency=world.agencies.dosvy_bmc)
    record = make(world, victim)

    response = client_for(world.users.alice).get(path)

    assert [row["id"] for row in response.json()["results"]] == [str(record.pk)]
    assert reads("alice", object_type) == {str(record.pk)}


def test_an_admin_search_of_victims_is_audited(world, client):
    found = VictimFactory(agency=world.agencies.dosvy_bmc, given_name="Sopheap")
    VictimFactory(agency=world.agencies.dosvy_bmc, given_name="Other")
    client.force_login(world.users.admin)

    assert client.get("/admin/victims/victim/").status_code == 200
    assert reads("root", "victim") == set()  # a plain list shows no names
    assert client.get("/admin/victims/victim/", {"q": "Sopheap"}).status_code == 200
    assert reads("root", "victim") == {str(found.pk)}


def test_the_admin_referral_page_audits_the_victim_it_names(world, client):
    victim = VictimFactory(agency=world.agencies.dosvy_bmc, given_name="Sreyneang")
    referral = ReferralFactory(victim=victim, to_agency=world.agencies.afesip)
    client.force_login(world.users.admin)

    page = client.get(f"/admin/referrals/referral/{referral.pk}/change/")

    assert page.status_code == 200 and "Sreyneang" in page.content.decode()
    assert reads("root", "victim") == {str(victim.pk)}
    assert reads("root", "referral") == {str(referral.pk)}


def test_the_admin_operation_page_audits_the_rescued_it_names(world, client):
    victim = VictimFactory(agency=world.agencies.dosvy_bmc, given_name="Bopha")
    rescue = RescueFactory(victim=victim, operation__agency=world.agencies.police)
    client.force_login(world.users.admin)

    page = client.get(f"/admin/cases/operation/{rescue.operation_id}/change/")

    assert page.status_code == 200 and "Bopha" in page.content.decode()
    assert reads("root", "victim") == {str(victim.pk)}
