"""Benchmark: the possible-duplicates query (SPEC section 8: < 200 ms p50 at a million victims).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ctms_bench python bench/matches.py
    python bench/matches.py --database-url postgres://… --requests 200

Measures `GET /api/v1/victims/matches/?given_name=…&family_name=…&sex=…&birth_year=…` through
the whole Django stack (routing, bearer token, throttle, candidate search, scoring, visibility,
match tokens, the audit event), as a case worker would at intake. The queries are people of the
database written again as a second agency would (another romanisation or spacing, names
swapped, the birth year ±1) and, one in five, names of nobody in it. Every request runs in a
transaction that is rolled back, so the database is left as it was (the API token too).

`run(...) -> dict` is importable (bench/run.py collects every benchmark's figures).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_P50_MS = 200.0
RESPELL = {
    "Sokha": "Sokhar", "Chea": "Chear", "Sreypov": "Srey Pov", "Sophea": "Sophia",
    "Sovann": "Sovan", "Sreymom": "Srey Mom", "Channary": "Chan Nary", "Davy": "Davi",
}  # fmt: skip
NOBODY = [("Zorro", "Quixote"), ("Xavier", "Tremblay"), ("Ingrid", "Bergstrom")]


def _setup_django(database_url: str | None) -> None:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ctms.settings")
    os.environ.setdefault("CTMS_OFFLINE", "1")  # serves nobody: no production key needed
    # The benchmark measures the query, not the throttles: let every request through.
    os.environ.setdefault("API_THROTTLE_RATE", "1000000/minute")
    os.environ.setdefault("VICTIM_MATCHES_RATE", "1000000/minute")
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()


def _queries(count: int, seed: int) -> list[dict]:
    """Intake queries: sampled victims written again, and some names of nobody."""
    from victims.models import Victim

    rng = random.Random(seed)
    people = []
    fields = ("given_name", "family_name", "sex", "date_of_birth", "birth_year", "home_province")
    for _ in range(count):
        # The first victim after a random id: one index lookup, whatever the table's size.
        start = uuid.UUID(int=rng.getrandbits(128))
        row = Victim.objects.filter(pk__gte=start).order_by("pk").values(*fields).first()
        if row is None or rng.random() < 0.2:
            given, family = rng.choice(NOBODY)
            people.append({"given_name": given, "family_name": family, "birth_year": 1990})
            continue
        year = row["date_of_birth"].year if row["date_of_birth"] else row["birth_year"]
        given = RESPELL.get(row["given_name"], row["given_name"])
        family = RESPELL.get(row["family_name"], row["family_name"])
        if rng.random() < 0.3:
            given, family = family, given
        query = {"given_name": given, "family_name": family, "sex": row["sex"],
                 "home_province": row["home_province"]}  # fmt: skip
        if year:
            query["birth_year"] = year + rng.choice((-1, 0, 0, 1))
        people.append({key: value for key, value in query.items() if value})
    return people


def _case_worker():
    """A case worker of the agency holding the most victims (it sees the most matches)."""
    from django.db.models import Count

    from agencies.models import Agency, User

    agency = (
        Agency.objects.filter(kind="provincial_department")
        .annotate(held=Count("victims"))
        .order_by("-held")
        .first()
    ) or Agency.objects.order_by("pk").first()
    user, _created = User.objects.get_or_create(
        username=f"bench-caseworker-{agency.acronym}"[:150],
        defaults={"agency": agency, "role": "case_worker"},
    )
    return user


def _explain(query: dict) -> str:
    """The PostgreSQL plan of one query's candidate search."""
    from django.db import connection

    from victims.matching import CANDIDATE_FIELDS, candidates_q, person_from
    from victims.models import Victim

    condition = candidates_q(person_from(query))
    if connection.vendor != "postgresql" or condition is None:
        return ""
    rows = Victim.objects.filter(condition, is_archived=False, merged_into__isnull=True)
    return rows.values(*CANDIDATE_FIELDS).explain(analyze=True)


def run(
    *,
    database_url: str | None = None,
    requests: int = 200,
    warmup: int = 10,
    seed: int = 15,
    explain: bool = False,
) -> dict:
    """Time `requests` matches queries (after `warmup` untimed ones); figures in milliseconds,
    with how many candidates the database gave and how many matches were shown."""
    _setup_django(database_url)
    from django.db import connection, transaction
    from rest_framework.test import APIClient

    from accounts.tokens import token_issue
    from victims.matching import candidates_q, person_from
    from victims.models import Victim

    queries = _queries(warmup + requests, seed)
    timings: list[float] = []
    shown: list[int] = []
    candidates: list[int] = []
    with transaction.atomic():
        user = _case_worker()
        _row, token = token_issue(user=user, name="bench-matches", channel="cli")
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        for index, query in enumerate(queries):
            with transaction.atomic():
                started = time.perf_counter()
                response = client.get("/api/v1/victims/matches/", query)
                elapsed = (time.perf_counter() - started) * 1000
                transaction.set_rollback(True)
            if response.status_code != 200:
                raise SystemExit(f"matches answered {response.status_code}: {response.content}")
            if index < warmup:
                continue
            timings.append(elapsed)
            shown.append(len(response.json()["results"]))
            condition = candidates_q(person_from(query))
            candidates.append(Victim.objects.filter(condition).count() if condition else 0)
        plan = _explain(queries[-1]) if explain else ""
        victims = Victim.objects.count()
        transaction.set_rollback(True)  # the bench user and its token go too
    ordered = sorted(timings)
    return {
        "benchmark": "matches",
        "database": connection.vendor,
        "victims_total": victims,
        "requests": len(timings),
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))], 2),
        "max_ms": round(max(timings), 2),
        "candidates_p50": statistics.median(candidates),
        "candidates_max": max(candidates),
        "matches_shown_mean": round(statistics.mean(shown), 2),
        "target_p50_ms": TARGET_P50_MS,
        "plan": plan,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--explain", action="store_true", help="print a query plan too")
    args = parser.parse_args(argv)
    figures = run(database_url=args.database_url, requests=args.requests, explain=args.explain)
    plan = figures.pop("plan")
    for key, value in figures.items():
        print(f"{key:>20}: {value}")
    if plan:
        print(plan)
    return 0 if figures["p50_ms"] < TARGET_P50_MS else 1


if __name__ == "__main__":
    sys.exit(main())
