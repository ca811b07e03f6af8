"""The permission matrix of docs/security.md, enforced on every URL pattern of the project.

Each persona requests every pattern (path parameters filled with a record it may see and one
of an unrelated agency) and must get the status the matrix gives; a refused write must leave
every table unchanged. A URL pattern without a row fails the test: new URLs need a decision.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

DOC = Path(__file__).resolve().parents[2] / "docs" / "security.md"
ROLES = ("anonymous", "case_worker", "police", "partner", "justice", "secretariat", "admin")
PERSONAS = {
    "case_worker": "alice",
    "police": "officer",
    "partner": "partner",
    "justice": "clerk",
    "secretariat": "analyst",
    "admin": "admin",
}
REFUSALS = {"login", "400", "401", "403", "404", "405", "409"}
# Tables a refused request may still write: sessions, sign-in bookkeeping, the audit trail.
UNTRACKED = {"sessions.session", "accounts.loginfailure", "ctms.auditevent"}


@dataclass(frozen=True)
class Row:
    route: str
    method: str
    object: str
    expected: dict[str, str]


@dataclass(frozen=True)
class Route:
    route: str
    callback: object


def matrix_rows() -> list[Row]:
    text = DOC.read_text(encoding="utf-8")
    block = text.split("<!-- matrix:start -->")[1].split("<!-- matrix:end -->")[0]
    rows = []
    for line in block.strip().splitlines()[2:]:
        cells = [cell.strip().strip("`") for cell in line.strip().strip("|").split("|")]
        route, method, obj, *statuses = cells
        assert len(statuses) == len(ROLES), f"matrix row needs {len(ROLES)} statuses: {line}"
        rows.append(Row(route, method.upper(), obj, dict(zip(ROLES, statuses, strict=True))))
    return rows


def project_routes(resolver=None, prefix: str = "") -> list[Route]:
    """Every URL pattern of the project, with its full route."""
    resolver = resolver or get_resolver()
    routes: list[Route] = []
    for pattern in resolver.url_patterns:
        route = prefix + _clean(str(pattern.pattern))
        if isinstance(pattern, URLResolver):
            routes.extend(project_routes(pattern, route))
        else:
            routes.append(Route(route, pattern.callback))
    return routes


def _clean(route: str) -> str:
    return route.removeprefix("^").removesuffix("$").replace("\\.", ".").replace("/?", "/")


ROWS = matrix_rows()
ROUTES = project_routes()


def rows_for(route: str) -> dict[str, Row]:
    """The first matching row per method."""
    found: dict[str, Row] = {}
    for row in ROWS:
        if fnmatchcase(route, row.route):
            found.setdefault(row.method, row)
    return found


def test_every_url_pattern_has_a_row():
    missing = [route.route for route in ROUTES if not rows_for(route.route)]
    assert missing == []


def test_every_exact_row_names_an_existing_pattern():
    routes = {route.route for route in ROUTES}
    stale = [row.route for row in ROWS if "*" not in row.route and row.route not in routes]
    assert stale == []


def _objects(row: Row, route: Route, matrix_world) -> list[tuple[str, str | None]]:
    """(variant, parameter value) pairs: own and other records, or one value."""
    if row.object == "-" or not PARAMETER.search(route.route):
        return [("one", None)]
    if row.object.startswith("="):
        return [("one", row.object[1:])]
    if row.object == "admin" or row.object.startswith("model:"):
        if row.object == "admin":
            model = _admin_model(route)
            if model is None:
                return [("one", None)]  # a page of the admin without a model
        else:
            model = apps.get_model(row.object.removeprefix("model:"))
        first = model._default_manager.order_by("pk").first()
        assert first is not None, f"the matrix world has no {model._meta.label} for {route.route}"
        return [("one", str(first.pk))]
    own = getattr(matrix_world.own, row.object)
    other = getattr(matrix_world.other, row.object)
    return [("own", str(own.pk)), ("other", str(other.pk))]


def _admin_model(route: Route):
    """The model behind an admin URL: its ModelAdmin's, else the one its path names."""
    model_admin = getattr(route.callback, "model_admin", None)
    if model_admin is not None:
        return model_admin.model
    parts = route.route.split("/")
    try:
        return apps.get_model(parts[1], parts[2])
    except (IndexError, LookupError, ValueError):
        return None


PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^()]*\)")


def _url(route: str, value: str | None) -> str:
    def fill(match: re.Match) -> str:
        name = match.group(1) or match.group(2)
        if name == "format":
            return "json"
        if name == "key":
            return "xlsx_en"  # the file the matrix world's done report holds
        assert value is not None, f"{route} has parameters: give the row an object"
        return value

    path = PARAMETER.sub(fill, route)
    return "/" + path


def _expected(cell: str, variant: str) -> str:
    own, _, other = cell.partition("/")
    return other if variant == "other" and other else own


def _matches(expected: str, response) -> bool:
    if expected == "login":
        location = urlparse(response.get("Location", "")).path
        return response.status_code == 302 and location in {
            reverse("login"),
            reverse("admin:login"),
        }
    return str(response.status_code) == expected


def snapshot() -> dict[str, list[str]]:
    """Every row of every tracked table (many-to-many links included), as text. Raw SQL:
    this runs twice per refused write, hundreds of times per role."""
    tables = sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.label_lower not in UNTRACKED and model._meta.managed
        }
    )
    rows: dict[str, list[str]] = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            rows[table] = sorted(map(repr, cursor.fetchall()))
    return rows


class Persona:
    """A browser signed in as one role, signed in again whenever a request ended the session."""

    def __init__(self, role: str, matrix_world):
        self.user = (
            None if role == "anonymous" else getattr(matrix_world.world.users, PERSONAS[role])
        )
        self.client = Client()

    def sign_in(self) -> bool:
        """Sign in again if needed; True when it did (which writes `last_login`)."""
        if self.user is None or "_auth_user_id" in self.client.session:
            return False
        self.client.force_login(self.user)
        return True

    def request(self, method: str, url: str):
        self.sign_in()
        return self.client.generic(
            method, url, b"", content_type="application/x-www-form-urlencoded"
        )


@dataclass(frozen=True)
class Check:
    method: str
    url: str
    label: str
    expected: str


def checks_for(role: str, matrix_world) -> list[Check]:
    """Every request the role makes, reads first, then the allowed writes, then the refused
    ones (which share the baseline snapshot taken after signing in)."""
    checks = []
    for route in ROUTES:
        for method, row in rows_for(route.route).items():
            for variant, value in _objects(row, route, matrix_world):
                expected = _expected(row.expected[role], variant)
                if expected != "any":
                    label = f"{route.route}, {variant}"
                    checks.append(Check(method, _url(route.route, value), label, expected))
    return sorted(checks, key=lambda check: (check.method != "GET", check.expected in REFUSALS))


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_what_the_matrix_says(matrix_world, role):
    # The sign-in endpoints are throttled per address (20/minute): each role starts afresh,
    # or a fast run of the earlier roles answers 429 to the later ones.
    cache.clear()
    persona = Persona(role, matrix_world)
    checks = checks_for(role, matrix_world)
    failures = []
    baseline = None
    for check in checks:
        is_refused_write = check.method != "GET" and check.expected in REFUSALS
        if persona.sign_in():
            baseline = None  # signing in wrote `last_login`
        if is_refused_write and baseline is None:
            baseline = snapshot()
        # Every request is rolled back, so each one meets the matrix world as built (an allowed
        # write such as closing a referral does not change what the next check finds) and the
        # tables before a refused write are the baseline taken once after signing in.
        with transaction.atomic():
            response = persona.request(check.method, check.url)
            after = snapshot() if is_refused_write else None
            transaction.set_rollback(True)
        if not _matches(check.expected, response):
            failures.append(
                f"{check.method} {check.url} ({check.label}): expected {check.expected}, "
                f"got {response.status_code} {response.get('Location', '')}"
            )
        if is_refused_write and after != baseline:
            failures.append(
                f"{check.method} {check.url}: refused ({check.expected}) but data changed"
            )
    assert checks
    assert not failures, "\n".join(failures)
