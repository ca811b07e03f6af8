"""`seed_demo`: believable synthetic data and one demo user per role."""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, transaction

from agencies.models import Agency, User
from agencies.reference import REFERENCE_FILE
from agencies.services import generate_password, user_create
from victims.models import Victim

from .casework import seed_case_work
from .distributions import ACTIVITY_AGENCIES
from .generator import Agencies, DemoGenerator
from .writer import writer_for_database

# username: (role, agency acronym)
DEMO_USERS: dict[str, tuple[str, str | None]] = {
    "demo-caseworker": ("case_worker", "DoSVY-BMC"),
    "demo-police": ("police", "AHTJP"),
    "demo-partner": ("partner", "AFESIP"),
    "demo-justice": ("justice", "Court-PP"),
    "demo-secretariat": ("secretariat", "NCS"),
    "demo-admin": ("admin", None),
}


class ReferenceDataMissing(Exception):
    """The agencies the demo data needs are not there: run load_reference_data first."""


@dataclass
class SeedResult:
    seeded: bool
    counts: dict[str, int] = field(default_factory=dict)
    passwords: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0


def seed_demo(
    *,
    scale: int,
    seed: int = 2010,
    until: dt.date | None = None,
    progress: Callable[[str], None] = lambda message: None,
) -> SeedResult:
    """Create `scale` victims with their related records, unless the database already holds
    victims (then nothing is added), and (re)set the demo users' passwords."""
    began = time.monotonic()
    agencies = _reference_agencies()
    result = SeedResult(seeded=not Victim.objects.exists())
    if result.seeded:
        generator = DemoGenerator(
            agencies=agencies, scale=scale, seed=seed, until=until or dt.date.today()
        )
        result.counts = _write(generator, scale, progress, began)
    result.passwords = demo_users_reset()
    if result.seeded:  # case work is written by the demo users, so after they exist
        written = seed_case_work(today=until or dt.date.today(), seed=seed)
        result.counts.update({name: count for name, count in written.items() if count})
    result.seconds = time.monotonic() - began
    return result


def _write(generator: DemoGenerator, scale: int, progress, began: float) -> dict[str, int]:
    writer = writer_for_database()
    step = max(scale // 20, 1)
    shown = [0]

    def report() -> None:
        made = writer.counts["victim"]
        if made - shown[0] >= step or (made >= scale and shown[0] < scale):
            shown[0] = made
            progress(f"{made:,} / {scale:,} victims written ({made * 100 // scale}%), "
                     f"{time.monotonic() - began:.0f} s")  # fmt: skip

    def blocks():
        yield from generator.blocks()
        yield from generator.aggregates()

    writer.progress_message = progress
    writer.run(blocks(), report)
    if connection.vendor == "postgresql":
        # Outside a transaction, VACUUM too: it marks the freshly written pages all-visible, so
        # index-only scans (the report's) read no table pages. Inside one (a test), ANALYZE.
        statement = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        progress(f"{statement} …")
        with connection.cursor() as cursor:
            cursor.execute(statement)
    return {name: count for name, count in writer.counts.items() if count}


def _reference_agencies() -> Agencies:
    data = json.loads(REFERENCE_FILE.read_text(encoding="utf-8"))
    rows = Agency.objects.values_list("acronym", "id", "province", "services")
    ids = {acronym: str(pk) for acronym, pk, _p, _s in rows}
    # Every agency the generator names (partners and helpers it skips when missing).
    needed = ["MoSVY", "AHTJP", "AFESIP", "NCS", "GRK", *ACTIVITY_AGENCIES] + [
        f"{prefix}-{abbr}"
        for abbr in data["provinces"].values()
        for prefix in ("DoSVY", "AHTJP", "MP", "Court")
    ]
    missing = [acronym for acronym in needed if acronym not in ids]
    if missing:
        raise ReferenceDataMissing(
            f"missing agencies {', '.join(missing[:5])}…; run manage.py load_reference_data first"
        )
    return Agencies(
        ids=ids,
        province={acronym: province for acronym, _pk, province, _s in rows},
        services={acronym: services for acronym, _pk, _p, services in rows},
        abbr=data["provinces"],
    )


def demo_users_reset() -> dict[str, str]:
    """Create the demo users that are missing and give every demo user a new password."""
    passwords = {}
    with transaction.atomic():
        for username, (role, acronym) in DEMO_USERS.items():
            user = User.objects.filter(username=username).first()
            if user is None:
                _user, passwords[username] = user_create(
                    username=username, role=role, agency_acronym=acronym
                )
            else:
                passwords[username] = generate_password()
                user.set_password(passwords[username])
                user.save(update_fields=["password"])
    return passwords
