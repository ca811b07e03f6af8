"""The report's page in a real browser (issue 13, item 11): sentences in the singular where
the count is 1, and a partner only the previous year had listed with the referrals; at 1280 px
in English and 375 px in Khmer."""

from __future__ import annotations

import pytest

from reports.models import ReportRun
from reports.periods import parse_period
from reports.services import run_fields
from reports.wording import label
from tests.browser.sessions import signed_in_context
from tests.browser.test_records_ui import doc_shot
from tests.reports.report_data import figures, report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REFERRALS = {
    "en": "Made 1 referral to partners: 1 to AFESIP, a reduction of 1 referral or 50.00% "
    "from 2009 (2 in 2009).",
    "km": "បានធ្វើការបញ្ជូន 1 ករណី ទៅដៃគូ៖ ទៅ AFESIP 1 ករណី ថយចុះ 1 ករណី ឬ 50.00% "
    "ធៀបនឹងឆ្នាំ 2009 (2 ក្នុងឆ្នាំ 2009)។",
}


@pytest.mark.parametrize(("width", "language"), [(1280, "en"), (375, "km")])
def test_the_report_page_counts_in_the_singular_and_keeps_the_partners_together(
    world, browser, live_server, compiled_messages, width, language
):
    # Given a finished 2010 run: one of everything, two in 2009, HCC referred to in 2009 only
    data = report(figures(1), figures(2, by_partner={"AFESIP": 1, "HCC": 1}))
    run = ReportRun.objects.create(
        **run_fields(parse_period("2010")),
        created_by=world.users.analyst,
        status=ReportRun.Status.DONE,
        progress=100,
        figures=data["figures"],
        previous_figures=data["previous_figures"],
        changes=data["changes"],
    )
    context = signed_in_context(
        browser, live_server, world.users.analyst, language, width=width, height=900
    )
    page = context.new_page()
    page.width, page.language = width, language
    # When the analyst opens it
    page.goto(f"{live_server.url}/reports/{run.pk}/")
    # Then the referrals' sentence counts 1 referral, and its change counts referrals
    text = " ".join(page.inner_text("main").split())
    assert REFERRALS[language] in text
    # And in the table HCC (2009 only) follows AFESIP, before the reintegration rows
    cells = page.locator("main tbody td:first-child").all_inner_texts()
    labels = [" ".join(cell.split()) for cell in cells]
    partner = "victim_protection.referrals.by_partner."
    start = labels.index(label(f"{partner}AFESIP", language))
    assert labels[start : start + 3] == [
        label(f"{partner}AFESIP", language),
        label(f"{partner}HCC", language),
        label("victim_protection.reintegration.monitored.total", language),
    ]
    # And the page does not scroll sideways
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    doc_shot(page, "report-run")
    context.close()
