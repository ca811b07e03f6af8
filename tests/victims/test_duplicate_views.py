"""Duplicates in the browser (SPEC section 8): intake shows possible matches before saving, a
record's possible duplicates, and the side-by-side merge page."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from cases.models import Rescue
from ctms.models import AuditEvent
from tests.factories import RescueFactory, VictimFactory
from tests.victims.test_views import INTAKE
from victims.models import Victim


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()


@pytest.fixture
def held(world):
    """INTAKE's person already held by DoSVY-BMC (alice's agency) and by DoSVY-SVR (bob's)."""
    ours = VictimFactory(agency=world.agencies.dosvy_bmc, given_name="Srey Pov",
                         family_name="Sok", birth_year=2004, home_province="01")  # fmt: skip
    theirs = VictimFactory(agency=world.agencies.dosvy_svr, given_name="Sok",
                           family_name="Sreypou", birth_year=2003)  # fmt: skip
    return ours, theirs


def test_intake_shows_matches_and_saves_nothing_until_confirmed(client, world, held):
    ours, theirs = held
    client.force_login(world.users.alice)
    before = Victim.objects.count()
    response = client.post("/victims/new/", INTAKE)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="matches"' in page
    assert f"/victims/{ours.pk}/" in page
    assert "A record held by DoSVY-SVR" in page
    assert str(theirs.pk) not in page
    assert 'name="confirm_new"' in page
    assert 'value="Sreypov"' in page  # what was typed is still in the form
    assert Victim.objects.count() == before
    assert AuditEvent.objects.filter(object_type="victim_matches", channel="web").count() == 1


def test_intake_confirmed_saves_a_new_person(client, world, held):
    client.force_login(world.users.alice)
    before = Victim.objects.count()
    response = client.post("/victims/new/", {**INTAKE, "confirm_new": "1"})
    assert response.status_code == 302
    assert Victim.objects.count() == before + 1


def test_intake_without_matches_saves_at_once(client, world):
    client.force_login(world.users.alice)
    response = client.post("/victims/new/", INTAKE)
    assert response.status_code == 302
    assert Victim.objects.filter(given_name="Sreypov").count() == 1


def test_a_records_duplicates_page_offers_merge_only_for_records_held_in_full(
    client, world, held
):
    ours, theirs = held
    me = VictimFactory(agency=world.agencies.dosvy_bmc, given_name="Sreypov", family_name="Sok",
                       birth_year=2004, home_province="01")  # fmt: skip
    client.force_login(world.users.alice)
    page = client.get(f"/victims/{me.pk}/duplicates/").content.decode()
    assert f"/victims/{me.pk}/merge/?duplicate={ours.pk}" in page
    assert "A record held by DoSVY-SVR" in page and str(theirs.pk) not in page


def test_merge_page_shows_both_side_by_side_then_merges_on_confirmation(client, world, held):
    ours, _theirs = held
    duplicate = VictimFactory(
        agency=world.agencies.dosvy_bmc,
        given_name="Sreypov",
        family_name="Sok",
        birth_year=2004,
        contact="012 000 111",
    )
    RescueFactory(victim=duplicate)
    client.force_login(world.users.alice)
    page = client.get(f"/victims/{ours.pk}/merge/?duplicate={str(duplicate.pk)[:8]}")
    text = page.content.decode()
    assert 'id="merge-compare"' in text
    assert "Srey Pov" in text and "Sreypov" in text and "012 000 111" in text
    assert Rescue.objects.filter(victim=duplicate).count() == 1  # nothing moved by looking
    response = client.post(f"/victims/{ours.pk}/merge/", {"duplicate": str(duplicate.pk)})
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id == ours.pk
    assert Rescue.objects.filter(victim=ours).count() == 1
    detail = client.get(f"/victims/{ours.pk}/").content.decode()
    assert 'data-kind="merge"' in detail


def test_merge_page_refuses_a_record_held_elsewhere_and_changes_nothing(client, world, held):
    ours, theirs = held
    client.force_login(world.users.alice)
    response = client.post(f"/victims/{ours.pk}/merge/", {"duplicate": str(theirs.pk)})
    assert response.status_code == 200
    assert "No other record you hold in full has this reference." in response.content.decode()
    theirs.refresh_from_db()
    assert theirs.merged_into is None


def test_merge_page_of_an_already_merged_pair_says_so(client, world, held):
    ours, _theirs = held
    first = VictimFactory(agency=world.agencies.dosvy_bmc)
    second = VictimFactory(agency=world.agencies.dosvy_bmc)
    client.force_login(world.users.alice)
    client.post(f"/victims/{ours.pk}/merge/", {"duplicate": str(first.pk)})
    client.force_login(world.users.admin)
    response = client.post(f"/victims/{second.pk}/merge/", {"duplicate": str(first.pk)})
    assert response.status_code == 200
    assert "has already been merged" in response.content.decode()
    first.refresh_from_db()
    assert first.merged_into_id == ours.pk
