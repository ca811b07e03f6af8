"""Possible duplicates of a person (SPEC section 8): candidate search, score, match tokens.

A query names a person (Latin and/or Khmer names, sex, date of birth or birth year, home
location). Candidates come from equalities on the stored match keys (victims.names), each
answered by an index: the two names in either order, one name with the birth year ±1 (a typo in
the other name), or the Khmer name. Each candidate is then scored from 0 to 100 in Python with
rapidfuzz (Jaro-Winkler and Indel similarity, C++), and those scoring `THRESHOLD` or more are
returned best first.

A match the user may not see is described only by its score (in bands of ten), the owning
agency's acronym and a token: the victim's id encrypted (Fernet: AES with an HMAC) together
with the user's id, valid 24 hours. Two tokens for the same record look unrelated.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from django.db.models import Q
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from rapidfuzz.distance import Indel, JaroWinkler

from ctms.audit import audit, audit_reads
from ctms.errors import PermissionDenied

from .models import Victim
from .names import khmer_key, khmer_words, latin_key, year_of_birth
from .policies import can_search_matches
from .selectors import victims_visible_to

THRESHOLD = 60
MAX_RESULTS = 10
# Candidates scored per query at most: a bound on the work of a query naming a very common name
# with nothing else. Far above what the blocks below give on the million-victim database.
MAX_CANDIDATES = 5000
TOKEN_MAX_AGE = 24 * 3600
LOCATION_LEVELS = ("province", "district", "commune", "village")
# What a matches query reads of a person (and audits); anything else it is given is left out.
QUERY_FIELDS = (
    "given_name", "family_name", "name_khmer", "sex", "date_of_birth", "birth_year",
    *(f"home_{level}" for level in LOCATION_LEVELS),
)  # fmt: skip

CANDIDATE_FIELDS = (
    "id", "agency__acronym", "given_name", "family_name", "name_khmer", "sex", "date_of_birth",
    "birth_year", "home_province", "home_district", "home_commune", "home_village",
    "match_given", "match_family", "match_khmer", "match_year",
)  # fmt: skip


@dataclass(frozen=True)
class Person:
    """What a matches query (or an intake form) says about a person, in match-key form."""

    given: str = ""
    family: str = ""
    khmer: str = ""
    khmer_words: tuple[str, ...] = ()
    sex: str = ""
    date_of_birth: dt.date | None = None
    year: int | None = None
    location: tuple[str, str, str, str] = ("", "", "", "")

    @property
    def has_name(self) -> bool:
        return bool(self.given or self.family or self.khmer)


def person_from(data: dict[str, Any]) -> Person:
    """A Person from victim fields (`given_name`, `family_name`, `name_khmer`, `sex`,
    `date_of_birth`, `birth_year`, `home_province` … `home_village`); missing ones are empty."""
    date_of_birth = data.get("date_of_birth") or None
    return Person(
        given=latin_key(data.get("given_name") or ""),
        family=latin_key(data.get("family_name") or ""),
        khmer=khmer_key(data.get("name_khmer") or ""),
        khmer_words=tuple(khmer_words(data.get("name_khmer") or "")),
        sex=data.get("sex") or "",
        date_of_birth=date_of_birth,
        year=year_of_birth(date_of_birth, data.get("birth_year") or None),
        location=tuple(data.get(f"home_{level}") or "" for level in LOCATION_LEVELS),
    )


def _row_person(row: dict[str, Any]) -> Person:
    return Person(
        given=row["match_given"],
        family=row["match_family"],
        khmer=row["match_khmer"],
        khmer_words=tuple(khmer_words(row["name_khmer"])),
        sex=row["sex"],
        date_of_birth=row["date_of_birth"],
        year=row["match_year"],
        location=(
            row["home_province"], row["home_district"], row["home_commune"], row["home_village"]
        ),
    )  # fmt: skip


# Scoring -----------------------------------------------------------------------------------


def _similar(a: str, b: str) -> float:
    """0–1: the mean of Jaro-Winkler (kind to a shared beginning) and Indel (strict on length)."""
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    return (JaroWinkler.normalized_similarity(a, b) + Indel.normalized_similarity(a, b)) / 2


def latin_similarity(a: Person, b: Person) -> float | None:
    """How alike the Latin names are, in either order; None when a side has none."""
    if not (a.given or a.family) or not (b.given or b.family):
        return None
    if a.given and a.family and b.given and b.family:
        # Both names must agree: the weaker of the two decides (a shared family name is common).
        direct = min(_similar(a.given, b.given), _similar(a.family, b.family))
        swapped = min(_similar(a.given, b.family), _similar(a.family, b.given))
        # One name split differently across the two fields ("Srey" + "Pov Chan").
        joined = max(
            _similar(a.given + a.family, b.given + b.family),
            _similar(a.given + a.family, b.family + b.given),
        )
        return max(direct, swapped, joined - 0.1)
    # One side has a single name: as good as its best pairing, but worth less.
    parts_a = [part for part in (a.given, a.family, a.given + a.family) if part]
    parts_b = [part for part in (b.given, b.family, b.given + b.family) if part]
    return 0.85 * max(_similar(x, y) for x in parts_a for y in parts_b)


def khmer_similarity(a: Person, b: Person) -> float | None:
    """How alike the Khmer names are, spaces ignored, words in either order."""
    if not a.khmer or not b.khmer:
        return None
    best = Indel.normalized_similarity(a.khmer, b.khmer)
    if len(a.khmer_words) > 1 and len(b.khmer_words) > 1:
        sorted_a, sorted_b = "".join(sorted(a.khmer_words)), "".join(sorted(b.khmer_words))
        best = max(best, Indel.normalized_similarity(sorted_a, sorted_b))
    return best


def name_similarity(a: Person, b: Person) -> float:
    values = [v for v in (latin_similarity(a, b), khmer_similarity(a, b)) if v is not None]
    return max(values, default=0.0)


def birth_agreement(a: Person, b: Person) -> float:
    """1 for the same date; less for the same or a neighbouring year; −1 for years apart;
    0.4 when a side does not say (a missing field neither helps nor excludes)."""
    if a.year is None or b.year is None:
        return 0.4
    if a.date_of_birth and b.date_of_birth:
        x, y = a.date_of_birth, b.date_of_birth
        if x == y:
            return 1.0
        if (x.year, x.month, x.day) == (y.year, y.day, y.month):
            return 0.9  # day and month swapped
        if x.year == y.year:
            return 0.5
    gap = abs(a.year - b.year)
    return {0: 0.9, 1: 0.6}.get(gap, -1.0)


def sex_agreement(a: Person, b: Person) -> float:
    unknown = ("", "unknown")
    if a.sex in unknown or b.sex in unknown:
        return 0.5
    return 1.0 if a.sex == b.sex else -2.0


def location_agreement(a: Person, b: Person) -> float:
    """The finest gazetteer level both name and agree on: village 1, commune 0.8, district 0.6,
    province 0.4; a different province −0.4; 0.25 when a side names none."""
    if not a.location[0] or not b.location[0]:
        return 0.25
    if a.location[0] != b.location[0]:
        return -0.4
    agreed = 0.4
    for level, weight in zip(range(1, 4), (0.6, 0.8, 1.0), strict=True):
        if not a.location[level] or a.location[level] != b.location[level]:
            break
        agreed = weight
    return agreed


def score(a: Person, b: Person) -> int:
    """0–100. Names weigh 50 (nothing below a similarity of 0.7), birth 25, sex 10, home 15;
    a clear disagreement (years apart, another sex, another province) takes points away."""
    name = min(max((name_similarity(a, b) - 0.7) / 0.3, 0.0), 1.0)
    total = (
        50 * name
        + 25 * birth_agreement(a, b)
        + 10 * sex_agreement(a, b)
        + 15 * location_agreement(a, b)
    )
    return int(round(min(max(total, 0.0), 100.0)))


# Candidate search --------------------------------------------------------------------------


def candidates_q(person: Person) -> Q | None:
    """Index-backed conditions that any record worth scoring meets (None: nothing to search):
    both names in either order; or, with the birth year ±1, one name and the first letter of
    the other (a typo elsewhere in it); or the Khmer name, words in either order."""
    q = Q()
    if person.given and person.family:
        for given, family in ((person.given, person.family), (person.family, person.given)):
            q |= Q(match_given=given, match_family=family)
            if person.year is not None:
                years = (person.year - 1, person.year + 1)
                q |= Q(match_given=given, match_year__range=years,
                       match_family__startswith=family[0])  # fmt: skip
                q |= Q(match_family=family, match_year__range=years,
                       match_given__startswith=given[0])  # fmt: skip
    elif person.given or person.family:
        name = person.given or person.family
        if person.year is None:
            q |= Q(match_given=name) | Q(match_family=name)
        else:
            years = (person.year - 1, person.year + 1)
            q |= Q(match_given=name, match_year__range=years)
            q |= Q(match_family=name, match_year__range=years)
    if person.khmer:
        keys = {person.khmer, "".join(reversed(person.khmer_words))}
        q |= Q(match_khmer__in=sorted(keys))
    return q or None


@dataclass
class Match:
    """One possible duplicate: the row read for scoring, its score, whether the user sees it."""

    row: dict[str, Any]
    score: int
    visible: bool = False
    token: str = field(default="", repr=False)


def find_matches(*, user, data: dict[str, Any], exclude_id=None) -> list[Match]:
    """Up to MAX_RESULTS records scoring THRESHOLD or more against `data`, best first. Merged
    duplicates and archived records are never candidates."""
    person = person_from(data)
    condition = candidates_q(person)
    if condition is None:
        return []
    rows = (
        Victim.objects.filter(condition, is_archived=False, merged_into__isnull=True)
        .exclude(pk=exclude_id)
        .order_by()
        .values(*CANDIDATE_FIELDS)[:MAX_CANDIDATES]
    )
    scored = [Match(row, score(person, _row_person(row))) for row in rows]
    best = sorted(
        (match for match in scored if match.score >= THRESHOLD),
        key=lambda match: (-match.score, str(match.row["id"])),
    )[:MAX_RESULTS]
    visible = set(
        victims_visible_to(user)
        .filter(pk__in=[match.row["id"] for match in best])
        .values_list("pk", flat=True)
    )
    for match in best:
        match.visible = match.row["id"] in visible
        if not match.visible:
            match.token = match_token(user=user, victim_id=match.row["id"])
    return best


def shown_score(match: Match) -> int:
    """The score as the user may read it: exact for a visible record, in bands of ten for an
    invisible one (a probe varying one field moves the band rarely, not point by point)."""
    return match.score if match.visible else match.score // 10 * 10


def search_matches(
    *, user, data: dict[str, Any], channel: str = "", exclude_id=None
) -> list[Match]:
    """`find_matches` for a user who may look (case workers, police, administrators), audited:
    one event with the query's inputs and what it showed, and a read of each visible match."""
    if not can_search_matches(user):
        raise PermissionDenied(_("Your role does not look for duplicates."))
    data = {key: data.get(key) for key in QUERY_FIELDS}
    matches = find_matches(user=user, data=data, exclude_id=exclude_id)
    inputs = {key: str(value) for key, value in data.items() if value not in ("", None)}
    visible = [match.row["id"] for match in matches if match.visible]
    audit(
        actor=user,
        action="view",
        object_type="victim_matches",
        channel=channel,
        details={
            "inputs": inputs,
            "visible": [str(pk) for pk in visible],
            "invisible": [match.row["agency__acronym"] for match in matches if not match.visible],
        },
    )
    audit_reads(actor=user, objects=[Victim(pk=pk) for pk in visible], channel=channel)
    return matches


def match_json(match: Match) -> dict[str, Any]:
    """A match as the API and the intake form show it (SPEC section 8): a visible record's id,
    names and score; of an invisible one, only a banded score, its holder and a token."""
    if match.visible:
        row = match.row
        return {
            "victim": str(row["id"]),
            "given_name": row["given_name"],
            "family_name": row["family_name"],
            "name_khmer": row["name_khmer"],
            "score": match.score,
        }
    return {"score": shown_score(match), "held_by": match.row["agency__acronym"],
            "match": match.token}  # fmt: skip


# Match tokens ------------------------------------------------------------------------------


def _fernet() -> Fernet:
    key = salted_hmac("ctms.victims.matching", "match-token", algorithm="sha256").digest()
    return Fernet(base64.urlsafe_b64encode(key))


def match_token(*, user, victim_id) -> str:
    """An opaque token naming a victim for this user only, valid TOKEN_MAX_AGE seconds."""
    payload = json.dumps({"v": str(victim_id), "u": str(user.pk)}).encode()
    return _fernet().encrypt(payload).decode()


def victim_for_match_token(*, user, token: str) -> Victim | None:
    """The victim a token from `find_matches` names, followed to the record it was merged into;
    None when the token is not this user's, has expired, was altered or names nothing left."""
    try:
        payload = json.loads(_fernet().decrypt(str(token).encode(), ttl=TOKEN_MAX_AGE))
    except (InvalidToken, ValueError, TypeError):
        return None
    if not isinstance(payload, dict) or payload.get("u") != str(user.pk):
        return None
    victim = Victim.objects.filter(pk=payload.get("v"), is_archived=False).first()
    while victim is not None and victim.merged_into_id is not None:
        victim = victim.merged_into
    return victim
