"""Editing and closing a case in the browser; its change history; the exploitation-type rule."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from cases.models import Case
from ctms.models import AuditEvent
from tests.factories import CaseFactory, OperationFactory, VictimFactory

EDIT = {
    "opened_on": "2010-03-01",
    "status": "follow_up",
    "exploitation_types": ["forced_labour", "sexual_exploitation"],
    "labour_sectors": ["fishing", "construction"],
    "sexual_exploitation_types": ["prostitution"],
    "means_of_control": ["debt_bondage", "withholds_documents"],
    "cross_border": "on",
    "countries_of_exploitation": ["THA"],
    "recruitment_method": "",
    "recruiter_relation": "friend",
    "notes": "",
}
CLOSE = {"status": "closed", "closed_on": "2010-06-30", "closure_reason": "Reintegrated."}


@pytest.fixture
def case(world):
    return CaseFactory(agency=world.agencies.dosvy_bmc)


def test_given_owner_when_case_edited_then_every_spec_field_saved_and_in_history(
    world, client, case
):
    client.force_login(world.users.alice)

    response = client.post(f"/cases/{case.pk}/edit/", EDIT)

    assert response.status_code == 302
    case.refresh_from_db()
    assert (
        case.status,
        case.labour_sectors,
        case.sexual_exploitation_types,
        case.means_of_control,
        case.recruiter_relation,
        case.cross_border,
    ) == (
        "follow_up",
        ["fishing", "construction"],
        ["prostitution"],
        ["debt_bondage", "withholds_documents"],
        "friend",
        True,
    )
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "The case has been saved." in page
    assert "Debt bondage" in page and "Fishing" in page and "Friend" in page
    history = page[page.index('id="history"') :]
    assert "alice" in history
    assert '<del class="text-muted">Active</del> → Follow-up' in history


def test_given_owner_when_case_closed_with_reason_then_closed_and_reopenable(world, client, case):
    client.force_login(world.users.alice)

    response = client.post(f"/cases/{case.pk}/close/", CLOSE)

    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.closed_on, case.closure_reason) == (
        "closed",
        dt.date(2010, 6, 30),
        "Reintegrated.",
    )
    assert "The case has been closed." in client.get(f"/cases/{case.pk}/").content.decode()
    # reopening clears the closing date and reason
    client.post(f"/cases/{case.pk}/edit/", {**EDIT, "status": "active"})
    case.refresh_from_db()
    assert (case.status, case.closed_on, case.closure_reason) == ("active", None, "")


def test_given_close_without_reason_or_before_opening_then_400_and_nothing_changes(
    world, client, case
):
    client.force_login(world.users.alice)

    no_reason = client.post(f"/cases/{case.pk}/close/", {**CLOSE, "closure_reason": ""})
    too_early = client.post(f"/cases/{case.pk}/close/", {**CLOSE, "closed_on": "2009-01-01"})

    assert (no_reason.status_code, too_early.status_code) == (400, 400)
    assert 'id="id_closure_reason_errors"' in no_reason.content.decode()
    case.refresh_from_db()
    assert (case.status, case.closed_on) == ("active", None)


@pytest.mark.parametrize(
    ("persona", "status"),
    [("bob", 404), ("officer", 403), ("partner", 403), ("clerk", 403), ("analyst", 403)],
)
@pytest.mark.parametrize("action", ["edit", "close"])
def test_given_not_owner_when_editing_or_closing_then_refused_and_nothing_changes(
    world, client, case, persona, status, action
):
    OperationFactory(agency=world.agencies.police, case=case)  # the officer may read it
    client.force_login(getattr(world.users, persona))
    writes = AuditEvent.objects.filter(object_id=str(case.pk)).count()

    get = client.get(f"/cases/{case.pk}/{action}/")
    post = client.post(f"/cases/{case.pk}/{action}/", EDIT if action == "edit" else CLOSE)

    assert (get.status_code, post.status_code) == (status, status)
    case.refresh_from_db()
    assert (case.status, case.labour_sectors) == ("active", [])
    assert AuditEvent.objects.filter(object_id=str(case.pk)).count() == writes


def test_given_case_without_exploitation_type_then_form_error_and_no_case(world, client):
    client.force_login(world.users.alice)

    response = client.post(
        "/cases/new/",
        {
            **{k: v for k, v in EDIT.items() if k != "exploitation_types"},
            "status": "active",
            "suspects-TOTAL_FORMS": "0",
            "suspects-INITIAL_FORMS": "0",
        },
    )

    assert "A case needs at least one form of exploitation." in response.content.decode()
    assert Case.objects.count() == 0


def test_given_only_a_formset_row_wrong_then_banner_says_so(world, client):
    client.force_login(world.users.alice)

    response = client.post(
        "/cases/new/",
        {
            **EDIT,
            "status": "active",
            "suspects-TOTAL_FORMS": "1",
            "suspects-INITIAL_FORMS": "0",
            "suspects-0-given_name": "Dara",
            "suspects-0-sex": "male",
            "suspects-0-role": "exploiter",
            "suspects-0-birth_year": "1700",
        },
    )

    assert "Please correct the rows marked below." in response.content.decode()
    assert Case.objects.count() == 0


def test_given_a_name_typed_then_picker_offers_own_victims_by_short_reference(world, client, case):
    mine = VictimFactory(agency=world.agencies.dosvy_bmc, given_name="Sophea", family_name="Chan")
    VictimFactory(agency=world.agencies.dosvy_svr, given_name="Sophea", family_name="Keo")
    client.force_login(world.users.alice)

    response = client.get(f"/cases/{case.pk}/victims/pick/", {"reference": "soph"})

    assert response.status_code == 200
    options = re.findall(r'<option value="([0-9a-f]{8})">([^<·]+)', response.content.decode())
    assert options == [(str(mine.pk)[:8], "Sophea Chan ")]
    assert AuditEvent.objects.filter(action="view", object_id=str(mine.pk)).count() == 1


def test_given_short_reference_or_unique_name_then_victim_added(world, client, case):
    first = VictimFactory(agency=world.agencies.dosvy_bmc, given_name="Sophea", family_name="Chan")
    second = VictimFactory(agency=world.agencies.dosvy_bmc, given_name="Dara", family_name="Keo")
    client.force_login(world.users.alice)

    by_reference = client.post(f"/cases/{case.pk}/victims/", {"reference": str(first.pk)[:8]})
    by_name = client.post(f"/cases/{case.pk}/victims/", {"reference": "dara keo"})

    assert (by_reference.status_code, by_name.status_code) == (302, 302)
    assert set(case.victims.all()) == {first, second}


@pytest.mark.parametrize(("persona", "status"), [("bob", 404), ("officer", 403), ("clerk", 403)])
def test_given_not_owner_then_picker_refused(world, client, case, persona, status):
    VictimFactory(agency=world.agencies.dosvy_bmc, given_name="Sophea")
    client.force_login(getattr(world.users, persona))

    response = client.get(f"/cases/{case.pk}/victims/pick/", {"reference": "soph"})

    assert response.status_code == status
    assert "Sophea" not in response.content.decode()
