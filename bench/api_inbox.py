"""Benchmark: a partner's referral inbox through the REST API (p50 / p95 latency).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ctms_bench python bench/api_inbox.py
    python bench/api_inbox.py --database-url postgres://… --requests 200 --agency AFESIP

Measures `GET /api/v1/referrals/?status=pending&page_size=50` (the inbox an NGO integration
polls) and the next cursor pages, through the whole Django stack (URL routing, bearer token
authentication, throttle, selector, serializer) with Django's test client, against any seeded
database (`seed_demo --scale N`). It reads only, apart from one API token it issues to the
partner user it measures as (revoked at the end) and that token's last-use stamp.

`run(...) -> dict` is importable (bench/run.py collects every benchmark's figures); Django is
set up on first use with the database given, so call it before anything else sets Django up
or with the same DATABASE_URL.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_P50_MS = 50.0


def _setup_django(database_url: str | None) -> None:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ctms.settings")
    # The benchmark measures the API, not the throttle: let every request through.
    os.environ.setdefault("API_THROTTLE_RATE", "1000000/minute")
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()


def _busiest_partner_agency(acronym: str | None):
    """The agency given, else the referral-accepting agency with the most pending referrals."""
    from django.db.models import Count, Q

    from agencies.models import Agency

    agencies = Agency.objects.filter(accepts_referrals=True)
    if acronym:
        return agencies.get(acronym=acronym)
    return (
        agencies.annotate(
            pending=Count("referrals_received", filter=Q(referrals_received__status="pending"))
        )
        .order_by("-pending")
        .first()
    )


def _partner_user(agency):
    """A partner user of the agency: an existing one, else a `bench-partner-…` user."""
    from agencies.models import User

    user = User.objects.filter(agency=agency, role="partner", is_active=True).first()
    if user is None:
        user, _created = User.objects.get_or_create(
            # A name create_user accepts (an acronym may hold "/": WNU/CPN), so that the
            # import part can make this user again in a set-up instance.
            username=re.sub(r"[^\w.@+-]", "-", f"bench-partner-{agency.acronym}")[:150],
            defaults={"agency": agency, "role": "partner"},
        )
    return user


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def _explain(agency_id, page_size: int) -> str:
    """The PostgreSQL plan of the inbox's page query, to see the index it uses."""
    from django.db import connection

    from referrals.selectors import referrals_visible_to  # noqa: F401 - documents the source

    if connection.vendor != "postgresql":
        return ""
    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN ANALYZE SELECT id FROM referrals_referral WHERE to_agency_id = %s "
            "AND status = 'pending' ORDER BY created_on DESC, created_at DESC LIMIT %s",
            [agency_id, page_size + 1],
        )
        return "\n".join(row[0] for row in cursor.fetchall())


def run(
    *,
    database_url: str | None = None,
    requests: int = 200,
    page_size: int = 50,
    agency: str | None = None,
    warmup: int = 10,
    pages: int = 3,
    explain: bool = False,
) -> dict:
    """Measure the inbox `requests` times (after `warmup` untimed ones); every request fetches
    the first page, and every `pages`-th walks on to following pages by cursor (timed apart).
    Returns the figures in milliseconds with the data set's size."""
    _setup_django(database_url)
    from django.db import connection
    from rest_framework.test import APIClient

    from accounts.tokens import token_issue, token_revoke
    from referrals.models import Referral

    target = _busiest_partner_agency(agency)
    if target is None:
        raise SystemExit("No agency accepts referrals in this database: seed it first.")
    user = _partner_user(target)
    row, token = token_issue(user=user, name="bench-api-inbox", channel="cli")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    url = f"/api/v1/referrals/?status=pending&page_size={page_size}"
    first_page: list[float] = []
    next_pages: list[float] = []
    try:
        for index in range(warmup + requests):
            started = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                raise SystemExit(f"inbox answered {response.status_code}: {response.content[:300]}")
            if index < warmup:
                continue
            first_page.append(elapsed)
            following = response.json()["next"]
            for _ in range(pages - 1 if index % 10 == 0 else 0):
                if not following:
                    break
                started = time.perf_counter()
                response = client.get(following)
                next_pages.append((time.perf_counter() - started) * 1000)
                following = response.json()["next"]
        plan = _explain(target.pk, page_size) if explain else ""
    finally:
        token_revoke(token_id=row.pk, actor=user, channel="cli")
    return {
        "benchmark": "api_inbox",
        "database": connection.vendor,
        "referrals_total": Referral.objects.count(),
        "agency": target.acronym,
        "inbox_pending": Referral.objects.filter(to_agency=target, status="pending").count(),
        "page_size": page_size,
        "requests": len(first_page),
        "p50_ms": round(statistics.median(first_page), 2),
        "p95_ms": round(_percentile(first_page, 0.95), 2),
        "max_ms": round(max(first_page), 2),
        "next_page_p50_ms": round(statistics.median(next_pages), 2) if next_pages else None,
        "target_p50_ms": TARGET_P50_MS,
        "plan": plan,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--page-size", type=int, default=50)
    parser.add_argument("--agency", help="acronym of the receiving agency (default: busiest)")
    parser.add_argument("--explain", action="store_true", help="print the query plan too")
    args = parser.parse_args(argv)
    figures = run(
        database_url=args.database_url,
        requests=args.requests,
        page_size=args.page_size,
        agency=args.agency,
        explain=args.explain,
    )
    plan = figures.pop("plan")
    for key, value in figures.items():
        print(f"{key:>18}: {value}")
    if plan:
        print(plan)
    return 0 if figures["p50_ms"] < TARGET_P50_MS else 1


if __name__ == "__main__":
    sys.exit(main())
