"""Access requests for a possible duplicate the user may not see (SPEC sections 7 and 8): the
person is named only by the `match` token of the matches query, through the API and through
the intake page's "Ask for access"."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache

from handovers.models import Handover
from tests.api_support import client_for, counts
from tests.factories import VictimFactory
from tests.victims.test_views import INTAKE
from victims.matching import match_token

URL = "/api/v1/handovers/"
PAGE = "/handovers/match-access/"
INVALID = {"match": ["This match is no longer valid: look for the person again."]}


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()


def ask(user, token, reason="Same girl registered in Siem Reap?"):
    return client_for(user).post(
        URL, {"kind": "access_request", "match": token, "reason": reason}, format="json"
    )


def test_given_match_token_when_access_requested_then_holder_answers_and_then_full_access(
    world, held
):
    bob = client_for(world.users.bob)
    response = ask(world.users.bob, match_token(user=world.users.bob, victim_id=held.pk))

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["kind"], body["status"]) == ("access_request", "pending")
    assert (body["from_agency"], body["to_agency"]) == (
        str(world.agencies.dosvy_svr.pk),
        str(world.agencies.dosvy_bmc.pk),
    )
    assert body["victim"] is None and "reason" not in body and "case" not in body
    text = response.content.decode()
    assert str(held.pk) not in text and "Channary" not in text and "Sok" not in text
    request = Handover.objects.get()
    assert (request.victim, request.reason) == (held, "Same girl registered in Siem Reap?")
    assert bob.get(f"/api/v1/victims/{held.pk}/").status_code == 404

    alice = client_for(world.users.alice)
    received = alice.get(f"{URL}{request.pk}/").json()
    assert received["reason"] == "Same girl registered in Siem Reap?"
    assert received["victim"]["given_name"] == "Channary"
    assert alice.post(f"{URL}{request.pk}/accept/").status_code == 200

    held.refresh_from_db()
    assert held.agency == world.agencies.dosvy_bmc  # the owner is unchanged
    assert bob.get(f"/api/v1/victims/{held.pk}/").json()["access"] == "full"
    assert bob.get(f"{URL}{request.pk}/").json()["victim"]["given_name"] == "Channary"


def _altered(world, held):
    token = match_token(user=world.users.bob, victim_id=held.pk)
    return token[:-2] + ("xx" if not token.endswith("xx") else "yy")


@pytest.mark.parametrize(
    "token",
    [
        _altered,
        lambda world, held: "not a token",
        lambda world, held: match_token(user=world.users.partner, victim_id=held.pk),
    ],
    ids=["altered", "garbage", "someone-elses"],
)
def test_given_bad_token_then_400_on_match_and_nothing_saved(world, held, token):
    response = ask(world.users.bob, token(world, held))
    assert response.status_code == 400
    assert response.json() == INVALID
    assert counts(Handover) == (0,)


def test_given_expired_token_then_the_same_400(world, held, monkeypatch):
    issued = 1_800_000_000
    monkeypatch.setattr("cryptography.fernet.time.time", lambda: issued)
    token = match_token(user=world.users.bob, victim_id=held.pk)
    monkeypatch.setattr("cryptography.fernet.time.time", lambda: issued + 24 * 3600 + 1)
    response = ask(world.users.bob, token)
    assert (response.status_code, response.json()) == (400, INVALID)
    assert counts(Handover) == (0,)


@pytest.mark.parametrize(
    "extra",
    [{"kind": "transfer"}, {"victim": "held"}],
    ids=["transfer", "with-victim"],
)
def test_given_token_outside_a_plain_access_request_then_400(world, held, extra):
    data = {"kind": "access_request", "reason": "Why not.", **extra}
    if "victim" in extra:
        data["victim"] = str(VictimFactory(agency=world.agencies.dosvy_svr).pk)
    data["match"] = match_token(user=world.users.bob, victim_id=held.pk)
    response = client_for(world.users.bob).post(URL, data, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "match": ["A match token names the person of an access request only."]
    }
    assert counts(Handover) == (0,)


def test_given_neither_victim_nor_match_then_400_on_victim(world):
    response = client_for(world.users.bob).post(
        URL, {"kind": "access_request", "reason": "Who?"}, format="json"
    )
    assert (response.status_code, response.json()) == (
        400,
        {"victim": ["This field is required."]},
    )


def test_given_token_asked_twice_or_without_reason_then_400_on_match_and_reason(world, held):
    assert ask(world.users.bob, match_token(user=world.users.bob, victim_id=held.pk)).status_code
    again = ask(world.users.bob, match_token(user=world.users.bob, victim_id=held.pk), "Again.")
    assert (again.status_code, again.json()) == (
        400,
        {"match": ["Your agency has already asked for this record."]},
    )
    no_reason = ask(
        world.users.partner, match_token(user=world.users.partner, victim_id=held.pk), ""
    )
    assert (no_reason.status_code, no_reason.json()) == (
        400,
        {"reason": ["Say why your agency needs this record."]},
    )
    assert counts(Handover) == (1,)


def test_given_police_with_a_token_then_403_and_nothing_saved(world, held):
    response = ask(world.users.officer, match_token(user=world.users.officer, victim_id=held.pk))
    assert response.status_code == 403
    assert response.json() == {"detail": "Only case workers and partner staff ask for access."}
    assert counts(Handover) == (0,)


# The browser: "Ask for access" on the intake page's matches -------------------------------


@pytest.fixture
def theirs(world):
    """INTAKE's person, held by DoSVY-SVR: alice (DoSVY-BMC) may not see the record."""
    return VictimFactory(agency=world.agencies.dosvy_svr, given_name="Sok",
                         family_name="Sreypou", birth_year=2003)  # fmt: skip


def test_intake_ask_for_access_sends_the_request_and_shows_nothing_of_the_person(
    client, world, theirs
):
    client.force_login(world.users.alice)
    intake = client.post("/victims/new/", INTAKE).content.decode()
    assert f'action="{PAGE}"' in intake
    [token] = re.findall(r'name="match" value="([^"]+)"', intake)

    response = client.post(PAGE, {"match": token, "reason": "She came to our shelter."})

    request = Handover.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/handovers/{request.pk}/"
    assert (request.kind, request.status, request.victim) == ("access_request", "pending", theirs)
    assert (request.from_agency, request.to_agency) == (
        world.agencies.dosvy_bmc,
        world.agencies.dosvy_svr,
    )
    page = client.get(response["Location"]).content.decode()
    assert "Your request has been sent; the agency that holds the record answers it." in page
    assert str(theirs.pk) not in page and "Sreypou" not in page
    assert client.get(f"/victims/{theirs.pk}/").status_code == 404


def test_ask_for_access_page_shows_a_small_form(client, world):
    client.force_login(world.users.alice)
    response = client.get(PAGE, {"match": "abc"})
    page = response.content.decode()
    assert response.status_code == 200
    assert '<input type="hidden" name="match" value="abc"' in page
    assert 'name="reason"' in page


@pytest.mark.parametrize("token", ["not a token", ""], ids=["bad", "missing"])
def test_ask_for_access_with_a_bad_token_shows_the_error_and_saves_nothing(
    client, world, theirs, token
):
    client.force_login(world.users.alice)
    response = client.post(PAGE, {"match": token, "reason": "She came to our shelter."})
    assert response.status_code == 400
    assert "This match is no longer valid: look for the person again." in response.content.decode()
    assert counts(Handover) == (0,)


def test_ask_for_access_of_someone_elses_token_is_refused_and_police_are_forbidden(
    client, world, theirs
):
    client.force_login(world.users.alice)
    token = match_token(user=world.users.minister, victim_id=theirs.pk)
    response = client.post(PAGE, {"match": token, "reason": "Hers?"})
    assert response.status_code == 400
    client.force_login(world.users.officer)
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, {"match": token, "reason": "Hers?"}).status_code == 403
    assert counts(Handover) == (0,)
