"""Issue 13, items 5 and 10 in a real browser: a case worker adds, sees and removes a victim's
photo (a refused file explains itself); in Khmer, a country beyond the region's and a
partner's Khmer name on the referral form. At 1280 px and 375 px, in English and Khmer."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD
from tests.factories import VictimFactory
from tests.victims.test_photos import jpeg_with_gps
from victims.models import Victim

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
# Reviewers' screenshots only on request (CTMS_DOC_SCREENSHOTS=1); else under test-artifacts/.
DOCS = ROOT / (
    "docs/screenshots" if os.environ.get("CTMS_DOC_SCREENSHOTS") else "test-artifacts/docs"
)
EVERY_SCREEN = [
    pytest.param((1280, "en"), id="desktop-en"),
    pytest.param((1280, "km"), id="desktop-km"),
    pytest.param((375, "en"), id="phone-en"),
    pytest.param((375, "km"), id="phone-km"),
]
KHMER_SCREENS = [
    pytest.param((1280, "km"), id="desktop-km"),
    pytest.param((375, "km"), id="phone-km"),
]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def screen(browser, request):
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
    """A small PNG for reviewers: the top of the page, 64 colours."""
    image = Image.open(io.BytesIO(page.screenshot(full_page=True))).convert("RGB")
    image = image.crop((0, 0, image.width, min(image.height, 1400 if page.width < 600 else 900)))
    if page.width > 600:
        image = image.resize((image.width * 3 // 4, image.height * 3 // 4))
    DOCS.mkdir(parents=True, exist_ok=True)
    image.quantize(colors=64).save(DOCS / f"{name}-{page.width}-{page.language}.png", optimize=True)


def loaded_width(image) -> int:
    """The picture's own width once the browser has it (the CSP forbids string predicates, so
    no wait_for_function)."""
    for _ in range(100):
        width = image.evaluate("img => img.complete ? img.naturalWidth : 0")
        if width:
            return width
        image.page.wait_for_timeout(100)
    return 0


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= page.width


def portrait() -> bytes:
    image = Image.new("RGB", (600, 800), (230, 200, 170))
    for x in range(150, 450):
        for y in range(120, 420, 3):
            image.putpixel((x, y), (90, 60, 40))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG")
    return buffer.getvalue()


@pytest.mark.parametrize("screen", EVERY_SCREEN, indirect=True)
def test_case_worker_adds_sees_and_removes_a_photo(world, screen, live_server, login):
    page = screen
    victim = VictimFactory(agency=world.agencies.dosvy_bmc, given_name="Sophea")
    login(page, world.users.alice)

    # Given the victim's page without a photo: a link to add one, no picture
    page.goto(f"{live_server.url}/victims/{victim.pk}/")
    expect(page.locator("main img.victim-photo")).to_have_count(0)
    page.click(f"main a[href$='/victims/{victim.pk}/photo/edit/']")
    # When she sends a file that is not a picture: an error next to the field, focus on it
    page.set_input_files(
        "#id_photo", files=[{"name": "photo.jpg", "mimeType": "image/jpeg", "buffer": b"%PDF-1.4"}]
    )
    page.click("#photo-form button.btn-primary")
    expect(page.locator("main .alert-danger")).to_be_visible()
    expect(page.locator("#id_photo")).to_be_focused()
    expect(page.locator("#id_photo_errors")).to_be_visible()
    assert not Victim.objects.get(pk=victim.pk).photo
    # Then a real photo (with GPS in its EXIF): back on her page, the thumbnail shows
    page.set_input_files(
        "#id_photo",
        files=[{"name": "IMG_0001.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_gps()}],
    )
    page.click("#photo-form button.btn-primary")
    page.wait_for_url(f"{live_server.url}/victims/{victim.pk}/")
    expect(page.locator("main .alert-success")).to_be_visible()
    thumbnail = page.locator("main img.victim-photo")
    expect(thumbnail).to_be_visible()
    assert loaded_width(thumbnail) == 40
    stored = Victim.objects.get(pk=victim.pk).photo
    assert b"SpyCam" not in stored.open("rb").read()
    assert fits_the_screen(page)

    # A bigger one replaces it, shown small
    page.click(f"main a[href$='/victims/{victim.pk}/photo/edit/']")
    page.set_input_files(
        "#id_photo", files=[{"name": "p.jpg", "mimeType": "image/jpeg", "buffer": portrait()}]
    )
    page.click("#photo-form button.btn-primary")
    page.wait_for_url(f"{live_server.url}/victims/{victim.pk}/")
    expect(thumbnail).to_be_visible()
    assert loaded_width(thumbnail) == 240  # 600 × 800 shown at most 320 px high
    assert thumbnail.evaluate("img => img.naturalHeight") == 320
    assert thumbnail.evaluate("img => img.getBoundingClientRect().height") <= 160
    doc_shot(page, "victim-photo")

    # And she removes it, after a confirmation (dismissing keeps it)
    page.click(f"main a[href$='/victims/{victim.pk}/photo/edit/']")
    expect(page.locator("#current-photo")).to_be_visible()
    assert loaded_width(page.locator("#current-photo")) == 240
    assert fits_the_screen(page)
    doc_shot(page, "victim-photo-form")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.click("main button.btn-outline-danger")
    assert Victim.objects.get(pk=victim.pk).photo
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("main button.btn-outline-danger")
    page.wait_for_url(f"{live_server.url}/victims/{victim.pk}/")
    expect(page.locator("main img.victim-photo")).to_have_count(0)
    assert not Victim.objects.get(pk=victim.pk).photo
    assert not page.console_errors


@pytest.mark.parametrize("screen", KHMER_SCREENS, indirect=True)
def test_khmer_names_for_a_distant_country_and_a_partner_on_the_referral_form(
    world, screen, live_server, login
):
    page = screen
    afesip = world.agencies.afesip
    afesip.name = "Agir pour les Femmes en Situation Précaire"
    afesip.name_khmer = "អង្គការអាហ្វេស៊ីប"
    afesip.save(update_fields=["name", "name_khmer"])
    victim = VictimFactory(agency=world.agencies.dosvy_bmc, given_name="Dara", citizenship="KHM")
    login(page, world.users.alice)

    # Given the edit form in Khmer: Nigeria, far beyond the region's 13, is offered in Khmer
    page.goto(f"{live_server.url}/victims/{victim.pk}/edit/")
    option = page.locator("#id_citizenship option[value=NGA]")
    expect(option).to_have_text("នីហ្សេរីយ៉ា")
    page.select_option("#id_citizenship", "NGA")
    page.click("#intake-form button.btn-primary")
    page.wait_for_url(f"{live_server.url}/victims/{victim.pk}/")
    # Then the victim's page names it in Khmer
    expect(page.locator("main dl")).to_contain_text("នីហ្សេរីយ៉ា")
    expect(page.locator("main dl")).not_to_contain_text("Nigeria")
    assert Victim.objects.get(pk=victim.pk).citizenship == "NGA"
    doc_shot(page, "victim-country-khmer")

    # When she refers the person and ticks shelter, the partner chooser names AFESIP in Khmer
    page.goto(f"{live_server.url}/referrals/new/{victim.pk}/")
    page.check("input[name=services_requested][value=shelter]")
    partner = page.locator("#id_to_agency option", has_text="អង្គការអាហ្វេស៊ីប")
    expect(partner).to_have_count(1)
    expect(partner).to_have_text("AFESIP — អង្គការអាហ្វេស៊ីប")
    expect(page.locator("#id_to_agency")).not_to_contain_text("Agir pour les Femmes")
    # Hagar has no Khmer name: its English one stands in
    expect(page.locator("#id_to_agency option", has_text=re.compile("^Hagar — "))).to_have_count(1)
    page.select_option("#id_to_agency", label="AFESIP — អង្គការអាហ្វេស៊ីប")
    assert fits_the_screen(page)
    doc_shot(page, "referral-partner-khmer")
    assert not page.console_errors
