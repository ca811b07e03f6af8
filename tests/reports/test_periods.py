"""Report periods and the previous quarter asked for by the beat schedule."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from reports.periods import parse_period, previous_quarter


@pytest.mark.parametrize(
    ("text", "start", "end", "previous"),
    [
        ("2010-Q1", dt.date(2010, 1, 1), dt.date(2010, 3, 31), "2009-Q1"),
        ("2010-Q3", dt.date(2010, 7, 1), dt.date(2010, 9, 30), "2009-Q3"),
        ("2010-Q4", dt.date(2010, 10, 1), dt.date(2010, 12, 31), "2009-Q4"),
        ("2010", dt.date(2010, 1, 1), dt.date(2010, 12, 31), "2009"),
        (
            " 2012-01-01..2012-02-29 ",
            dt.date(2012, 1, 1),
            dt.date(2012, 2, 29),
            "2011-01-01..2011-02-28",
        ),
    ],
)
def test_parse_period_and_its_previous_year(text, start, end, previous):
    period = parse_period(text)
    assert (period.start, period.end) == (start, end)
    assert period.previous().label == previous


@pytest.mark.parametrize(
    "text",
    ["", "2010-Q5", "2010-13", "Q3-2010", "2010-02-30..2010-03-01", "2010-06-30..2010-01-01"],
)
def test_bad_period_is_a_validation_error(text):
    with pytest.raises(ValidationError):
        parse_period(text)


@pytest.mark.parametrize(
    ("today", "label"),
    [
        (dt.date(2011, 1, 1), "2010-Q4"),
        (dt.date(2010, 4, 1), "2010-Q1"),
        (dt.date(2010, 7, 1), "2010-Q2"),
        (dt.date(2010, 10, 1), "2010-Q3"),
        (dt.date(2010, 12, 31), "2010-Q3"),
    ],
)
def test_previous_quarter(today, label):
    assert previous_quarter(today).label == label
