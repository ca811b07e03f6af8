"""Benchmark: every page of the browser UI in the security matrix, as each role allowed to see it.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ctms_bench python bench/pages.py
    python bench/pages.py --database-url postgres://… --repeats 5 [--only victims/*]

The pages are the GET rows of `docs/security.md`'s matrix (read by the security test's own
functions, so the walk and the test agree on every route), less the API and the admin: every
route of the project that a role may open with status 200 is requested as that role, with its
path filled with a real record of the persona's agency that the persona may see (chosen through
the apps' selectors). Each page is requested once to warm the process (templates, the
gazetteer, the connection; the cache is cleared before, so that request is what a first visit
of the day costs), then `repeats` times: the figures are the median and the maximum server time
(the whole Django stack through the test client: middleware, session, selectors, audit INSERTs,
template) and the SQL queries of one request. The target is 300 ms for every page (issue 17).

The personas are users of the benchmark database (`bench-<role>`, made once with
`manage.py create_user`, as bench/README.md says; the agencies are those where `seed_demo`
writes its case work, so the case-work pages show real notes and plans). The walk itself runs
in one transaction that is rolled back: sessions, audit rows, second-factor devices and
anything a page writes leave no trace.

`run(...) -> dict` is importable (bench/run.py collects every benchmark's figures).
"""

from __future__ import annotations

import argparse
import fnmatch
import io
import os
import statistics
import sys
import time
from contextlib import redirect_stdout
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 300.0
ROLES = ("anonymous", "case_worker", "police", "partner", "justice", "secretariat", "admin")
# role: (username, agency acronym or None). The demo's agencies: seed_demo writes its case work
# for DoSVY-BMC's and AFESIP's demo users, and they are among the busiest of the data set.
PERSONAS: dict[str, tuple[str, str | None]] = {
    "case_worker": ("bench-case_worker", "DoSVY-BMC"),
    "police": ("bench-police", "AHTJP"),
    "partner": ("bench-partner", "AFESIP"),
    "justice": ("bench-justice", "Court-PP"),
    "secretariat": ("bench-secretariat", "NCS"),
    "admin": ("bench-admin", None),
}
# Not pages: the JSON API and the admin have benchmarks of their own (api_inbox, matches) or
# none of this issue's; the files below are downloads, not pages.
SKIPPED_PREFIXES = ("api/", "admin/")
DOWNLOADS = {
    "reports/exports/ctdc.csv": "the whole CTDC export (bench part `ctdc`)",
    "reports/exports/ctdc.xlsx": "the whole CTDC export (bench part `ctdc`)",
    "reports/exports/runs/<uuid:run_id>/download/": "a stored export file",
    "reports/<uuid:pk>/files/<str:key>/": "a stored report file",
    "victims/<uuid:pk>/photo/": "a stored photo (the benchmark data has none)",
    "casework/documents/<uuid:pk>/file/": "a stored document (the benchmark data has none)",
}
CANDIDATES = 4  # records tried per kind until one answers 200
SLOW_FIRST_MS = 3000.0  # a page this slow at its first request is measured once more, not 5×


def _setup_django(database_url: str | None) -> None:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ctms.settings")
    os.environ.setdefault("CTMS_OFFLINE", "1")  # serves nobody: no production key needed
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()


# ---- the pages ------------------------------------------------------------------------------


def pages_of_the_matrix() -> list[dict]:
    """Every GET route of the browser UI with its matrix row: route, object kind, and the roles
    that get 200 for their own record."""
    from tests.ctms.test_security_matrix import ROUTES, rows_for

    pages = []
    for route in ROUTES:
        row = rows_for(route.route).get("GET")
        if row is None or route.route.startswith(SKIPPED_PREFIXES):
            continue
        roles = [role for role in ROLES if row.expected[role].partition("/")[0] == "200"]
        pages.append(
            {
                "route": route.route,
                "object": row.object,
                "roles": roles,
                "download": DOWNLOADS.get(route.route),
            }
        )
    return pages


def _url(route: str, value: str | None) -> str:
    from tests.ctms.test_security_matrix import _url as matrix_url

    return matrix_url(route, value)


# ---- the personas and their records ---------------------------------------------------------


def ensure_personas() -> dict:
    """The bench users, made with `create_user` the first time (they stay: a benchmark user is
    part of the benchmark database, like the demo users)."""
    from django.core.management import call_command

    from agencies.models import User

    users = {}
    for role, (username, acronym) in PERSONAS.items():
        user = User.objects.filter(username=username).first()
        if user is None:
            options = {"role": role, "agency": acronym} if acronym else {"role": role}
            with redirect_stdout(io.StringIO()):  # it prints the generated password
                call_command("create_user", username, **options)
            user = User.objects.get(username=username)
        users[role] = user
    return users


def _pks(queryset, limit: int = CANDIDATES) -> list[str]:
    return [str(pk) for pk in queryset.order_by().values_list("pk", flat=True)[:limit]]


def _first_pks(*querysets) -> list[str]:
    """Up to CANDIDATES distinct ids, from the first queryset on (preferred records first)."""
    found: list[str] = []
    for queryset in querysets:
        for pk in _pks(queryset):
            if pk not in found:
                found.append(pk)
        if len(found) >= CANDIDATES:
            break
    return found[:CANDIDATES]


def candidates(user, kind: str) -> list[str]:
    """Records of `kind` the persona may see, the most telling first (a victim with case work
    and referrals rather than a bare one)."""
    from cases.selectors import cases_visible_to, operations_visible_to, prosecutions_visible_to
    from casework.models import CarePlan
    from casework.selectors import care_plans_visible_to
    from ctms.choices import Role
    from exports.selectors import export_runs_visible_to
    from handovers.selectors import handovers_visible_to
    from referrals.selectors import referrals_visible_to
    from reports.selectors import report_runs_visible_to
    from victims.selectors import victims_visible_to

    if kind == "victim":
        visible = victims_visible_to(user)
        preferred = []
        if user.role == Role.CASE_WORKER:
            own = visible.filter(agency_id=user.agency_id)
            preferred = [own.filter(care_plans__isnull=False), own.filter(referrals__isnull=False)]
        elif user.role == Role.PARTNER:
            with_plan = CarePlan.objects.filter(agency_id=user.agency_id).values("victim_id")
            preferred = [visible.filter(pk__in=with_plan)]
        return _first_pks(*preferred, visible)
    if kind == "care_plan":
        return _first_pks(care_plans_visible_to(user).filter(agency_id=user.agency_id))
    finders = {
        "case": cases_visible_to,
        "operation": operations_visible_to,
        "prosecution": prosecutions_visible_to,
        "referral": referrals_visible_to,
        "handover": handovers_visible_to,
        "export_run": export_runs_visible_to,
        "report": report_runs_visible_to,
    }
    if kind in finders:
        return _first_pks(finders[kind](user))
    return []


# ---- measuring ------------------------------------------------------------------------------


def signed_in_client(user):
    """A test client with a session for `user` (second factor verified for the roles that need
    one), made directly: no sign-in handler writes or is measured."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import Client

    client = Client()
    if user is None:
        return client
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.update(_sign_in_stamps())
    session.update(_second_factor(user))
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    return client


def _sign_in_stamps() -> dict:
    from accounts.sessions import SESSION_SEEN_KEY, SESSION_STARTED_KEY

    now = time.time()
    return {SESSION_STARTED_KEY: now, SESSION_SEEN_KEY: now}


def _second_factor(user) -> dict:
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.two_factor import confirmed_device, requires_two_factor

    if not requires_two_factor(user):
        return {}
    device = confirmed_device(user) or TOTPDevice.objects.create(
        user=user, name="bench", confirmed=True
    )
    return {DEVICE_ID_SESSION_KEY: device.persistent_id}


def _timed_get(client, url: str):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
        if getattr(response, "streaming", False):
            for _chunk in response.streaming_content:  # a streamed body is part of the work
                pass
            elapsed = (time.perf_counter() - started) * 1000
    return response, elapsed, len(captured)


def _local_cache() -> bool:
    from django.conf import settings

    return settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")


# The dashboard's builds asked for during the walk (reports.dashboard: a choice not kept yet is
# built by a worker or the web process's thread, never during the visit). The walk records them
# instead of starting a thread that would compete with the timed requests, and carries them
# out, untimed, after the page's first request: later requests see what a visitor sees once
# the build is done (bench/dashboard_visits.py times the build itself).
_asked_builds: list[tuple[str, str]] = []


def _ask_for_dashboard_build(period_label: str, province: str) -> None:
    _asked_builds.append((period_label, province))


def _carry_out_asked_builds() -> None:
    from reports.tasks import refresh_dashboard

    while _asked_builds:
        refresh_dashboard(*_asked_builds.pop(0))


def measure(client, url: str, repeats: int) -> dict:
    """First (cold cache) request, then `repeats` more: median/max time, queries of the last."""
    from django.core.cache import cache

    if _local_cache():
        cache.clear()  # never a shared Redis: that would be someone else's cache
    response, first_ms, _ = _timed_get(client, url)
    _carry_out_asked_builds()
    if response.status_code != 200:
        return {"url": url, "status": response.status_code, "first_ms": round(first_ms, 1)}
    times, queries = [], 0
    if first_ms > SLOW_FIRST_MS:  # far over the target: one more request says as much
        repeats = 1
    for _ in range(repeats):
        response, elapsed, queries = _timed_get(client, url)
        times.append(elapsed)
    return {
        "url": url,
        "status": response.status_code,
        "first_ms": round(first_ms, 1),
        "median_ms": round(statistics.median(times), 1),
        "max_ms": round(max(times), 1),
        "queries": queries,
    }


def walk(users: dict, repeats: int, only: str | None = None, progress=None) -> list[dict]:
    results = []
    found: dict[tuple[str, str], list[str]] = {}
    clients = {role: signed_in_client(users.get(role)) for role in ROLES}
    for page in pages_of_the_matrix():
        if only and not fnmatch.fnmatchcase(page["route"], only):
            continue
        for role in page["roles"]:
            row = {"route": page["route"], "role": role}
            if page["download"]:
                results.append({**row, "skipped": f"download: {page['download']}"})
                continue
            kind = page["object"]
            if kind == "-" or "<" not in page["route"]:
                values: list[str | None] = [None]
            elif kind.startswith("="):
                values = [kind[1:]]
            else:
                key = (role, kind)
                if key not in found:
                    found[key] = candidates(users[role], kind)
                values = found[key]
                if not values:
                    results.append({**row, "skipped": f"no {kind} this persona may see"})
                    continue
            figures: dict = {}
            for value in values:  # the first record that answers 200
                figures = measure(clients[role], _url(page["route"], value), repeats)
                if figures["status"] == 200:
                    break
            results.append({**row, **figures})
            if progress:
                progress(_line(results[-1]))
    return results


def _line(row: dict) -> str:
    if "median_ms" not in row:
        return f"{row['route']:60} {row['role']:12} HTTP {row.get('status', '-')}"
    return (
        f"{row['route']:60} {row['role']:12} {row['median_ms']:7.1f} ms median "
        f"{row['max_ms']:7.1f} max {row['first_ms']:7.1f} first {row['queries']:3d} queries"
    )


def run(
    *, database_url: str | None = None, repeats: int = 5, only: str | None = None, progress=None
) -> dict:
    """Figures of every page and role; see the module docstring."""
    _setup_django(database_url)
    from django.db import transaction

    users = ensure_personas()
    started = time.perf_counter()
    with (
        mock.patch("reports.views.start_dashboard_refresh", _ask_for_dashboard_build),
        transaction.atomic(),
    ):
        rows = walk(users, repeats, only, progress)
        transaction.set_rollback(True)
    measured = [row for row in rows if "median_ms" in row]
    slow = [row for row in measured if row["median_ms"] >= TARGET_MS]
    failed = [row for row in rows if "skipped" not in row and row.get("status") != 200]
    return {
        "bench": "pages",
        "target_ms": TARGET_MS,
        "repeats": repeats,
        "personas": {
            role: f"{name} ({acronym or 'no agency'})" for role, (name, acronym) in PERSONAS.items()
        },  # fmt: skip
        "pages_measured": len(measured),
        "slowest": max(measured, key=lambda row: row["median_ms"], default=None),
        "over_target": [f"{row['route']} as {row['role']}" for row in slow],
        "not_200": [f"{row['route']} as {row['role']}: {row.get('status')}" for row in failed],
        "within_target": not slow and not failed,
        "seconds": round(time.perf_counter() - started, 1),
        "rows": rows,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--only", help="a glob of routes, e.g. 'victims/*'")
    args = parser.parse_args()
    figures = run(
        database_url=args.database_url,
        repeats=args.repeats,
        only=args.only,
        progress=lambda line: print(line, flush=True),
    )
    print(
        f"{figures['pages_measured']} pages measured in {figures['seconds']} s; "
        f"over {TARGET_MS:.0f} ms: {figures['over_target'] or 'none'}; "
        f"not 200: {figures['not_200'] or 'none'}"
    )


if __name__ == "__main__":
    main()
