"""An OSCaR-run agency (Hagar) registered as an external system, and CIF, the CTMS partner that
the fixture bodies (organization_name "cif") refer to."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.test import Client

from interop.services import external_system_register
from tests.factories import AgencyFactory, UserFactory

FIXTURES = Path(__file__).parent / "fixtures"


def fixture_body(name: str):
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))["body"]


@pytest.fixture
def oscar(world):
    cache.clear()  # the sign-in is throttled per address across tests
    cif = AgencyFactory(
        acronym="CIF", kind="ngo", accepts_referrals=True, services=["shelter", "psychosocial"]
    )
    cif_user = UserFactory(username="cif_partner", agency=cif, role="partner")
    system, password = external_system_register(name="Hagar OSCaR", agency=world.agencies.hagar)
    client = Client()
    response = client.post(
        "/api/v1/admin_auth/sign_in",
        {"email": system.login, "password": password},
        content_type="application/json",
    )
    assert response.status_code == 200
    headers = {
        "HTTP_ACCESS_TOKEN": response["access-token"],
        "HTTP_CLIENT": response["client"],
        "HTTP_UID": response["uid"],
    }
    return SimpleNamespace(
        system=system,
        password=password,
        cif=cif,
        cif_user=cif_user,
        client=client,
        headers=headers,
        sign_in=response,
    )
