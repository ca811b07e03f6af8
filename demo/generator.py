"""Believable synthetic records, generated as plain row tuples in blocks (memory stays flat).

The proportions follow Chou Bun Eng's presentation of the 2010 figures (shared/seeds/004…):
most rescued victims are adults (88 under 15, 109 aged 15–17, 489 adults), a rescued victim is
placed with DoSVY, an NGO or the family (301 / 24 / 361), one suspect in three is a woman and
one in twelve a foreigner, most repatriations come from Thailand and Vietnam and most of those
repatriated are children, and referrals go mostly to WNU/CPN, then AFESIP, HCC, CCPCR, the MoSVY
Phnom Penh centre, Friends… Dates run from 2008 to `until`, denser in the last two years; in each
of the last eight quarters a "showcase" set (an operation with rescues and a prosecution that
ends in a conviction, a repatriated child, a returned migrant child, referrals, follow-ups of
every kind, a case opened and closed) makes every figure of the statistics report non-zero.

Every random choice comes from one seeded `random.Random`: the same seed, scale and `until`
give the same rows.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from referrals.choices import Transition
from referrals.workflow import step
from victims.names import match_keys

from . import names
from .distributions import (
    ACTIVITY_AGENCIES,
    ACTIVITY_KINDS,
    BORDER_PROVINCES,
    CHARGES,
    DEPORTEE_POSTS,
    EXPLOITATION,
    FOREIGN_SUSPECTS,
    LABOUR_SECTORS,
    MEANS,
    OPERATION_PROVINCES,
    OWNER_PROVINCES,
    PARTNER_WEIGHTS,
    RECRUITMENT,
    RELATIONS,
    REPATRIATION_ORIGINS,
)
from .pools import foreign_names, villages
from .sampling import Weighted, month_end, quarter_end, quarter_start

Block = dict[str, list[tuple]]
START = dt.date(2008, 1, 1)
SHOWCASE_QUARTERS = 8
RECENT_SHARE = 0.3
# Victims who are a person another agency registered before (planted duplicates).
DUPLICATE_SHARE = 0.03


@dataclass
class Agencies:
    """The reference agencies the generator uses: ids by acronym, and facts about them."""

    ids: dict[str, str]
    province: dict[str, str]
    services: dict[str, list[str]]
    abbr: dict[str, str]  # province code -> abbreviation used in acronyms (BMC, PP, …)

    def dosvy(self, province: str) -> str:
        return f"DoSVY-{self.abbr[province]}"


@dataclass
class Unit:
    """Where and when one story happens; `showcase` units keep every event in their quarter."""

    start: dt.date
    horizon: dt.date
    showcase: bool


@dataclass
class VictimFacts:
    id: str
    owner: str
    female: bool
    intake: dt.date
    consent: bool


class DemoGenerator:
    """Generates the demo records for `scale` victims, block by block."""

    def __init__(self, *, agencies: Agencies, scale: int, seed: int, until: dt.date):
        self.rng = random.Random(seed)
        self.agencies = agencies
        self.scale = scale
        self.until = until
        self.recent_start = quarter_start(until, back=SHOWCASE_QUARTERS - 1)
        self.victims_made = 0
        self._people: dict[tuple[bool, int], list] = defaultdict(list)
        self.court_numbers: dict[str, int] = defaultdict(int)
        self._stamps: dict[dt.date, dt.datetime] = {}
        self._villages = villages()
        self._foreign_names = foreign_names(seed)
        self.partners = Weighted({a: w for a, w in PARTNER_WEIGHTS.items() if a in agencies.ids})
        self.tables = {
            name: Weighted(weights)
            for name, weights in {
                "operation_province": OPERATION_PROVINCES,
                "owner_province": OWNER_PROVINCES,
                "foreign": FOREIGN_SUSPECTS,
                "recruitment": RECRUITMENT,
                "relation": RELATIONS,
                "victim_origin": REPATRIATION_ORIGINS["victim"],
                "migrant_origin": REPATRIATION_ORIGINS["migrant"],
                **{f"exploitation_{k}": v for k, v in EXPLOITATION.items()},
                **{f"border_{k}": v for k, v in BORDER_PROVINCES.items()},
                "activity": {kind: spec[0] for kind, spec in ACTIVITY_KINDS.items()},
            }.items()
        }

    # Blocks ------------------------------------------------------------------------------------

    def blocks(self, block_size: int = 5000) -> Iterator[Block]:
        """Blocks of rows for about `block_size` victims each, until `scale` victims exist."""
        units = itertools.chain(self._showcase_units(), self._random_units())
        block: Block = defaultdict(list)
        made_in_block = 0
        for kind, unit in units:
            if self.victims_made >= self.scale:
                break
            before = self.victims_made
            getattr(self, f"_unit_{kind}")(block, unit)
            made_in_block += self.victims_made - before
            if made_in_block >= block_size:
                yield block
                block, made_in_block = defaultdict(list), 0
        if block:
            yield block

    def aggregates(self) -> Iterator[Block]:
        """Activities and deportee reports: monthly aggregates, a few per month; a block a
        year."""
        block: Block = defaultdict(list)
        per_month = max(3, self.scale // 2000)
        month = START
        while month <= self.until:
            last_day = min(month_end(month), self.until)
            for index in range(per_month):
                kind = "child_labour_withdrawal" if index == 0 else None
                self._activity(block, month, last_day, kind)
            for acronym, country, mean in DEPORTEE_POSTS:
                if acronym in self.agencies.ids:
                    self._deportee_report(block, acronym, month, country, mean)
            if month.month == 12:
                yield block
                block = defaultdict(list)
            month = last_day + dt.timedelta(days=1)
        if block:
            yield block

    def _showcase_units(self) -> Iterator[tuple[str, Unit]]:
        for back in range(SHOWCASE_QUARTERS):
            first = quarter_start(self.until, back=back)
            last = min(quarter_end(first), self.until)
            for kind in ("rescue", "repatriation", "migrant", "other"):
                start = first + dt.timedelta(days=self.rng.randint(0, min(10, (last - first).days)))
                yield kind, Unit(start, last, showcase=True)

    def _random_units(self) -> Iterator[tuple[str, Unit]]:
        kinds = Weighted({"rescue": 0.093, "repatriation": 0.133, "migrant": 0.1, "other": 0.2})
        while True:
            yield kinds.pick(self.rng), Unit(self._random_date(), self.until, showcase=False)

    # Units: stories of one or more victims -----------------------------------------------------

    def _unit_rescue(self, block: Block, unit: Unit) -> None:
        """A police operation: suspects detained, victims rescued and placed, a case, and
        usually a prosecution."""
        rng, province = self.rng, self.tables["operation_province"].pick(self.rng)
        # The latest showcase raid is in Banteay Meanchey and its placements still wait for
        # DoSVY-BMC's answer, so that the demo case worker has hand-overs on her home page.
        waiting = unit.showcase and unit.start >= quarter_start(self.until)
        if waiting:
            province = "01"
        abbr, roll = self.agencies.abbr[province], rng.random()
        police = "AHTJP" if roll < 0.2 else (f"MP-{abbr}" if roll < 0.35 else f"AHTJP-{abbr}")
        owner = self.agencies.dosvy(province)
        case_id = self._case(block, owner, unit, "rescue", cross_border=rng.random() < 0.1)
        operation_id = self._uuid()
        block["operation"].append(
            (
                *self._record(unit.start, operation_id),
                self._id(police),
                case_id,
                unit.start,
                "raid"
                if rng.random() < 0.6
                else ("rescue" if rng.random() < 0.7 else "inspection"),
                province,
                "",
            )
        )
        size = min(self._operation_size(), self.scale - self.victims_made)
        for index in range(size):
            age = self._rescued_age()
            placement = "dosvy" if waiting else self._placement(age)
            placed_with = {"dosvy": owner, "ngo": self.partners.pick(rng)}.get(placement)
            pending = placed_with is not None and (
                waiting or (self.until - unit.start).days < 14 and rng.random() < 0.5
            )
            victim = self._victim(
                block,
                police if pending else (placed_with or owner),
                unit,
                age=age,
                female=(index == 0 or rng.random() < 0.8),
                status="actual" if rng.random() < 0.85 else "possible",
            )
            block["rescue"].append(
                (operation_id, victim.id, placement, placed_with and self._id(placed_with))
            )
            block["case_victim"].append((case_id, victim.id))
            if placed_with is not None:
                self._placement_handover(block, victim, police, placed_with, unit, pending)
            if not pending:  # a person still waiting to be taken in has no story yet
                self._victim_story(block, victim, case_id, unit)
        # A showcase operation detains a foreigner and a woman, so that every figure shows.
        count = max(rng.choice((0, 1, 1, 1, 2, 2, 3)), 2 if unit.showcase else 0)
        suspects = [
            self._suspect(
                block,
                police,
                unit.start,
                foreign=unit.showcase and index == 0,
                female=True if unit.showcase and index == 1 else None,
            )
            for index in range(count)
        ]
        for suspect_id in suspects:
            block["operation_suspect"].append((operation_id, suspect_id))
            block["case_suspect"].append((case_id, suspect_id))
        if suspects and (unit.showcase or rng.random() < 0.9):
            self._prosecution(block, province, case_id, suspects, unit)

    def _placement_handover(
        self,
        block: Block,
        victim: VictimFacts,
        police: str,
        placed_with: str,
        unit: Unit,
        pending: bool,
    ) -> None:
        """The hand-over of a rescued person from the police unit to the agency that took
        them in: accepted within a few days, unless it is still waiting."""
        handover_id, created = self._uuid(), unit.start
        status, changed_at = "pending", None
        if not pending:
            changed_at = dt.datetime.combine(created, dt.time(3), tzinfo=dt.UTC) + dt.timedelta(
                days=self.rng.choice((0, 1, 1, 2, 2, 3, 5)), hours=self.rng.randint(0, 8)
            )
            status = "accepted"
            block["handover_transition"].append(
                (
                    handover_id,
                    "accept",
                    "pending",
                    "accepted",
                    changed_at,
                    self._id(placed_with),
                    "",
                )
            )
        block["handover"].append(
            (
                *self._record(created, handover_id),
                victim.id,
                None,
                self._id(police),
                self._id(placed_with),
                "rescue_placement",
                created,
                "",
                status,
                "",
                changed_at,
            )
        )

    def _unit_repatriation(self, block: Block, unit: Unit, kind: str = "victim") -> None:
        """People received back from a foreign authority at a border province."""
        rng = self.rng
        country = self.tables[f"{kind}_origin"].pick(rng)
        border = self.tables.get(f"border_{country}")
        province = border.pick(rng) if border else "12"
        receiver = self.agencies.dosvy(province)
        size = min(
            1 if kind == "migrant" else rng.choice((1, 1, 2, 2, 3)), self.scale - self.victims_made
        )
        has_case = kind == "victim" or rng.random() < 0.5
        case_id = (
            self._case(block, receiver, unit, "repatriation", country=country) if has_case else None
        )
        for index in range(size):
            child = (unit.showcase and index == 0) or rng.random() < (
                0.69 if kind == "victim" else 0.65
            )
            status = (
                ("actual" if rng.random() < 0.6 else "possible")
                if kind == "victim"
                else ("possible" if rng.random() < 0.5 else "not_victim")
            )
            victim = self._victim(
                block,
                receiver,
                unit,
                age=rng.randint(6, 17) if child else rng.randint(18, 45),
                female=(index == 0 or rng.random() < 0.5),
                status=status,
            )
            repatriation_id = self._uuid()
            block["repatriation"].append(
                (
                    *self._record(unit.start, repatriation_id),
                    victim.id,
                    kind,
                    country,
                    unit.start,
                    self._id(receiver),
                    province,
                )
            )
            for helper in self._helpers():
                block["repatriation_agency"].append((repatriation_id, self._id(helper)))
            if case_id:
                block["case_victim"].append((case_id, victim.id))
            self._victim_story(block, victim, case_id, unit)

    def _unit_migrant(self, block: Block, unit: Unit) -> None:
        self._unit_repatriation(block, unit, kind="migrant")

    def _unit_other(self, block: Block, unit: Unit) -> None:
        """Victims identified in Cambodia by a DoSVY, the commune council or a hotline call."""
        rng = self.rng
        province = self.tables["owner_province"].pick(rng)
        owner = self.agencies.dosvy(province)
        case_id = self._case(block, owner, unit, "other", force_close=unit.showcase)
        for index in range(min(rng.choice((1, 1, 2)), self.scale - self.victims_made)):
            child = rng.random() < 0.35
            victim = self._victim(
                block,
                owner,
                unit,
                age=rng.randint(8, 17) if child else rng.randint(18, 40),
                female=(index == 0 or rng.random() < 0.65),
                status="actual" if rng.random() < 0.5 else "possible",
            )
            block["case_victim"].append((case_id, victim.id))
            self._victim_story(block, victim, case_id, unit)
        if rng.random() < 0.25:
            suspect_id = self._suspect(block, None, unit.start, foreign=False)
            block["case_suspect"].append((case_id, suspect_id))

    # Records -------------------------------------------------------------------------------------

    def _victim(
        self, block: Block, owner: str, unit: Unit, *, age: int, female: bool, status: str
    ) -> VictimFacts:
        rng = self.rng
        self.victims_made += 1
        victim_id = self._uuid()
        foreign = rng.random() < 0.04
        if foreign:
            given, family = self._foreign_name("VNM", female)
            khmer, citizenship, language = "", "VNM", "vi"
        else:
            (given, given_km), (family, family_km) = self._khmer_name(female)
            khmer, citizenship, language = f"{family_km} {given_km}", "KHM", "km"
        dob, birth_year = self._birth(unit.start, age)
        province, district, commune, village = self._home()
        if not foreign:
            home = (province, district, commune, village)
            again = self._registered_again(
                owner, female, unit.start.year - age, (given, family, khmer, dob, birth_year, home)
            )
            if again and not (again[3] and again[3] > unit.start):
                given, family, khmer, dob, birth_year, home = again
                province, district, commune, village = home
        consent = unit.showcase or rng.random() < 0.88
        block["victim"].append(
            (
                *self._record(unit.start, victim_id),
                self._id(owner),
                given,
                family,
                khmer,
                "female" if female else "male",
                dob,
                birth_year,
                citizenship,
                language,
                None if rng.random() < 0.1 else rng.random() < 0.65,
                self._phone() if rng.random() < 0.5 else "",
                province,
                district,
                commune,
                village,
                status,
                consent,
                consent and rng.random() < 0.97,
                None if rng.random() < 0.15 else rng.random() < 0.7,
                rng.choice(names.CASE_NOTES),
                *match_keys(given_name=given, family_name=family, name_khmer=khmer,
                            date_of_birth=dob, birth_year=birth_year).values(),
            )
        )  # fmt: skip
        return VictimFacts(victim_id, owner, female, unit.start, consent)

    def _victim_story(self, block: Block, victim: VictimFacts, case_id, unit: Unit) -> None:
        """What happens after intake: referrals to partners (with services) and follow-ups."""
        rng = self.rng
        if victim.consent:
            count = 1 if unit.showcase else rng.choice((1, 1, 1, 1, 1, 1, 1, 1, 2, 2))
            for _ in range(count):
                self._referral(block, victim, case_id, unit)
        kinds = [
            ("monitoring", 0.55, (30, 700), rng.choice((1, 1, 2, 3))),
            ("family_tracing", 0.15, (3, 60), 1),
            ("family_assessment", 0.12, (10, 90), 1),
            ("reintegration_support", 0.08, (60, 400), 1),
        ]
        for kind, chance, (low, high), visits in kinds:
            if not (unit.showcase or rng.random() < chance):
                continue
            for _ in range(visits):
                day = self._later(unit, victim.intake, low, high)
                if day is not None:
                    block["follow_up"].append(
                        (
                            *self._record(day),
                            victim.id,
                            self._id(victim.owner),
                            day,
                            kind,
                            rng.choice(names.FOLLOW_UP_OUTCOMES[kind]),
                        )
                    )

    def _referral(self, block: Block, victim: VictimFacts, case_id, unit: Unit) -> None:
        rng = self.rng
        created = self._later(unit, victim.intake, 0, 40)
        if created is None:
            return
        partner = self.partners.pick(rng)
        if partner == victim.owner:  # an NGO that took the person in refers to another
            return
        offered = self.agencies.services[partner] or ["shelter"]
        requested = rng.sample(offered, k=min(len(offered), rng.choice((1, 1, 2, 3))))
        referral_id = self._uuid()
        path = self._referral_path(created, unit)
        transitions, status, decline_reason, changed_at = [], "pending", "", None
        moment = dt.datetime.combine(created, dt.time(1), tzinfo=dt.UTC)
        for transition in path:
            # Plain strings for the COPY writer: the table holds TextChoices members.
            transition, target = str(transition), str(step(status, transition).to_status)
            moment += dt.timedelta(days=rng.randint(0, 6), hours=rng.randint(1, 9))
            if moment.date() > unit.horizon:
                break
            by = victim.owner if transition == "withdraw" else partner
            reason = (
                rng.choice(names.DECLINE_REASONS)
                if transition == "decline"
                else rng.choice(names.COMPLETE_REASONS)
                if transition == "complete"
                else ""
            )
            transitions.append(
                (referral_id, transition, status, target, moment, self._id(by), reason)
            )
            status, changed_at = target, moment
            decline_reason = reason if transition == "decline" else decline_reason
        block["referral"].append(
            (
                *self._record(created, referral_id),
                victim.id,
                case_id if rng.random() < 0.85 else None,
                self._id(victim.owner),
                self._id(partner),
                created,
                requested,
                "",
                "urgent" if rng.random() < 0.25 else "routine",
                status,
                decline_reason,
                changed_at,
            )
        )
        block["transition"].extend(transitions)
        if transitions and transitions[0][1] == Transition.ACCEPT:
            accepted_on = transitions[0][4].date()
            for service in requested[:2]:
                day = self._later(unit, accepted_on, 1, 60)
                if day is not None:
                    block["service"].append(
                        (
                            *self._record(day),
                            referral_id,
                            victim.id,
                            self._id(partner),
                            day,
                            service,
                            "",
                        )
                    )

    def _referral_path(self, created: dt.date, unit: Unit) -> list[str]:
        """The actions the referral goes through (each one allowed by referrals.workflow)."""
        accept, start = Transition.ACCEPT, Transition.START
        roll = self.rng.random()
        if unit.showcase:
            return [accept, start]
        if (self.until - created).days < 30 and roll < 0.5:
            return []
        if roll < 0.05:
            return []
        if roll < 0.15:
            return [Transition.DECLINE]
        if roll < 0.2:
            return [Transition.WITHDRAW]
        if roll < 0.3:
            return [accept]
        if roll < 0.45:
            return [accept, start]
        if roll < 0.55:
            return [accept, Transition.CLOSE]
        return [accept, start, Transition.COMPLETE]

    def _case(
        self,
        block: Block,
        owner: str,
        unit: Unit,
        origin: str,
        *,
        country: str = "",
        cross_border: bool = False,
        force_close: bool = False,
    ) -> str:
        rng = self.rng
        case_id = self._uuid()
        exploitation = self.tables[f"exploitation_{origin}"].pick(rng)
        countries = [country] if country else (["THA"] if cross_border else [])
        closed_on, status = self._closure(unit, force_close)
        block["case"].append(
            (
                *self._record(unit.start, case_id),
                self._id(owner),
                unit.start,
                closed_on,
                status,
                "Victims reintegrated; case plan completed." if closed_on else "",
                [exploitation],
                bool(countries),
                countries,
                rng.sample(LABOUR_SECTORS, k=rng.choice((1, 1, 2)))
                if exploitation in ("forced_labour", "child_labour", "servitude")
                else [],
                ["prostitution"] if exploitation == "sexual_exploitation" else [],
                rng.sample(MEANS, k=rng.randint(1, 3)),
                self.tables["recruitment"].pick(rng),
                self.tables["relation"].pick(rng),
                rng.choice(names.CASE_NOTES),
            )
        )
        return case_id

    def _closure(self, unit: Unit, force_close: bool) -> tuple[dt.date | None, str]:
        rng = self.rng
        if force_close:
            return self._later(unit, unit.start, 5, 60), "closed"
        age_days = (self.until - unit.start).days
        chance = 0.85 if age_days > 730 else (0.3 if age_days > 180 else 0.05)
        if rng.random() >= chance:
            return None, "active" if age_days < 180 or rng.random() < 0.3 else "follow_up"
        closed_on = self._later(unit, unit.start, 60, 700)
        if closed_on is None:
            return None, "follow_up"
        return closed_on, "closed" if rng.random() < 0.85 else "closed_referred"

    def _suspect(
        self,
        block: Block,
        agency: str | None,
        day: dt.date,
        *,
        foreign: bool,
        female: bool | None = None,
    ) -> str:
        rng = self.rng
        suspect_id = self._uuid()
        female = rng.random() < 0.33 if female is None else female
        if foreign or rng.random() < 0.08:
            citizenship = self.tables["foreign"].pick(rng)
            given, family = self._foreign_name(citizenship, female)
            aliases: list[str] = []
        else:
            (given, _), (family, _) = self._khmer_name(female)
            citizenship = "KHM"
            aliases = [f"Bong {given}"] if rng.random() < 0.2 else []
        role = rng.choice(
            (
                "recruiter_or_intermediary",
                "recruiter_or_intermediary",
                "exploiter",
                "exploiter",
                "broker_travel_agent",
                "transporter",
                "buyer",
                "abuser",
            )
        )
        block["suspect"].append(
            (
                *self._record(day, suspect_id),
                self._id(agency) if agency else None,
                given,
                family,
                aliases,
                "female" if female else "male",
                day.year - rng.randint(20, 60),
                citizenship,
                role,
                rng.random() < 0.6,
                rng.random() < 0.7,
            )
        )
        return suspect_id

    def _prosecution(
        self, block: Block, province: str, case_id, suspects: Sequence[str], unit: Unit
    ) -> None:
        rng = self.rng
        filed = self._later(unit, unit.start, 10, 200)
        if filed is None:
            return
        court = f"Court-{self.agencies.abbr[province]}"
        self.court_numbers[court] += 1
        prosecution_id = self._uuid()
        block["prosecution"].append(
            (
                *self._record(filed, prosecution_id),
                self._id(court),
                case_id,
                f"{self.agencies.abbr[province]}-{self.court_numbers[court]:05d}/{filed.year}",
                filed,
                rng.choice(CHARGES),
            )
        )
        for suspect_id in suspects:
            verdict_on = self._later(unit, filed, 30, 400)
            roll = 0.0 if unit.showcase else rng.random()
            verdict = (
                "pending"
                if verdict_on is None
                else ("convicted" if roll < 0.75 else "acquitted" if roll < 0.9 else "dismissed")
            )
            months = rng.choice((24, 36, 60, 84, 120, 180)) if verdict == "convicted" else None
            block["defendant"].append(
                (
                    prosecution_id,
                    suspect_id,
                    verdict,
                    verdict_on if verdict != "pending" else None,
                    months,
                )
            )

    def _activity(self, block: Block, first: dt.date, last: dt.date, kind: str | None) -> None:
        rng = self.rng
        kind = kind or self.tables["activity"].pick(rng)
        _weight, group, (low, high) = ACTIVITY_KINDS[kind]
        total = rng.randint(low, high)
        if kind == "child_labour_withdrawal":
            agency, children = "MoLVT", total
        else:
            agency, children = rng.choice(ACTIVITY_AGENCIES), int(total * rng.random() * 0.4)
        day = first + dt.timedelta(days=rng.randint(0, (last - first).days))
        block["activity"].append(
            (
                *self._record(day),
                self._id(agency),
                day,
                kind,
                group,
                self.tables["owner_province"].pick(rng),
                total,
                int(total * rng.uniform(0.35, 0.6)),
                children,
                rng.choice(names.ACTIVITY_DESCRIPTIONS[kind]),
            )
        )

    def _deportee_report(
        self, block: Block, acronym: str, month: dt.date, country: str, mean: int
    ) -> None:
        total = max(1, int(self.rng.gauss(mean, mean * 0.25)))
        block["deportee_report"].append(
            (
                *self._record(month),
                self._id(acronym),
                f"{month:%Y-%m}",
                country,
                total,
                int(total * 0.3),
                int(total * 0.09),
                int(total * 0.11),
            )
        )

    # Small helpers ---------------------------------------------------------------------------

    def _uuid(self) -> str:
        return f"{self.rng.getrandbits(128):032x}"

    def _id(self, acronym: str) -> str:
        return self.agencies.ids[acronym]

    def _record(self, day: dt.date, record_id: str | None = None) -> tuple:
        """id, created_at, updated_at, created_by of a record dated `day`."""
        stamp = self._stamps.get(day)
        if stamp is None:
            stamp = self._stamps[day] = dt.datetime.combine(day, dt.time(2), tzinfo=dt.UTC)
        return (record_id or self._uuid(), stamp, stamp, None)

    def _random_date(self) -> dt.date:
        first = self.recent_start if self.rng.random() < RECENT_SHARE else START
        return first + dt.timedelta(days=self.rng.randint(0, (self.until - first).days))

    def _later(self, unit: Unit, day: dt.date, low: int, high: int) -> dt.date | None:
        """A day `low`–`high` days after `day`, or None if that is past the unit's horizon.
        A showcase unit squeezes the interval into its quarter instead."""
        if unit.showcase:
            room = (unit.horizon - day).days
            if room < 0:
                return None
            high = min(high, room)
            low = min(low, high)
        later = day + dt.timedelta(days=self.rng.randint(low, high))
        return later if later <= unit.horizon else None

    def _operation_size(self) -> int:
        return self.rng.choice((1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 7, 9))

    def _rescued_age(self) -> int:
        roll = self.rng.random()
        if roll < 88 / 686:
            return self.rng.randint(8, 14)
        if roll < 197 / 686:
            return self.rng.randint(15, 17)
        return min(self.rng.randint(18, 30), self.rng.randint(18, 45))

    def _placement(self, age: int) -> str:
        roll = self.rng.random()
        if age < 18:
            return "dosvy" if roll < 0.6 else ("ngo" if roll < 0.75 else "family")
        return (
            "dosvy"
            if roll < 0.4
            else ("ngo" if roll < 0.43 else ("family" if roll < 0.99 else "other"))
        )

    def _birth(self, on: dt.date, age: int) -> tuple[dt.date | None, int | None]:
        roll = self.rng.random()
        born = on - dt.timedelta(days=age * 365 + self.rng.randint(0, 360))
        if roll < 0.6:
            return born, None
        if roll < 0.95:
            return None, born.year
        return None, None

    def _home(self) -> tuple[str, str, str, str]:
        province, district, commune, village = self.rng.choice(self._villages)
        roll = self.rng.random()
        if roll < 0.7:
            return province, district, commune, village
        return (province, district, "", "") if roll < 0.9 else (province, "", "", "")

    def _helpers(self) -> list[str]:
        helpers = ["IOM"] if self.rng.random() < 0.7 else []
        if self.rng.random() < 0.2:
            helpers.append(self.rng.choice(("WV", "CWCC", "AFESIP", "HCC")))
        return [helper for helper in helpers if helper in self.agencies.ids]

    def _registered_again(self, owner: str, female: bool, year: int, person: tuple):
        """Now and then (DUPLICATE_SHARE) the person is one another agency registered before,
        written again as a second clerk would (SPEC section 8: the matcher has work to do).
        Returns that person's fields, or None after remembering this one for later."""
        seen = self._people[(female, year)]
        earlier = [entry for entry in seen if entry[0] != owner]
        if earlier and self.rng.random() < DUPLICATE_SHARE:
            return names.written_again(self.rng, self.rng.choice(earlier)[1])
        seen.append((owner, person))
        del seen[:-8]
        return None

    def _khmer_name(self, female: bool):
        given = names.FEMALE_GIVEN_NAMES if female else names.MALE_GIVEN_NAMES
        return self.rng.choice(given), self.rng.choice(names.FAMILY_NAMES)

    def _foreign_name(self, citizenship: str, female: bool) -> tuple[str, str]:
        pool = (
            self._foreign_names.get((citizenship, female)) or self._foreign_names[("USA", female)]
        )
        return self.rng.choice(pool)

    def _phone(self) -> str:
        prefix = self.rng.choice(("012", "015", "016", "017", "077", "078", "089", "092", "097"))
        return f"{prefix} {self.rng.randint(100, 999)} {self.rng.randint(100, 999)}"
