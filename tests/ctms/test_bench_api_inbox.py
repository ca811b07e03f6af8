"""bench/api_inbox.py runs on any seeded database: here, a small one."""

from __future__ import annotations

from agencies.models import ApiToken
from bench.api_inbox import run
from tests.factories import ReferralFactory, VictimFactory


def test_given_small_seeded_database_when_benchmarking_inbox_then_figures_and_no_live_token(world):
    victim = VictimFactory(agency=world.agencies.dosvy_bmc)
    ReferralFactory.create_batch(7, victim=victim, to_agency=world.agencies.hagar)
    ReferralFactory.create_batch(3, victim=victim, to_agency=world.agencies.afesip)

    figures = run(requests=5, warmup=1, page_size=2, pages=2)

    assert (figures["agency"], figures["inbox_pending"], figures["requests"]) == ("Hagar", 7, 5)
    assert figures["referrals_total"] == 10
    assert 0 < figures["p50_ms"] <= figures["p95_ms"] <= figures["max_ms"]
    assert not ApiToken.objects.filter(revoked_at__isnull=True).exists()
