"""Match keys of names: what two spellings of one person's name have in common (SPEC section 8).

The same Khmer name reaches CTMS written in many ways: `Srey Pov`, `Sreypov`, `SREY-POV`,
`Sreypou`; `Sokha` / `Sokhar`; `Chea` / `Chear`; `Pov` / `Pou` / `Peou`; in Khmer script with
or without spaces and with zero-width characters that keyboards insert. `latin_key` and
`khmer_key` turn each into one canonical form, so that the database can find candidates with
an index on an equality (victims.matching) and the scorer compares like with like.

The rules are the romanisation variants that differ between UNGEGN, the French-era spellings and
what a clerk types; they are deliberately few: each rule that merges two spellings also merges
two names that might belong to different people, and the scorer must still tell those apart.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata

# Spelling variants of one sound, longest first; applied to a lower-case word without spaces.
_LATIN_RULES: tuple[tuple[str, str], ...] = (
    (r"[^a-z]", ""),  # spaces, hyphens, apostrophes, digits
    (r"(.)\1+", r"\1"),  # doubled letters: Sovann / Sovan, Phalla / Phala
    (r"w", "v"),  # Wong / Vong
    (r"chh", "ch"),  # Chhay / Chay
    (r"ck", "k"),
    (r"e?o[vwu]$", "ou"),  # Pov / Pou / Peou, Sreypov / Sreypou
    (r"oeu|eu", "eu"),  # Bunthoeun / Buntheun
    (r"ey", "ei"),  # Srey / Srei, Pisey / Pisei
    (r"ay", "ai"),  # Chhay / Chhai
    (r"ia", "ea"),  # Sophia / Sophea
    (r"(?<=[aeiou])[rh]$", ""),  # Sokhar / Sokha, Chear / Chea, Sokhah / Sokha
    (r"y$", "i"),  # Navy / Navi, Davy / Davi
)
_COMPILED = tuple((re.compile(pattern), replacement) for pattern, replacement in _LATIN_RULES)

# Characters that do not change a Khmer name: spaces of every kind, zero-width space,
# non-joiner and joiner, word joiner, byte-order mark, and the two consonant-shifter signs
# (muusikatoan ៉ and triisap ៊) that many typists leave out (ស៊ិន / សិន).
_KHMER_IGNORED = re.compile("[\\s\u00a0\u200b\u200c\u200d\u2060\ufeff\u17c9\u17ca]")
_KHMER_SPACES = re.compile("[\\s\u00a0\u200b\u2060\ufeff]+")


# Names repeat (an import of a hundred thousand victims has a few thousand): the keys of the
# latest names are kept.
@functools.lru_cache(maxsize=8192)
def latin_key(name: str) -> str:
    """The canonical form of a Latin-script name (one or more words): `Srey-Pov` → `sreipou`."""
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().lower()
    for pattern, replacement in _COMPILED:
        text = pattern.sub(replacement, text)
    return text[:100]


@functools.lru_cache(maxsize=8192)
def khmer_key(name: str) -> str:
    """A Khmer-script name without spaces, zero-width characters or optional signs."""
    return _KHMER_IGNORED.sub("", unicodedata.normalize("NFC", name or ""))[:200]


def khmer_words(name: str) -> list[str]:
    """The words of a Khmer name as typed (zero-width spaces count as spaces), each keyed."""
    words = _KHMER_SPACES.split(unicodedata.normalize("NFC", name or "").strip())
    return [key for key in (khmer_key(word) for word in words) if key]


def year_of_birth(date_of_birth: dt.date | None, birth_year: int | None) -> int | None:
    """The birth year, from the date of birth when there is one."""
    if isinstance(date_of_birth, str):  # a value not yet cleaned by the model
        try:
            date_of_birth = dt.date.fromisoformat(date_of_birth)
        except ValueError:
            date_of_birth = None
    return date_of_birth.year if date_of_birth else birth_year


def match_keys(
    *,
    given_name: str,
    family_name: str,
    name_khmer: str,
    date_of_birth: dt.date | None,
    birth_year: int | None,
) -> dict[str, object]:
    """The stored match columns of a victim (`Victim.match_*`), from its own fields."""
    return {
        "match_given": latin_key(given_name),
        "match_family": latin_key(family_name),
        "match_khmer": khmer_key(name_khmer),
        "match_year": year_of_birth(date_of_birth, birth_year),
    }
