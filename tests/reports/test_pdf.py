"""The Khmer PDF: Khmer text with the vendored font, and page 1 as PNG for a human to look at."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from reports.documents import render_pdf
from reports.figures import build_report
from reports.periods import parse_period
from tests.factories import OperationFactory, RescueFactory, SuspectFactory

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
KHMER_LETTERS = re.compile("[\u1780-\u17ff]")


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils is not installed")
def test_khmer_pdf_has_khmer_text_in_the_vendored_font_and_page_1_renders(db, tmp_path):
    # Given an operation in 2010 that detained a British suspect and rescued a victim
    operation = OperationFactory(date=dt.date(2010, 5, 1))
    operation.suspects_detained.add(SuspectFactory(citizenship="GBR"))
    RescueFactory(operation=operation)
    report = build_report(parse_period("2010"))
    # When the Khmer PDF is rendered
    pdf = tmp_path / "report-km.pdf"
    pdf.write_bytes(render_pdf(report, "km"))
    # Then its text is Khmer, set in Noto Sans Khmer, with the figures in it
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert len(KHMER_LETTERS.findall(text)) > 500
    assert "2010" in text and "2009" in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    assert "Noto-Sans-Khmer" in fonts
    # And page 1 is saved as PNG in test-artifacts/ for a human to check the shaping
    ARTIFACTS.mkdir(exist_ok=True)
    prefix = ARTIFACTS / "report-km"
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "80",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf),
            str(prefix),
        ],
        check=True,
    )
    png = prefix.with_suffix(".png")
    assert png.read_bytes().startswith(b"\x89PNG")
