"""Victim pages in the browser, role by role: who may open what, and refused writes change
nothing."""

from __future__ import annotations

import pytest

from ctms.models import AuditEvent
from tests.factories import CaseFactory, FollowUpFactory, ReferralFactory, VictimFactory
from victims.models import FollowUp, Repatriation, Victim

INTAKE = {
    "name_khmer": "សុខ ស្រីពៅ",
    "given_name": "Sreypov",
    "family_name": "Sok",
    "sex": "female",
    "date_of_birth": "",
    "birth_year": "2004",
    "citizenship": "KHM",
    "primary_language": "km",
    "literate_khmer": "true",
    "contact": "012 345 678",
    "home_province": "01",
    "home_district": "0102",
    "home_commune": "010201",
    "home_village": "01020101",
    "trafficking_status": "actual",
    "consent_services": "true",
    "consent_data_sharing": "true",
    "consent_legal_proceedings": "",
}


@pytest.fixture
def victim(world):
    return VictimFactory(agency=world.agencies.dosvy_bmc, given_name="Srey", family_name="Mom")


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("alice", 200),
        ("minister", 200),
        ("bob", 404),
        ("partner", 404),
        ("officer", 404),
        ("clerk", 404),
        ("analyst", 404),
    ],
)
def test_given_victim_when_each_role_opens_profile_then_only_owners_see_it(
    world, client, victim, persona, status
):
    client.force_login(getattr(world.users, persona))

    response = client.get(f"/victims/{victim.pk}/")

    assert response.status_code == status
    assert (b"Srey" in response.content) == (status == 200)


def test_given_profile_read_when_opened_then_read_is_audited(world, client, victim):
    client.force_login(world.users.alice)

    client.get(f"/victims/{victim.pk}/")

    events = AuditEvent.objects.filter(action="view", object_id=str(victim.pk))
    assert [e.actor_username for e in events] == ["alice"]


def test_given_history_when_profile_opens_then_one_timeline_in_date_order(world, client, victim):
    referral = ReferralFactory(victim=victim, to_agency=world.agencies.afesip)
    FollowUpFactory(victim=victim, agency=world.agencies.dosvy_bmc, kind="monitoring")
    client.force_login(world.users.alice)

    response = client.get(f"/victims/{victim.pk}/")

    kinds = [event["kind"] for event in response.context["timeline"]]
    assert kinds == ["referral", "follow_up", "intake"]  # 2010 records, intake today
    assert response.context["timeline"][0]["obj"] == referral


def test_given_case_worker_when_intake_posted_then_victim_created_for_her_agency(world, client):
    client.force_login(world.users.alice)

    response = client.post("/victims/new/", INTAKE)

    victim = Victim.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/victims/{victim.pk}/"
    assert (victim.agency, victim.name_khmer, victim.birth_year) == (
        world.agencies.dosvy_bmc,
        "សុខ ស្រីពៅ",
        2004,
    )
    assert (victim.home_village, victim.consent_services, victim.consent_legal_proceedings) == (
        "01020101",
        True,
        None,
    )


def test_given_both_birth_date_and_year_when_intake_posted_then_error_and_input_kept(world, client):
    client.force_login(world.users.alice)

    response = client.post("/victims/new/", {**INTAKE, "date_of_birth": "2004-02-03"})

    assert response.status_code == 200
    assert Victim.objects.count() == 0
    assert response.context["form"].errors["birth_year"] == [
        "Give either the date of birth or an estimated birth year, not both."
    ]
    assert 'value="012 345 678"' in response.content.decode()
    assert 'value="01020101" selected' in response.content.decode()


def test_given_district_of_another_province_when_posted_then_rejected(world, client):
    client.force_login(world.users.alice)

    response = client.post("/victims/new/", {**INTAKE, "home_district": "1201"})

    assert response.status_code == 200
    assert "home_district" in response.context["form"].errors
    assert Victim.objects.count() == 0


@pytest.mark.parametrize("persona", ["partner", "officer", "clerk", "analyst"])
def test_given_other_roles_when_they_post_intake_then_refused_and_nothing_created(
    world, client, persona
):
    client.force_login(getattr(world.users, persona))

    response = client.post("/victims/new/", INTAKE)

    assert response.status_code == 403
    assert Victim.objects.count() == 0


def test_given_province_when_geo_picker_asks_then_only_its_districts(world, client):
    client.force_login(world.users.alice)

    response = client.get("/victims/geo/", {"home_province": "01"})

    districts = [code for code, _ in response.context["form"].fields["home_district"].choices]
    assert districts[0] == ""
    assert districts[1:] and all(code.startswith("01") for code in districts[1:])


def test_given_many_victims_when_list_searched_then_name_and_reference_match(world, client):
    mine = VictimFactory(agency=world.agencies.dosvy_bmc, given_name="Dany", name_khmer="ដានី")
    VictimFactory(agency=world.agencies.dosvy_bmc, given_name="Vanna")
    VictimFactory(agency=world.agencies.dosvy_svr, given_name="Dany")  # another department
    client.force_login(world.users.alice)

    by_latin = client.get("/victims/", {"q": "dany"}).context["page"].items
    by_khmer = client.get("/victims/", {"q": "ដានី"}).context["page"].items
    by_reference = client.get("/victims/", {"q": str(mine.pk)[:8]}).context["page"].items

    assert by_latin == [mine]
    assert by_khmer == [mine]
    assert by_reference == [mine]


def test_given_thirty_victims_when_paging_then_pages_of_25_without_repeats(world, client):
    VictimFactory.create_batch(30, agency=world.agencies.dosvy_bmc)
    client.force_login(world.users.minister)

    first = client.get("/victims/").context["page"]
    second = client.get("/victims/", {"cursor": first.next_cursor}).context["page"]
    back = client.get("/victims/", {"cursor": second.previous_cursor}).context["page"]

    assert (len(first.items), len(second.items)) == (25, 5)
    assert not {v.pk for v in first.items} & {v.pk for v in second.items}
    assert second.next_cursor is None
    assert [v.pk for v in back.items] == [v.pk for v in first.items]


def test_given_garbage_cursor_when_listing_then_first_page_not_error(world, client, victim):
    client.force_login(world.users.alice)

    response = client.get("/victims/", {"cursor": "%%%not-a-cursor"})

    assert response.status_code == 200
    assert response.context["page"].items == [victim]


def test_given_bob_when_he_posts_a_follow_up_for_alice_victim_then_404_and_nothing(
    world, client, victim
):
    client.force_login(world.users.bob)

    response = client.post(
        f"/victims/{victim.pk}/follow-ups/new/", {"date": "2024-01-01", "kind": "monitoring"}
    )

    assert response.status_code == 404
    assert FollowUp.objects.count() == 0


def test_given_alice_when_she_records_follow_up_and_repatriation_then_both_saved(
    world, client, victim
):
    client.force_login(world.users.alice)

    follow = client.post(
        f"/victims/{victim.pk}/follow-ups/new/",
        {"date": "2024-01-01", "kind": "family_tracing", "outcome": "Mother found"},
    )
    repatriation = client.post(
        f"/victims/{victim.pk}/repatriations/new/",
        {
            "kind": "victim",
            "from_country": "THA",
            "received_on": "2024-02-01",
            "receiving_agency": str(world.agencies.dosvy_bmc.pk),
            "border_province": "01",
        },
    )

    assert (follow.status_code, repatriation.status_code) == (302, 302)
    assert FollowUp.objects.get().outcome == "Mother found"
    assert Repatriation.objects.get().from_country == "THA"


def test_given_case_in_follow_up_when_home_opens_then_victim_listed_as_due(world, client, victim):
    CaseFactory(agency=world.agencies.dosvy_bmc, status="follow_up").victims.add(victim)
    client.force_login(world.users.alice)

    response = client.get("/")

    assert list(response.context["follow_ups_due"]) == [victim]


def test_given_saved_record_when_edit_opens_then_choices_shown_and_change_saved(
    world, client, victim
):
    client.force_login(world.users.alice)

    page = client.get(f"/victims/{victim.pk}/edit/").content.decode()
    response = client.post(
        f"/victims/{victim.pk}/edit/", {**INTAKE, "given_name": "Sreyleak", "birth_year": ""}
    )

    victim.refresh_from_db()
    assert 'value="true" class="form-check-input" id="id_consent_services_1" checked' in page
    assert response.status_code == 302
    assert (victim.given_name, victim.birth_year) == ("Sreyleak", None)


def test_given_bob_when_he_edits_alice_victim_then_404_and_unchanged(world, client, victim):
    client.force_login(world.users.bob)

    response = client.post(f"/victims/{victim.pk}/edit/", {**INTAKE, "given_name": "X"})

    victim.refresh_from_db()
    assert response.status_code == 404
    assert victim.given_name == "Srey"


def test_given_sixty_victims_when_page_size_grows_then_query_count_does_not(world, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    VictimFactory.create_batch(60, agency=world.agencies.dosvy_bmc)
    client.force_login(world.users.minister)
    client.get("/victims/")  # the session is loaded once

    counts = []
    for size in (5, 50):
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/victims/", {"page_size": size})
        counts.append((len(response.context["page"].items), len(captured)))

    assert counts[0][0] == 5 and counts[1][0] == 50
    assert counts[0][1] == counts[1][1]


def test_given_recent_and_old_follow_ups_when_home_opens_then_only_overdue_listed(world, client):
    import datetime as dt

    from django.utils import timezone

    today = timezone.localdate()
    case = CaseFactory(agency=world.agencies.dosvy_bmc, status="follow_up")
    seen_lately = VictimFactory(agency=world.agencies.dosvy_bmc, given_name="Recent")
    overdue = VictimFactory(agency=world.agencies.dosvy_bmc, given_name="Overdue")
    case.victims.add(seen_lately, overdue)
    FollowUpFactory(victim=seen_lately, agency=world.agencies.dosvy_bmc, date=today)
    FollowUpFactory(
        victim=overdue, agency=world.agencies.dosvy_bmc, date=today - dt.timedelta(days=200)
    )
    client.force_login(world.users.alice)

    due = list(client.get("/").context["follow_ups_due"])

    assert due == [overdue]
    assert due[0].last_follow_up == today - dt.timedelta(days=200)
