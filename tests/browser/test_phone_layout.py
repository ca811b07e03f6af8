"""Every role's main pages on a 375-pixel-wide phone screen, in English and in Khmer: nothing
wider than the screen (no sideways scrolling), no server error, no script blocked by the CSP."""

from __future__ import annotations

import re

import pytest

from tests.browser.sessions import signed_in_context
from tests.factories import (
    CaseFactory,
    OperationFactory,
    ProsecutionFactory,
    ReferralFactory,
    RescueFactory,
    SuspectFactory,
    VictimFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 375
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@pytest.fixture
def records(world):
    """One record of each kind the pages show, with long names (Khmer and Latin) that must wrap."""
    a = world.agencies
    victim = VictimFactory(
        agency=a.dosvy_bmc,
        name_khmer="ស្រីនាង" * 12,
        given_name="Sreyneang" * 6,
        family_name="Sokhachantrea" * 4,
    )
    case = CaseFactory(agency=a.dosvy_bmc)
    case.victims.add(victim)
    suspect = SuspectFactory(agency=a.police)
    case.suspects.add(suspect)
    operation = OperationFactory(agency=a.police, case=case)
    RescueFactory(operation=operation, victim=victim)
    prosecution = ProsecutionFactory(court=a.court, case=case)
    prosecution.defendants.create(suspect=suspect)
    referral = ReferralFactory(
        victim=victim, from_agency=a.dosvy_bmc, to_agency=a.afesip, status="accepted"
    )
    return {
        "alice": [
            "/",
            "/victims/",
            "/victims/new/",
            f"/victims/{victim.pk}/",
            f"/victims/{victim.pk}/edit/",
            f"/victims/{victim.pk}/follow-ups/new/",
            f"/victims/{victim.pk}/repatriations/new/",
            f"/referrals/new/{victim.pk}/",
            "/cases/",
            "/cases/new/",
            f"/cases/{case.pk}/",
            "/referrals/",
            f"/referrals/{referral.pk}/",
        ],
        "officer": ["/", "/operations/", "/operations/new/", f"/operations/{operation.pk}/"],
        "partner": ["/", "/referrals/", f"/referrals/{referral.pk}/"],
        "clerk": ["/", "/prosecutions/", "/prosecutions/new/", f"/prosecutions/{prosecution.pk}/"],
        "analyst": ["/", "/reports/", "/reports/dashboard/", "/reports/exports/"],
    }


def _signed_in_context(browser, live_server, user, language: str):
    """A phone-sized browser context holding a session of `user`."""
    return signed_in_context(browser, live_server, user, language, width=WIDTH, height=812)


@pytest.mark.parametrize("language", ["en", "km"])
def test_every_main_page_fits_a_phone_screen(
    world, records, browser, live_server, shoot, compiled_messages, language
):
    problems = []
    for username, paths in records.items():
        user = getattr(world.users, username)
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
        context = _signed_in_context(browser, live_server, user, language)
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m, errors=errors: m.type == "error" and errors.append(m.text))
        for path in paths:
            response = page.goto(f"{live_server.url}{path}")
            if response.status != 200:
                problems.append(f"{username} {path}: status {response.status}")
                continue
            assert page.evaluate("document.documentElement.lang") == language
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > WIDTH:
                wide = page.evaluate(
                    """(limit) => [...document.querySelectorAll('body *')]
                        .filter(e => e.getBoundingClientRect().right > limit + 1)
                        .slice(0, 3).map(e => e.tagName + '.' + e.className)""",
                    WIDTH,
                )
                problems.append(f"{username} {path} ({language}): {width} px wide: {wide}")
            name = UUID.sub("id", path).strip("/").replace("/", "-") or "home"
            shoot(page, f"phone-{language}-{username}-{name}")
        problems.extend(f"{username}: {text}" for text in errors if "Content Security" in text)
        context.close()
    assert not problems, "\n".join(problems)


def test_a_running_report_shows_its_progress_bar_under_the_csp(world, browser, live_server):
    from reports.models import ReportRun
    from reports.periods import parse_period
    from reports.services import run_fields

    run = ReportRun.objects.create(
        **run_fields(parse_period("2010-Q3")),
        created_by=world.users.analyst,
        status="running",
        progress=47,
        progress_message="Writing PDF (km)",
    )
    context = _signed_in_context(browser, live_server, world.users.analyst, "en")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))

    page.goto(f"{live_server.url}/reports/{run.pk}/")
    page.wait_for_timeout(1500)  # one htmx poll replaces the fragment: sized again

    share = page.evaluate(
        """() => { const bar = document.querySelector('#run-status .progress-bar');
                   return bar.getBoundingClientRect().width
                          / bar.parentElement.getBoundingClientRect().width; }"""
    )
    assert 0.44 < share < 0.50
    assert "Writing PDF (Khmer)" in page.inner_text("#run-status")
    assert [text for text in errors if "Content Security" in text] == []
    context.close()
