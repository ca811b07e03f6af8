"""Issue 13, item 2 and 6: operations and prosecutions edited in the browser (each by the
agency that owns it; everybody else refused with nothing changed), their change history, and
the prosecution form's case picker (short reference or name, among cases sent to the court)."""

from __future__ import annotations

import datetime as dt

import pytest

from cases.models import Case, CourtSubmission, Defendant, Operation, Prosecution, Rescue
from ctms.models import AuditEvent
from handovers.models import Handover
from tests.factories import (
    CaseFactory,
    OperationFactory,
    ProsecutionFactory,
    RescueFactory,
    SuspectFactory,
    VictimFactory,
)


def _empty(prefix: str) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": "0",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def _rows(prefix: str, rows: list[dict]) -> dict:
    data = {**_empty(prefix), f"{prefix}-TOTAL_FORMS": str(len(rows))}
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
    return data


def _updates(model, pk) -> int:
    return AuditEvent.objects.filter(
        object_type=model._meta.model_name, object_id=str(pk), action="update"
    ).count()


@pytest.fixture
def operation(world):
    case = CaseFactory(agency=world.agencies.dosvy_bmc)
    operation = OperationFactory(agency=world.agencies.police, case=case, notes="Night raid.")
    operation.suspects_detained.add(SuspectFactory(agency=world.agencies.police))
    RescueFactory(
        operation=operation,
        victim=VictimFactory(agency=world.agencies.police, given_name="Srey"),
        placement="family",
    )
    return operation


def _operation_post(**changes) -> dict:
    return {
        "date": "2010-03-02",
        "kind": "rescue",
        "province": "01",
        "case": "",
        "notes": "Night raid, two houses.",
        **_empty("suspects"),
        **_empty("rescues"),
        **changes,
    }


@pytest.mark.parametrize("persona", ["officer", "admin"])
def test_the_unit_that_logged_an_operation_edits_it_and_the_page_shows_the_change(
    world, client, operation, persona
):
    client.force_login(getattr(world.users, persona))

    page = client.get(f"/operations/{operation.pk}/edit/")
    assert page.status_code == 200
    assert "Srey" in page.content.decode()  # the persons already rescued are listed
    response = client.post(
        f"/operations/{operation.pk}/edit/", _operation_post(case=str(operation.case_id))
    )

    assert response.status_code == 302
    operation.refresh_from_db()
    assert (operation.kind, operation.province, operation.notes) == (
        "rescue",
        "01",
        "Night raid, two houses.",
    )
    detail = client.get(f"/operations/{operation.pk}/").content.decode()
    assert "The operation has been saved." in detail
    assert "Night raid, two houses." in detail
    history = detail[detail.index('id="history"') :]
    assert "Raid" in history and "Rescue" in history  # old and new kind in the history


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("alice", 403),
        ("other_officer", 404),
        ("partner", 403),
        ("clerk", 403),
        ("analyst", 403),
    ],
)
def test_nobody_else_edits_an_operation_and_nothing_changes(
    world, client, operation, persona, status
):
    client.force_login(getattr(world.users, persona))
    post = _operation_post(
        **_rows("suspects", [{"given_name": "Intruder", "sex": "male", "role": "other"}])
    )

    assert client.get(f"/operations/{operation.pk}/edit/").status_code == status
    assert client.post(f"/operations/{operation.pk}/edit/", post).status_code == status

    operation.refresh_from_db()
    assert (operation.kind, operation.notes) == ("raid", "Night raid.")
    assert operation.suspects_detained.count() == 1
    assert _updates(Operation, operation.pk) == 0


def test_an_edit_adds_suspects_and_rescued_people_and_takes_off_a_suspect_logged_by_mistake(
    world, client, operation
):
    wrong = operation.suspects_detained.get()
    client.force_login(world.users.officer)
    post = _operation_post(
        case=str(operation.case_id),
        released=[str(wrong.pk)],
        **_rows("suspects", [{"given_name": "Vuthy", "sex": "male", "role": "other"}]),
        **_rows(
            "rescues",
            [
                {
                    "given_name": "Kanha",
                    "sex": "female",
                    "placement": "dosvy",
                    "placed_with": str(world.agencies.dosvy_bmc.pk),
                }
            ],
        ),
    )

    response = client.post(f"/operations/{operation.pk}/edit/", post)

    assert response.status_code == 302
    assert [s.given_name for s in operation.suspects_detained.all()] == ["Vuthy"]
    assert wrong.__class__.objects.filter(pk=wrong.pk).exists()  # the record stays
    rescue = Rescue.objects.get(operation=operation, victim__given_name="Kanha")
    # placed like the first ones: a pending hand-over to the department, linked to the case
    assert Handover.objects.filter(victim=rescue.victim, to_agency=world.agencies.dosvy_bmc)
    assert operation.case.victims.filter(pk=rescue.victim_id).exists()
    assert operation.case.suspects.filter(given_name="Vuthy").exists()
    event = AuditEvent.objects.get(object_id=str(operation.pk), action="update")
    assert event.details["changed"]["suspects_detained"]["removed"] == [str(wrong.pk)]
    assert len(event.details["changed"]["persons_rescued"]["added"]) == 1


def test_an_operation_moved_before_a_rescued_persons_birth_is_refused_at_the_date(
    world, client, operation
):
    rescue = operation.rescues.get()
    rescue.victim.birth_year, rescue.victim.date_of_birth = None, dt.date(2009, 1, 1)
    rescue.victim.save()
    client.force_login(world.users.officer)

    response = client.post(f"/operations/{operation.pk}/edit/", _operation_post(date="2008-06-01"))

    assert response.status_code == 400
    assert response.context["form"].errors["date"]
    operation.refresh_from_db()
    assert operation.date == dt.date(2010, 3, 2)


def test_a_rescue_s_own_placement_rule_does_not_block_correcting_the_operation(
    world, client, operation
):
    # A rescue recorded before the placement rules (placed with the family, yet with an agency)
    rescue = operation.rescues.get()
    Rescue.objects.filter(pk=rescue.pk).update(
        placement="family", placed_with=world.agencies.dosvy_bmc
    )
    client.force_login(world.users.officer)

    response = client.post(
        f"/operations/{operation.pk}/edit/", _operation_post(notes="Raid at dawn.")
    )

    assert response.status_code == 302
    operation.refresh_from_db()
    assert operation.notes == "Raid at dawn."


@pytest.fixture
def filed(world):
    """A case sent to BMC-Court with two suspects, and a prosecution filed on it with one of
    them as defendant (still pending)."""
    case = CaseFactory(agency=world.agencies.dosvy_bmc)
    first, second = SuspectFactory(given_name="Sovann"), SuspectFactory(given_name="Piseth")
    case.suspects.add(first, second)
    CourtSubmission.objects.create(case=case, court=world.agencies.court)
    prosecution = ProsecutionFactory(
        court=world.agencies.court, case=case, filed_on=dt.date(2010, 5, 1)
    )
    defendant = Defendant.objects.create(prosecution=prosecution, suspect=first)
    return prosecution, defendant, second


def _prosecution_post(prosecution, defendants, **changes) -> dict:
    """The edit form as the browser sends it: every defendant's verdict row as it stands,
    unless `changes` says otherwise."""
    rows = {}
    for defendant in prosecution.defendants.all():
        rows[f"d{defendant.pk}-verdict"] = defendant.verdict
        rows[f"d{defendant.pk}-verdict_on"] = str(defendant.verdict_on or "")
        rows[f"d{defendant.pk}-sentence_months"] = str(defendant.sentence_months or "")
    return {
        **rows,
        "court_case_number": "PP-77/2010",
        "filed_on": "2010-05-02",
        "charges": "Article 15.",
        "case_reference": str(prosecution.case_id)[:8],
        "defendants": [str(s.pk) for s in defendants],
        **changes,
    }


@pytest.mark.parametrize("persona", ["clerk", "admin"])
def test_the_court_edits_its_prosecution_adds_a_defendant_and_changes_a_verdict_with_history(
    world, client, filed, persona
):
    prosecution, defendant, second = filed
    client.force_login(getattr(world.users, persona))
    prefix = f"d{defendant.pk}"

    assert client.get(f"/prosecutions/{prosecution.pk}/edit/").status_code == 200
    response = client.post(
        f"/prosecutions/{prosecution.pk}/edit/",
        _prosecution_post(
            prosecution,
            [defendant.suspect, second],
            **{f"{prefix}-verdict": "convicted", f"{prefix}-verdict_on": "2010-09-01"},
        ),
    )
    assert response.status_code == 302
    # an appeal: the verdict changes again, and both are kept in the history
    response = client.post(
        f"/prosecutions/{prosecution.pk}/edit/",
        _prosecution_post(
            prosecution,
            [defendant.suspect, second],
            **{f"{prefix}-verdict": "acquitted", f"{prefix}-verdict_on": "2011-02-01"},
        ),
    )
    assert response.status_code == 302

    prosecution.refresh_from_db()
    assert (prosecution.court_case_number, prosecution.filed_on) == (
        "PP-77/2010",
        dt.date(2010, 5, 2),
    )
    assert set(prosecution.defendants.values_list("suspect__given_name", flat=True)) == {
        "Sovann",
        "Piseth",
    }
    defendant.refresh_from_db()
    assert defendant.verdict == "acquitted"
    verdicts = AuditEvent.objects.filter(object_type="defendant", object_id=str(defendant.pk))
    assert [e.details["verdict"] for e in verdicts.order_by("at", "id")] == [
        "convicted",
        "acquitted",
    ]
    page = client.get(f"/prosecutions/{prosecution.pk}/").content.decode()
    history = page[page.index('id="history"') :]
    assert "Convicted" in history and "Acquitted" in history and "PP-77/2010" in history


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("alice", 403),
        ("officer", 403),
        ("partner", 403),
        ("other_clerk", 404),
        ("analyst", 403),
    ],
)
def test_nobody_else_edits_a_prosecution_and_nothing_changes(world, client, filed, persona, status):
    prosecution, defendant, second = filed
    client.force_login(getattr(world.users, persona))
    post = _prosecution_post(
        prosecution,
        [defendant.suspect, second],
        **{f"d{defendant.pk}-verdict": "convicted", f"d{defendant.pk}-verdict_on": "2010-09-01"},
    )

    assert client.get(f"/prosecutions/{prosecution.pk}/edit/").status_code == status
    assert client.post(f"/prosecutions/{prosecution.pk}/edit/", post).status_code == status

    prosecution.refresh_from_db()
    defendant.refresh_from_db()
    assert prosecution.court_case_number != "PP-77/2010"
    assert prosecution.defendants.count() == 1
    assert defendant.verdict == "pending"
    assert _updates(Prosecution, prosecution.pk) == 0


def test_a_verdict_row_that_breaks_a_rule_saves_nothing_and_says_so_at_the_field(
    world, client, filed
):
    prosecution, defendant, second = filed
    client.force_login(world.users.clerk)

    response = client.post(
        f"/prosecutions/{prosecution.pk}/edit/",
        _prosecution_post(
            prosecution,
            [defendant.suspect, second],
            **{
                f"d{defendant.pk}-verdict": "convicted",
                f"d{defendant.pk}-verdict_on": "2010-01-01",
            },
        ),
    )

    assert response.status_code == 400
    row = response.context["verdicts"][0][1]
    assert row.errors["verdict_on"] == ["The verdict cannot come before the prosecution was filed."]
    prosecution.refresh_from_db()
    assert prosecution.court_case_number != "PP-77/2010"  # nothing of the form was kept
    assert prosecution.defendants.count() == 1


def test_a_defendant_with_a_verdict_cannot_be_dropped_and_a_filing_cannot_follow_a_verdict(
    world, client, filed
):
    prosecution, defendant, _second = filed
    Defendant.objects.filter(pk=defendant.pk).update(
        verdict="convicted", verdict_on=dt.date(2010, 9, 1)
    )
    client.force_login(world.users.clerk)

    dropped = client.post(
        f"/prosecutions/{prosecution.pk}/edit/", _prosecution_post(prosecution, [])
    )
    late = client.post(
        f"/prosecutions/{prosecution.pk}/edit/",
        _prosecution_post(prosecution, [defendant.suspect], filed_on="2010-10-01"),
    )

    assert dropped.status_code == 400
    assert "has a verdict and stays a defendant" in dropped.context["form"].errors["defendants"][0]
    assert late.status_code == 400
    assert late.context["form"].errors["filed_on"] == [
        "The verdict cannot come before the prosecution was filed."
    ]
    assert Defendant.objects.filter(pk=defendant.pk).exists()
    prosecution.refresh_from_db()
    assert prosecution.filed_on == dt.date(2010, 5, 1)


def test_the_case_picker_finds_sent_cases_by_short_reference_or_name_only(world, client, filed):
    prosecution, defendant, _second = filed
    sent = prosecution.case
    not_sent = CaseFactory(agency=world.agencies.dosvy_bmc)
    not_sent.suspects.add(SuspectFactory(given_name="Sovann"))
    client.force_login(world.users.clerk)

    by_reference = client.get(
        "/prosecutions/cases/pick/", {"case_reference": str(sent.pk)[:6]}
    ).content.decode()
    by_name = client.get("/prosecutions/cases/pick/", {"case_reference": "sovann"}).content.decode()

    assert f'value="{str(sent.pk)[:8]}"' in by_reference
    assert f'value="{str(sent.pk)[:8]}"' in by_name
    assert str(not_sent.pk)[:8] not in by_name  # same suspect name, not sent to this court
    other = client.get("/prosecutions/cases/pick/", {"case_reference": "sovann"})
    client.force_login(world.users.other_clerk)
    assert (
        str(sent.pk)[:8]
        not in client.get(
            "/prosecutions/cases/pick/", {"case_reference": "sovann"}
        ).content.decode()
    )
    assert other.status_code == 200


@pytest.mark.parametrize("persona", ["alice", "officer", "partner", "analyst"])
def test_only_courts_use_the_case_picker(world, client, filed, persona):
    client.force_login(getattr(world.users, persona))
    assert client.get("/prosecutions/cases/pick/", {"case_reference": "sovann"}).status_code == 403


def test_a_prosecution_is_filed_with_the_short_reference_the_pages_show(world, client, filed):
    prosecution, _defendant, second = filed
    client.force_login(world.users.clerk)

    response = client.post(
        "/prosecutions/new/",
        {
            "court_case_number": "PP-78/2010",
            "filed_on": "2010-06-01",
            "case_reference": str(prosecution.case_id)[:8],
            "defendants": [str(second.pk)],
        },
    )

    assert response.status_code == 302
    new = Prosecution.objects.get(court_case_number="PP-78/2010")
    assert new.case_id == prosecution.case_id
    assert [d.suspect_id for d in new.defendants.all()] == [second.pk]


def test_a_short_reference_of_a_case_not_sent_to_the_court_reads_as_unknown(world, client):
    case = CaseFactory(agency=world.agencies.dosvy_bmc)
    client.force_login(world.users.clerk)

    response = client.post(
        "/prosecutions/new/",
        {
            "court_case_number": "PP-79/2010",
            "filed_on": "2010-06-01",
            "case_reference": str(case.pk)[:8],
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["case_reference"] == ["No case has this reference."]
    assert not Prosecution.objects.exists()
    assert Case.objects.count() == 1
