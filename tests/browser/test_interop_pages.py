"""Issue 19 in the browser: the administrators' page of external systems (register one, its
login and password shown once, its last exchanges) and the referral page's line saying which
system (OSCaR or Primero) a referral came from or went to, with the system's ids. At 1280 and
375 pixels, in English and in Khmer."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import check_password

from interop.models import ExternalClient, ExternalReferral, ExternalSystem
from interop.services import client_upsert, exchange_log
from referrals.models import Referral
from tests.browser.test_phone_layout import _signed_in_context as signed_in_context
from tests.factories import AgencyFactory, ReferralFactory, UserFactory, VictimFactory
from tests.interop.conftest import fixture_body

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CASES = [("en", 1280), ("km", 375), ("en", 375), ("km", 1280)]


def _open(browser, live_server, user, language: str, width: int):
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])
    context = signed_in_context(browser, live_server, user, language)
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    page.errors = []
    page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
    return context, page


def _fits(page, width: int) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize(("language", "width"), CASES)
def test_register_a_system_and_see_where_referrals_came_from(
    world, browser, live_server, shoot, compiled_messages, language, width
):
    a = world.agencies
    cif = AgencyFactory(
        acronym="CIF", kind="ngo", accepts_referrals=True, services=["shelter", "psychosocial"]
    )
    cif_partner = UserFactory(username="cif_partner", agency=cif, role="partner")

    # The administrator registers Hagar's OSCaR on the page.
    context, page = _open(browser, live_server, world.users.admin, language, width)
    page.goto(f"{live_server.url}/interop/systems/")
    assert page.locator("#systems tbody tr").count() == 1  # "No external system is registered."
    page.fill("#id_name", "Hagar OSCaR")
    page.select_option("#id_agency", str(a.hagar.pk))
    page.click("form:has(#id_name) button[type=submit]")
    page.wait_for_selector("#credentials")
    login, password = page.inner_text("#login"), page.inner_text("#password")
    system = ExternalSystem.objects.get(name="Hagar OSCaR")
    assert login == system.login == "hagar-oscar@hagar.ctms"
    assert check_password(password, system.password_hash)
    assert _fits(page, width)
    shoot(page, f"interop-credentials-{width}-{language}")

    # It sends a referral to CIF (the OpenFn sample body), and CTMS one to Hagar.
    client_upsert(system=system, client=fixture_body("upsert_referral.json")["organization"])
    exchange_log(system=system, direction="out", operation="clients", detail="timed out")
    victim = VictimFactory(agency=a.dosvy_bmc, given_name="Sophea", family_name="Chan")
    sent = ReferralFactory(
        victim=victim, from_agency=a.dosvy_bmc, to_agency=a.hagar, status="accepted"
    )
    ExternalReferral.objects.create(
        system=system, referral=sent, direction="outbound", sent_status="Accepted"
    )
    ExternalClient.objects.create(
        system=system, victim=victim, external_id="8812", external_id_display="HGR-0042"
    )

    # Its page lists the exchanges, newest first; the password is not shown again.
    page.click(f"a.btn[href='/interop/systems/{system.pk}/']")  # "Done"
    page.wait_for_selector("#exchanges")
    rows = page.locator("#exchanges tbody tr")
    assert rows.count() == 2
    assert [rows.nth(i).get_attribute("data-outcome") for i in range(2)] == ["failed", "ok"]
    assert "upsert" in page.inner_text("#exchanges") and "timed out" in page.content()
    assert password not in page.content()
    assert _fits(page, width)
    shoot(page, f"interop-system-{width}-{language}")
    page.goto(f"{live_server.url}/interop/systems/")
    assert "Hagar OSCaR" in page.inner_text("#systems") and password not in page.content()
    assert _fits(page, width)
    shoot(page, f"interop-systems-{width}-{language}")
    assert not page.errors, page.errors
    context.close()

    # CIF's partner reads where the inbound referral came from, with OSCaR's referral id.
    received = Referral.objects.get(to_agency=cif)
    context, page = _open(browser, live_server, cif_partner, language, width)
    page.goto(f"{live_server.url}/referrals/{received.pk}/")
    line = page.inner_text("[data-external=inbound]")
    assert "Hagar OSCaR" in line and "1193" in line
    if language == "km":
        assert "មកពី" in line
    assert _fits(page, width)
    shoot(page, f"interop-referral-came-from-{width}-{language}")
    context.close()

    # The sender reads where its referral went, with the id Hagar's OSCaR gave the person.
    context, page = _open(browser, live_server, world.users.alice, language, width)
    page.goto(f"{live_server.url}/referrals/{sent.pk}/")
    line = page.inner_text("[data-external=outbound]")
    assert "Hagar OSCaR" in line and "HGR-0042" in line and "Accepted" in line
    assert _fits(page, width)
    context.close()


def test_other_roles_find_no_way_in(world, browser, live_server):
    context, page = _open(browser, live_server, world.users.alice, "en", 1280)
    response = page.goto(f"{live_server.url}/interop/systems/")
    assert response.status == 403
    page.goto(f"{live_server.url}/")
    assert page.locator("a[href='/interop/systems/']").count() == 0
    context.close()
