"""Write `presentation_2009_2010.jsonl`: records whose 2010 report states the figures of Chou Bun
Eng's presentation (seeds/004) and their changes against 2009, in the SPEC section 6 format.

    python tests/data/make_presentation.py            # rewrites the file beside this script

`FIGURES` holds the presentation's numbers and nothing else. Where the presentation is silent
(the sex of rescued victims, the countries of the 459 repatriated victims, dates within the
year) the script makes a fixed choice, marked "not in the presentation"; the output is
deterministic, so the file only changes when this script does.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

OUTPUT = Path(__file__).with_name("presentation_2009_2010.jsonl")

# The presentation's figures (2010 unless the key says 2009).
FIGURES: dict[str, Any] = {
    "cases_2010": 160,
    "cases_2009": 165,
    "suspects_2010": 242,
    "suspects_female_2010": 79,
    "suspects_2009": 231,  # "an increase of 11 suspects"
    "foreign_suspects": {  # 19: 4 British, 4 Americans, 2 Japanese, 2 Australians, 1 each …
        "GBR": 4,
        "USA": 4,
        "JPN": 2,
        "AUS": 2,
        "ZAF": 1,  # "1 African": the presentation names no country; South Africa is a choice
        "DNK": 1,
        "CHN": 1,
        "NOR": 1,
        "NLD": 1,
        "LAO": 1,
        "CHE": 1,
    },
    "rescued_by_band": {"under_15": 88, "15_17": 109, "18_plus": 489},  # 686
    "rescued_by_placement": {"dosvy": 301, "ngo": 24, "family": 361},  # 686
    "repatriated_victims": 459,
    "repatriated_children": 317,
    "referrals_by_partner": {
        "WNU/CPN": 238,
        "Friends": 11,
        "WHI": 6,
        "AFESIP": 42,
        "HCC": 37,
        "CCPCR": 21,
        "Our Home": 1,
        "Hagar": 2,
        "MoSVY-PPC": 20,
    },
    "monitored": 1611,
    "monitored_female": 996,
    "family_tracing": 237,
    "family_assessed": 165,
    "cases_closed": 614,
    "returned_migrants": 196,
    "returned_migrants_children": 127,
    "deportees": 127053,
    "deportees_female": 38572,
    "deportees_children": 11871,
    "deportees_detained_over_month": 14552,
    "deportees_2009": 127053 - 24736,  # "totaling 24,736 deportees … increase from 2009"
    "prosecutions_2010": 163,
    "defendants_2010": 249,
    "prosecutions_2009": 97,
    "defendants_2009": 103,
    "prevention_activities": [  # (agency, kind, province, participants, female, month, day)
        ("MoWA", "awareness_raising", "01", 564, 0, 3, 15),  # safe migration, Malay district
        ("NPC-AHTJP", "awareness_raising", "12", 21318, 8636, 6, 1),
        ("NPC-AHTJP", "awareness_raising", "17", 44229, 19377, 8, 1),  # nine provinces' PCs
        ("NPC-AHTJP", "campaign", "08", 870, 0, 9, 20),  # Kandal parade
        ("MoWA", "media", "12", 100, 0, 12, 10),  # media conference
        ("MoWA", "campaign", "12", 6000, 0, 12, 12),  # Anti-Human Trafficking Day, Phnom Penh
        ("NPC-AHTJP", "campaign", "01", 3000, 0, 12, 12),  # Banteay Meanchey
        ("NPC-AHTJP", "campaign", "17", 500, 0, 12, 12),  # Siem Reap
    ],
    "police_meetings": 27,
    "child_labour_withdrawn": 8471,
    "child_labour_girls": 3546,
}

# Not in the presentation: how the 459 repatriated victims and 196 migrants split by country.
REPATRIATED_FROM = {"THA": 300, "VNM": 139, "IND": 10, "IDN": 6, "ZAF": 4}
MIGRANTS_FROM = {"THA": 150, "VNM": 30, "MYS": 16}
# Not in the presentation: which border office received deportees from where.
DEPORTEE_OFFICES = [("PDPC-BMC", "THA", 0.6), ("PDPC-KKG", "THA", 0.15), ("PDPC-SVR", "VNM", 0.25)]

# Agencies the reference data holds (agencies/data/reference.json) are given as it gives them, so
# the file imports into a set-up instance (SPEC section 6: their fields must agree).
AGENCIES = [
    ("MoSVY", "Ministry of Social Affairs, Veterans and Youth Rehabilitation", "ministry", ""),
    ("MoWA", "Ministry of Women's Affairs", "ministry", ""),
    ("MoLVT", "Ministry of Labour and Vocational Training", "ministry", ""),
    ("NPC-AHTJP", "Anti-Human Trafficking and Juvenile Protection Department", "police_unit", "12"),
    ("PDPC-BMC", "Banteay Meanchey Provincial Police", "police_unit", "01"),
    ("PDPC-KKG", "Koh Kong Provincial Police", "police_unit", "09"),
    ("PDPC-SVR", "Svay Rieng Provincial Police", "police_unit", "20"),
    ("PP-MPCFI", "Phnom Penh Municipal Court of First Instance", "court", "12"),
    ("WNU/CPN", "Women's Network for Unity / Cambodian Prostitutes' Network", "ngo", "12"),
    ("Friends", "Friends-International (Mith Samlanh)", "ngo", "12"),
    ("WHI", "World Hope International", "ngo", "12"),
    ("AFESIP", "AFESIP Cambodia (Acting for Women in Distressing Situations)", "ngo", "12"),
    ("HCC", "Healthcare Center for Children", "ngo", "12"),
    ("CCPCR", "Cambodian Centre for the Protection of Children's Rights", "ngo", "12"),
    ("Our Home", "Our Home", "ngo", "12"),
    ("Hagar", "Hagar Cambodia", "ngo", "12"),
    ("MoSVY-PPC", "MoSVY Phnom Penh Centre (shelter)", "other", "12"),
]
# Who took in the rescued (SPEC: a DoSVY or NGO placement names the agency): not in the
# presentation; the Phnom Penh shelter and one NGO shelter.
PLACED_WITH = {"dosvy": "MoSVY-PPC", "ngo": "AFESIP"}
PARTNERS = {"WNU/CPN", "Friends", "WHI", "AFESIP", "HCC", "CCPCR", "Our Home", "Hagar", "MoSVY-PPC"}


def spread(index: int, count: int, year: int) -> dt.date:
    """The index-th of `count` dates spread evenly over the year (deterministic)."""
    return dt.date(year, 1, 1) + dt.timedelta(days=(index * 364) // max(count - 1, 1))


class Writer:
    """Collects records and numbers their refs per type."""

    def __init__(self) -> None:
        self.records: list[dict[str, Any]] = []
        self.counters: dict[str, int] = {}

    def add(self, record_type: str, prefix: str, **fields: Any) -> str:
        self.counters[prefix] = self.counters.get(prefix, 0) + 1
        ref = f"{prefix}-{self.counters[prefix]:05d}"
        self.records.append({"type": record_type, "ref": ref, **fields})
        return ref

    def victim(self, *, birth_year: int | None = None, sex: str = "unknown", **extra: Any) -> str:
        number = self.counters.get("victim", 0) + 1
        return self.add(
            "victim",
            "victim",
            agency="MoSVY",
            given_name=f"Test{number:05d}",
            family_name="Presentation",
            sex=sex,
            birth_year=birth_year,
            citizenship="KHM",
            trafficking_status="actual",
            consent_services=True,
            consent_data_sharing=True,
            **extra,
        )


def agencies(out: Writer) -> None:
    for acronym, name, kind, province in AGENCIES:
        out.records.append(
            {
                "type": "agency",
                "ref": acronym,
                "name": name,
                "acronym": acronym,
                "kind": kind,
                "province": province,
                "accepts_referrals": acronym in PARTNERS,
            }
        )


def suspects(out: Writer, year: int) -> list[str]:
    """2010: 242 (F=79, 19 foreign as listed); 2009: 231 (sex not in the presentation)."""
    if year == 2009:
        return [
            out.add("suspect", "suspect", sex="unknown", citizenship="KHM", role="other")
            for _ in range(FIGURES["suspects_2009"])
        ]
    citizenships = [c for c, n in FIGURES["foreign_suspects"].items() for _ in range(n)]
    citizenships += ["KHM"] * (FIGURES["suspects_2010"] - len(citizenships))
    return [
        out.add(
            "suspect",
            "suspect",
            sex="female" if index < FIGURES["suspects_female_2010"] else "male",
            citizenship=citizenship,
            role="exploiter",
        )
        for index, citizenship in enumerate(citizenships)
    ]


def rescued_victims(out: Writer, year: int) -> list[tuple[str, str]]:
    """(victim ref, placement): 686 in 2010 by age band at the rescue; none stated for 2009."""
    if year == 2009:
        return []
    # Ages well inside each band; a few with a date of birth, the rest with a birth year.
    ages = {"under_15": 12, "15_17": 16, "18_plus": 24}
    bands = [band for band, n in FIGURES["rescued_by_band"].items() for _ in range(n)]
    placements = [p for p, n in FIGURES["rescued_by_placement"].items() for _ in range(n)]
    victims = []
    for index, (band, placement) in enumerate(zip(bands, placements, strict=True)):
        if index % 10 == 0:
            ref = out.victim(date_of_birth=f"{year - ages[band] - 1}-12-31")
        else:
            ref = out.victim(birth_year=year - ages[band])
        victims.append((ref, placement))
    return victims


def operations(out: Writer, year: int) -> list[tuple[str, list[str]]]:
    """One case and one raid per case in the year; suspects and rescues dealt round them."""
    count = FIGURES[f"cases_{year}"]
    detained = suspects(out, year)
    rescued = rescued_victims(out, year)
    made = []
    for index in range(count):
        day = spread(index, count, year)
        mine = detained[index::count]
        my_rescues = rescued[index::count]
        case = out.add(
            "case",
            "case",
            agency="NPC-AHTJP",
            opened_on=day.isoformat(),
            status="active",
            exploitation_types=["sexual_exploitation"],
            victims=[victim for victim, _ in my_rescues],
            suspects=mine,
        )
        out.add(
            "operation",
            "operation",
            agency="NPC-AHTJP",
            case=case,
            date=day.isoformat(),
            kind="raid",
            province="12",
            suspects_detained=mine,
            rescues=[
                {"victim": v, "placement": p, "placed_with": PLACED_WITH.get(p)}
                for v, p in my_rescues
            ],
        )
        made.append((case, mine))
    return made


def prosecutions(out: Writer, year: int, cases: list[tuple[str, list[str]]]) -> None:
    """163 prosecutions with 249 defendants in 2010; 97 with 103 in 2009 (verdicts pending)."""
    count, defendants = FIGURES[f"prosecutions_{year}"], FIGURES[f"defendants_{year}"]
    pool = [suspect for _, mine in cases for suspect in mine]
    while len(pool) < defendants:  # more defendants than detained suspects: not detained
        pool.append(out.add("suspect", "suspect", sex="male", citizenship="KHM", role="other"))
    for index in range(count):
        case = cases[index % len(cases)][0]
        out.add(
            "prosecution",
            "prosecution",
            court="PP-MPCFI",
            case=case,
            court_case_number=f"{index + 1}/{year}",
            filed_on=spread(index, count, year).isoformat(),
            charges="Law on Suppression of Human Trafficking and Sexual Exploitation",
            defendants=[
                {"suspect": suspect, "verdict": "pending"}
                for suspect in pool[index:defendants:count]
            ],
        )


def repatriations(out: Writer) -> None:
    """459 victims (317 children) and 196 migrants (127 children) received in 2010; the first
    378 victims are referred to the partners as the presentation lists them."""
    partners = [p for p, n in FIGURES["referrals_by_partner"].items() for _ in range(n)]
    for kind, by_country, children in (
        ("victim", REPATRIATED_FROM, FIGURES["repatriated_children"]),
        ("migrant", MIGRANTS_FROM, FIGURES["returned_migrants_children"]),
    ):
        countries = [c for c, n in by_country.items() for _ in range(n)]
        for index, country in enumerate(countries):
            day = spread(index, len(countries), 2010)
            victim = out.victim(birth_year=2010 - (14 if index < children else 30))
            out.add(
                "repatriation",
                "repatriation",
                victim=victim,
                kind=kind,
                from_country=country,
                received_on=day.isoformat(),
                receiving_agency="MoSVY",
                border_province="01" if country == "THA" else "20",
            )
            if kind == "victim" and index < len(partners):
                out.add(
                    "referral",
                    "referral",
                    victim=victim,
                    from_agency="MoSVY",
                    to_agency=partners[index],
                    created_on=day.isoformat(),
                    services_requested=["shelter", "reintegration"],
                    urgency="routine",
                )


def reintegration(out: Writer) -> None:
    """1,611 (F=996) monitored in 2010, of whom 237 traced families and 165 were assessed;
    614 cases opened in 2009 and closed in 2010."""
    for index in range(FIGURES["monitored"]):
        victim = out.victim(
            birth_year=1990, sex="female" if index < FIGURES["monitored_female"] else "male"
        )
        day = spread(index, FIGURES["monitored"], 2010).isoformat()
        out.add(
            "follow_up", "follow-up", victim=victim, agency="MoSVY", date=day, kind="monitoring"
        )
        for kind, limit in (
            ("family_tracing", "family_tracing"),
            ("family_assessment", "family_assessed"),
        ):
            if index < FIGURES[limit]:
                out.add(
                    "follow_up", "follow-up", victim=victim, agency="MoSVY", date=day, kind=kind
                )
        if index < FIGURES["cases_closed"]:
            out.add(
                "case",
                "case",
                agency="MoSVY",
                opened_on=spread(index, FIGURES["cases_closed"], 2009).isoformat(),
                closed_on=day,
                status="closed",
                # The presentation's reintegration follows the victims of sexual exploitation
                # its police section counts (cases of the same law).
                exploitation_types=["sexual_exploitation"],
                victims=[victim],
            )


def split(total: int, parts: int) -> list[int]:
    """`total` in `parts` integers that differ by at most one."""
    return [total // parts + (1 if index < total % parts else 0) for index in range(parts)]


def deportees(out: Writer, year: int) -> None:
    """Monthly reports of the three border offices summing to the year's totals."""
    fields = ["total", "female", "children", "detained_over_month"]
    if year == 2010:
        totals = [
            FIGURES["deportees"],
            FIGURES["deportees_female"],
            FIGURES["deportees_children"],
            FIGURES["deportees_detained_over_month"],
        ]
    else:  # the presentation gives 2009's total only
        totals = [FIGURES["deportees_2009"], 0, 0, 0]
    for office, country, share in DEPORTEE_OFFICES:
        is_last = office == DEPORTEE_OFFICES[-1][0]
        office_totals = [
            value - sum(round(value * other) for _, _, other in DEPORTEE_OFFICES[:-1])
            if is_last
            else round(value * share)
            for value in totals
        ]
        monthly = [split(value, 12) for value in office_totals]
        for month in range(12):
            out.add(
                "deportee_report",
                "deportees",
                agency=office,
                month=f"{year}-{month + 1:02d}",
                from_country=country,
                **{name: monthly[i][month] for i, name in enumerate(fields)},
            )


def activities(out: Writer) -> None:
    for agency, kind, province, total, female, month, day in FIGURES["prevention_activities"]:
        out.add(
            "activity",
            "activity",
            agency=agency,
            date=dt.date(2010, month, day).isoformat(),
            kind=kind,
            working_group="prevention",
            province=province,
            participants_total=total,
            participants_female=female,
        )
    for index in range(FIGURES["police_meetings"]):
        out.add(
            "activity",
            "activity",
            agency="NPC-AHTJP",
            date=spread(index, FIGURES["police_meetings"], 2010).isoformat(),
            kind="meeting",
            working_group="law_enforcement",
            province="12",
        )
    out.add(
        "activity",
        "activity",
        agency="MoLVT",
        date="2010-11-30",
        kind="child_labour_withdrawal",
        working_group="child_affairs",
        participants_total=FIGURES["child_labour_withdrawn"],
        participants_female=FIGURES["child_labour_girls"],
        participants_children=FIGURES["child_labour_withdrawn"],
        description="Worst forms of child labour withdrawn from the agricultural sector",
    )


def build() -> list[dict[str, Any]]:
    out = Writer()
    agencies(out)
    for year in (2009, 2010):
        prosecutions(out, year, operations(out, year))
        deportees(out, year)
    repatriations(out)
    reintegration(out)
    activities(out)
    # Fields left empty are left out, as an author would.
    return [_without_empty(record) for record in out.records]


def _without_empty(record: dict[str, Any]) -> dict[str, Any]:
    return {
        key: [_without_empty(item) if isinstance(item, dict) else item for item in value]
        if isinstance(value, list)
        else value
        for key, value in record.items()
        if value is not None
    }


def main() -> None:
    lines = [json.dumps(record, ensure_ascii=False, separators=(",", ":")) for record in build()]
    OUTPUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} records written to {OUTPUT}")


if __name__ == "__main__":
    main()
