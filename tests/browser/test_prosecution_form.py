"""The prosecution form's defendants in a real browser: typing another case's reference reloads
them (htmx), and while they reload neither they nor Save can be used, so that no tick is lost
to a list about to be replaced and no form goes out with the other case's suspects (a slow
connection in a provincial court); at 1280 px and 375 px, in English and Khmer."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from cases.models import Prosecution
from cases.services import case_send_to_court
from tests.browser.test_records_ui import SCREENS, fits_the_screen, login, screen
from tests.factories import CaseFactory, SuspectFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["login", "screen"]

RELOAD = re.compile(r"/prosecutions/new/\?")


@pytest.mark.parametrize("screen", SCREENS, indirect=True)
def test_the_defendants_wait_for_their_reload_when_the_case_changes(
    world, screen, live_server, login, shoot
):
    page = screen
    # Given two cases sent to the clerk's court, each with its suspect
    cases = []
    for given_name in ("Dara", "Sokha"):
        case = CaseFactory(agency=world.agencies.dosvy_bmc)
        case.suspects.add(SuspectFactory(given_name=given_name, family_name="Keo"))
        case_send_to_court(user=world.users.alice, case_id=case.pk, court=world.agencies.court)
        cases.append(case)
    login(page, world.users.clerk)
    page.goto(f"{live_server.url}/prosecutions/new/")
    page.fill("#id_court_case_number", "BMC-8/2024")
    page.fill("#id_filed_on", "2024-06-03")
    page.fill("#id_case_reference", str(cases[0].pk))
    page.locator("#id_case_reference").blur()
    expect(page.locator("#defendants-field")).to_contain_text("Dara Keo")

    # When the clerk types the other case's reference on a slow line (the reply held back)
    held = []

    def hold(route) -> None:
        held.append(route)

    page.route(RELOAD, hold)
    page.fill("#id_case_reference", str(cases[1].pk))
    page.locator("#id_case_reference").blur()

    # Then the first case's defendants and Save cannot be used until the new list is there
    expect(page.locator("input[name=defendants]")).to_be_disabled()
    expect(page.locator("#prosecution-save")).to_be_disabled()
    shoot(page, f"prosecution-defendants-reloading-{page.width}-{page.language}")
    assert len(held) == 1
    held[0].continue_()
    page.unroute(RELOAD)

    # And the second case's suspect is offered, to be ticked and saved
    expect(page.locator("#defendants-field")).to_contain_text("Sokha Keo")
    expect(page.locator("#defendants-field")).not_to_contain_text("Dara Keo")
    expect(page.locator("input[name=defendants]")).to_be_enabled()
    expect(page.locator("#prosecution-save")).to_be_enabled()
    page.check("input[name=defendants]")
    assert fits_the_screen(page)
    shoot(page, f"prosecution-defendants-reloaded-{page.width}-{page.language}")
    page.click("#prosecution-save")
    page.wait_for_url(re.compile(r"/prosecutions/[0-9a-f-]{36}/$"))
    prosecution = Prosecution.objects.get()
    assert prosecution.case_id == cases[1].pk
    assert [d.suspect.given_name for d in prosecution.defendants.all()] == ["Sokha"]
    assert not page.console_errors
