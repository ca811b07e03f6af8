"""bench/matches.py runs on any seeded database: here, a small one, which it leaves unchanged."""

from __future__ import annotations

from agencies.models import ApiToken, User
from bench.matches import run
from ctms.models import AuditEvent
from tests.factories import VictimFactory


def test_given_small_database_when_benchmarking_matches_then_figures_and_nothing_written(world):
    for index in range(30):
        VictimFactory(agency=world.agencies.dosvy_bmc, given_name=f"Sokha{index % 3}",
                      family_name="Chan", birth_year=1990 + index % 5)  # fmt: skip
    before = (User.objects.count(), ApiToken.objects.count(), AuditEvent.objects.count())

    figures = run(requests=12, warmup=2)

    assert (figures["benchmark"], figures["victims_total"], figures["requests"]) == (
        "matches", 30, 12,
    )  # fmt: skip
    assert 0 < figures["p50_ms"] <= figures["p95_ms"] <= figures["max_ms"]
    assert figures["candidates_max"] <= 30
    assert figures["matches_shown_mean"] > 0
    assert (User.objects.count(), ApiToken.objects.count(), AuditEvent.objects.count()) == before
