"""The report's files: XLSX (a sheet per section), CSV and PDF (tables, sentences and charts),
each in English and Khmer. Every renderer takes the report JSON and returns bytes."""

from __future__ import annotations

import csv
import io
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_noop
from openpyxl import Workbook
from openpyxl.styles import Font

from ctms.cells import safe_cell

from . import pdf_text
from .charts import section_chart
from .sentences import sentences
from .wording import LABELS, SECTIONS, label, number, ordered_entries, tr

# WeasyPrint and fontTools narrate every step at INFO; a report run is not worth that noise.
for _name in ("weasyprint", "fontTools"):
    logging.getLogger(_name).setLevel(logging.WARNING)

FORMATS = ("xlsx", "csv", "pdf")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "pdf": "application/pdf",
}


@dataclass(frozen=True)
class Row:
    """One line of a section's table."""

    key: str
    label: str
    previous: int
    value: int
    change: int
    change_pct: float | None

    @property
    def is_entry(self) -> bool:
        """A breakdown entry (`…by_country.THA`): listed in the table, not charted."""
        return ".by_" in self.key

    @property
    def texts(self) -> tuple[str, str, str, str]:
        """Previous, value, signed change and change % as printed (not localised: 68.04)."""
        pct = "–" if self.change_pct is None else f"{self.change_pct:+.2f}"
        return number(self.previous), number(self.value), f"{self.change:+,}", pct


def figure_keys(now: dict[str, Any], before: dict[str, Any], prefix: str = "") -> list[str]:
    """Dotted keys of a part of the figures over both periods, in the section's order: the
    figures' own order (SPEC section 4), each breakdown's entries of either period merged in
    its place (`wording.ordered_entries`), never appended after the section's other rows."""
    name = prefix.rstrip(".").rpartition(".")[2]
    if name.startswith("by_"):
        return [f"{prefix}{code}" for code in ordered_entries(name, now, before)]
    keys = []
    children = [*now, *(child for child in before if child not in now)]
    # Stored figures may come back in another key order (PostgreSQL's jsonb sorts them): the
    # order is the labels' (SPEC section 4), unknown keys after, as they came.
    for child in sorted(children, key=lambda child: _place(f"{prefix}{child}")):
        value, previous = now.get(child), before.get(child)
        if isinstance(value, dict) or isinstance(previous, dict):
            keys += figure_keys(value or {}, previous or {}, f"{prefix}{child}.")
        else:
            keys.append(f"{prefix}{child}")
    return keys


_ORDER = {key: place for place, key in enumerate(LABELS)}


def _place(key: str) -> int:
    """Where a dotted key (or the group of keys under it) stands in the section's order."""
    if key in _ORDER:
        return _ORDER[key]
    return min(
        (place for known, place in _ORDER.items() if known.startswith(f"{key}.")),
        default=len(_ORDER),
    )


def section_rows(report: dict[str, Any], section: str, language: str) -> list[Row]:
    prefix = f"{section}."
    ordered = figure_keys(
        report["figures"].get(section, {}), report["previous_figures"].get(section, {}), prefix
    )
    changes = report["changes"]
    # Keys of the changes the figures do not hold (none in a report built here) keep their place.
    keys = [key for key in ordered if key in changes]
    known = set(ordered)
    keys += [key for key in changes if key.startswith(prefix) and key not in known]
    return [
        Row(
            key,
            label(key, language),
            changes[key]["previous"],
            changes[key]["value"],
            changes[key]["change"],
            changes[key]["change_pct"],
        )
        for key in keys
    ]


def headers(report: dict[str, Any], language: str) -> list[str]:
    return [
        "key",
        tr(gettext_noop("Figure"), language),
        report["previous_period"]["label"],
        report["period"]["label"],
        tr(gettext_noop("Change"), language),
        tr(gettext_noop("Change %"), language),
    ]


def render_xlsx(report: dict[str, Any], language: str) -> bytes:
    """A summary sheet with the sentences, then one sheet per section; numbers as numbers."""
    book = Workbook()
    summary = book.active
    summary.title = tr(gettext_noop("Summary"), language)[:31]
    summary.append([tr(gettext_noop("NC/S.T.S.L.S statistics report"), language)])
    summary.append([tr(gettext_noop("Period"), language), report["period"]["label"]])
    summary.append(
        [tr(gettext_noop("Compared with"), language), report["previous_period"]["label"]]
    )
    for section, lines in sentences(report, language).items():
        summary.append([])
        summary.append([tr(SECTIONS[section], language)])
        summary.cell(row=summary.max_row, column=1).font = Font(bold=True)
        for line in lines:
            summary.append([safe_cell(line)])
    for section in SECTIONS:
        sheet = book.create_sheet(tr(SECTIONS[section], language)[:31])
        sheet.append(headers(report, language))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in section_rows(report, section, language):
            values = [row.key, row.label, row.previous, row.value, row.change, row.change_pct]
            sheet.append([safe_cell(value) for value in values])
        sheet.column_dimensions["A"].width = 48
        sheet.column_dimensions["B"].width = 44
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def render_csv(report: dict[str, Any], language: str) -> bytes:
    """One line per figure; UTF-8 with a byte order mark so spreadsheets read the Khmer."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["section", *headers(report, language)])
    for section in SECTIONS:
        for row in section_rows(report, section, language):
            pct = "" if row.change_pct is None else row.change_pct
            values = [section, row.key, row.label, row.previous, row.value, row.change, pct]
            writer.writerow([safe_cell(value) for value in values])
    return buffer.getvalue().encode("utf-8-sig")


def pdf_context(report: dict[str, Any], language: str) -> dict[str, Any]:
    lines = sentences(report, language)
    return {
        "report": report,
        "language": language,
        "title": tr(gettext_noop("NC/S.T.S.L.S statistics report"), language),
        "period_label": tr(gettext_noop("Period"), language),
        "compared_label": tr(gettext_noop("Compared with"), language),
        "headers": headers(report, language)[1:],
        "no_names": tr(gettext_noop("No names: aggregate figures only."), language),
        "font_url": (settings.BASE_DIR / "static" / "fonts" / "NotoSansKhmer.ttf").as_uri(),
        "charts_css_url": (settings.BASE_DIR / "static" / "css" / "charts.css").as_uri(),
        "sections": [
            {
                "title": tr(title, language),
                "sentences": lines[section],
                "rows": section_rows(report, section, language),
                "chart": section_chart(report, section, language),
            }
            for section, title in SECTIONS.items()
        ],
    }


def render_pdf(report: dict[str, Any], language: str) -> bytes:
    """HTML → PDF with WeasyPrint; the Khmer font is loaded by @font-face from a file:// URL."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    pdf_text.install()
    with translation.override(language):
        html = render_to_string("reports/report_pdf.html", pdf_context(report, language))
    fonts = FontConfiguration()
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(font_config=fonts)


RENDERERS = {"xlsx": render_xlsx, "csv": render_csv, "pdf": render_pdf}


def render(report: dict[str, Any], file_format: str, language: str) -> bytes:
    return RENDERERS[file_format](report, language)


def file_name(report: dict[str, Any], file_format: str, language: str) -> str:
    period = report["period"]["label"].replace("..", "_")
    return f"ctms-report-{period}-{language}.{file_format}"
