"""Issue 13 in a real browser: records finished in the browser (case edit and close with its
change history), a phone layout that holds, confirmations and error focus; at 1280 px and
375 px, in English and Khmer."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from cases.models import Case
from reports.models import DeporteeReport
from tests.browser.conftest import PASSWORD
from tests.factories import CaseFactory, VictimFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The reviewers' screenshots are refreshed only on request (CTMS_DOC_SCREENSHOTS=1), so that a
# test run leaves the working tree clean; otherwise they go to test-artifacts/.
ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / (
    "docs/screenshots" if os.environ.get("CTMS_DOC_SCREENSHOTS") else "test-artifacts/docs"
)
# (width, language): both widths and both languages, each journey twice.
SCREENS = [pytest.param((1280, "en"), id="desktop-en"), pytest.param((375, "km"), id="phone-km")]


@pytest.fixture
def screen(browser, request):
    """A page of the given width whose user works in the given language."""
    width, language = request.param
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-GB")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    page.width, page.language = width, language
    yield page
    context.close()


@pytest.fixture
def login(live_server):
    def _login(page, user) -> None:
        user.preferred_language = page.language
        user.save(update_fields=["preferred_language"])
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        expect(page.locator("html")).to_have_attribute("lang", page.language)

    return _login


def doc_shot(page, name: str) -> None:
    """A small PNG for reviewers (docs/screenshots/), 256 colours, the top of the page."""
    from io import BytesIO

    from PIL import Image

    raw = page.screenshot(full_page=True)
    image = Image.open(BytesIO(raw)).convert("RGB")
    image = image.crop((0, 0, image.width, min(image.height, 1800 if page.width < 600 else 1100)))
    if page.width > 600:
        image = image.resize((image.width * 3 // 4, image.height * 3 // 4))
    DOCS.mkdir(parents=True, exist_ok=True)
    image.quantize(colors=64).save(DOCS / f"{name}-{page.width}-{page.language}.png", optimize=True)


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= page.width


@pytest.mark.parametrize("screen", SCREENS, indirect=True)
def test_case_worker_opens_edits_and_closes_a_case_with_history(world, screen, live_server, login):
    page = screen
    victim = VictimFactory(agency=world.agencies.dosvy_bmc, given_name="Sophea")
    login(page, world.users.alice)

    # Given the case form: submitting with no form of exploitation is refused, focus on it
    page.goto(f"{live_server.url}/cases/new/?victim={victim.pk}")
    page.click("main form button.btn-primary")
    expect(page.locator("main .alert-danger")).to_be_visible()
    expect(page.locator("#id_exploitation_types_0")).to_be_focused()
    assert Case.objects.count() == 0
    # When she ticks every kind of field the SPEC has and opens the case
    page.check("input[name=exploitation_types][value=forced_labour]")
    page.check("input[name=labour_sectors][value=fishing]")
    page.check("input[name=means_of_control][value=debt_bondage]")
    page.select_option("#id_recruiter_relation", "friend")
    assert fits_the_screen(page)
    doc_shot(page, "case-form")
    page.click("main form button.btn-primary")
    page.wait_for_url(re.compile(r"/cases/[0-9a-f-]{36}/$"))
    case = Case.objects.get()
    assert (case.labour_sectors, case.means_of_control, case.recruiter_relation) == (
        ["fishing"],
        ["debt_bondage"],
        "friend",
    )
    # Then she edits it: the change history names her and the change
    page.click("main a[href$='/edit/']")
    page.select_option("#id_status", "follow_up")
    page.click("main form button.btn-primary")
    page.wait_for_url(re.compile(r"/cases/[0-9a-f-]{36}/$"))
    expect(page.locator("#history li[data-action]")).to_have_count(2)
    expect(page.locator("#history li[data-action]").first).to_contain_text("alice")
    # And closes it, confirming first; dismissing the question sends nothing
    page.click("main a[href$='/close/']")
    page.fill("#id_closure_reason", "Reintegrated with her family.")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.click("main form button.btn-danger")
    assert Case.objects.get().status == "follow_up"
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("main form button.btn-danger")
    page.wait_for_url(re.compile(r"/cases/[0-9a-f-]{36}/$"))
    expect(page.locator("#closure-reason")).to_have_text("Reintegrated with her family.")
    case.refresh_from_db()
    assert (case.status, case.closure_reason) == ("closed", "Reintegrated with her family.")
    assert fits_the_screen(page)
    doc_shot(page, "case-detail")
    assert not page.console_errors


@pytest.mark.parametrize("screen", SCREENS, indirect=True)
def test_lists_read_as_cards_on_a_phone_and_sort_on_a_desktop(world, screen, live_server, login):
    page = screen
    for index, day in enumerate((3, 1, 2)):
        case = CaseFactory(agency=world.agencies.dosvy_bmc, opened_on=f"2010-03-0{day}")
        case.victims.add(VictimFactory(agency=world.agencies.dosvy_bmc, given_name=f"V{index}"))
    login(page, world.users.alice)

    page.goto(f"{live_server.url}/victims/")
    assert fits_the_screen(page)
    # No word broken letter by letter: a sex cell is one line tall
    cell = page.locator("main table tbody tr").first.locator("td").nth(2)
    line = page.evaluate("parseFloat(getComputedStyle(document.body).lineHeight)")
    assert cell.evaluate("e => e.getBoundingClientRect().height") < line * 3
    page.goto(f"{live_server.url}/cases/")
    rows = page.locator("main table tbody tr")
    if page.width < 600:
        # a card: the column heading is written before each value
        label = (
            rows.first.locator("td").nth(1).evaluate("e => getComputedStyle(e, '::before').content")
        )
        assert label.strip('"').endswith(": ")
    else:
        first = [rows.nth(i).locator("td").nth(1).get_attribute("data-value") for i in range(3)]
        assert first == ["2010-03-03", "2010-03-02", "2010-03-01"]
        page.click("main table thead th:nth-child(2) button")
        expect(rows.first.locator("td").nth(1)).to_have_attribute("data-value", "2010-03-01")
    doc_shot(page, "case-list")
    assert not page.console_errors


@pytest.mark.parametrize("screen", SCREENS, indirect=True)
def test_skip_link_comes_first_and_leads_to_the_content(world, screen, live_server, login):
    page = screen
    login(page, world.users.alice)
    page.keyboard.press("Tab")
    expect(page.locator("a.skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()


@pytest.mark.parametrize("screen", SCREENS, indirect=True)
def test_a_border_department_records_an_activity_and_a_month_of_deportees(
    world, screen, live_server, login
):
    page = screen
    login(page, world.users.alice)

    page.goto(f"{live_server.url}/activities/")
    page.fill("#id_date", "2025-07-02")
    page.select_option("#id_kind", "awareness_raising")
    page.fill("#id_participants_total", "120")
    page.fill("#id_participants_female", "70")
    page.click("main form button.btn-primary")
    expect(page.locator("main table tbody tr")).to_have_count(1)
    expect(page.locator("main .alert-success")).to_be_visible()
    assert fits_the_screen(page)
    doc_shot(page, "activities")

    page.goto(f"{live_server.url}/deportee-reports/")
    page.fill("#id_month", "2025-07")
    page.fill("#id_total", "40")
    page.fill("#id_female", "50")
    page.click("main form button.btn-primary")
    # refused: focus on the field in error, or on the banner when the model names no field
    expect(page.locator("main .alert-danger")).to_be_visible()
    focused = page.evaluate("document.activeElement.id || document.activeElement.className")
    assert focused == "id_female" or "alert-danger" in focused
    assert DeporteeReport.objects.count() == 0
    page.fill("#id_female", "12")
    page.click("main form button.btn-primary")
    expect(page.locator("main table tbody tr td").first).to_have_text("2025-07")
    assert fits_the_screen(page)
    doc_shot(page, "deportee-reports")
    # the refused submit answered 400, as it should; nothing else went wrong
    assert [e for e in page.console_errors if "status of 400" not in e] == []


@pytest.mark.parametrize("screen", SCREENS, indirect=True)
def test_sign_in_and_two_factor_inputs_are_styled(world, screen, live_server):
    page = screen
    user = world.users.analyst
    user.preferred_language = page.language
    user.save(update_fields=["preferred_language"])
    page.goto(f"{live_server.url}/accounts/login/")
    for selector in ("#id_username", "#id_password"):
        expect(page.locator(selector)).to_have_class(re.compile(r"\bform-control\b"))
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    # the secretariat enrols a second factor: the code field is a styled, labelled input
    page.wait_for_url(re.compile(r"/accounts/"))
    code = page.locator("#id_token")
    expect(code).to_have_class(re.compile(r"\bform-control\b"))
    expect(page.locator("label[for=id_token]")).to_be_visible()
    assert code.evaluate("e => e.getBoundingClientRect().width") > page.width * 0.25
    assert fits_the_screen(page)
    doc_shot(page, "two-factor-setup")


@pytest.mark.parametrize("screen", SCREENS, indirect=True)
def test_add_a_victim_to_a_case_by_typing_her_name(world, screen, live_server, login):
    page = screen
    case = CaseFactory(agency=world.agencies.dosvy_bmc)
    victim = VictimFactory(agency=world.agencies.dosvy_bmc, given_name="Sophea", family_name="Chan")
    login(page, world.users.alice)
    page.goto(f"{live_server.url}/cases/{case.pk}/")

    # typing part of her name fills the list (htmx) with her short reference
    page.locator("#id_reference").press_sequentially("Soph")
    option = page.locator("#victim-options option")
    expect(option).to_have_count(1)
    expect(option).to_have_attribute("value", str(victim.pk)[:8])
    page.fill("#id_reference", option.get_attribute("value"))
    page.click("form[action$='/victims/'] button[type=submit]")
    page.wait_for_url(re.compile(r"/cases/[0-9a-f-]{36}/$"))
    expect(page.locator(f"main a[href$='/victims/{victim.pk}/']")).to_be_visible()
    assert list(case.victims.all()) == [victim]
    assert fits_the_screen(page)
    assert not page.console_errors
