"""The hand-over journey of issue 14, in a real browser, in English and in Khmer: the police log
a raid and place a rescued girl with DoSVY-BMC; the DoSVY-BMC case worker sees the hand-over on
her home page, accepts it, finds the girl by her Khmer name, opens a case and refers her to an
NGO. Buttons are found by what they do (their form's address), not by their words, so that the
same steps run in both languages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from cases.models import Case, Rescue
from handovers.models import Handover
from referrals.models import Referral
from victims.selectors import VictimAccess, victim_access

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KHMER_NAME = "សុខ ស្រីពៅ"
HOME_TITLE = {"en": "Hand-overs waiting for my answer", "km": "ការប្រគល់ដែលរង់ចាំចម្លើយរបស់ខ្ញុំ"}


def _use_language(language: str, *users) -> None:
    """Every user of the journey works in `language`: signing in switches to it."""
    for user in users:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])


@pytest.mark.parametrize(("language", "width"), [("en", 375), ("km", 1280)])
def test_rescued_girl_reaches_dosvy_which_accepts_opens_a_case_and_refers_her(
    world, page, live_server, sign_in, shoot, compiled_messages, language, width, pick_agency
):
    page.set_viewport_size({"width": width, "height": 900})
    users = world.users
    _use_language(language, users.officer, users.alice, users.bob)

    # Given the police unit of Banteay Meanchey logging a raid
    sign_in(page, "officer")
    page.goto(f"{live_server.url}/operations/new/")
    page.fill("#id_date", "2024-05-01")
    page.select_option("#id_kind", "raid")
    page.select_option("#id_province", "01")
    # When a rescued girl is placed with DoSVY-BMC
    page.fill("#id_rescues-0-name_khmer", KHMER_NAME)
    page.fill("#id_rescues-0-given_name", "Sreypov")
    page.fill("#id_rescues-0-family_name", "Sok")
    page.select_option("#id_rescues-0-sex", "female")
    page.fill("#id_rescues-0-birth_year", "2008")
    page.select_option("#id_rescues-0-placement", "dosvy")
    pick_agency(page, "#id_rescues-0-placed_with", "DoSVY-BMC")
    shoot(page, f"handover-1-raid-{language}")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/operations/[0-9a-f-]{36}/$"), wait_until="domcontentloaded")
    rescue = Rescue.objects.get()
    girl = rescue.victim
    handover = Handover.objects.get()
    assert (rescue.placed_with, handover.kind, handover.status) == (
        world.agencies.dosvy_bmc,
        "rescue_placement",
        "pending",
    )
    # Before the answer: the unit holds the record; DoSVY-BMC sees the referral view; a
    # department of another province sees nothing.
    assert girl.agency == world.agencies.police
    assert victim_access(users.alice, girl) == VictimAccess.REFERRAL
    assert victim_access(users.bob, girl) == VictimAccess.NONE

    # Then the DoSVY-BMC case worker finds the hand-over, with the girl's name, on her home page
    page.context.clear_cookies()
    sign_in(page, "alice")
    waiting = page.locator("#handovers-waiting")
    assert HOME_TITLE[language] in waiting.inner_text()
    assert KHMER_NAME in waiting.inner_text()
    shoot(page, f"handover-2-home-{language}")
    # And accepts it there
    waiting.locator(f"form[action='/handovers/{handover.pk}/accept/'] button").click()
    page.wait_for_selector(".alert-success")
    assert str(handover.pk) not in page.locator("#handovers-waiting").inner_html()
    handover.refresh_from_db()
    girl.refresh_from_db()
    assert (handover.status, girl.agency) == ("accepted", world.agencies.dosvy_bmc)
    assert victim_access(users.alice, girl) == VictimAccess.FULL
    assert victim_access(users.officer, girl) == VictimAccess.POLICE

    # And finds the girl by her Khmer name
    page.goto(f"{live_server.url}/victims/?q={KHMER_NAME.split()[1]}")
    rows = page.locator("main table tbody tr")
    assert rows.count() == 1
    rows.first.locator("a").first.click()
    page.wait_for_url(f"{live_server.url}/victims/{girl.pk}/", wait_until="domcontentloaded")
    timeline = page.locator("#timeline")
    assert timeline.locator("[data-kind=handover]").count() == 1
    assert timeline.locator("[data-kind=handover_step]").count() == 1
    shoot(page, f"handover-3-profile-{language}")

    # And opens a case for her
    page.click(f"a[href='/cases/new/?victim={girl.pk}']")
    page.check("input[name=exploitation_types][value=sexual_exploitation]")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/cases/[0-9a-f-]{36}/$"), wait_until="domcontentloaded")
    case = Case.objects.get()
    assert (case.agency, list(case.victims.all())) == (world.agencies.dosvy_bmc, [girl])

    # And, with her consent recorded, refers her to an NGO
    page.goto(f"{live_server.url}/victims/{girl.pk}/edit/")
    page.check("#id_consent_services_1")
    page.check("#id_consent_data_sharing_1")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/victims/{girl.pk}/", wait_until="domcontentloaded")
    page.click(f"a[href='/referrals/new/{girl.pk}/']")
    # Ticking a service reloads the partner chooser (htmx): pick only once it is back, or the
    # reloaded chooser drops the choice ("—", AFESIP and Hagar offer shelter).
    with page.expect_response(re.compile(r"/referrals/partners/")):
        page.check("input[name=services_requested][value=shelter]")
    expect(page.locator("#id_to_agency option")).to_have_count(3)
    pick_agency(page, "#id_to_agency", "AFESIP")
    shoot(page, f"handover-4-referral-{language}")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/referrals/[0-9a-f-]{36}/$"), wait_until="domcontentloaded")
    referral = Referral.objects.get()
    assert (referral.victim, referral.from_agency, referral.to_agency) == (
        girl,
        world.agencies.dosvy_bmc,
        world.agencies.afesip,
    )

    # And a department of another province still gets a plain 404 for her page
    page.context.clear_cookies()
    sign_in(page, "bob")
    assert page.goto(f"{live_server.url}/victims/{girl.pk}/").status == 404
    assert page.goto(f"{live_server.url}/handovers/{handover.pk}/").status == 404
    assert [text for text in page.console_errors if "Content Security Policy" in text] == []
