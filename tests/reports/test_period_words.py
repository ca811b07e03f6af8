"""The report names the previous period as Khmer readers write it: never "ឆ្នាំ 2025-Q3"."""

from __future__ import annotations

import pytest

from reports.wording import change, period_name


@pytest.mark.parametrize(
    ("label", "language", "words"),
    [
        ("2009", "en", "2009"),
        ("2009-Q3", "en", "2009-Q3"),
        ("2009", "km", "ឆ្នាំ 2009"),
        ("2025-Q3", "km", "ត្រីមាសទី3 ឆ្នាំ2025"),
        ("2010-01-01..2010-06-30", "km", "2010-01-01..2010-06-30"),
    ],
)
def test_period_names(label, language, words):
    assert period_name(label, language) == words


def test_a_quarter_change_in_khmer_names_the_quarter_once():
    report = {
        "previous_period": {"label": "2025-Q3"},
        "changes": {"cases": {"change": -5, "previous": 165, "change_pct": -3.03}},
    }

    words = change(report, "cases", "cases", "km")

    assert "ឆ្នាំ 2025-Q3" not in words
    assert words.count("ត្រីមាសទី3 ឆ្នាំ2025") == 2
    assert change(report, "cases", "cases", "en") == (
        "a reduction of 5 cases or 3.03% from 2025-Q3 (165 in 2025-Q3)"
    )
