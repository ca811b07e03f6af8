"""Weighted choices and calendar arithmetic of the demo generator."""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
from typing import Any


class Weighted:
    """A fast weighted choice over a fixed table."""

    def __init__(self, weights: dict[Any, float]):
        self.items = list(weights)
        self.cumulative = list(itertools.accumulate(weights.values()))
        self.total = self.cumulative[-1]

    def pick(self, rng: random.Random) -> Any:
        return self.items[bisect.bisect_right(self.cumulative, rng.random() * self.total)]


def quarter_start(day: dt.date, *, back: int = 0) -> dt.date:
    index = day.year * 4 + (day.month - 1) // 3 - back
    return dt.date(index // 4, (index % 4) * 3 + 1, 1)


def quarter_end(first: dt.date) -> dt.date:
    return month_end(dt.date(first.year, first.month + 2, 1))


def month_end(day: dt.date) -> dt.date:
    following = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)
