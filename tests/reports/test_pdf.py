"""The Khmer PDF: Khmer text with the vendored font that copies out as the report's Khmer
(`reports.pdf_text`), and page 1 as PNG for a human to look at."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import zlib
from pathlib import Path

import pytest

from reports.documents import render_pdf
from reports.figures import build_report
from reports.pdf_text import needs_actual_text
from reports.periods import parse_period
from reports.sentences import sentences
from reports.wording import SECTIONS, label, tr
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


def pdf_text(pdf: bytes, tmp_path: Path, *options: str) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", *options, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is not installed")
def test_text_copied_from_the_khmer_pdf_is_the_report_s_khmer(db, tmp_path, compiled_messages):
    # Given a report with Khmer sentences full of stacked consonants and split vowels
    operation = OperationFactory(date=dt.date(2010, 5, 1))
    operation.suspects_detained.add(SuspectFactory(citizenship="GBR"))
    RescueFactory(operation=operation)
    report = build_report(parse_period("2010"))
    khmer = [line for lines in sentences(report, "km").values() for line in lines]
    # When the Khmer PDF's text is extracted as a reader copies it
    text = pdf_text(render_pdf(report, "km"), tmp_path)
    # Then every sentence comes back whole, in logical order (line breaks aside)
    flat = re.sub(r"\s+", "", text)
    assert [line for line in khmer if re.sub(r"\s+", "", line) not in flat] == []
    words = set(text.split())
    assert [word for line in khmer for word in line.split() if word not in words] == []
    # and so do the table's labels and the section titles
    for key in ("law_enforcement.suspects_detained.total", "victim_protection.deportees.total"):
        assert label(key, "km") in text
    assert tr(SECTIONS["child_affairs"], "km") in text


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is not installed")
def test_latin_lines_keep_their_glyphs_own_text(db, tmp_path):
    report = build_report(parse_period("2010"))

    pdf = render_pdf(report, "en")

    assert b"/ActualText" not in b"".join(_streams(pdf))
    assert "Police investigated and cracked down" in pdf_text(pdf, tmp_path)


def _streams(pdf: bytes) -> list[bytes]:
    found = []
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        try:
            found.append(zlib.decompress(match.group(1)))
        except zlib.error:
            found.append(match.group(1))
    return found


@pytest.mark.parametrize(
    ("text", "wrapped"),
    [
        ("ស្រី", True),
        ("ករណី 12", True),
        ("Police 12", False),
        ("2009 – 2010 (F=3)", False),
        ("café", False),  # precomposed: one glyph per character
        ("cafe\u0301", True),  # a combining accent
    ],
)
def test_which_lines_carry_their_actual_text(text, wrapped):
    assert needs_actual_text(text) is wrapped
