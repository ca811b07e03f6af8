"""Benchmark: the secretariat's dashboard (`/reports/dashboard/`), warm and cold.

Server time (the whole Django stack through the test client: session, two-factor check, the
figures from the cache, the charts drawn by the template) and the number of SQL queries, for
this quarter and a past one, for the whole country and a province:

- warm: the figures are in the cache (every visit but the first ever of a choice: stale
  figures are shown while a background task rebuilds them); the target is under 200 ms;
- cold: the choice's cache entry is deleted first, as for the first visit of a choice: the
  visit answers with the "Preparing the figures…" placeholder and asks for a background build
  (recorded here, not started), which is then carried out and timed on its own (`build`).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ctms_bench \\
    REDIS_URL=redis://127.0.0.1:6380/9 python bench/dashboard.py

With REDIS_URL the figures are cached in Redis as in production (otherwise in local memory).
The bench signs in as a temporary secretariat user with a confirmed second factor inside one
transaction that is rolled back at the end; it deletes the cache entries it made.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ctms.settings")

BENCH_USERNAME = "bench_dashboard_secretariat"
TARGET_MS = 200


def _setup(database_url: str | None) -> None:
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()


def _signed_in_client():
    """A test client with a session of a secretariat user whose second factor is verified."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from agencies.models import Agency, User

    agency = Agency.objects.filter(kind="other").order_by("acronym").first()
    user, _ = User.objects.get_or_create(
        username=BENCH_USERNAME, defaults={"agency": agency, "role": "secretariat"}
    )
    device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.update(_sign_in_stamps())
    session.save()
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    return client


def _sign_in_stamps() -> dict:
    try:
        from accounts.sessions import SESSION_SEEN_KEY, SESSION_STARTED_KEY
    except ImportError:
        return {}
    now = time.time()
    return {SESSION_STARTED_KEY: now, SESSION_SEEN_KEY: now}


def _forget(period: str, province: str) -> None:
    """Delete the choice's kept figures: the next visit builds them (and draws them anew)."""
    from django.core.cache import cache

    key = f"reports:dashboard:{period}:{province or 'all'}"
    cache.delete_many([key, f"{key}:refreshing"])


def _visit(client, url: str, expected: bytes = b'class="ctms-chart"') -> tuple[float, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
    assert expected in response.content, response.status_code
    return elapsed, len(captured), response.status_code


def _measure(client, period: str, province: str, repeats: int, cold_repeats: int) -> dict:
    from unittest import mock

    from reports.dashboard import rebuild
    from reports.periods import parse_period

    url = f"/reports/dashboard/?period={period}&province={province}"
    cold_times, cold_queries, build_times = [], 0, []
    for _ in range(cold_repeats):
        _forget(period, province)
        with mock.patch("reports.views.start_dashboard_refresh") as start:
            elapsed, cold_queries, _status = _visit(client, url, b'data-state="preparing"')
        start.assert_called_once_with(period, province)
        cold_times.append(elapsed)
        started = time.perf_counter()
        rebuild(parse_period(period), province)  # the background build
        build_times.append((time.perf_counter() - started) * 1000)
    warm_times, warm_queries, status = [], 0, 0
    for _ in range(repeats):
        elapsed, warm_queries, status = _visit(client, url)
        warm_times.append(elapsed)
    _forget(period, province)
    return {
        "url": url,
        "status": status,
        "warm_median_ms": round(statistics.median(warm_times), 1),
        "warm_max_ms": round(max(warm_times), 1),
        "warm_queries": warm_queries,
        "cold_median_ms": round(statistics.median(cold_times), 1),
        "cold_max_ms": round(max(cold_times), 1),
        "cold_queries": cold_queries,
        "build_median_ms": round(statistics.median(build_times), 1),
    }


def _estimated_victims() -> int:
    from django.db import connection

    from victims.models import Victim

    if connection.vendor != "postgresql":
        return Victim.objects.count()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE relname = %s", [Victim._meta.db_table]
        )
        return int(cursor.fetchone()[0])


def run(*, database_url: str | None = None, repeats: int = 10, cold_repeats: int = 3) -> dict:
    """Figures of the dashboard page; see the module docstring."""
    _setup(database_url)
    from django.db import transaction
    from django.utils import timezone

    from reports.periods import current_quarter

    this_quarter = current_quarter(timezone.localdate())
    past = this_quarter.previous()  # the same quarter a year ago: complete, with its own year
    with transaction.atomic():
        client = _signed_in_client()
        client.get(f"/reports/dashboard/?period={this_quarter.label}")  # templates, connection
        scenarios = {
            "this_quarter_country": (this_quarter.label, ""),
            "this_quarter_phnom_penh": (this_quarter.label, "12"),
            "past_quarter_country": (past.label, ""),
            "past_quarter_banteay_meanchey": (past.label, "01"),
        }
        results = {
            name: _measure(client, period, province, repeats, cold_repeats)
            for name, (period, province) in scenarios.items()
        }
        transaction.set_rollback(True)
    return {
        "bench": "dashboard",
        "victims_estimated": _estimated_victims(),
        "target_ms": TARGET_MS,
        "load_average": os.getloadavg(),
        "scenarios": results,
    }


def main() -> None:
    figures = run(database_url=os.environ.get("DATABASE_URL"))
    load = ", ".join(f"{value:.1f}" for value in figures["load_average"])
    print(f"dashboard, secretariat, ~{figures['victims_estimated']:,} victims (load {load})")
    for name, row in figures["scenarios"].items():
        print(
            f"  {name:30} warm {row['warm_median_ms']:7.1f} ms median {row['warm_max_ms']:7.1f}"
            f" max {row['warm_queries']:2d} queries | cold {row['cold_median_ms']:7.1f} ms median"
            f" {row['cold_max_ms']:7.1f} max {row['cold_queries']:3d} queries"
            f" | build {row['build_median_ms']:7.1f} ms median"
            f" (HTTP {row['status']})"
        )


if __name__ == "__main__":
    main()
