"""The main journeys, in a real browser on a phone-sized screen."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from cases.models import Operation
from referrals.models import Referral
from victims.models import Victim

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _csp_violations(page) -> list[str]:
    """Console errors from the Content-Security-Policy: htmx, Bootstrap and our scripts must
    work under it."""
    return [text for text in page.console_errors if "Content Security Policy" in text]


def test_case_worker_takes_in_and_refers_partner_accepts_other_agency_gets_404(
    world, page, live_server, sign_in, shoot, pick_agency
):
    # Given alice, a DoSVY case worker, on the intake form
    sign_in(page, "alice")
    shoot(page, "home-case-worker")
    page.goto(f"{live_server.url}/victims/new/")
    # When she takes in a person, picking the home place through the gazetteer pickers
    page.fill("#id_name_khmer", "ចាន់ សុភា")
    page.fill("#id_given_name", "Sophea")
    page.fill("#id_family_name", "Chan")
    page.select_option("#id_sex", "female")
    page.fill("#id_birth_year", "2006")
    page.select_option("#id_home_province", "01")
    page.wait_for_selector("#id_home_district option[value='0102']", state="attached")
    page.select_option("#id_home_district", "0102")
    page.wait_for_selector("#id_home_commune option[value='010201']", state="attached")
    page.select_option("#id_home_commune", "010201")
    page.check("#id_consent_services_1")
    page.check("#id_consent_data_sharing_1")
    shoot(page, "intake-form")
    page.click("button[type=submit]:has-text('Save')")
    page.wait_for_url(re.compile(r"/victims/[0-9a-f-]{36}/$"))
    victim = Victim.objects.get()
    assert (victim.agency, victim.home_commune, victim.birth_year) == (
        world.agencies.dosvy_bmc,
        "010201",
        2006,
    )
    assert page.locator("#timeline [data-kind=intake]").count() == 1
    shoot(page, "victim-profile")
    page.goto(f"{live_server.url}/victims/?q=sophea")
    assert page.locator("main table tbody tr").count() == 1
    shoot(page, "victim-list")
    page.goto(f"{live_server.url}/victims/{victim.pk}/")
    # And refers her: ticking a service reloads the partner chooser (htmx)
    page.click("text=Refer to a partner")
    page.check("input[name=services_requested][value=psychosocial]")
    # "—" and AFESIP only: Hagar offers no psychosocial support. (Not wait_for_function: the
    # Content-Security-Policy forbids the eval it relies on, as it should.)
    expect(page.locator("#id_to_agency option")).to_have_count(2)
    pick_agency(page, "#id_to_agency", "AFESIP")
    shoot(page, "referral-form")
    page.click("button[type=submit]:has-text('Send the referral')")
    page.wait_for_url(re.compile(r"/referrals/[0-9a-f-]{36}/$"))
    referral = Referral.objects.get()
    assert referral.status == "pending"

    # Then the partner sees only a summary, accepts, and sees who she is
    page.context.clear_cookies()
    sign_in(page, "partner")
    shoot(page, "home-partner")
    page.goto(f"{live_server.url}/referrals/{referral.pk}/")
    assert "Sophea" not in page.content()
    assert "Banteay Meanchey" in page.inner_text("main")
    page.click("button:has-text('Accept')")
    page.wait_for_selector("text=Referral accepted.")
    assert "Sophea" in page.inner_text("main")
    shoot(page, "referral-accepted")
    referral.refresh_from_db()
    assert referral.status == "accepted"

    # And a case worker of another department gets a plain 404 for her page
    page.context.clear_cookies()
    sign_in(page, "bob")
    response = page.goto(f"{live_server.url}/victims/{victim.pk}/")
    assert response.status == 404
    assert "Sophea" not in page.content()
    shoot(page, "not-found")
    assert _csp_violations(page) == []


def test_police_log_a_raid_with_two_rescued_victims(
    world, page, live_server, sign_in, shoot, pick_agency
):
    # Given an officer on the one operation form
    sign_in(page, "officer")
    page.goto(f"{live_server.url}/operations/new/")
    # When they log a raid with two persons rescued and one suspect
    page.fill("#id_date", "2024-05-01")
    page.select_option("#id_kind", "raid")
    page.select_option("#id_province", "01")
    page.fill("#id_rescues-0-given_name", "Pov")
    page.select_option("#id_rescues-0-sex", "female")
    page.select_option("#id_rescues-0-placement", "dosvy")
    pick_agency(page, "#id_rescues-0-placed_with", "DoSVY-BMC")
    page.click("button:has-text('Add a rescued person')")  # the second row comes from the JS
    page.fill("#id_rescues-1-name_khmer", "ស្រីនាង")
    page.select_option("#id_rescues-1-sex", "female")
    page.select_option("#id_rescues-1-placement", "ngo")
    pick_agency(page, "#id_rescues-1-placed_with", "AFESIP")
    page.fill("#id_suspects-0-given_name", "Dara")
    page.select_option("#id_suspects-0-role", "exploiter")
    shoot(page, "operation-form")
    page.click("button[type=submit]:has-text('Save the operation')")
    page.wait_for_url(re.compile(r"/operations/[0-9a-f-]{36}/$"))
    # Then the operation, its two rescues and the suspect are recorded for their unit
    operation = Operation.objects.get()
    assert operation.agency == world.agencies.police
    assert sorted(operation.rescues.values_list("placement", flat=True)) == ["dosvy", "ngo"]
    assert page.locator("#rescues tbody tr").count() == 2
    shoot(page, "operation-detail")
    page.goto(f"{live_server.url}/operations/")
    assert page.locator("main table tbody tr").count() == 1
    shoot(page, "operation-list")
    assert _csp_violations(page) == []


def test_khmer_page_renders(world, page, live_server, sign_in, shoot, compiled_messages):
    # Given a signed-in case worker
    sign_in(page, "alice")
    # When she switches the interface to Khmer
    page.click("#language-switch button[value=km]")
    page.wait_for_selector("html[lang=km]")
    # Then the page speaks Khmer, in the Khmer font
    main = page.inner_text("body")
    assert "ករណីបើកចំហរបស់ខ្ញុំ" in main  # "My open cases"
    assert "ទទួលបុគ្គលថ្មី" in main  # "Take in a person"
    font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "Noto Sans Khmer" in font
    shoot(page, "home-khmer")
    page.goto(f"{live_server.url}/victims/new/")
    assert "ការយល់ព្រម" in page.inner_text("main")  # "Consent"
    shoot(page, "intake-form-khmer")


def test_court_clerk_files_a_prosecution_and_records_a_verdict(
    world, page, live_server, sign_in, shoot
):
    from cases.models import Case, Defendant
    from cases.services import case_send_to_court
    from tests.factories import CaseFactory, SuspectFactory

    # Given a case with a suspect, sent by its owner to the court with its reference
    case = CaseFactory(agency=world.agencies.dosvy_bmc)
    case.suspects.add(SuspectFactory(given_name="Dara", family_name="Keo"))
    case_send_to_court(user=world.users.alice, case_id=case.pk, court=world.agencies.court)
    sign_in(page, "clerk")
    page.goto(f"{live_server.url}/prosecutions/new/")
    # When the clerk types the reference, the case's suspects are offered as defendants (htmx)
    page.fill("#id_court_case_number", "BMC-7/2024")
    page.fill("#id_filed_on", "2024-06-03")  # the verdict below must not precede the filing
    page.fill("#id_case_reference", str(case.pk))
    page.locator("#id_case_reference").blur()
    page.wait_for_selector("text=Dara Keo")
    page.check("input[name=defendants]")
    shoot(page, "prosecution-form")
    page.click("button[type=submit]:has-text('Save')")
    page.wait_for_url(re.compile(r"/prosecutions/[0-9a-f-]{36}/$"))
    # And records the conviction
    page.select_option("select[name$=-verdict]", "convicted")
    page.fill("input[name$=-verdict_on]", "2024-09-01")
    page.fill("input[name$=-sentence_months]", "60")
    page.click("button:has-text('Record the verdict')")
    page.wait_for_selector("text=The verdict has been recorded.")
    shoot(page, "prosecution-detail")
    # Then the prosecution and the verdict are stored for the clerk's court
    defendant = Defendant.objects.get()
    assert (defendant.prosecution.court, defendant.prosecution.case) == (
        world.agencies.court,
        Case.objects.get(),
    )
    assert (defendant.verdict, defendant.sentence_months) == ("convicted", 60)
    assert _csp_violations(page) == []
