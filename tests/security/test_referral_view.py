"""Items 2 and 13 of issue 12: what a receiving partner reads on a referral.

2. The sender's free text (the referral's reason, and the reasons of the sender's steps in its
   history) only while the receiver has the referral view: after accept, until it ends.
13. The referral view gives the age, never the exact date of birth."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from referrals.services import referral_create, referral_transition
from tests.api_support import client_for
from tests.factories import VictimFactory

SECRET_REASON = "Her uncle in Poipet sold her"
WITHDRAW_REASON = "The uncle found the shelter"


@pytest.fixture
def victim(world):
    return VictimFactory(
        agency=world.agencies.dosvy_bmc,
        given_name="Srey",
        family_name="Mom",
        birth_year=None,
        date_of_birth=dt.date(2001, 2, 3),
    )


@pytest.fixture
def referral(world, victim):
    return referral_create(
        user=world.users.alice,
        victim=victim,
        to_agency=world.agencies.afesip,
        services_requested=["shelter"],
        reason=SECRET_REASON,
    )


def _partner_page(world, client, referral) -> str:
    client.force_login(world.users.partner)
    response = client.get(f"/referrals/{referral.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def _step(world, referral, transition, user=None, reason=""):
    referral_transition(
        referral_id=referral.pk,
        user=user or world.users.partner,
        transition=transition,
        reason=reason,
    )


def test_pending_referral_page_hides_the_senders_reason(world, client, referral):
    assert SECRET_REASON not in _partner_page(world, client, referral)


def test_withdrawn_referral_page_hides_the_senders_reasons(world, client, referral):
    _step(world, referral, "withdraw", user=world.users.alice, reason=WITHDRAW_REASON)
    page = _partner_page(world, client, referral)
    assert SECRET_REASON not in page
    assert WITHDRAW_REASON not in page


def test_declined_referral_page_hides_the_senders_reason_but_shows_the_partners(
    world, client, referral
):
    _step(world, referral, "decline", reason="No bed free")
    page = _partner_page(world, client, referral)
    assert SECRET_REASON not in page
    assert "No bed free" in page


def test_accepted_referral_page_shows_the_reason_and_the_age_not_the_birth_date(
    world, client, referral, victim
):
    _step(world, referral, "accept")
    page = _partner_page(world, client, referral)
    assert SECRET_REASON in page
    assert str(victim.age_on(timezone.localdate())) in page
    assert "2001" not in page


def test_the_api_referral_view_carries_the_age_not_the_birth_date(world, referral, victim):
    _step(world, referral, "accept")
    api = client_for(world.users.partner)

    shown = api.get(f"/api/v1/referrals/{referral.pk}/").json()["victim"]
    record = api.get(f"/api/v1/victims/{victim.pk}/").json()

    age = victim.age_on(timezone.localdate())
    assert shown == {
        "id": str(victim.pk),
        "given_name": "Srey",
        "family_name": "Mom",
        "name_khmer": "",
        "sex": "female",
        "age": age,
        "primary_language": "",
        "literate_khmer": None,
        "contact": "",
    }
    assert record["access"] == "referral"
    assert record["age"] == age
    assert not {"date_of_birth", "birth_year"} & set(record)


def test_the_owner_still_reads_the_date_of_birth(world, victim):
    record = client_for(world.users.alice).get(f"/api/v1/victims/{victim.pk}/").json()
    assert record["date_of_birth"] == "2001-02-03"
    assert "age" not in record
