"""The case-work journey of issue 16, in a real browser on a phone-sized screen, in English
and in Khmer: a shelter partner accepts a referral, gets the email and the badge, writes a
confidential psychosocial note, a risk assessment and a care plan with a task, attaches a
consent form; the owning agency's case worker sees the plan but not the note; the police see
none of it. Elements are found by id, name and address, so the same steps run in both
languages."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from casework.models import CarePlanTask, CaseNote, Document, RiskAssessment
from referrals.services import referral_create
from tests.factories import CaseFactory, OperationFactory, RescueFactory, VictimFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _referred_person(world, language: str):
    """Sreypov, held by DoSVY-BMC, rescued by AHTJP-BMC, referred by alice to AFESIP."""
    for user in (world.users.alice, world.users.partner, world.users.officer):
        user.preferred_language = language
        user.email = f"{user.username}@example.org"
        user.save()
    victim = VictimFactory(
        agency=world.agencies.dosvy_bmc, given_name="Sreypov", family_name="Chea"
    )
    case = CaseFactory(agency=world.agencies.dosvy_bmc)
    case.victims.add(victim)
    RescueFactory(
        operation=OperationFactory(agency=world.agencies.police, case=case), victim=victim
    )
    referral = referral_create(
        user=world.users.alice,
        victim=victim,
        to_agency=world.agencies.afesip,
        services_requested=["shelter", "psychosocial"],
        urgency="urgent",
    )
    return victim, referral


def _save(page) -> None:
    page.click("main form button[type=submit].btn-primary")
    page.wait_for_url(re.compile(r"/victims/[0-9a-f-]{36}/"))


def _case_work(page):
    """The victim page's case-work sections, loaded by htmx."""
    page.wait_for_selector("#case-work #case-notes")
    return page.locator("#case-work")


@pytest.mark.parametrize("language", ["en", "km"])
def test_partner_writes_case_work_owner_sees_the_plan_police_see_nothing(
    world, page, live_server, sign_in, shoot, compiled_messages, language
):
    victim, referral = _referred_person(world, language)
    # The partner was emailed: "a new referral", never the person's name.
    emails = [message for message in mail.outbox if message.to == ["partner@example.org"]]
    assert len(emails) == 1
    assert "Sreypov" not in emails[0].subject + emails[0].body
    assert "DoSVY-BMC" in emails[0].body

    # Given the partner signed in: the badge counts one unread notification.
    sign_in(page, "partner")
    page.wait_for_selector(f"html[lang={language}]")
    expect(page.locator("#notification-badge [data-unread]")).to_have_text(re.compile(r"^1"))
    shoot(page, f"casework-home-partner-{language}")
    # When it accepts the referral
    page.goto(f"{live_server.url}/referrals/{referral.pk}/")
    page.click(f"form[action='/referrals/{referral.pk}/accept/'] button")
    page.wait_for_selector(".alert")
    # and writes a confidential psychosocial note
    page.goto(f"{live_server.url}/victims/{victim.pk}/")
    _case_work(page).locator("a[href$='/notes/new/']").click()
    page.select_option("#id_kind", "psychosocial")
    page.fill("#id_text", "Nightmares about the karaoke bar; asks for her mother.")
    page.check("#id_confidential")
    _save(page)
    # a risk assessment
    _case_work(page).locator("a[href$='/risk-assessments/new/']").click()
    page.select_option("#id_level", "high")
    page.check("input[name=factors][value=trafficker_contact]")
    page.fill("#id_notes", "The recruiter phoned her cousin twice.")
    _save(page)
    # a care plan with a task
    _case_work(page).locator("a[href$='/care-plans/new/']").click()
    page.select_option("#id_domain", "psychosocial")
    page.fill("#id_goal", "Sleeps through the night")
    page.fill("#id_task", "Weekly counselling session")
    page.fill("#id_due_on", "2026-01-05")
    page.select_option("#id_assigned_to", "partner")
    _save(page)
    # and attaches the signed consent form
    _case_work(page).locator("a[href$='/documents/new/']").click()
    page.select_option("#id_kind", "consent_form")
    page.fill("#id_title", "Signed consent to services")
    page.set_input_files(
        "#id_file", {"name": "consent.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    _save(page)
    sections = _case_work(page)
    expect(sections.locator("#latest-risk")).to_be_visible()
    expect(sections).to_contain_text("Nightmares about the karaoke bar")
    expect(sections).to_contain_text("Sleeps through the night")
    expect(sections).to_contain_text("Signed consent to services")
    shoot(page, f"casework-partner-{language}")
    note = CaseNote.objects.get()
    assert (note.agency, note.kind, note.confidential) == (
        world.agencies.afesip,
        "psychosocial",
        True,
    )
    assert RiskAssessment.objects.get().factors == ["trafficker_contact"]
    assert CarePlanTask.objects.get().assigned_to == world.users.partner
    assert Document.objects.get().content_type == "application/pdf"
    # The sender heard of the answer.
    assert any(message.to == ["alice@example.org"] for message in mail.outbox)

    # Then alice, of the owning agency, sees the plan but not the confidential note
    page.context.clear_cookies()
    sign_in(page, "alice")
    page.goto(f"{live_server.url}/victims/{victim.pk}/")
    sections = _case_work(page)
    expect(sections).to_contain_text("Sleeps through the night")
    expect(sections).to_contain_text("Signed consent to services")
    expect(sections).not_to_contain_text("Nightmares")
    shoot(page, f"casework-owner-{language}")

    # And the police, who rescued her, see none of it
    page.context.clear_cookies()
    sign_in(page, "officer")
    page.goto(f"{live_server.url}/victims/{victim.pk}/")
    expect(page.locator("main")).to_contain_text("Sreypov")
    assert page.locator("#case-work").count() == 0
    response = page.goto(f"{live_server.url}/casework/victims/{victim.pk}/")
    assert response.status == 403
    for text in ("Nightmares", "Sleeps through", "Signed consent", "recruiter phoned"):
        assert text not in page.content()
    # htmx and the forms worked under the Content-Security-Policy (the 403 above is expected).
    assert [text for text in page.console_errors if "Content Security Policy" in text] == []
