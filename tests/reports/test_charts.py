"""The report's charts: bars named in English and Khmer (never numbered), linear axes from 0,
drawn as HTML + SVG by a template (no picture made on the server), in the dashboard and the PDF."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.template.loader import render_to_string

from reports.charts import axis_ticks, nice_step, section_chart
from reports.documents import pdf_context
from reports.figures import build_report, changes
from reports.periods import parse_period
from reports.wording import LABELS, tr
from tests.factories import OperationFactory, RescueFactory

KHMER_LETTERS = re.compile("[\u1780-\u17ff]")


def report_of(figures: dict, previous: dict) -> dict:
    return {
        "period": {"label": "2010-Q3", "start": "2010-07-01", "end": "2010-09-30"},
        "previous_period": {"label": "2009-Q3", "start": "2009-07-01", "end": "2009-09-30"},
        "figures": figures,
        "previous_figures": previous,
        "changes": changes(figures, previous),
    }


LAW = {
    "law_enforcement": {
        "operations": 160,
        "cases_investigated": 150,
        "suspects_detained": {
            "total": 242,
            "female": 79,
            "foreign": 5,
            "by_citizenship": {"GBR": 4},
        },
        "victims_rescued": {"total": 400, "female": 300, "by_age_band": {"18_plus": 5}},
    }
}
LAW_BEFORE = {
    "law_enforcement": {
        "operations": 165,
        "cases_investigated": 84,
        "suspects_detained": {"total": 139, "female": 40, "foreign": 0, "by_citizenship": {}},
        "victims_rescued": {"total": 350, "female": 200, "by_age_band": {}},
    }
}
PROTECTION = {
    "victim_protection": {
        "referrals": {"total": 120, "by_partner": {"AFESIP": 120}},
        "cases_opened": 90,
        "cases_closed": 60,
        "deportees": {"total": 104_000, "female": 41_000, "children": 3_000},
    }
}
PROTECTION_BEFORE = {
    "victim_protection": {
        "referrals": {"total": 116, "by_partner": {}},
        "cases_opened": 80,
        "cases_closed": 70,
        "deportees": {"total": 98_000, "female": 39_500, "children": 2_800},
    }
}


def bars_of(chart):
    return [bar for panel in chart.panels for bar in panel.bars]


def test_bars_are_named_in_english_in_report_order_breakdowns_left_to_the_table():
    chart = section_chart(report_of(LAW, LAW_BEFORE), "law_enforcement", "en")
    assert [bar.label for bar in bars_of(chart)] == [
        "Operations",
        "Cases investigated",
        "Suspects detained",
        "Suspects detained, female",
        "Suspects detained, foreign",
        "Victims rescued",
        "Victims rescued, female",
    ]
    assert [(bar.previous, bar.value) for bar in bars_of(chart)][:2] == [(165, 160), (84, 150)]


def test_bars_are_named_in_khmer_from_the_catalogue(db, compiled_messages):
    chart = section_chart(report_of(LAW, LAW_BEFORE), "law_enforcement", "km")
    labels = [bar.label for bar in bars_of(chart)]
    assert labels[0] == tr(LABELS["law_enforcement.operations"], "km") != "Operations"
    assert all(KHMER_LETTERS.search(text) for text in labels), labels


def test_axis_is_linear_from_zero_and_holds_the_largest_bar():
    chart = section_chart(report_of(LAW, LAW_BEFORE), "law_enforcement", "en")
    (panel,) = chart.panels  # 79 … 400: one axis
    values = [tick.value for tick in panel.ticks]
    assert values[0] == 0 and values[-1] >= 400
    steps = {b - a for a, b in zip(values, values[1:], strict=False)}
    assert len(steps) == 1  # equal steps: linear
    assert panel.ticks[0].x == "0.00%" and panel.ticks[-1].x == "100.00%"
    top = values[-1]
    for bar in panel.bars:  # each bar's length is its value over the axis, in per cent
        assert float(bar.value_width.rstrip("%")) == pytest.approx(100 * bar.value / top, abs=0.01)
        assert float(bar.previous_width.rstrip("%")) == pytest.approx(
            100 * bar.previous / top, abs=0.01
        )


@pytest.mark.parametrize(
    ("largest", "ticks"),
    [
        (0, [0, 1]),
        (3, [0, 1, 2, 3]),
        (7, [0, 2, 4, 6, 8]),
        (400, [0, 100, 200, 300, 400]),
        (401, [0, 200, 400, 600]),
        (104_000, [0, 50_000, 100_000, 150_000]),
        (95, [0, 25, 50, 75, 100]),
    ],
)
def test_axis_ticks_are_round_and_start_at_zero(largest, ticks):
    assert axis_ticks(largest) == ticks
    assert nice_step(largest) == ticks[1]


def test_figures_of_far_apart_magnitudes_get_their_own_linear_axis_not_a_log_one():
    chart = section_chart(report_of(PROTECTION, PROTECTION_BEFORE), "victim_protection", "en")
    assert [[bar.key.split(".", 1)[1] for bar in panel.bars] for panel in chart.panels] == [
        ["referrals.total", "cases_opened", "cases_closed"],
        ["deportees.total", "deportees.female", "deportees.children"],
    ]
    for panel in chart.panels:
        assert panel.ticks[0].value == 0
        assert panel.ticks[-1].value >= max(max(b.value, b.previous) for b in panel.bars)
    assert chart.panels[0].ticks[-1].value < 1000 < chart.panels[1].ticks[-1].value


def test_the_template_draws_named_bars_with_per_cent_widths_and_no_inline_style():
    chart = section_chart(report_of(LAW, LAW_BEFORE), "law_enforcement", "en")
    html = render_to_string("reports/_chart.html", {"chart": chart})
    names = re.findall(r'<th scope="row" class="ctms-chart-label">([^<]+)</th>', html)
    assert names == [bar.label for bar in bars_of(chart)]
    assert not any(name.strip().isdigit() for name in names)  # no "1", "2", … labels
    assert 'width="40.00%"' in html  # 160 operations on an axis to 400
    assert "style=" not in html and "<script" not in html and "data:image" not in html
    assert re.findall(r'data-tick="(\d+)"', html) == ["0", "100", "200", "300", "400"]
    assert 'aria-label="Operations: 2009-Q3 165, 2010-Q3 160"' in html


def test_the_khmer_template_names_the_bars_in_khmer(db, compiled_messages):
    chart = section_chart(report_of(LAW, LAW_BEFORE), "law_enforcement", "km")
    html = render_to_string("reports/_chart.html", {"chart": chart})
    names = re.findall(r'<th scope="row" class="ctms-chart-label">([^<]+)</th>', html)
    assert len(names) == 7 and all(KHMER_LETTERS.search(name) for name in names)


@pytest.mark.parametrize("language", ["en", "km"])
def test_the_pdf_html_holds_the_named_charts_and_the_shared_stylesheet(
    db, compiled_messages, language
):
    operation = OperationFactory(date=dt.date(2010, 5, 1))
    RescueFactory(operation=operation)
    context = pdf_context(build_report(parse_period("2010")), language)
    html = render_to_string("reports/report_pdf.html", context)
    assert html.count('<figure class="ctms-chart"') == 5
    assert f'href="{context["charts_css_url"]}"' in html
    names = re.findall(r'class="ctms-chart-label">([^<]+)<', html)
    assert tr(LABELS["law_enforcement.victims_rescued.total"], language) in names
    assert tr(LABELS["victim_protection.deportees.total"], language) in names
    assert "<img" not in html
