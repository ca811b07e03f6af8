"""The CTDC export page in Chromium (issue 17): with no counts kept yet the page answers at once
with a "Counting…" placeholder, the count runs in the background (the thread of the embedded
default), and the placeholder polls until the counts are there, with the time they were
counted. 1280 px in English, 375 px in Khmer."""

from __future__ import annotations

import re
import threading
from unittest import mock

import pytest
from playwright.sync_api import expect

from exports.ctdc import ctdc_summary
from exports.tasks import wait_for_background_counts
from tests.browser.test_dashboard_ui import KHMER
from tests.exports.conftest import add_group

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("width", "language"), [(1280, "en"), (375, "km")])
def test_the_counts_appear_when_the_background_count_is_done(
    analyst_page, live_server, compiled_messages, width, language
):
    add_group(11, sex="female", birth_year=1995)
    add_group(4, sex="male", birth_year=1970)
    context, page, errors = analyst_page(width, language)
    gate = threading.Event()

    def slow_count(k):  # a large database: the count is still running when the page shows
        gate.wait(30)
        return ctdc_summary(k)

    try:
        with mock.patch("exports.summary.ctdc_summary", side_effect=slow_count):
            # When the secretariat opens the export page before anything was counted
            page.goto(f"{live_server.url}/reports/exports/")
            summary = page.get_by_test_id("ctdc-summary")
            # Then the page is there at once, saying the rows are being counted
            counting = page.get_by_test_id("ctdc-summary-counting")
            expect(counting).to_be_visible()
            if language == "km":
                assert KHMER.search(counting.inner_text())
            else:
                expect(counting).to_contain_text("Counting rows…")
            expect(counting.locator("a")).to_have_attribute("href", "/reports/exports/")
            # And when the count is done the counts replace it without a reload
            page.evaluate("window.ctdcSamePage = true")
            gate.set()
            counts = page.get_by_test_id("ctdc-summary-counts")
            expect(counts).to_be_visible(timeout=20_000)
        wait_for_background_counts()
        text = counts.inner_text()
        assert re.search(r"\b11\b", text) and re.search(r"\b4\b", text)
        if language == "km":
            assert KHMER.search(text)
        else:
            assert "11 rows will be exported; 4 rows are suppressed" in text
        expect(page.get_by_test_id("ctdc-summary-age")).to_contain_text(
            re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}")
        )
        expect(summary).not_to_have_attribute("hx-trigger", re.compile("every"))  # polling ended
        assert page.evaluate("window.ctdcSamePage === true")  # swapped in, not reloaded
        # And the page fits the screen, with nothing refused by the Content-Security-Policy
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert errors == []
    finally:
        gate.set()
        wait_for_background_counts()
        context.close()
