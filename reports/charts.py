"""Charts of a section's figures against the same period a year earlier, drawn as HTML + SVG.

`section_chart()` turns the report's figures into rows of bars with their lengths already worked
out (per cent of the axis); the template `reports/_chart.html` draws them as a table: the row's
name in an HTML cell (the browser or WeasyPrint shapes the Khmer with the Noto Sans Khmer font
and wraps long names) and its two bars in an inline SVG whose `<rect>` widths are per cent
attributes, not inline styles, so the page's Content-Security-Policy (`style-src 'self'`)
allows them. No picture is drawn on the server: a chart costs a template loop.

Every axis is linear and starts at 0. Rows whose magnitudes are too far apart for one linear
axis (deportees in 100,000s beside cases in 100s) are split into panels, each with its own
axis, at the boundary of a figure group: never a logarithmic axis.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from .wording import label, number

CURRENT_COLOUR = "#0d6efd"
PREVIOUS_COLOUR = "#6c757d"
# Largest bar of a panel over the largest of a figure group joining it: beyond this the smaller
# group's bars would be a few pixels long, so it starts a panel of its own.
PANEL_RATIO = 20
TICK_INTERVALS = 4
# Beyond this share of the axis a bar's number is written inside its end (white on the bar).
INSIDE_FROM = 80.0


@dataclass(frozen=True)
class Bar:
    """One figure: its name and its two bars (previous period, this period)."""

    key: str
    label: str
    previous: int
    value: int
    previous_width: str  # "63.50%": an SVG length, never localised
    value_width: str
    previous_inside: bool
    value_inside: bool

    @property
    def previous_text(self) -> str:
        return number(self.previous)

    @property
    def value_text(self) -> str:
        return number(self.value)


@dataclass(frozen=True)
class Tick:
    value: int
    x: str  # "25.00%"
    anchor: str  # SVG text-anchor: start, middle, end

    @property
    def text(self) -> str:
        return number(self.value)


@dataclass(frozen=True)
class Panel:
    """Bars that share one linear axis from 0 to `ticks[-1].value`."""

    bars: list[Bar]
    ticks: list[Tick]


@dataclass(frozen=True)
class Chart:
    section: str
    previous_label: str
    current_label: str
    panels: list[Panel]
    previous_colour: str = PREVIOUS_COLOUR
    current_colour: str = CURRENT_COLOUR


def scalar_rows(report: dict[str, Any], section: str) -> list[tuple[str, int, int]]:
    """`[(dotted key, value, previous), …]` of the section's scalar figures, in report order."""
    prefix = f"{section}."
    return [
        (key, item["value"], item["previous"])
        for key, item in report["changes"].items()
        if key.startswith(prefix) and ".by_" not in key
    ]


def nice_step(largest: int, intervals: int = TICK_INTERVALS) -> int:
    """The smallest whole step of 1, 2, 2.5 or 5 × 10ⁿ with `intervals` steps ≥ `largest`."""
    if largest <= intervals:
        return 1
    raw = largest / intervals
    magnitude = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 2.5, 5, 10):
        step = multiple * magnitude
        if step >= raw and step == int(step):
            return int(step)
    return int(10 * magnitude)  # pragma: no cover - 10 × magnitude is always ≥ raw


def axis_ticks(largest: int) -> list[int]:
    """Tick values of a linear axis from 0 that holds `largest`: 0, step, …, ≥ largest."""
    step = nice_step(max(largest, 1))
    top = step * max(1, math.ceil(max(largest, 1) / step))
    return list(range(0, top + 1, step))


def _percent(value: int, top: int) -> float:
    return 100.0 * value / top if top else 0.0


def _group(key: str, section: str) -> str:
    """The figure group of a dotted key: `victim_protection.deportees.total` → `deportees`;
    top-level figures (`victim_protection.cases_opened`) form the group ``""``."""
    parts = key[len(section) + 1 :].split(".")
    return parts[0] if len(parts) > 1 else ""


def _panels_of(rows: list[tuple[str, int, int]], section: str) -> list[list[tuple[str, int, int]]]:
    """Consecutive figure groups, merged while their largest values stay within PANEL_RATIO."""
    groups: list[list[tuple[str, int, int]]] = []
    for row in rows:
        if groups and _group(groups[-1][-1][0], section) == _group(row[0], section):
            groups[-1].append(row)
        else:
            groups.append([row])
    panels: list[list[tuple[str, int, int]]] = []
    panel_largest = 0
    for group in groups:
        largest = max(max(value, previous) for _key, value, previous in group)
        if panels:
            high, low = max(panel_largest, largest), min(panel_largest, largest)
            if low == 0 or high <= PANEL_RATIO * low:
                panels[-1].extend(group)
                panel_largest = high
                continue
        panels.append(list(group))
        panel_largest = largest
    return panels


def _panel(rows: list[tuple[str, int, int]], language: str) -> Panel:
    values = axis_ticks(max(max(value, previous) for _key, value, previous in rows))
    top = values[-1]
    ticks = [
        Tick(
            value,
            f"{_percent(value, top):.2f}%",
            "start" if index == 0 else "end" if index == len(values) - 1 else "middle",
        )
        for index, value in enumerate(values)
    ]
    bars = []
    for key, value, previous in rows:
        previous_pct, value_pct = _percent(previous, top), _percent(value, top)
        bars.append(
            Bar(
                key=key,
                label=label(key, language),
                previous=previous,
                value=value,
                previous_width=f"{previous_pct:.2f}%",
                value_width=f"{value_pct:.2f}%",
                previous_inside=previous_pct >= INSIDE_FROM,
                value_inside=value_pct >= INSIDE_FROM,
            )
        )
    return Panel(bars=bars, ticks=ticks)


def section_chart(report: dict[str, Any], section: str, language: str) -> Chart:
    """The section's scalar figures as bars named in `language`, on linear axes from 0."""
    rows = scalar_rows(report, section)
    return Chart(
        section=section,
        previous_label=report["previous_period"]["label"],
        current_label=report["period"]["label"],
        panels=[_panel(panel, language) for panel in _panels_of(rows, section)] if rows else [],
    )
