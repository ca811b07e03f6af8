"""A quick filler for the benchmark while `seed_demo --scale` is not in this checkout: victims,
cases and their links only (what the CTDC export reads), written with bulk_create.

Not a substitute for seed_demo (no operations, referrals, reports); run.py uses it only when
seed_demo is missing and says so in its output.
"""

from __future__ import annotations

import datetime as dt
import random

from agencies.models import Agency
from cases.choices import (
    ExploitationType,
    LabourSector,
    MeansOfControl,
    RecruiterRelation,
    RecruitmentMethod,
    SexualExploitationType,
)
from cases.models import Case
from victims.models import Victim

BATCH = 5000
CITIZENSHIPS = ["KHM"] * 90 + ["VNM"] * 6 + ["THA", "LAO", "CHN", "MMR"]
COUNTRIES = ["THA", "MYS", "CHN", "KHM", "VNM", "IDN", "SAU", "KOR"]


def _sample(rng: random.Random, values: list[str], most: int) -> list[str]:
    return rng.sample(values, rng.randint(0, most))


def _victim(rng: random.Random, agency: Agency) -> Victim:
    born = rng.randint(1950, 2015)
    return Victim(
        agency=agency,
        given_name=f"Bench{rng.randint(0, 10**9)}",
        family_name="Victim",
        sex=rng.choice(["female"] * 7 + ["male"] * 3 + ["unknown"]),
        birth_year=born if rng.random() < 0.6 else None,
        date_of_birth=dt.date(born, rng.randint(1, 12), rng.randint(1, 28))
        if rng.random() < 0.3
        else None,
        citizenship=rng.choice(CITIZENSHIPS),
        trafficking_status=rng.choice(["actual"] * 8 + ["possible"] * 2 + ["not_victim"]),
    )


def _case(rng: random.Random, agency: Agency) -> Case:
    return Case(
        agency=agency,
        opened_on=dt.date(rng.randint(2008, 2025), rng.randint(1, 12), rng.randint(1, 28)),
        exploitation_types=_sample(rng, ExploitationType.values, 2),
        labour_sectors=_sample(rng, LabourSector.values, 2),
        sexual_exploitation_types=_sample(rng, SexualExploitationType.values, 1),
        means_of_control=_sample(rng, MeansOfControl.values, 4),
        recruitment_method=rng.choice(RecruitmentMethod.values + [""]),
        recruiter_relation=rng.choice(RecruiterRelation.values + [""]),
        countries_of_exploitation=_sample(rng, COUNTRIES, 2),
    )


def fill(scale: int, seed: int = 2010, progress=print) -> None:
    """`scale` victims; one case per 1.5 victims on average, a few victims in two cases."""
    rng = random.Random(seed)
    agency, _ = Agency.objects.get_or_create(
        acronym="BENCH", defaults={"name": "Benchmark agency", "kind": "ngo"}
    )
    link = Case.victims.through
    for start in range(0, scale, BATCH):
        victims = Victim.objects.bulk_create(
            [_victim(rng, agency) for _ in range(min(BATCH, scale - start))]
        )
        cases = Case.objects.bulk_create([_case(rng, agency) for _ in range(len(victims) * 2 // 3)])
        links = [link(case_id=rng.choice(cases).pk, victim_id=v.pk) for v in victims]
        links += [link(case_id=rng.choice(cases).pk, victim_id=v.pk) for v in victims[::20]]
        link.objects.bulk_create(links, ignore_conflicts=True)
        progress(f"filled {start + len(victims):,} / {scale:,} victims")
