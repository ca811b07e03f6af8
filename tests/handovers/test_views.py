"""Hand-overs in the browser: the receiving agency's home page, the answer, the transfer from a
victim's page, the history in the timeline."""

from __future__ import annotations

from ctms.models import AuditEvent
from handovers.models import Handover
from victims.models import Victim


def test_given_pending_placement_then_home_page_shows_it_with_the_name(world, client, placement):
    client.force_login(world.users.alice)

    page = client.get("/").content.decode()

    assert "Hand-overs waiting for my answer" in page
    assert "Srey Pov" in page
    assert f"/handovers/{placement.pk}/accept/" in page
    assert AuditEvent.objects.filter(
        action="view", object_id=str(placement.victim_id), actor_username="alice"
    ).exists()


def test_given_pending_placement_when_accepted_from_home_then_back_home_and_owner(
    world, client, placement
):
    client.force_login(world.users.alice)

    response = client.post(f"/handovers/{placement.pk}/accept/", {"next": "/"})

    assert (response.status_code, response["Location"]) == (302, "/")
    placement.refresh_from_db()
    assert placement.status == "accepted"
    assert Victim.objects.get(pk=placement.victim_id).agency == world.agencies.dosvy_bmc
    assert "No hand-over is waiting for an answer." in client.get("/").content.decode()


def test_given_accepted_placement_when_accepted_again_then_409_and_said(world, client, placement):
    client.force_login(world.users.alice)
    client.post(f"/handovers/{placement.pk}/accept/")

    response = client.post(f"/handovers/{placement.pk}/accept/")

    assert response.status_code == 409
    assert "the hand-over is Accepted" in response.content.decode()


def test_given_decline_without_reason_then_400_and_pending(world, client, placement):
    client.force_login(world.users.alice)

    response = client.post(f"/handovers/{placement.pk}/decline/", {"reason": ""})

    assert response.status_code == 400
    assert response.context["decline_form"].errors["reason"] == ["This field is required."]
    placement.refresh_from_db()
    assert placement.status == "pending"


def test_given_decline_with_reason_then_declined_and_police_see_why(world, client, placement):
    client.force_login(world.users.alice)
    client.post(f"/handovers/{placement.pk}/decline/", {"reason": "No bed left."})
    client.force_login(world.users.officer)

    page = client.get(f"/handovers/{placement.pk}/").content.decode()

    assert "Declined" in page
    assert "No bed left." in page


def test_given_third_agency_then_handover_page_is_404(world, client, placement):
    for user in (world.users.bob, world.users.partner, world.users.other_officer):
        client.force_login(user)
        assert client.get(f"/handovers/{placement.pk}/").status_code == 404
        assert client.post(f"/handovers/{placement.pk}/accept/").status_code == 404
    placement.refresh_from_db()
    assert placement.status == "pending"


def test_given_owner_when_transfers_from_victim_page_then_receiver_sees_summary(
    world, client, held
):
    client.force_login(world.users.alice)
    page = client.get(f"/victims/{held.pk}/").content.decode()
    assert "Transfer to another agency" in page

    response = client.post(
        f"/handovers/transfer/{held.pk}/",
        {
            "to_agency": str(world.agencies.dosvy_svr.pk),
            "case": str(held.cases.get().pk),
            "reason": "Moved to Siem Reap.",
        },
    )

    handover = Handover.objects.get()
    assert response["Location"] == f"/handovers/{handover.pk}/"
    client.force_login(world.users.bob)
    home = client.get("/").content.decode()
    assert "Channary" not in home
    assert "Female" in home
    detail = client.get(f"/handovers/{handover.pk}/").content.decode()
    assert "Channary" not in detail and "Moved to Siem Reap." not in detail


def test_given_not_the_owner_then_no_transfer_button_and_page_404(world, client, held):
    from tests.factories import ReferralFactory

    ReferralFactory(victim=held, to_agency=world.agencies.afesip, status="accepted")
    client.force_login(world.users.partner)

    assert "Transfer to another agency" not in client.get(f"/victims/{held.pk}/").content.decode()
    assert client.get(f"/handovers/transfer/{held.pk}/").status_code == 404


def test_given_accepted_placement_then_the_timeline_tells_it(world, client, placement):
    client.force_login(world.users.alice)
    client.post(f"/handovers/{placement.pk}/accept/")

    response = client.get(f"/victims/{placement.victim_id}/")

    kinds = [event["kind"] for event in response.context["timeline"]]
    assert kinds == ["rescue", "handover", "intake", "handover_step"]
    page = response.content.decode()
    assert "Handed over by AHTJP-BMC to DoSVY-BMC, which took the person in" in page
    assert "Placement after a rescue (AHTJP-BMC → DoSVY-BMC): Accepted by DoSVY-BMC" in page


def test_given_police_then_their_placements_are_listed(world, client, placement):
    client.force_login(world.users.officer)

    page = client.get("/handovers/").content.decode()

    assert f"/handovers/{placement.pk}/" in page
    assert "Srey Pov" in page


def test_given_police_form_then_it_asks_where_the_person_was_placed(world, client):
    client.force_login(world.users.officer)

    page = client.get("/operations/new/").content.decode()

    assert 'name="rescues-0-placed_with"' in page
    assert "DoSVY-BMC" in page
