"""Browser pages of issue 12: archiving a person (with a reason) and the archive list, and
sending a case to a court, on a phone and a desktop, in English and Khmer."""

from __future__ import annotations

import pytest

from cases.models import CourtSubmission
from tests.browser.test_phone_layout import _signed_in_context as signed_in_context
from tests.factories import CaseFactory, VictimFactory
from victims.models import Victim


@pytest.mark.parametrize(("language", "width"), [("en", 375), ("km", 1280)])
def test_archive_a_person_and_send_a_case_to_court(
    world, browser, live_server, shoot, compiled_messages, language, width
):
    victim = VictimFactory(agency=world.agencies.dosvy_bmc, given_name="Sokleng", family_name="Yim")
    case = CaseFactory(agency=world.agencies.dosvy_bmc)
    user = world.users.alice
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])
    context = signed_in_context(browser, live_server, user, language)
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))

    # archive from the person's page, with a reason
    page.goto(f"{live_server.url}/victims/{victim.pk}/")
    page.click(f"a[href='/victims/{victim.pk}/archive/']")
    page.fill("#id_reason", "Recorded twice")
    page.click("form:has(#id_reason) button[type=submit]")
    page.wait_for_url(f"{live_server.url}/victims/archive/")
    assert "Sokleng" in page.content() and "Recorded twice" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shoot(page, f"archive-list-{width}-{language}")
    assert Victim.objects.get(pk=victim.pk).is_archived

    # send the case to the BMC court
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.select_option("#id_court", str(world.agencies.court.pk))
    page.click(f"form[action='/cases/{case.pk}/send-to-court/'] button[type=submit]")
    page.wait_for_url(f"{live_server.url}/cases/{case.pk}/")
    assert "BMC-Court" in page.content()
    shoot(page, f"case-sent-to-court-{width}-{language}")
    assert CourtSubmission.objects.filter(case=case, court=world.agencies.court).exists()
    assert not [text for text in errors if "Content Security" in text]
    context.close()
