"""The secretariat's dashboard in Chromium (issues 13 and 17): choose a quarter and a province,
see at once that the figures are being prepared, then (without reloading: the placeholder polls
while a background thread builds them) read charts whose bars carry their names (English and
Khmer, shaped by the browser with Noto Sans Khmer) on a linear axis from 0, at 1280 px in
English and 375 px in Khmer, under the page's CSP."""

from __future__ import annotations

import datetime as dt
import os
import re
from io import BytesIO
from pathlib import Path

import pytest
from playwright.sync_api import expect

from reports.tasks import wait_for_background_reports
from tests.factories import OperationFactory, RescueFactory, SuspectFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
# Reviewers' screenshots only on request (CTMS_DOC_SCREENSHOTS=1), as in test_records_ui.
DOCS = ROOT / (
    "docs/screenshots" if os.environ.get("CTMS_DOC_SCREENSHOTS") else "test-artifacts/docs"
)
KHMER = re.compile("[\u1780-\u17ff]")
# The background build of a tiny database takes well under a second; a loaded machine (two
# cores shared by the whole test run) may take far longer: wait generously for the figures.
FIGURES_TIMEOUT_MS = 90_000


def doc_shot(page, name: str, width: int, language: str) -> None:
    """A small PNG for reviewers: the top of the page, 64 colours."""
    from PIL import Image

    image = Image.open(BytesIO(page.screenshot(full_page=True))).convert("RGB")
    image = image.crop((0, 0, image.width, min(image.height, 1600 if width < 600 else 1000)))
    if width > 600:
        image = image.resize((image.width * 3 // 4, image.height * 3 // 4))
    DOCS.mkdir(parents=True, exist_ok=True)
    image.quantize(colors=64).save(DOCS / f"{name}-{width}-{language}.png", optimize=True)


@pytest.mark.parametrize(("width", "language"), [(1280, "en"), (375, "km")])
def test_secretariat_chooses_a_quarter_and_a_province_and_reads_named_bars(
    analyst_page, live_server, compiled_messages, width, language
):
    # Given 2010-Q3: three operations in Banteay Meanchey (01) and one in Phnom Penh (12)
    for province in ("01", "01", "01", "12"):
        operation = OperationFactory(date=dt.date(2010, 8, 1), province=province)
        operation.suspects_detained.add(SuspectFactory())
        RescueFactory(operation=operation)
    context, page, errors = analyst_page(width, language)

    # When the secretariat chooses 2010-Q3 and Banteay Meanchey on the dashboard
    page.goto(f"{live_server.url}/reports/dashboard/")
    page.select_option("#id_period", "2010-Q3")
    page.select_option("#id_province", "01")
    with page.expect_navigation(url=re.compile(r"period=2010-Q3&province=01")) as navigation:
        page.click("#dashboard-choice button[type=submit]")

    # Then the page answers at once: its frame, and a status saying the figures are coming
    answered = navigation.value.text()
    assert 'data-state="preparing"' in answered and 'role="status"' in answered
    assert "ctms-chart" not in answered
    if language == "km":
        assert "កំពុងរៀបចំតួលេខសម្រាប់ 2010-Q3, " in answered
    else:
        assert "Preparing the figures for 2010-Q3, Banteay Meanchey…" in answered
    expect(page.locator("h1")).to_contain_text("2010-Q3")
    page.evaluate("window.ctmsSamePage = true")
    # And the figures appear in place, without reloading the page
    figures = page.locator('#dashboard-figures[data-state="ready"]')
    expect(figures).to_be_visible(timeout=FIGURES_TIMEOUT_MS)
    assert page.evaluate("window.ctmsSamePage === true")
    expect(page.locator('#dashboard-figures[data-state="preparing"]')).to_have_count(0)

    # Then the charts name every bar, in the user's language, beside its bars
    law = page.locator("#section-law_enforcement .ctms-chart")
    labels = law.locator(".ctms-chart-label").all_inner_texts()
    assert len(labels) == 7 and not any(text.strip().isdigit() for text in labels)
    if language == "km":
        assert all(KHMER.search(text) for text in labels), labels
        font = law.locator(".ctms-chart-label").first.evaluate(
            "e => getComputedStyle(e).fontFamily"
        )
        assert "Noto Sans Khmer" in font or "Khmer" in page.evaluate(
            "[...document.fonts].map(f => f.family).join(',')"
        )
    else:
        assert labels[0] == "Operations"
    # And the operations bar of this quarter is 3 on an axis from 0 to 3 (the province's, not 4)
    operations = law.locator('tr[data-key="law_enforcement.operations"]')
    share = operations.evaluate(
        """row => { const bar = row.querySelector('.ctms-bar-current');
                    return bar.getBoundingClientRect().width
                           / bar.ownerSVGElement.getBoundingClientRect().width; }"""
    )
    ticks = law.locator(".ctms-chart-axis text").all_text_contents()
    assert ticks[0] == "0" and ticks[-1] == "3"
    assert share == pytest.approx(1.0, abs=0.01)
    expect(page.locator("#id_province")).to_have_value("01")
    expect(page.locator("h1")).to_contain_text("2010-Q3")
    # And the page fits the screen, with nothing refused by the Content-Security-Policy
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert [text for text in errors if "Content Security" in text] == []
    assert errors == []
    doc_shot(page, "dashboard", width, language)
    context.close()
    wait_for_background_reports()  # the default choice's build, asked for by the first page
