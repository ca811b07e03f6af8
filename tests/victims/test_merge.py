"""Merging a duplicate into the surviving record (SPEC section 8): the API and the service."""

from __future__ import annotations

import datetime as dt

import pytest

from cases.models import Rescue
from ctms.models import AuditEvent
from referrals.models import Referral, Service
from reports.figures import compute_figures, flatten
from tests.api_support import client_for, counts
from tests.factories import (
    CaseFactory,
    FollowUpFactory,
    OperationFactory,
    ReferralFactory,
    RepatriationFactory,
    RescueFactory,
    ServiceFactory,
    VictimFactory,
)
from victims.models import FollowUp, Repatriation, Victim
from victims.selectors import victim_timeline, victims_visible_to

Q3 = (dt.date(2010, 7, 1), dt.date(2010, 9, 30))


@pytest.fixture
def pair(world):
    """One woman taken in by DoSVY Banteay Meanchey and again by DoSVY Siem Reap: rescued in
    two operations, both on one case, referred, served, followed up and repatriated."""
    survivor = VictimFactory(agency=world.agencies.dosvy_bmc, given_name="Srey Pov",
                             family_name="Chan", birth_year=2001, contact="")  # fmt: skip
    duplicate = VictimFactory(agency=world.agencies.dosvy_svr, given_name="Sreypou",
                              family_name="Chan", birth_year=2001, name_khmer="ចាន់ ស្រីពៅ",
                              contact="012 345 678")  # fmt: skip
    case = CaseFactory(agency=world.agencies.dosvy_bmc)
    case.victims.add(survivor, duplicate)
    operation = OperationFactory(agency=world.agencies.police, date=dt.date(2010, 8, 1))
    RescueFactory(victim=survivor, operation=operation)
    RescueFactory(victim=duplicate, operation=operation)  # the same rescue, taken in twice
    RescueFactory(
        victim=duplicate,
        operation=OperationFactory(agency=world.agencies.police, date=dt.date(2010, 8, 20)),
    )
    referral = ReferralFactory(victim=duplicate, to_agency=world.agencies.afesip)
    ServiceFactory(victim=duplicate, referral=referral, agency=world.agencies.afesip)
    FollowUpFactory(victim=survivor, agency=world.agencies.dosvy_bmc, date=dt.date(2010, 7, 5))
    FollowUpFactory(victim=duplicate, agency=world.agencies.dosvy_svr, date=dt.date(2010, 8, 5))
    RepatriationFactory(victim=duplicate, receiving_agency=world.agencies.dosvy_svr)
    return survivor, duplicate


def _merge(user_or_client, survivor, duplicate):
    client = user_or_client
    if not hasattr(client, "post"):
        client = client_for(user_or_client)
    return client.post(
        f"/api/v1/victims/{survivor.pk}/merge/", {"duplicate": str(duplicate.pk)}, format="json"
    )


def test_every_link_moves_empty_fields_fill_and_the_duplicate_is_kept(world, pair):
    survivor, duplicate = pair
    response = _merge(world.users.minister, survivor, duplicate)
    assert response.status_code == 200
    assert response.json()["name_khmer"] == "ចាន់ ស្រីពៅ"
    assert response.json()["contact"] == "012 345 678"
    for model in (Rescue, Referral, Service, FollowUp, Repatriation):
        assert not model.objects.filter(victim=duplicate).exists(), model
    assert Rescue.objects.filter(victim=survivor).count() == 2  # the shared rescue once
    assert list(survivor.cases.values_list("pk", flat=True)) == [survivor.cases.get().pk]
    assert not duplicate.cases.exists()
    assert FollowUp.objects.filter(victim=survivor).count() == 2
    duplicate.refresh_from_db()
    assert (duplicate.merged_into, duplicate.given_name) == (survivor, "Sreypou")
    assert duplicate.merged_at is not None


def test_the_report_counts_the_merged_person_once(world, pair):
    survivor, duplicate = pair
    before = flatten(compute_figures(*Q3))
    assert before["law_enforcement.victims_rescued.total"] == 2
    assert before["victim_protection.reintegration.monitored.total"] == 2
    assert _merge(world.users.minister, survivor, duplicate).status_code == 200
    after = flatten(compute_figures(*Q3))
    assert after["law_enforcement.victims_rescued.total"] == 1
    assert after["victim_protection.reintegration.monitored.total"] == 1
    assert after["law_enforcement.operations"] == before["law_enforcement.operations"] == 2


def test_the_duplicate_is_visible_to_administrators_only(world, pair):
    survivor, duplicate = pair
    _merge(world.users.minister, survivor, duplicate)
    for persona in ("minister", "bob", "officer", "partner"):
        user = getattr(world.users, persona)
        assert not victims_visible_to(user).filter(pk=duplicate.pk).exists(), persona
        assert client_for(user).get(f"/api/v1/victims/{duplicate.pk}/").status_code == 404
    assert victims_visible_to(world.users.admin).filter(pk=duplicate.pk).exists()


def test_the_merge_is_audited_and_in_the_timeline(world, pair):
    survivor, duplicate = pair
    _merge(world.users.minister, survivor, duplicate)
    event = AuditEvent.objects.get(object_type="victim", object_id=str(survivor.pk),
                                   action="update")  # fmt: skip
    assert event.actor == world.users.minister
    assert event.details["merged"] == str(duplicate.pk)
    assert event.details["moved"] == {
        "cases.Rescue": 1, "cases.Rescue:dropped": 1, "cases.Case_victims:dropped": 1,
        "referrals.Referral": 1, "referrals.Service": 1, "victims.FollowUp": 1,
        "victims.Repatriation": 1,
    }  # fmt: skip
    assert sorted(event.details["filled"]) == ["contact", "name_khmer"]
    assert AuditEvent.objects.filter(object_id=str(duplicate.pk), action="update").exists()
    merges = [event for event in victim_timeline(survivor) if event["kind"] == "merge"]
    assert [event["obj"].pk for event in merges] == [duplicate.pk]


def test_a_second_merge_is_409_and_changes_nothing(world, pair):
    survivor, duplicate = pair
    _merge(world.users.minister, survivor, duplicate)
    other = VictimFactory(agency=world.agencies.dosvy_bmc)
    before = counts(Victim, Rescue, AuditEvent)
    for user in (world.users.minister, world.users.admin):
        assert _merge(user, other, duplicate).status_code == 409
        assert _merge(user, duplicate, other).status_code == 409
    assert counts(Victim, Rescue, AuditEvent)[:2] == before[:2]
    other.refresh_from_db()
    assert other.merged_into is None


@pytest.mark.parametrize(
    ("persona", "status"),
    [("alice", 404), ("bob", 404), ("officer", 403), ("partner", 403), ("clerk", 403),
     ("analyst", 403)],
)  # fmt: skip
def test_without_full_access_to_both_nothing_moves(world, pair, persona, status):
    survivor, duplicate = pair
    client = client_for(getattr(world.users, persona))
    before = counts(Rescue, Referral, FollowUp, AuditEvent)
    assert _merge(client, survivor, duplicate).status_code == status
    assert counts(Rescue, Referral, FollowUp, AuditEvent) == before
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None


def test_bad_bodies_are_400(world, pair):
    survivor, _duplicate = pair
    client = client_for(world.users.minister)
    url = f"/api/v1/victims/{survivor.pk}/merge/"
    assert client.post(url, {"duplicate": "x"}, format="json").status_code == 400
    assert client.post(url, {}, format="json").status_code == 400
    assert client.post(url, {"duplicate": str(survivor.pk)}, format="json").status_code == 400


def test_links_of_models_other_apps_add_move_too(world, pair):
    """The merge reads the relations from `_meta`: a model of another app that points at
    Victim (here the cases' many-to-many and the referral service, none named in the merge
    code) moves without the merge knowing it."""
    from victims.services import _move_links

    survivor, duplicate = pair
    moved = _move_links(duplicate, survivor)
    assert set(moved) >= {"referrals.Service", "cases.Case_victims:dropped"}
