"""Spreadsheet cells that cannot run: text a user or an attacker typed (a failed sign-in's
username, a reason, a note) must reach a CSV or XLSX file as text, never as a formula that
Excel or LibreOffice evaluates (`=HYPERLINK(…)`, `@SUM(…)`, `+cmd|…`)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

# A cell whose text starts with one of these is read as a formula by some spreadsheet.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(value):
    """`value` as a spreadsheet will read it literally: text that could start a formula gets a
    leading apostrophe (OWASP's advice); numbers, dates and None pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class SafeCells(dict):
    """`safe_cell` memoised per distinct value: exports hold few distinct values, so a row of
    many columns costs dictionary look-ups (`map(cells.__getitem__, row)`), not calls."""

    def __missing__(self, value):
        safe = safe_cell(value)
        if len(self) < 100_000:
            self[value] = safe
        return safe

    def row(self, row: Iterable) -> list:
        return list(map(self.__getitem__, row))

    def rows(self, rows: Iterable[Iterable]) -> Iterator[list]:
        return map(self.row, rows)
