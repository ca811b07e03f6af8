"""Issue 13, items 2, 3, 4 and 6 in a real browser: a police unit corrects its operation, a
court files a prosecution through the case picker and corrects it (a verdict changed with its
history), a department corrects an activity (a rule broken is said at the field); at 1280 px
and 375 px, in English and Khmer."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from cases.models import CourtSubmission, Defendant, Operation, Prosecution
from reports.models import Activity
from tests.browser.test_records_ui import SCREENS, doc_shot, fits_the_screen, login, screen
from tests.factories import (
    ActivityFactory,
    CaseFactory,
    OperationFactory,
    RescueFactory,
    SuspectFactory,
    VictimFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["login", "screen"]  # fixtures shared with the other journeys of issue 13


@pytest.mark.parametrize("screen", SCREENS, indirect=True)
def test_a_police_unit_corrects_its_operation_and_adds_a_rescued_person(
    world, screen, live_server, login
):
    page = screen
    case = CaseFactory(agency=world.agencies.dosvy_bmc)
    operation = OperationFactory(agency=world.agencies.police, case=case, notes="Night raid.")
    mistaken = SuspectFactory(agency=world.agencies.police, given_name="Mistaken")
    operation.suspects_detained.add(mistaken)
    RescueFactory(
        operation=operation,
        victim=VictimFactory(agency=world.agencies.police, given_name="Srey"),
        placement="family",
    )
    login(page, world.users.officer)

    # Given the operation's page, the unit opens its form again, filled in
    page.goto(f"{live_server.url}/operations/{operation.pk}/")
    page.click("main a[href$='/edit/']")
    page.wait_for_url(re.compile(r"/operations/[0-9a-f-]{36}/edit/$"))
    expect(page.locator("#id_notes")).to_have_value("Night raid.")
    expect(page.locator("#rescued li")).to_have_count(1)
    # When it corrects the notes, takes off the suspect logged by mistake, adds a person
    page.fill("#id_notes", "Night raid, two houses.")
    page.check(f"input[name=released][value='{mistaken.pk}']")
    page.fill("#id_rescues-0-given_name", "Kanha")
    page.select_option("#id_rescues-0-sex", "female")
    page.select_option("#id_rescues-0-placement", "family")
    assert fits_the_screen(page)
    doc_shot(page, "operation-edit")
    page.click("main form button.btn-primary")
    # Then the operation's page says so, and its history names the officer
    page.wait_for_url(re.compile(r"/operations/[0-9a-f-]{36}/$"))
    expect(page.locator("main .alert-success")).to_be_visible()
    expect(page.locator("#rescues tbody tr")).to_have_count(2)
    expect(page.locator("#history li[data-action]").first).to_contain_text("officer")
    operation.refresh_from_db()
    assert operation.notes == "Night raid, two houses."
    assert not operation.suspects_detained.exists()
    assert operation.rescues.count() == 2
    assert fits_the_screen(page)
    assert not page.console_errors


@pytest.mark.parametrize("screen", SCREENS, indirect=True)
def test_a_court_finds_the_case_by_name_files_and_then_corrects_a_verdict(
    world, screen, live_server, login
):
    page = screen
    case = CaseFactory(agency=world.agencies.dosvy_bmc)
    suspect = SuspectFactory(given_name="Sovann", family_name="Chea")
    case.suspects.add(suspect)
    CourtSubmission.objects.create(case=case, court=world.agencies.court)
    login(page, world.users.clerk)

    # Given the prosecution form, the clerk types a suspect's name in the case field
    page.goto(f"{live_server.url}/prosecutions/new/")
    page.fill("#id_court_case_number", "PP-12/2010")
    page.fill("#id_filed_on", "2010-05-01")
    page.locator("#id_case_reference").press_sequentially("Sovann", delay=30)
    # the list offers the case by its short reference (the 8 characters the pages show)
    option = page.locator("#case-options option")
    expect(option).to_have_count(1)
    short = str(case.pk)[:8]
    assert option.get_attribute("value") == short
    # When she chooses it, its suspects are offered as defendants
    page.fill("#id_case_reference", short)
    page.locator("#id_case_reference").press("Tab")  # leaving the field commits the choice
    box = page.locator(f"input[name=defendants][value='{suspect.pk}']")
    expect(box).to_be_visible()
    page.wait_for_load_state("networkidle")
    box.check()
    assert fits_the_screen(page)
    doc_shot(page, "prosecution-case-picker")
    page.click("main form button.btn-primary")
    page.wait_for_url(re.compile(r"/prosecutions/[0-9a-f-]{36}/$"))
    prosecution = Prosecution.objects.get()
    assert prosecution.case_id == case.pk
    defendant = Defendant.objects.get()

    # Then she corrects it: a conviction, then (the appeal) an acquittal
    for verdict, day in (("convicted", "2010-09-01"), ("acquitted", "2011-02-01")):
        page.click("main a[href$='/edit/']")
        page.wait_for_url(re.compile(r"/prosecutions/[0-9a-f-]{36}/edit/$"))
        page.select_option(f"#id_d{defendant.pk}-verdict", verdict)
        page.fill(f"#id_d{defendant.pk}-verdict_on", day)
        if verdict == "acquitted":
            assert fits_the_screen(page)
            doc_shot(page, "prosecution-edit")
        page.click("main form button.btn-primary")
        page.wait_for_url(re.compile(r"/prosecutions/[0-9a-f-]{36}/$"))
        expect(page.locator("main .alert-success")).to_be_visible()
    defendant.refresh_from_db()
    assert (defendant.verdict, defendant.verdict_on) == ("acquitted", dt.date(2011, 2, 1))
    # both verdicts are in the change history, each by the clerk
    verdicts = page.locator("#history li[data-action]").filter(has_text=str(suspect))
    expect(verdicts).to_have_count(2)
    assert fits_the_screen(page)
    assert not page.console_errors


@pytest.mark.parametrize("screen", SCREENS, indirect=True)
def test_a_department_corrects_an_activity_and_a_broken_rule_is_said_at_the_field(
    world, screen, live_server, login
):
    page = screen
    activity = ActivityFactory(agency=world.agencies.dosvy_bmc)
    login(page, world.users.alice)

    # Given the activities list, she opens the activity's edit page
    page.goto(f"{live_server.url}/activities/")
    page.click(f"main a[href$='/activities/{activity.pk}/edit/']")
    page.wait_for_url(re.compile(r"/activities/[0-9a-f-]{36}/edit/$"))
    # When she types more women than participants, the message is at that field
    page.fill("#id_participants_total", "30")
    page.click("main form button.btn-primary")
    expect(page.locator("#id_participants_female")).to_have_class(re.compile("is-invalid"))
    expect(page.locator("#id_participants_female_errors")).to_be_visible()
    expect(page.locator("#id_participants_female")).to_be_focused()
    activity.refresh_from_db()
    assert activity.participants_total == 100
    # Then she corrects both and saves: the list shows it, the edit page its history
    page.fill("#id_participants_total", "130")
    page.click("main form button.btn-primary")
    page.wait_for_url(re.compile(r"/activities/$"))
    expect(page.locator("main .alert-success")).to_be_visible()
    activity.refresh_from_db()
    assert activity.participants_total == 130
    page.click(f"main a[href$='/activities/{activity.pk}/edit/']")
    expect(page.locator("#history li[data-action]")).to_have_count(1)
    expect(page.locator("#history li[data-action]").first).to_contain_text("alice")
    assert fits_the_screen(page)
    doc_shot(page, "activity-edit")
    assert Activity.objects.count() == 1
    assert Operation.objects.count() == 0
    # the refused submit answered 400 (as it should); nothing else went wrong
    assert [e for e in page.console_errors if "status of 400" not in e] == []
