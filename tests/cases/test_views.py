"""Cases, operations and prosecutions in the browser, role by role."""

from __future__ import annotations

import pytest

from cases.models import (
    Case,
    CourtSubmission,
    Defendant,
    Operation,
    Prosecution,
    Rescue,
    Suspect,
)
from handovers.models import Handover
from tests.factories import (
    CaseFactory,
    OperationFactory,
    ProsecutionFactory,
    SuspectFactory,
    VictimFactory,
)
from victims.models import Victim


def _formset(prefix: str, rows: list[dict], extra_empty: int = 0) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows) + extra_empty),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
    for index in range(len(rows), len(rows) + extra_empty):
        data.update(
            {
                f"{prefix}-{index}-sex": "unknown",
                f"{prefix}-{index}-citizenship": "KHM",
                f"{prefix}-{index}-role": "other",
            }
        )
    return data


RAID = {
    "date": "2024-05-01",
    "kind": "raid",
    "province": "01",
    "notes": "Karaoke bar",
    **_formset(
        "rescues",
        [
            {"given_name": "Pov", "sex": "female", "birth_year": "2008", "placement": "dosvy"},
            {"name_khmer": "ស្រីនាង", "sex": "female", "placement": "ngo"},
        ],
    ),
    **_formset(
        "suspects",
        [{"given_name": "Dara", "sex": "male", "citizenship": "KHM", "role": "exploiter"}],
        extra_empty=1,
    ),
}


def _placed(world) -> dict:
    """The agencies that took the two rescued persons of RAID in."""
    return {
        "rescues-0-placed_with": str(world.agencies.dosvy_bmc.pk),
        "rescues-1-placed_with": str(world.agencies.afesip.pk),
    }


def test_given_police_when_raid_logged_then_operation_rescues_and_suspects_created(world, client):
    client.force_login(world.users.officer)

    response = client.post("/operations/new/", {**RAID, **_placed(world)})

    operation = Operation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/operations/{operation.pk}/"
    assert operation.agency == world.agencies.police
    assert sorted(Rescue.objects.values_list("placement", flat=True)) == ["dosvy", "ngo"]
    assert sorted(Victim.objects.values_list("agency__acronym", flat=True)) == [
        "AHTJP-BMC",
        "AHTJP-BMC",
    ]
    assert list(operation.suspects_detained.values_list("given_name", flat=True)) == ["Dara"]
    assert sorted(Handover.objects.values_list("to_agency__acronym", "kind", "status")) == [
        ("AFESIP", "rescue_placement", "pending"),
        ("DoSVY-BMC", "rescue_placement", "pending"),
    ]


def test_given_police_when_operation_form_opened_then_no_list_of_every_case(world, client):
    # A national unit sees hundreds of thousands of cases: the form asks for a reference.
    mine = OperationFactory(agency=world.agencies.police, case=CaseFactory()).case
    client.force_login(world.users.officer)

    page = client.get("/operations/new/").content.decode()

    assert 'name="case"' in page
    assert str(mine.pk) not in page


@pytest.mark.parametrize("typed", ["short", "full"])
def test_given_case_reference_when_operation_logged_then_linked_to_that_case(world, client, typed):
    mine = OperationFactory(agency=world.agencies.police, case=CaseFactory()).case
    client.force_login(world.users.officer)
    reference = str(mine.pk)[:8] if typed == "short" else str(mine.pk)

    response = client.post("/operations/new/", {**RAID, **_placed(world), "case": reference})

    assert response.status_code == 302
    assert Operation.objects.get(notes="Karaoke bar").case == mine


def test_given_case_outside_scope_when_operation_logged_then_error_and_nothing_saved(world, client):
    unseen = CaseFactory()  # no operation of the officer's unit: not in the police scope
    client.force_login(world.users.officer)
    before = Operation.objects.count()

    response = client.post(
        "/operations/new/", {**RAID, **_placed(world), "case": str(unseen.pk)[:8]}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["case"] == ["No case you may see has this reference."]
    assert (Operation.objects.count(), Victim.objects.count()) == (before, 0)


def test_given_dosvy_placement_without_agency_when_posted_then_error_and_nothing_saved(
    world, client
):
    client.force_login(world.users.officer)

    response = client.post(
        "/operations/new/", {**RAID, **_placed(world), "rescues-0-placed_with": ""}
    )

    assert response.status_code == 200
    assert response.context["rescues"].forms[0].errors["placed_with"] == [
        "Name the agency that took the person in."
    ]
    assert (Operation.objects.count(), Victim.objects.count(), Handover.objects.count()) == (
        0,
        0,
        0,
    )


def test_given_rescue_without_placement_when_posted_then_error_and_nothing_saved(world, client):
    client.force_login(world.users.officer)
    data = {**RAID, **_placed(world), "rescues-1-placement": ""}

    response = client.post("/operations/new/", data)

    assert response.status_code == 200
    assert response.context["rescues"].forms[1].errors["placement"] == ["This field is required."]
    assert (Operation.objects.count(), Victim.objects.count(), Suspect.objects.count()) == (0, 0, 0)
    assert "ស្រីនាង" in response.content.decode()


@pytest.mark.parametrize("persona", ["alice", "partner", "clerk", "analyst"])
def test_given_non_police_when_they_post_an_operation_then_refused_and_nothing(
    world, client, persona
):
    client.force_login(getattr(world.users, persona))

    response = client.post("/operations/new/", RAID)

    assert response.status_code == 403
    assert (Operation.objects.count(), Victim.objects.count()) == (0, 0)


def test_given_operations_of_two_units_when_police_list_then_only_their_own(world, client):
    mine = OperationFactory(agency=world.agencies.police)
    OperationFactory(agency=world.agencies.police_other)
    client.force_login(world.users.officer)

    response = client.get("/operations/")

    assert response.context["operations"] == [mine]


def test_given_other_unit_operation_when_opened_then_404(world, client):
    theirs = OperationFactory(agency=world.agencies.police_other)
    client.force_login(world.users.officer)

    assert client.get(f"/operations/{theirs.pk}/").status_code == 404


def test_given_alice_when_she_opens_a_case_from_a_victim_then_linked(world, client):
    victim = VictimFactory(agency=world.agencies.dosvy_bmc)
    client.force_login(world.users.alice)
    data = {
        "victim": str(victim.pk),
        "opened_on": "2024-01-02",
        "status": "active",
        "exploitation_types": ["forced_labour"],
        "countries_of_exploitation": ["THA"],
        **_formset(
            "suspects",
            [
                {
                    "given_name": "Keo",
                    "sex": "male",
                    "role": "recruiter_or_intermediary",
                    "citizenship": "KHM",
                }
            ],
        ),  # noqa: E501
    }

    response = client.post("/cases/new/", data)

    case = Case.objects.get()
    assert response.status_code == 302
    assert (case.agency, list(case.victims.all())) == (world.agencies.dosvy_bmc, [victim])
    assert list(case.suspects.values_list("given_name", flat=True)) == ["Keo"]
    assert case.countries_of_exploitation == ["THA"]


def test_given_bob_when_he_opens_case_for_alice_victim_then_victim_not_linked(world, client):
    victim = VictimFactory(agency=world.agencies.dosvy_bmc)
    client.force_login(world.users.bob)

    client.post(
        "/cases/new/",
        {
            "victim": str(victim.pk),
            "opened_on": "2024-01-02",
            "status": "active",
            "exploitation_types": ["servitude"],
            **_formset("suspects", []),
        },
    )

    assert list(Case.objects.get().victims.all()) == []


def test_given_clerk_when_prosecution_filed_with_case_reference_then_defendants_added(
    world, client
):
    case = CaseFactory(agency=world.agencies.dosvy_bmc)
    suspect = SuspectFactory()
    case.suspects.add(suspect)
    CourtSubmission.objects.create(case=case, court=world.agencies.court)  # sent to the court
    client.force_login(world.users.clerk)

    response = client.post(
        "/prosecutions/new/",
        {
            "court_case_number": "BMC-12/2024",
            "filed_on": "2024-06-01",
            "charges": "Art. 15",
            "case_reference": str(case.pk),
            "defendants": [str(suspect.pk)],
        },
    )

    prosecution = Prosecution.objects.get()
    assert response.status_code == 302
    assert (prosecution.court, prosecution.case) == (world.agencies.court, case)
    assert list(prosecution.defendants.values_list("suspect", flat=True)) == [suspect.pk]


def test_given_unknown_case_reference_when_filed_then_error_and_nothing(world, client):
    client.force_login(world.users.clerk)

    response = client.post(
        "/prosecutions/new/",
        {
            "court_case_number": "BMC-13/2024",
            "filed_on": "2024-06-01",
            "case_reference": "00000000-0000-0000-0000-000000000000",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["case_reference"] == ["No case has this reference."]
    assert Prosecution.objects.count() == 0


def test_given_defendant_when_clerk_records_conviction_then_saved(world, client):
    prosecution = ProsecutionFactory(court=world.agencies.court)
    defendant = Defendant.objects.create(prosecution=prosecution, suspect=SuspectFactory())
    client.force_login(world.users.clerk)
    prefix = f"d{defendant.pk}"

    client.post(
        f"/prosecutions/{prosecution.pk}/defendants/{defendant.pk}/verdict/",
        {
            f"{prefix}-verdict": "convicted",
            f"{prefix}-verdict_on": "2024-09-01",
            f"{prefix}-sentence_months": "60",
        },
    )

    defendant.refresh_from_db()
    assert (defendant.verdict, defendant.sentence_months) == ("convicted", 60)


def test_given_other_court_when_it_records_a_verdict_then_404_and_unchanged(world, client):
    prosecution = ProsecutionFactory(court=world.agencies.court)
    defendant = Defendant.objects.create(prosecution=prosecution, suspect=SuspectFactory())
    client.force_login(world.users.other_clerk)
    prefix = f"d{defendant.pk}"

    response = client.post(
        f"/prosecutions/{prosecution.pk}/defendants/{defendant.pk}/verdict/",
        {f"{prefix}-verdict": "acquitted", f"{prefix}-verdict_on": "2024-09-01"},
    )

    defendant.refresh_from_db()
    assert response.status_code == 404
    assert defendant.verdict == "pending"


def test_given_prosecutions_of_two_courts_when_clerk_lists_then_only_own(world, client):
    mine = ProsecutionFactory(court=world.agencies.court)
    ProsecutionFactory(court=world.agencies.court_other)
    client.force_login(world.users.clerk)

    assert client.get("/prosecutions/").context["prosecutions"] == [mine]


def test_given_conviction_without_date_when_posted_then_error_by_field_and_input_kept(
    world, client
):
    prosecution = ProsecutionFactory(court=world.agencies.court)
    defendant = Defendant.objects.create(prosecution=prosecution, suspect=SuspectFactory())
    client.force_login(world.users.clerk)
    prefix = f"d{defendant.pk}"

    response = client.post(
        f"/prosecutions/{prosecution.pk}/defendants/{defendant.pk}/verdict/",
        {f"{prefix}-verdict": "convicted", f"{prefix}-sentence_months": "48"},
    )

    defendant.refresh_from_db()
    form = response.context["defendants"][0][1]
    assert response.status_code == 400
    assert form.errors["verdict_on"] == ["Give the date of the verdict."]
    assert f'name="{prefix}-sentence_months" value="48"' in response.content.decode()
    assert defendant.verdict == "pending"


def test_given_case_when_alice_adds_her_victim_by_short_reference_then_linked(world, client):
    case = CaseFactory(agency=world.agencies.dosvy_bmc)
    victim = VictimFactory(agency=world.agencies.dosvy_bmc)
    client.force_login(world.users.alice)

    response = client.post(f"/cases/{case.pk}/victims/", {"reference": str(victim.pk)[:8]})

    assert response.status_code == 302
    assert list(case.victims.all()) == [victim]


def test_given_case_when_alice_adds_bobs_victim_then_error_and_not_linked(world, client):
    case = CaseFactory(agency=world.agencies.dosvy_bmc)
    theirs = VictimFactory(agency=world.agencies.dosvy_svr)
    client.force_login(world.users.alice)

    response = client.post(f"/cases/{case.pk}/victims/", {"reference": str(theirs.pk)})

    assert response.status_code == 400
    assert response.context["victim_form"].errors["reference"] == [
        "No victim of yours has this name or reference."
    ]
    assert case.victims.count() == 0


def test_given_case_of_alice_when_bob_adds_a_suspect_then_404_and_nothing(world, client):
    case = CaseFactory(agency=world.agencies.dosvy_bmc)
    client.force_login(world.users.bob)

    response = client.post(
        f"/cases/{case.pk}/suspects/",
        {"suspect-given_name": "Keo", "suspect-sex": "male", "suspect-role": "buyer"},
    )

    assert response.status_code == 404
    assert (case.suspects.count(), Suspect.objects.count()) == (0, 0)


def test_given_case_when_alice_adds_a_suspect_then_created_and_linked(world, client):
    case = CaseFactory(agency=world.agencies.dosvy_bmc)
    client.force_login(world.users.alice)

    client.post(
        f"/cases/{case.pk}/suspects/",
        {"suspect-given_name": "Keo", "suspect-sex": "male", "suspect-role": "buyer"},
    )

    assert list(case.suspects.values_list("given_name", "role")) == [("Keo", "buyer")]


def test_given_case_with_victims_when_opened_then_each_shown_victim_read_audited(world, client):
    from ctms.models import AuditEvent

    case = CaseFactory(agency=world.agencies.dosvy_bmc)
    victims = VictimFactory.create_batch(2, agency=world.agencies.dosvy_bmc)
    case.victims.add(*victims)
    client.force_login(world.users.alice)

    client.get(f"/cases/{case.pk}/")

    audited = AuditEvent.objects.filter(action="view", object_type="victim", actor_username="alice")
    assert sorted(audited.values_list("object_id", flat=True)) == sorted(str(v.pk) for v in victims)


def test_given_a_raid_with_hundreds_rescued_when_logged_then_all_recorded(world, client):
    client.force_login(world.users.officer)
    rows = [{"given_name": f"P{n}", "sex": "female", "placement": "family"} for n in range(250)]
    data = {**RAID, **_formset("rescues", rows)}

    response = client.post("/operations/new/", data)

    assert response.status_code == 302
    assert Rescue.objects.count() == 250


def test_given_more_rows_than_the_form_takes_when_posted_then_said_and_nothing_saved(world, client):
    client.force_login(world.users.officer)
    rows = [{"given_name": f"P{n}", "sex": "female", "placement": "family"} for n in range(301)]
    data = {**RAID, **_formset("rescues", rows)}

    response = client.post("/operations/new/", data)

    assert response.status_code == 200
    assert response.context["rescues"].non_form_errors()
    assert (Operation.objects.count(), Victim.objects.count()) == (0, 0)
    assert 'value="P300"' in response.content.decode()
