"""Bad input answers a 4xx with a message and writes nothing: never a 500 (on either database:
PostgreSQL refuses NUL characters and neither database stores a lone UTF-16 surrogate)."""

from __future__ import annotations

import pytest

from tests.api_support import client_for
from tests.factories import VictimFactory
from victims.models import Victim

BAD_BODIES = {
    "lone surrogate": '{"given_name": "\\ud800"}',
    "lone surrogate in a key": '{"\\udc00": "x"}',
    "lone surrogate deep in a list": '{"languages": ["km", "\\udfff"]}',
    "NUL character": '{"given_name": "a\\u0000b"}',
    "truncated JSON": '{"given_name": ',
    "not UTF-8": b'\xff\xfe{"given_name": "x"}',
    "an array, not an object": "[1, 2]",
    "impossible date": '{"date_of_birth": "2010-02-30"}',
    "huge number": '{"birth_year": 99999999999999999999}',
    "unknown code": '{"sex": "zz"}',
}


@pytest.mark.parametrize("body", BAD_BODIES.values(), ids=BAD_BODIES.keys())
def test_given_a_bad_body_when_posting_a_victim_then_400_and_nothing_written(world, body):
    api = client_for(world.users.alice)
    before = Victim.objects.count()

    response = api.post("/api/v1/victims/", data=body, content_type="application/json")

    assert response.status_code == 400, response.content
    assert response.json()  # a message the integrator can read
    assert Victim.objects.count() == before


def test_given_a_lone_surrogate_when_patching_then_400_and_the_victim_unchanged(world):
    victim = VictimFactory(agency=world.agencies.dosvy_bmc, given_name="Sophea")
    api = client_for(world.users.alice)

    response = api.patch(
        f"/api/v1/victims/{victim.pk}/",
        data='{"given_name": "\\udfff"}',
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "surrogate" in response.json()["detail"]
    victim.refresh_from_db()
    assert victim.given_name == "Sophea"


def test_given_a_form_body_of_the_wrong_type_then_415(world):
    api = client_for(world.users.alice)

    response = api.post("/api/v1/victims/", data="given_name=x", content_type="text/plain")

    assert response.status_code == 415


@pytest.mark.parametrize(
    ("path", "query", "status"),
    [
        ("victims", "created_after=notadate", 400),
        ("victims", "agency=not-a-uuid", 400),
        ("victims", "sex=%00", 400),
        ("victims", "home_province=%00", 400),
        ("referrals", "status=%00", 400),
        ("victims", "cursor=zzz", 404),
        ("referrals", "cursor=%ff", 404),
        ("victims", "page_size=abc", 400),
        ("victims", "page_size=100000", 200),  # capped at 500
        ("referrals", "page_size=-1", 400),
        ("referrals", "page_size=0", 400),
        ("victims", "ordering=password", 400),
        ("victims", "ordering=-family_name", 200),
    ],
)
def test_given_bad_list_parameters_then_a_clear_answer_not_a_500(world, path, query, status):
    response = client_for(world.users.alice).get(f"/api/v1/{path}/?{query}")

    assert response.status_code == status


@pytest.mark.parametrize(
    "url",
    [
        "/victims/?q=%00",
        "/victims/?q=%ED%A0%80",
        "/victims/?q=" + "a" * 5000,
        "/victims/?page=abc",
        "/victims/?page=99999",
        "/victims/?province=%00",
        "/victims/?sex=zz",
        "/victims/?agency=nope",
        "/victims/geo/?province=%00&district=zz",
        "/cases/?q=%00",
        "/cases/?page=-1",
        "/referrals/?q=%00",
        "/referrals/?page=-1",
    ],
)
def test_given_bad_query_strings_when_browsing_then_the_page_answers(client, world, url):
    VictimFactory(agency=world.agencies.dosvy_bmc)
    client.force_login(world.users.alice)

    response = client.get(url)

    assert response.status_code == 200


def test_given_a_nul_in_a_name_when_taking_in_a_victim_then_the_form_says_so(client, world):
    client.force_login(world.users.alice)
    before = Victim.objects.count()

    response = client.post("/victims/new/", {"given_name": "a\x00b", "family_name": "Sok"})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert Victim.objects.count() == before


def test_given_both_a_date_of_birth_and_a_birth_year_then_400_as_on_the_form(world):
    api = client_for(world.users.alice)
    before = Victim.objects.count()

    response = api.post(
        "/api/v1/victims/",
        {"given_name": "Sophea", "date_of_birth": "2008-03-01", "birth_year": 2007},
        format="json",
    )

    assert response.status_code == 400
    assert "birth_year" in response.json()
    assert Victim.objects.count() == before
