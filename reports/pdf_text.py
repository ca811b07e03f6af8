"""Text that can be copied out of the report's PDF, in Khmer as in English.

WeasyPrint writes one ToUnicode entry per glyph: the text of the cluster of the glyph's *first*
use (`weasyprint.draw.text.draw_first_line`). Khmer shaping breaks that in two ways. A cluster
drawn with several glyphs (a consonant with a subscript, a split or pre-base vowel: "ស្រី",
"បើ") maps all its text to its last glyph and nothing to the others; and a glyph met first inside
such a cluster keeps that cluster's text everywhere else. Copying or `pdftotext` then gives
"ករណស៊ើ" for "ករណី", and drops the pre-base vowels. A ToUnicode map cannot be right for every
use of a shared glyph, so each line with complex-script text is wrapped in a marked-content span
whose `/ActualText` is the line's own text (PDF 32000-1, 14.9.4): readers that honour it
(poppler's pdftotext, Acrobat, PDFium) extract that text in place of the glyphs' mapping.

`install()` wraps WeasyPrint's line drawer once; lines of plain Latin text are left as they are
(their glyphs map one to one already).
"""

from __future__ import annotations

import functools
import unicodedata
from typing import Any

_INSTALLED = "_ctms_actual_text"


def needs_actual_text(text: str) -> bool:
    """True for text that shaping may draw with glyphs that do not map one to one to its
    characters: combining marks (Khmer vowels, signs and the coeng are marks) or Khmer letters."""
    return any(
        unicodedata.category(char).startswith("M") or 0x1780 <= ord(char) <= 0x17FF for char in text
    )


def line_text(textbox: Any) -> str:
    """The characters of the first (only drawn) line of a WeasyPrint text box."""
    layout = textbox.pango_layout
    line, _ = layout.get_first_line()
    encoded = layout.text.encode()
    return encoded[line.start_index : line.start_index + line.length].decode()


def with_actual_text(draw_first_line):
    @functools.wraps(draw_first_line)
    def draw(stream, textbox, text_overflow, block_ellipsis, matrix):
        start = len(stream.stream)
        result = draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix)
        # An ellipsis replaces part of the text: the glyphs' own mapping is then the better one.
        if len(stream.stream) == start or text_overflow == "ellipsis" or block_ellipsis != "none":
            return result
        text = line_text(textbox)
        if not needs_actual_text(text):
            return result
        import pydyf

        stream.begin_marked_content("Span", pydyf.Dictionary({"ActualText": pydyf.String(text)}))
        # begin_marked_content appends "/Span <<…>> BDC"; move it before the line's glyphs.
        opening = stream.stream[-3:]
        del stream.stream[-3:]
        stream.stream[start:start] = opening
        stream.end_marked_content()
        return result

    setattr(draw, _INSTALLED, True)
    return draw


def install() -> None:
    """Wrap `weasyprint.draw.text.draw_first_line` (used for HTML and SVG text) once."""
    from weasyprint.draw import text

    if not getattr(text.draw_first_line, _INSTALLED, False):
        text.draw_first_line = with_actual_text(text.draw_first_line)
