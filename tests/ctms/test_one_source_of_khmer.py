"""One source for every Khmer string (the gettext catalogue) and one country-name function."""

from __future__ import annotations

import ast
from pathlib import Path

import pycountry
import pytest
from django.utils import translation

from ctms.labels import TRANSLATED_COUNTRIES, country_choices, country_name
from reports import sentences, wording
from reports.wording import entry_label, tr

ROOT = Path(__file__).resolve().parents[2]
KHMER = range(0x1780, 0x1800)

# Python string literals may hold Khmer only as data, never as interface wording.
KHMER_DATA = {
    "agencies/reference.py": "the gazetteer's own prefixes of province names",
    "ctms/settings.py": "the language's name in itself, as the language menu shows it",
    "demo/names.py": "synthetic Khmer names of the demonstration data",
    "demo/casework.py": "synthetic Khmer case notes and goals of the demonstration data",
    "victims/names.py": "Khmer signs that name matching ignores (code points, not wording)",
}


def has_khmer(text: str) -> bool:
    return any(ord(char) in KHMER for char in text)


def docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def test_no_python_module_holds_khmer_wording_of_its_own():
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if relative.split("/")[0] in {".venv", "tests", "bench"} or relative in KHMER_DATA:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = docstrings(tree)
        for node in ast.walk(tree):
            is_text = isinstance(node, ast.Constant) and isinstance(node.value, str)
            if is_text and id(node) not in skip and has_khmer(node.value):
                found.append(f"{relative}:{node.lineno}")
    assert found == []


def report_msgids() -> list[str]:
    texts = [
        *wording.SECTIONS.values(),
        *wording.LABELS.values(),
        *wording.CODES.values(),
        wording.NONE_BEFORE,
        wording.INCREASE,
        wording.REDUCTION,
        wording.NO_CHANGE,
        "and",
        "Figure",
        "Change",
        "Change %",
        "Summary",
        "NC/S.T.S.L.S statistics report",
        "Period",
        "Compared with",
        "No names: aggregate figures only.",
    ]
    texts += [value for name, value in vars(sentences).items() if name.isupper() and "%(" in value]
    return texts


@pytest.mark.parametrize("text", report_msgids())
def test_every_string_of_the_report_has_its_khmer_in_the_catalogue(compiled_messages, text):
    assert has_khmer(tr(text, "km"))


PLURALS = {
    f"{group}.{name}": phrase
    for group in ("COUNTS", "CHANGE_UNITS", "ENTRIES")
    for name, phrase in getattr(wording, group).items()
}


@pytest.mark.parametrize("name", sorted(PLURALS))
def test_every_plural_of_the_report_has_its_one_khmer_form(compiled_messages, name):
    phrase = PLURALS[name]
    english = {n: wording.counted(phrase, n, "en", name="X") for n in (1, 2)}
    khmer = {n: wording.counted(phrase, n, "km", name="X") for n in (1, 2)}
    assert has_khmer(khmer[1])
    # Khmer has one form (Plural-Forms: nplurals=1): the same words for 1 and for 2
    assert khmer[2] == khmer[1].replace("1", "2")
    assert "1" in english[1] and "2" in english[2]


def test_the_khmer_catalogue_declares_one_plural_form():
    catalogue = (ROOT / "locale" / "km" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    assert '"Plural-Forms: nplurals=1; plural=0;\\n"' in catalogue


@pytest.mark.parametrize("code", sorted(TRANSLATED_COUNTRIES))
def test_each_translated_country_is_named_as_pycountry_names_it_in_english(code):
    country = pycountry.countries.get(alpha_3=code)
    with translation.override("en"):
        assert country_name(code) == (getattr(country, "common_name", None) or country.name)


def test_the_interface_and_the_report_name_countries_alike(compiled_messages):
    named = {}
    for language in ("en", "km"):
        with translation.override(language):
            named[language] = [country_name(code) for code in ("KOR", "USA", "SAU", "BRA")]
        assert [entry_label(code, language) for code in ("KOR", "USA", "SAU", "BRA")] == (
            named[language]
        )
    assert named == {
        "en": ["South Korea", "United States", "Saudi Arabia", "Brazil"],
        # Brazil is not in the catalogue: its Khmer name comes from CLDR (babel)
        "km": ["កូរ៉េខាងត្បូង", "សហរដ្ឋអាមេរិក", "អារ៉ាប៊ីសាអូឌីត", "ប្រេស៊ីល"],
    }


def test_the_pickers_list_the_region_first_with_the_same_names(compiled_messages):
    with translation.override("km"):
        choices = country_choices()
    assert choices[:4] == [("", "—"), ("KHM", "កម្ពុជា"), ("THA", "ថៃ"), ("VNM", "វៀតណាម")]
    assert dict(choices)["TWN"] == "តៃវ៉ាន់"
    with translation.override("en"):
        assert dict(country_choices())["LAO"] == "Laos"
