"""Duplicates in a real browser (SPEC section 8): intake shows possible matches on a phone, and
the side-by-side merge page on a desktop, in English and in Khmer."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache

from cases.models import Rescue
from tests.browser.sessions import signed_in_context
from tests.factories import RescueFactory, VictimFactory
from victims.models import Victim

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()


def _context(browser, live_server, user, *, language: str, width: int):
    return signed_in_context(browser, live_server, user, language, width=width, height=900)


@pytest.mark.parametrize("language", ["en", "km"])
def test_intake_on_a_phone_shows_matches_then_saves_on_confirmation(
    world, browser, live_server, shoot, compiled_messages, language
):
    ours = VictimFactory(agency=world.agencies.dosvy_bmc, given_name="Srey Pov",
                         family_name="Chan", name_khmer="ចាន់ ស្រីពៅ", birth_year=2001)  # fmt: skip
    VictimFactory(agency=world.agencies.dosvy_svr, given_name="Chan", family_name="Sreypou",
                  birth_year=2002)  # fmt: skip
    user = world.users.alice
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])
    context = _context(browser, live_server, user, language=language, width=375)
    page = context.new_page()
    page.goto(f"{live_server.url}/victims/new/")
    page.fill("#id_given_name", "Sreypov")
    page.fill("#id_family_name", "Chan")
    page.select_option("#id_sex", "female")
    page.fill("#id_birth_year", "2001")
    page.check("#id_consent_services_1")
    page.click("#intake-form button[type=submit]:not([name])")
    page.wait_for_selector("#matches")
    assert page.locator("#matches li").count() == 2
    assert page.locator(f"#matches a[href='/victims/{ours.pk}/']").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.input_value("#id_given_name") == "Sreypov"
    shoot(page, f"phone-{language}-intake-matches")
    assert Victim.objects.count() == 2
    page.click("button[name=confirm_new]")
    page.wait_for_url(re.compile(r"/victims/[0-9a-f-]{36}/$"))
    assert Victim.objects.count() == 3
    context.close()


@pytest.mark.parametrize("language", ["en", "km"])
def test_merge_page_side_by_side_on_a_desktop(
    world, browser, live_server, shoot, compiled_messages, language
):
    survivor = VictimFactory(agency=world.agencies.dosvy_bmc, given_name="Srey Pov",
                             family_name="Chan", birth_year=2001)  # fmt: skip
    duplicate = VictimFactory(agency=world.agencies.dosvy_bmc, given_name="Sreypou",
                              family_name="Chan", name_khmer="ចាន់ ស្រីពៅ", birth_year=2001,
                              contact="012 345 678")  # fmt: skip
    RescueFactory(victim=duplicate)
    user = world.users.alice
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])
    context = _context(browser, live_server, user, language=language, width=1280)
    page = context.new_page()
    page.goto(f"{live_server.url}/victims/{survivor.pk}/duplicates/")
    page.click(f"a[href$='?duplicate={duplicate.pk}']")
    page.wait_for_selector("#merge-compare")
    assert "012 345 678" in page.inner_text("#merge-compare")
    shoot(page, f"desktop-{language}-merge-compare")
    page.click("form[method=post] button.btn-danger")
    page.wait_for_url(f"{live_server.url}/victims/{survivor.pk}/")
    assert page.locator("#timeline [data-kind=merge]").count() == 1
    shoot(page, f"desktop-{language}-merged-profile")
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id == survivor.pk
    assert Rescue.objects.filter(victim=survivor).count() == 1
    context.close()
