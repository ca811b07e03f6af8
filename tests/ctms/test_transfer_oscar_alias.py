"""The agency's OSCaR alias (SPEC section 11) travels in the JSON Lines agency record."""

from __future__ import annotations

import io
import json

import pytest

from agencies.models import Agency
from transfer.exporter import export_records
from transfer.importer import import_records

pytestmark = pytest.mark.django_db


def load(text: str):
    return import_records(io.BytesIO(text.encode()))


def test_the_alias_imports_and_exports():
    result = load(
        '{"type": "agency", "ref": "a1", "name": "Children in Families", "acronym": "CIF-KH",'
        ' "oscar_short_name": "cif", "kind": "ngo"}\n'
    )
    assert not result.errors, result.errors
    assert Agency.objects.get(acronym="CIF-KH").oscar_short_name == "cif"
    out = io.StringIO()
    export_records(out)
    agencies = [json.loads(line) for line in out.getvalue().splitlines()]
    (cif,) = [line for line in agencies if line.get("acronym") == "CIF-KH"]
    assert cif["oscar_short_name"] == "cif"


def test_an_alias_that_is_an_existing_acronym_is_refused_on_its_line():
    Agency.objects.create(name="Hagar", acronym="Hagar", kind="ngo")
    result = load(
        '{"type": "agency", "ref": "a1", "name": "Other", "acronym": "OTHER",'
        ' "oscar_short_name": "hagar", "kind": "ngo"}\n'
    )
    assert [error.line for error in result.errors] == [1]
    assert "oscar_short_name" in str(result.errors[0])
    assert not Agency.objects.filter(acronym="OTHER").exists()
