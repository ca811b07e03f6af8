"""The hand-overs API (SPEC section 7): every transition and every refusal, the identity rule
while pending, ownership and access on accept, idempotent retries, webhooks and the race of
twenty accepts."""

from __future__ import annotations

import pytest
from django.db import connection

from cases.models import Rescue
from ctms.models import AuditEvent
from handovers.models import Handover, HandoverTransition
from handovers.services import handover_request_access
from referrals.models import WebhookDelivery, WebhookEndpoint
from tests.api_support import client_for, counts, post_at_once
from tests.factories import OperationFactory, ReferralFactory
from victims.models import Victim
from victims.selectors import VictimAccess, victim_access

URL = "/api/v1/handovers/"


def test_given_rescue_placed_with_dosvy_when_logged_then_pending_placement(world, placement):
    rescue = Rescue.objects.get()
    assert rescue.placed_with == world.agencies.dosvy_bmc
    assert (placement.kind, placement.status) == ("rescue_placement", "pending")
    assert placement.from_agency == world.agencies.police
    assert placement.to_agency == world.agencies.dosvy_bmc
    assert placement.created_on.isoformat() == "2010-07-10"
    assert placement.victim.agency == world.agencies.police  # not moved before the answer


@pytest.mark.parametrize(
    ("rescue", "message"),
    [
        ({"placement": "dosvy"}, "Name the agency that took the person in."),
        ({"placement": "ngo", "placed_with": None}, "Name the agency that took the person in."),
        (
            {"placement": "family", "placed_with": "afesip"},
            "A person placed with their family is not placed with an agency.",
        ),
        (
            {"placement": "dosvy", "placed_with": "court"},
            "A police unit or a court does not take people in.",
        ),
    ],
)
def test_given_bad_placement_when_logged_then_400_and_nothing_saved(
    world, police_api, rescue, message
):
    agency = rescue.get("placed_with")
    if agency:
        rescue = {**rescue, "placed_with": str(getattr(world.agencies, agency).pk)}
    before = counts(Victim, Rescue, Handover)
    response = police_api.post(
        "/api/v1/operations/",
        {
            "date": "2010-07-10",
            "kind": "raid",
            "province": "01",
            "rescues": [{"person": {"given_name": "Pov", "sex": "female"}, **rescue}],
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"rescues": {"0": {"placed_with": [message]}}}
    assert counts(Victim, Rescue, Handover) == before


def test_given_pending_placement_then_receiver_sees_referral_view(world, placement):
    body = client_for(world.users.alice).get(f"{URL}{placement.pk}/").json()
    assert body["status"] == "pending"
    assert body["victim"]["given_name"] == "Srey"
    assert body["victim"]["family_name"] == "Pov"
    assert body["victim_summary"] == {"sex": "female", "age_band": "unknown", "province": ""}
    assert victim_access(world.users.alice, placement.victim) == VictimAccess.REFERRAL
    listed = client_for(world.users.alice).get(f"{URL}?status=pending&direction=received")
    assert [row["id"] for row in listed.json()["results"]] == [str(placement.pk)]


@pytest.mark.parametrize("name", ["bob", "partner", "other_partner", "other_officer", "clerk"])
def test_given_placement_then_a_third_agency_sees_nothing(world, placement, name):
    client = client_for(getattr(world.users, name))
    assert client.get(f"{URL}{placement.pk}/").status_code == 404
    assert client.get(URL).json()["results"] == []
    assert client.get(f"/api/v1/victims/{placement.victim_id}/").status_code == 404
    before = counts(HandoverTransition)
    assert client.post(f"{URL}{placement.pk}/accept/").status_code == 404
    assert client.post(f"{URL}{placement.pk}/decline/", {"reason": "x"}).status_code == 404
    assert client.post(f"{URL}{placement.pk}/withdraw/").status_code == 404
    assert counts(HandoverTransition) == before


def test_given_placement_when_receiver_accepts_then_owner_changes(world, placement):
    response = client_for(world.users.alice).post(f"{URL}{placement.pk}/accept/")
    assert response.status_code == 200
    assert response.json()["status"] == "accepted"
    assert response.json()["transitions"][0]["transition"] == "accept"
    victim = Victim.objects.get(pk=placement.victim_id)
    assert victim.agency == world.agencies.dosvy_bmc
    assert victim_access(world.users.alice, victim) == VictimAccess.FULL
    assert victim_access(world.users.minister, victim) == VictimAccess.FULL  # MoSVY, the parent
    step = HandoverTransition.objects.get()
    assert (step.by, step.by_agency, step.to_status) == (
        world.users.alice,
        world.agencies.dosvy_bmc,
        "accepted",
    )
    event = AuditEvent.objects.filter(object_type="handover", action="transition").get()
    assert event.details == {
        "transition": "accept",
        "to_status": "accepted",
        "kind": "rescue_placement",
        "owner": "DoSVY-BMC",
    }


def test_given_accepted_placement_then_police_keep_exactly_their_rescue_view(world, placement):
    alice = client_for(world.users.alice)
    alice.post(f"{URL}{placement.pk}/accept/")
    case = alice.post(
        "/api/v1/cases/",
        {
            "opened_on": "2010-07-12",
            "exploitation_types": ["sexual_exploitation"],
            "victims": [str(placement.victim_id)],
        },
        format="json",
    )
    assert case.status_code == 201, case.json()
    Victim.objects.filter(pk=placement.victim_id).update(social_notes="Frightened.")
    police = client_for(world.users.officer)
    victim = police.get(f"/api/v1/victims/{placement.victim_id}/").json()
    assert victim["access"] == "police"
    assert "social_notes" not in victim
    assert police.get(f"/api/v1/cases/{case.json()['id']}/").status_code == 404
    assert police.get(f"{URL}{placement.pk}/").json()["status"] == "accepted"
    assert police.post(f"{URL}{placement.pk}/withdraw/").status_code == 409


def test_given_placement_when_police_try_to_answer_then_403_and_nothing_changes(
    world, placement, police_api
):
    before = counts(HandoverTransition)
    assert police_api.post(f"{URL}{placement.pk}/accept/").status_code == 403
    assert police_api.post(f"{URL}{placement.pk}/decline/", {"reason": "no"}).status_code == 403
    assert counts(HandoverTransition) == before
    placement.refresh_from_db()
    assert placement.status == "pending"


def test_given_placement_when_receiver_withdraws_then_403(world, placement):
    response = client_for(world.users.alice).post(f"{URL}{placement.pk}/withdraw/")
    assert response.status_code == 403
    assert counts(HandoverTransition) == (0,)


@pytest.mark.parametrize(
    ("first", "then", "by"),
    [
        ("accept", "accept", "alice"),
        ("accept", "decline", "alice"),
        ("accept", "withdraw", "officer"),
        ("decline", "accept", "alice"),
        ("decline", "withdraw", "officer"),
        ("withdraw", "accept", "alice"),
        ("withdraw", "decline", "alice"),
        ("withdraw", "withdraw", "officer"),
    ],
)
def test_given_answered_placement_when_transition_again_then_409_with_status(
    world, placement, first, then, by
):
    first_by = world.users.officer if first == "withdraw" else world.users.alice
    assert (
        client_for(first_by).post(f"{URL}{placement.pk}/{first}/", {"reason": "full"}).status_code
        == 200
    )
    placement.refresh_from_db()
    before = (placement.status, placement.victim.agency_id, counts(HandoverTransition))
    response = client_for(getattr(world.users, by)).post(
        f"{URL}{placement.pk}/{then}/", {"reason": "again"}
    )
    assert response.status_code == 409
    assert response.json()["status"] == placement.status
    placement.refresh_from_db()
    placement.victim.refresh_from_db()
    assert (placement.status, placement.victim.agency_id, counts(HandoverTransition)) == before


def test_given_decline_without_reason_then_400_and_nothing_changes(world, placement):
    response = client_for(world.users.alice).post(f"{URL}{placement.pk}/decline/", {})
    assert response.status_code == 400
    assert response.json() == {"reason": ["This field is required."]}
    placement.refresh_from_db()
    assert placement.status == "pending"


@pytest.mark.parametrize("answer", ["decline", "withdraw"])
def test_given_declined_or_withdrawn_placement_then_it_grants_nothing(world, placement, answer):
    user = world.users.alice if answer == "decline" else world.users.officer
    response = client_for(user).post(f"{URL}{placement.pk}/{answer}/", {"reason": "Full."})
    assert response.status_code == 200
    placement.refresh_from_db()
    assert placement.status == f"{answer}d" if answer == "decline" else "withdrawn"
    assert placement.victim.agency == world.agencies.police
    alice = client_for(world.users.alice)
    assert alice.get(f"/api/v1/victims/{placement.victim_id}/").status_code == 404
    assert victim_access(world.users.alice, placement.victim) == VictimAccess.NONE
    # The hand-over itself stays in its history, without the person.
    body = alice.get(f"{URL}{placement.pk}/").json()
    assert body["victim"] is None
    assert "reason" not in body


def test_given_declined_placement_then_reason_and_who_recorded(world, placement):
    client_for(world.users.alice).post(
        f"{URL}{placement.pk}/decline/", {"reason": "No bed left; ask Siem Reap."}
    )
    placement.refresh_from_db()
    assert (placement.status, placement.decline_reason) == (
        "declined",
        "No bed left; ask Siem Reap.",
    )
    step = HandoverTransition.objects.get()
    assert (step.transition, step.reason, step.by) == (
        "decline",
        "No bed left; ask Siem Reap.",
        world.users.alice,
    )


def test_given_owner_when_transfers_with_case_then_receiver_sees_summary_until_accept(world, held):
    case = held.cases.get()
    alice = client_for(world.users.alice)
    response = alice.post(
        URL,
        {
            "kind": "transfer",
            "victim": str(held.pk),
            "to_agency": str(world.agencies.dosvy_svr.pk),
            "case": str(case.pk),
            "reason": "Moved to Siem Reap with her aunt.",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    handover = Handover.objects.get()
    assert (handover.from_agency, handover.case) == (world.agencies.dosvy_bmc, case)
    bob = client_for(world.users.bob)
    pending = bob.get(f"{URL}{handover.pk}/").json()
    assert pending["victim"] is None
    assert pending["victim_summary"] == {"sex": "female", "age_band": "18_plus", "province": "01"}
    assert "reason" not in pending and "case" not in pending
    assert bob.get(f"/api/v1/victims/{held.pk}/").status_code == 404

    assert bob.post(f"{URL}{handover.pk}/accept/").status_code == 200

    held.refresh_from_db()
    case.refresh_from_db()
    assert (held.agency, case.agency) == (world.agencies.dosvy_svr, world.agencies.dosvy_svr)
    assert bob.get(f"/api/v1/victims/{held.pk}/").json()["social_notes"] == (
        "Met her mother twice."
    )
    assert alice.get(f"/api/v1/victims/{held.pk}/").status_code == 404
    assert alice.get(f"/api/v1/cases/{case.pk}/").status_code == 404
    assert alice.get(f"{URL}{handover.pk}/").json()["status"] == "accepted"


def test_given_transfer_when_sender_withdraws_then_nothing_moves(world, held):
    alice = client_for(world.users.alice)
    created = alice.post(
        URL,
        {"kind": "transfer", "victim": str(held.pk), "to_agency": str(world.agencies.afesip.pk)},
        format="json",
    ).json()
    assert alice.post(f"{URL}{created['id']}/withdraw/", {"reason": "Stays."}).status_code == 200
    held.refresh_from_db()
    assert held.agency == world.agencies.dosvy_bmc
    assert client_for(world.users.partner).get(f"/api/v1/victims/{held.pk}/").status_code == 404


def test_given_transfer_to_ngo_when_partner_accepts_then_partner_holds_in_full(world, held):
    alice = client_for(world.users.alice)
    created = alice.post(
        URL,
        {"kind": "transfer", "victim": str(held.pk), "to_agency": str(world.agencies.afesip.pk)},
        format="json",
    ).json()
    partner = client_for(world.users.partner)
    assert partner.post(f"{URL}{created['id']}/accept/").status_code == 200
    assert partner.get(f"/api/v1/victims/{held.pk}/").json()["access"] == "full"


@pytest.mark.parametrize(
    ("body", "status", "errors"),
    [
        (
            {"to_agency": "police"},
            400,
            {"to_agency": ["A police unit or a court does not take people in."]},
        ),
        ({}, 400, {"to_agency": ["Name the agency that takes the person over."]}),
        (
            {"to_agency": "dosvy_svr", "case": "00000000-0000-0000-0000-000000000001"},
            400,
            {"case": ["This person has no case with this id."]},
        ),
        ({"to_agency": "dosvy_svr", "kind": "rescue_placement"}, 400, None),
        (
            {"to_agency": "dosvy_svr", "created_on": "2999-01-01"},
            400,
            {"created_on": ["This date is after today."]},
        ),
    ],
)
def test_given_bad_transfer_then_400_and_nothing_saved(world, held, body, status, errors):
    agency = body.get("to_agency")
    data = {"kind": "transfer", "victim": str(held.pk), **body}
    if agency:
        data["to_agency"] = str(getattr(world.agencies, agency).pk)
    response = client_for(world.users.alice).post(URL, data, format="json")
    assert response.status_code == status
    if errors is not None:
        assert response.json() == errors
    assert counts(Handover) == (0,)


def test_given_pending_transfer_when_second_offered_then_400(world, held):
    alice = client_for(world.users.alice)
    data = {
        "kind": "transfer",
        "victim": str(held.pk),
        "to_agency": str(world.agencies.dosvy_svr.pk),
    }
    assert alice.post(URL, data, format="json").status_code == 201
    response = alice.post(URL, {**data, "to_agency": str(world.agencies.hagar.pk)}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "victim": ["A hand-over of this person is already waiting for an answer."]
    }
    assert counts(Handover) == (1,)


def test_given_someone_elses_victim_when_transfer_then_refused(world, held):
    data = {"kind": "transfer", "victim": str(held.pk), "to_agency": str(world.agencies.hagar.pk)}
    # Bob cannot see the person: the id reads as one that does not exist.
    response = client_for(world.users.bob).post(URL, data, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["victim"]
    # The police unit that rescued her sees her but does not hold her record.
    Rescue.objects.create(
        operation=OperationFactory(agency=world.agencies.police), victim=held, placement="family"
    )
    assert client_for(world.users.officer).post(URL, data, format="json").status_code == 403
    assert counts(Handover) == (0,)


def test_given_access_request_when_owner_accepts_then_requester_has_full_access(world, held):
    request = handover_request_access(
        user=world.users.bob, victim=held, reason="Same girl registered in Siem Reap?"
    )
    assert (request.from_agency, request.to_agency) == (
        world.agencies.dosvy_svr,
        world.agencies.dosvy_bmc,
    )
    bob = client_for(world.users.bob)
    assert bob.get(f"{URL}{request.pk}/").json()["victim"] is None
    assert bob.get(f"/api/v1/victims/{held.pk}/").status_code == 404
    assert bob.post(f"{URL}{request.pk}/accept/").status_code == 403

    alice = client_for(world.users.alice)
    assert alice.get(f"{URL}{request.pk}/").json()["reason"] == "Same girl registered in Siem Reap?"
    assert alice.post(f"{URL}{request.pk}/accept/").status_code == 200

    held.refresh_from_db()
    assert held.agency == world.agencies.dosvy_bmc  # the owner is unchanged
    assert bob.get(f"/api/v1/victims/{held.pk}/").json()["access"] == "full"
    assert bob.get(f"{URL}{request.pk}/").json()["victim"]["given_name"] == "Channary"


def test_given_access_request_declined_then_grants_nothing(world, held):
    request = handover_request_access(user=world.users.bob, victim=held, reason="Duplicate?")
    alice = client_for(world.users.alice)
    assert alice.post(f"{URL}{request.pk}/decline/", {"reason": "Not her."}).status_code == 200
    assert client_for(world.users.bob).get(f"/api/v1/victims/{held.pk}/").status_code == 404


def test_given_partner_with_referral_view_when_requests_access_by_id_then_created(world, held):
    ReferralFactory(victim=held, to_agency=world.agencies.afesip, status="accepted")
    partner = client_for(world.users.partner)
    response = partner.post(
        URL,
        {"kind": "access_request", "victim": str(held.pk), "reason": "Her legal file."},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["kind"] == "access_request"
    again = partner.post(
        URL,
        {"kind": "access_request", "victim": str(held.pk), "reason": "Again."},
        format="json",
    )
    assert again.status_code == 400
    assert again.json() == {"victim": ["Your agency has already asked for this record."]}
    no_reason = client_for(world.users.minister).post(
        URL, {"kind": "access_request", "victim": str(held.pk)}, format="json"
    )
    assert no_reason.status_code == 403  # MoSVY holds it already, as the parent
    assert counts(Handover) == (1,)


def test_given_access_request_without_reason_then_400(world, held):
    ReferralFactory(victim=held, to_agency=world.agencies.afesip, status="accepted")
    response = client_for(world.users.partner).post(
        URL, {"kind": "access_request", "victim": str(held.pk)}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"reason": ["Say why your agency needs this record."]}


def test_given_accept_retried_with_same_key_then_replayed_once(world, placement):
    alice = client_for(world.users.alice)
    first = alice.post(f"{URL}{placement.pk}/accept/", HTTP_IDEMPOTENCY_KEY="k-1")
    replay = alice.post(f"{URL}{placement.pk}/accept/", HTTP_IDEMPOTENCY_KEY="k-1")
    assert (first.status_code, replay.status_code) == (200, 200)
    assert replay["Idempotent-Replayed"] == "true"
    assert replay.json() == first.json()
    assert counts(HandoverTransition) == (1,)


def test_given_endpoints_then_events_reach_both_sides_without_names(
    world, police_api, django_capture_on_commit_callbacks
):
    for agency in (world.agencies.police, world.agencies.dosvy_bmc, world.agencies.hagar):
        WebhookEndpoint.objects.create(
            agency=agency, url=f"https://{agency.acronym}.example.org/h", secret="s" * 32
        )
    rescue = {
        "person": {"given_name": "Srey", "sex": "female"},
        "placement": "dosvy",
        "placed_with": str(world.agencies.dosvy_bmc.pk),
    }
    operation = {"date": "2010-07-10", "kind": "raid", "province": "01", "rescues": [rescue]}
    with django_capture_on_commit_callbacks(execute=True):
        assert police_api.post("/api/v1/operations/", operation, format="json").status_code == 201
    handover = Handover.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(world.users.alice).post(f"{URL}{handover.pk}/accept/")
    events = sorted(WebhookDelivery.objects.values_list("endpoint__agency__acronym", "event"))
    assert events == [
        ("AHTJP-BMC", "handover.accepted"),
        ("AHTJP-BMC", "handover.created"),
        ("DoSVY-BMC", "handover.accepted"),
        ("DoSVY-BMC", "handover.created"),
    ]
    payload = WebhookDelivery.objects.filter(event="handover.accepted").first().payload
    assert "Srey" not in str(payload)
    assert payload["handover"]["kind"] == "rescue_placement"
    assert payload["handover"]["status"] == "accepted"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_given_twenty_concurrent_accepts_then_exactly_one_transition(world, placement):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    assert post_at_once(world.users.alice, f"{URL}{placement.pk}/accept/") == [200] + [409] * 19
    assert HandoverTransition.objects.filter(handover=placement).count() == 1
    placement.refresh_from_db()
    assert placement.status == "accepted"
