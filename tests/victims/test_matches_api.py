"""`GET /api/v1/victims/matches/` and the API's victim create (SPEC section 8), including what an
attacker can learn of a record they may not see."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from ctms.models import AuditEvent
from tests.api_support import client_for, counts
from tests.factories import VictimFactory
from victims.matching import victim_for_match_token
from victims.models import Victim

URL = "/api/v1/victims/matches/"
QUERY = {"given_name": "Sreypov", "family_name": "Chan", "sex": "female", "birth_year": 2001}


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def held(world):
    """The same person held by DoSVY Banteay Meanchey (alice sees it) and by Siem Reap (bob's)."""
    ours = VictimFactory(agency=world.agencies.dosvy_bmc, given_name="Srey Pov",
                         family_name="Chan", name_khmer="ចាន់ ស្រីពៅ", birth_year=2001,
                         home_province="01")  # fmt: skip
    theirs = VictimFactory(agency=world.agencies.dosvy_svr, given_name="Chan",
                           family_name="Sreypou", birth_year=None,
                           date_of_birth="2001-05-06", home_province="20")  # fmt: skip
    return ours, theirs


def test_visible_match_has_id_names_and_score_invisible_only_score_holder_and_token(world, held):
    ours, theirs = held
    response = client_for(world.users.alice).get(URL, QUERY)
    assert response.status_code == 200
    # Both score 86; the hidden one is shown in its band of ten.
    visible, invisible = sorted(response.json()["results"], key=lambda match: "victim" not in match)
    assert visible == {"victim": str(ours.pk), "given_name": "Srey Pov", "family_name": "Chan",
                       "name_khmer": "ចាន់ ស្រីពៅ", "score": 86}  # fmt: skip
    assert set(invisible) == {"score", "held_by", "match"}
    assert (invisible["score"], invisible["held_by"]) == (80, "DoSVY-SVR")
    assert str(theirs.pk) not in response.content.decode()
    assert "2001-05-06" not in response.content.decode()
    assert victim_for_match_token(user=world.users.alice, token=invisible["match"]) == theirs
    assert victim_for_match_token(user=world.users.bob, token=invisible["match"]) is None


def test_every_query_is_audited_with_its_inputs(world, held):
    ours, _theirs = held
    client_for(world.users.alice).get(URL, QUERY)
    event = AuditEvent.objects.get(object_type="victim_matches")
    assert event.actor == world.users.alice
    assert event.details == {
        "inputs": {"given_name": "Sreypov", "family_name": "Chan", "sex": "female",
                   "birth_year": "2001"},
        "visible": [str(ours.pk)],
        "invisible": ["DoSVY-SVR"],
    }  # fmt: skip
    assert AuditEvent.objects.filter(action="view", object_type="victim",
                                     object_id=str(ours.pk)).count() == 1  # fmt: skip


@pytest.mark.parametrize(
    ("persona", "status"),
    [("alice", 200), ("officer", 200), ("admin", 200), ("partner", 403), ("clerk", 403),
     ("analyst", 403)],
)  # fmt: skip
def test_who_may_look_for_matches(world, held, persona, status):
    response = client_for(getattr(world.users, persona)).get(URL, QUERY)
    assert response.status_code == status
    if status == 403:
        assert not AuditEvent.objects.filter(object_type="victim_matches").exists()


def test_without_a_name_there_is_nothing_to_look_for(world, held):
    response = client_for(world.users.alice).get(URL, {"sex": "female", "birth_year": 2001})
    assert (response.status_code, response.json()) == (200, {"results": []})


def test_anonymous_is_refused(world, held):
    from rest_framework.test import APIClient

    assert APIClient().get(URL, QUERY).status_code == 401


@pytest.mark.parametrize(
    ("query", "field"),
    [({**QUERY, "birth_year": "year"}, "birth_year"),
     ({**QUERY, "date_of_birth": "2001-13-01"}, "date_of_birth"), ({**QUERY, "sex": "x"}, "sex")],
)  # fmt: skip
def test_bad_queries_are_400_with_the_field(world, query, field):
    response = client_for(world.users.alice).get(URL, query)
    assert response.status_code == 400
    assert field in response.json()


def test_varying_one_field_never_reveals_the_hidden_date_or_id(world, held):
    """An attacker who sees only DoSVY-SVR's record as a match tries every birth year and every
    sex: the answers carry no date, name or id, and tokens never repeat."""
    _ours, theirs = held
    client = client_for(world.users.alice)
    seen_tokens, bodies = set(), []
    for year in range(1995, 2008):
        response = client.get(URL, {"given_name": "Chan", "family_name": "Sreypov",
                                    "birth_year": year, "home_province": "20"})  # fmt: skip
        assert response.status_code == 200
        bodies.append(response.content.decode())
        for match in response.json()["results"]:
            if "victim" in match:
                continue
            assert set(match) == {"score", "held_by", "match"}
            assert match["score"] % 10 == 0
            assert match["match"] not in seen_tokens
            seen_tokens.add(match["match"])
    text = "".join(bodies)
    assert str(theirs.pk) not in text and str(theirs.pk).replace("-", "") not in text
    assert "05-06" not in text and "Sreypou" not in text


def test_probing_is_throttled(world, held, settings):
    settings.VICTIM_MATCHES_RATE = "3/hour"
    client = client_for(world.users.alice)
    statuses = [client.get(URL, QUERY).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert AuditEvent.objects.filter(object_type="victim_matches").count() == 3


def test_create_with_matches_answers_409_with_them_and_saves_nothing(world, held):
    client = client_for(world.users.alice)
    before = counts(Victim)
    response = client.post("/api/v1/victims/", QUERY, format="json")
    assert response.status_code == 409
    assert sorted(sorted(match) for match in response.json()["matches"]) == [
        ["family_name", "given_name", "name_khmer", "score", "victim"],
        ["held_by", "match", "score"],
    ]
    assert counts(Victim) == before


def test_create_with_confirm_new_saves_anyway(world, held):
    client = client_for(world.users.alice)
    response = client.post("/api/v1/victims/", {**QUERY, "confirm_new": True}, format="json")
    assert response.status_code == 201
    assert "confirm_new" not in response.json()
    assert Victim.objects.filter(pk=response.json()["id"], given_name="Sreypov").exists()


def test_create_without_matches_saves_at_once(world, held):
    response = client_for(world.users.alice).post(
        "/api/v1/victims/", {"given_name": "Dara", "family_name": "Keo", "sex": "male"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201
