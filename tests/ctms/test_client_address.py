"""Behind the reverse proxy: every audited read records the client's address, and the token
endpoint's throttle counts clients, not the X-Forwarded-For values they make up.

The proxy is faked: REMOTE_ADDR is the proxy, the last X-Forwarded-For entry is what the proxy
appended (the client it saw), anything before it the client sent itself."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse
from rest_framework.test import APIClient

from ctms.models import AuditEvent
from tests.api_support import client_for
from tests.exports.conftest import add_group
from tests.factories import VictimFactory

PROXY = "192.0.2.1"
CLIENT = "203.0.113.5"
BEHIND_PROXY = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"10.9.9.9, {CLIENT}"}


@pytest.fixture
def one_proxy(settings):
    settings.NUM_PROXIES = 1


@pytest.fixture(autouse=True)
def _fresh_throttles():
    """Throttle counters live in the cache, which outlives a test: start each one at zero."""
    cache.clear()


@pytest.fixture
def victim(world):
    return VictimFactory(agency=world.agencies.dosvy_bmc, given_name="Srey", family_name="Mom")


def read_addresses(**filters) -> list[tuple[str, str]]:
    rows = AuditEvent.objects.filter(**filters).order_by("id")
    return list(rows.values_list("channel", "ip_address"))


def test_a_browser_read_of_a_victim_records_the_client_behind_the_proxy(
    world, client, victim, one_proxy
):
    client.force_login(world.users.alice)

    response = client.get(reverse("victims:detail", args=[victim.pk]), **BEHIND_PROXY)

    assert response.status_code == 200
    assert read_addresses(action="view", object_type="victim") == [("web", CLIENT)]


def test_an_api_read_of_a_victim_records_the_client_behind_the_proxy(world, victim, one_proxy):
    api = client_for(world.users.alice)

    response = api.get(f"/api/v1/victims/{victim.pk}/", **BEHIND_PROXY)

    assert response.status_code == 200
    assert read_addresses(action="view", object_type="victim") == [("api", CLIENT)]


def test_a_download_records_the_client_behind_the_proxy(world, client, one_proxy):
    add_group(11, sex="female", birth_year=1995)
    client.force_login(world.users.analyst)

    response = client.get(reverse("exports:csv"), **BEHIND_PROXY)
    b"".join(response.streaming_content)

    assert response.status_code == 200
    assert read_addresses(action="download", object_type="ctdc_export") == [("web", CLIENT)]


def test_without_a_trusted_proxy_a_made_up_header_is_not_recorded(world, client, victim):
    client.force_login(world.users.alice)

    client.get(reverse("victims:detail", args=[victim.pk]), **BEHIND_PROXY)

    assert read_addresses(action="view", object_type="victim") == [("web", PROXY)]


def token_attempts(headers: list[dict]) -> list[int]:
    wrong = {"username": "partner", "password": "nope"}
    return [
        APIClient().post("/api/v1/auth/token/", wrong, format="json", **each).status_code
        for each in headers
    ]


def test_rotating_x_forwarded_for_does_not_escape_the_token_throttle(world, settings):
    settings.API_TOKEN_REQUEST_RATE = "2/minute"
    made_up = [{"REMOTE_ADDR": CLIENT, "HTTP_X_FORWARDED_FOR": f"10.0.0.{n}"} for n in range(4)]

    assert token_attempts(made_up) == [401, 401, 429, 429]


def test_behind_the_proxy_the_throttle_counts_the_client_the_proxy_saw(world, settings, one_proxy):
    settings.API_TOKEN_REQUEST_RATE = "2/minute"
    same_client = [
        {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"10.0.0.{n}, {CLIENT}"} for n in range(3)
    ]
    other_client = [{"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.6"}]

    assert token_attempts(same_client + other_client) == [401, 401, 429, 401]
