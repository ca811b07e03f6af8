"""The referral form's partner chooser in a real browser: ticking another service reloads it
(htmx) with the partner already chosen kept while that partner offers every service ticked, and
while it reloads it cannot be used, so that no pick is lost to a list about to be replaced (a
slow connection in a provincial office); at 1280 px and 375 px, in English and Khmer."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from referrals.models import Referral
from tests.browser.test_records_ui import SCREENS, fits_the_screen, login, screen
from tests.factories import VictimFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["login", "screen"]


@pytest.mark.parametrize("screen", SCREENS, indirect=True)
def test_the_partner_chosen_stays_chosen_and_the_chooser_waits_for_its_reload(
    world, screen, live_server, login, pick_agency, shoot
):
    page = screen
    victim = VictimFactory(
        agency=world.agencies.dosvy_bmc, consent_services=True, consent_data_sharing=True
    )
    login(page, world.users.alice)

    # Given the referral form with shelter ticked and AFESIP chosen ("—", AFESIP, Hagar)
    page.goto(f"{live_server.url}/referrals/new/{victim.pk}/")
    with page.expect_response(re.compile(r"/referrals/partners/")):
        page.check("input[name=services_requested][value=shelter]")
    expect(page.locator("#id_to_agency option")).to_have_count(3)
    pick_agency(page, "#id_to_agency", "AFESIP")

    # When she also ticks psychosocial support on a slow line (the reply held back here)
    held = []

    def hold(route) -> None:
        held.append(route)

    page.route(re.compile(r"/referrals/partners/"), hold)
    page.check("input[name=services_requested][value=psychosocial]")
    # Then the chooser cannot be used until the new list is there
    expect(page.locator("#id_to_agency")).to_be_disabled()
    shoot(page, f"referral-partner-reloading-{page.width}-{page.language}")
    assert len(held) == 1
    held[0].continue_()
    page.unroute(re.compile(r"/referrals/partners/"))
    # And it comes back with AFESIP still chosen (Hagar offers no psychosocial support)
    expect(page.locator("#id_to_agency option")).to_have_count(2)
    expect(page.locator("#id_to_agency")).to_be_enabled()
    expect(page.locator("#id_to_agency")).to_have_value(str(world.agencies.afesip.pk))
    assert fits_the_screen(page)
    shoot(page, f"referral-partner-kept-{page.width}-{page.language}")

    page.click("main form button.btn-primary")
    page.wait_for_url(re.compile(r"/referrals/[0-9a-f-]{36}/$"))
    referral = Referral.objects.get()
    assert (referral.to_agency, sorted(referral.services_requested)) == (
        world.agencies.afesip,
        ["psychosocial", "shelter"],
    )
    assert not page.console_errors
