"""Playwright driving the system's headless Chromium (Debian's /usr/bin/chromium; Playwright's
own browser download is never used). One browser for the whole session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.core.cache import cache

from tests.browser.sessions import signed_in_context

CHROMIUM = os.environ.get("CTMS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory


# Module scope (there is one module of journeys): one browser for all of them, closed before
# the other tests run, so that its event loop never surrounds them.
@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}")
    # Playwright's sync API keeps an event loop running in this thread while the browser is
    # open; Django's async-unsafe guard must allow the ORM calls that fixtures and tests make
    # between page actions. Set for this module only, and restored when the browser closes.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_api.sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser):
    """A fresh context (cookies, language) per test, on a 375-px-wide phone screen."""
    context = browser.new_context(viewport={"width": 375, "height": 812}, locale="en-GB")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.console_errors = []
    page.on(
        "console",
        lambda message: message.type == "error" and page.console_errors.append(message.text),
    )
    yield page
    context.close()


@pytest.fixture
def sign_in(live_server):
    def _sign_in(page, username: str) -> None:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]:has-text('Sign in')")
        page.wait_for_url(f"{live_server.url}/")

    return _sign_in


@pytest.fixture
def shoot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def _shoot(page, name: str) -> None:
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    return _shoot


@pytest.fixture
def pick_agency():
    def _pick_agency(page, select: str, acronym: str) -> None:
        """Choose an agency by acronym in a chooser that names it "ACRONYM — full name"."""
        options = page.locator(f"{select} option")
        value = next(
            (
                options.nth(n).get_attribute("value")
                for n in range(options.count())
                if options.nth(n).inner_text().strip().split(" — ")[0] == acronym
            ),
            None,
        )
        assert value, f"no {acronym} in {select}"
        page.select_option(select, value)

    return _pick_agency


@pytest.fixture
def analyst_page(world, browser, live_server, settings):
    """Opens a page of the secretariat's analyst, signed in at `width` px in `language`, with
    the report and count work on the web process's background thread (the embedded default,
    without a broker: never during a request) and an empty cache. Gives (context, page, the
    console's errors)."""

    def _open(width: int, language: str):
        cache.clear()
        settings.REPORT_THREAD = True
        user = world.users.analyst
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
        context = signed_in_context(
            browser, live_server, user, language, width=width, height=900, timeout_ms=15_000
        )
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        return context, page, errors

    return _open
