"""Benchmark: the victim list page for a case worker at MoSVY (who sees every province).

Measures the server time (the whole Django stack through the test client: session, scope
selector, keyset page, audit INSERT, template) and the number of SQL queries, for the first
page, a later page, a name search, a province filter and a 4× larger page. The query count
must not grow with the page size; the target is under 300 ms.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ctms_bench python bench/ui_list.py

The bench signs in as an existing MoSVY case worker (or a temporary one) inside one
transaction that is rolled back at the end: the session, the audit rows of the page views and
any temporary user leave no trace in the benchmark database.
"""

from __future__ import annotations

import os
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ctms.settings")

BENCH_USERNAME = "bench_ui_mosvy"


def _setup(database_url: str | None) -> None:
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()


def _case_worker_at_mosvy():
    from agencies.models import Agency, User

    mosvy = Agency.objects.get(acronym="MoSVY")
    user = User.objects.filter(agency=mosvy, role="case_worker", is_active=True).first()
    if user is None:
        user, _ = User.objects.get_or_create(
            username=BENCH_USERNAME, defaults={"agency": mosvy, "role": "case_worker"}
        )
    return user


def _signed_in_client(user):
    """A test client with a session for `user`, made directly rather than through login(), so
    that no sign-in handler (last login, failure counters) writes or needs its tables."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import Client

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.update(_sign_in_stamps())
    session.save()
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    return client


def _sign_in_stamps() -> dict:
    """What a real sign-in leaves in the session for the session-lifetime middleware."""
    try:
        from accounts.sessions import SESSION_SEEN_KEY, SESSION_STARTED_KEY
    except ImportError:
        return {}
    now = time.time()
    return {SESSION_STARTED_KEY: now, SESSION_SEEN_KEY: now}


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


def _measure(client, url: str, repeats: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm the caches (templates, gazetteer, connection)
    times, queries, status = [], 0, 0
    for _ in range(repeats):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        queries, status = len(captured), response.status_code
    return {
        "url": url,
        "status": status,
        "median_ms": round(statistics.median(times), 1),
        "max_ms": round(max(times), 1),
        "queries": queries,
        "rows": _rows(response),
    }


def _rows(response) -> int:
    """Victims listed on the page: links to a profile in the table body."""
    return len(re.findall(r'<a href="/victims/[0-9a-f-]{36}/">', response.content.decode()))


def _next_cursor(response) -> str:
    found = re.search(r'cursor=([A-Za-z0-9_-]+)" rel="next"', response.content.decode())
    return found.group(1) if found else ""


def _first_reference(response) -> str:
    found = re.search(r"<td><code>([0-9a-f]{8})</code></td>", response.content.decode())
    return found.group(1) if found else "00000000"


def run(*, database_url: str | None = None, repeats: int = 5) -> dict:
    """Figures of the victim list page; see the module docstring."""
    _setup(database_url)
    from django.db import transaction

    with transaction.atomic():
        figures = _run(repeats)
        transaction.set_rollback(True)
    return figures


def _run(repeats: int) -> dict:
    client = _signed_in_client(_case_worker_at_mosvy())
    first = client.get("/victims/")
    scenarios = {
        "first_page": "/victims/",
        "next_page": f"/victims/?cursor={_next_cursor(first)}",
        "search_name": "/victims/?q=sok",
        "search_rare_name": "/victims/?q=nomatchxyz",
        "search_reference": f"/victims/?q={_first_reference(first)}",
        "filter_province": "/victims/?province=12&sex=female",
        "page_size_100": "/victims/?page_size=100",
    }
    results = {name: _measure(client, url, repeats) for name, url in scenarios.items()}
    return {
        "bench": "ui_list",
        "victims_estimated": _estimated_victims(),
        "target_ms": 300,
        "scenarios": results,
        "queries_constant": results["first_page"]["queries"] == results["page_size_100"]["queries"],
    }


def main() -> None:
    figures = run(database_url=os.environ.get("DATABASE_URL"))
    print(f"victim list, MoSVY case worker, ~{figures['victims_estimated']:,} victims")
    for name, row in figures["scenarios"].items():
        print(
            f"  {name:18} {row['median_ms']:8.1f} ms median  {row['max_ms']:8.1f} ms max  "
            f"{row['queries']:2d} queries  {row['rows']} rows  (HTTP {row['status']})"
        )
    print(f"  query count independent of page size: {figures['queries_constant']}")


if __name__ == "__main__":
    main()
