"""Report periods: a quarter (`2010-Q3`), a year (`2010`) or a date range
(`2010-01-01..2010-06-30`), and the same period one year earlier (SPEC section 4)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

QUARTER_RE = re.compile(r"^(\d{4})-Q([1-4])$")
YEAR_RE = re.compile(r"^(\d{4})$")
RANGE_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")
# Records start in 1900 (the earliest birth year); earlier periods, and year 1 whose "one year
# earlier" does not exist, are refused.
FIRST_YEAR = 1900


@dataclass(frozen=True)
class Period:
    """A closed date interval with the label the user asked for."""

    label: str
    start: dt.date
    end: dt.date

    def previous(self) -> Period:
        """The same period one year earlier (29 February falls back to the 28th)."""
        start, end = _year_earlier(self.start), _year_earlier(self.end)
        return Period(label=_previous_label(self.label, start, end), start=start, end=end)

    def as_dict(self) -> dict[str, str]:
        return {"label": self.label, "start": self.start.isoformat(), "end": self.end.isoformat()}


def _year_earlier(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def _previous_label(label: str, start: dt.date, end: dt.date) -> str:
    if match := QUARTER_RE.match(label):
        return f"{start.year}-Q{match.group(2)}"
    if YEAR_RE.match(label):
        return str(start.year)
    return f"{start.isoformat()}..{end.isoformat()}"


def quarter(year: int, number: int) -> Period:
    first_month = 3 * (number - 1) + 1
    start = dt.date(year, first_month, 1)
    next_start = dt.date(year + 1, 1, 1) if number == 4 else dt.date(year, first_month + 3, 1)
    return Period(label=f"{year}-Q{number}", start=start, end=next_start - dt.timedelta(days=1))


def previous_quarter(today: dt.date) -> Period:
    """The last complete quarter before `today` (on 1 January 2011: 2010-Q4)."""
    number = (today.month - 1) // 3 + 1
    return quarter(today.year - 1, 4) if number == 1 else quarter(today.year, number - 1)


def parse_period(text: str) -> Period:
    """Parse what the user typed; raise ValidationError with a readable message otherwise."""
    period = _parse(text)
    if period.start.year < FIRST_YEAR:
        raise ValidationError(
            _("A report period starts in %(year)s or later."),
            code="invalid",
            params={"year": FIRST_YEAR},
        )
    if period.start > timezone.localdate():
        # SPEC section 10: nothing has happened yet in a period that starts after today.
        raise ValidationError(_("The period starts after today."), code="invalid")
    return period


def _parse(text: str) -> Period:
    text = (text or "").strip()
    try:
        if match := QUARTER_RE.match(text):
            return quarter(int(match.group(1)), int(match.group(2)))
        if match := YEAR_RE.match(text):
            year = int(match.group(1))
            return Period(label=text, start=dt.date(year, 1, 1), end=dt.date(year, 12, 31))
        if match := RANGE_RE.match(text):
            start = dt.date.fromisoformat(match.group(1))
            end = dt.date.fromisoformat(match.group(2))
            if end < start:
                raise ValidationError(_("The period ends before it starts."), code="invalid")
            return Period(label=text, start=start, end=end)
    except ValueError as error:  # year 0, 2010-02-30, …
        raise ValidationError(
            _("Not a valid date: %(error)s"), code="invalid", params={"error": error}
        ) from error
    raise ValidationError(
        _("Give a quarter (2010-Q3), a year (2010) or a date range (2010-01-01..2010-06-30)."),
        code="invalid",
    )


def current_quarter(today: dt.date) -> Period:
    """The quarter `today` lies in (the dashboard's default: this quarter so far)."""
    return quarter(today.year, (today.month - 1) // 3 + 1)


def quarters_between(first: dt.date, today: dt.date) -> list[Period]:
    """Every quarter from the one holding `first` to the one holding `today`, newest first."""
    first = max(first, dt.date(FIRST_YEAR + 1, 1, 1))  # one year earlier must exist too
    last = current_quarter(today)
    periods, year, number = [], first.year, (first.month - 1) // 3 + 1
    while (year, number) <= (last.start.year, (last.start.month - 1) // 3 + 1):
        periods.append(quarter(year, number))
        year, number = (year + 1, 1) if number == 4 else (year, number + 1)
    return periods[::-1]
