"""Charts of a section's figures against the same period a year earlier (matplotlib, SVG).

The bars are numbered (1, 2, …) after the rows of the section's table rather than labelled:
matplotlib does not shape Khmer script, so every word stays in the HTML around the chart, where
the browser or WeasyPrint shapes it with the Khmer font.
"""

from __future__ import annotations

import io
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display in workers and tests

from matplotlib.figure import Figure  # noqa: E402

CURRENT_COLOUR = "#0d6efd"
PREVIOUS_COLOUR = "#adb5bd"


def scalar_rows(report: dict[str, Any], section: str) -> list[tuple[str, int, int]]:
    """`[(dotted key, value, previous), …]` of the section's scalar figures, in report order."""
    prefix = f"{section}."
    return [
        (key, item["value"], item["previous"])
        for key, item in report["changes"].items()
        if key.startswith(prefix) and ".by_" not in key
    ]


def comparison_svg(report: dict[str, Any], section: str) -> str:
    """A horizontal bar chart, this period against the previous one, as an SVG document."""
    rows = scalar_rows(report, section)
    numbers = [str(index) for index in range(1, len(rows) + 1)]
    positions = list(range(len(rows)))
    figure = Figure(figsize=(6.5, 0.32 * len(rows) + 1.0))
    axes = figure.add_subplot()
    height = 0.4
    axes.barh(
        [p - height / 2 for p in positions],
        [row[2] for row in rows],
        height,
        color=PREVIOUS_COLOUR,
        label=report["previous_period"]["label"],
    )
    axes.barh(
        [p + height / 2 for p in positions],
        [row[1] for row in rows],
        height,
        color=CURRENT_COLOUR,
        label=report["period"]["label"],
    )
    axes.set_yticks(positions, numbers)
    axes.invert_yaxis()
    largest = max([1, *(max(row[1], row[2]) for row in rows)])
    smallest = min([largest, *(v for row in rows for v in row[1:] if v > 0)])
    if largest / max(smallest, 1) > 200:  # deportees (100 000s) beside cases (100s)
        axes.set_xscale("symlog")
    axes.legend(loc="lower right", fontsize="small")
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()
