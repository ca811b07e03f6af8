"""The API as a whole: a valid OpenAPI schema, the docs page, constant queries per list page,
malformed input answered 400 (never 500), cursor pages within their limits."""

from __future__ import annotations

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openapi_spec_validator import validate

from tests.api_support import client_for
from tests.factories import (
    ActivityFactory,
    CaseFactory,
    DeporteeReportFactory,
    FollowUpFactory,
    OperationFactory,
    ProsecutionFactory,
    ReferralFactory,
    RepatriationFactory,
    RescueFactory,
    ServiceFactory,
    SuspectFactory,
    VictimFactory,
)

RESOURCES = [
    "agencies",
    "victims",
    "cases",
    "suspects",
    "operations",
    "prosecutions",
    "referrals",
    "services",
    "repatriations",
    "follow-ups",
    "activities",
    "deportee-reports",
    "webhook-endpoints",
    "webhook-deliveries",
]


def test_schema_is_valid_openapi_3_and_lists_every_resource(world):
    response = client_for(world.users.partner).get("/api/v1/schema/")

    schema = yaml.safe_load(response.content)
    validate(schema)
    paths = set(schema["paths"])
    assert {f"/api/v1/{name}/" for name in RESOURCES} <= paths
    assert {
        f"/api/v1/referrals/{{id}}/{action}/"
        for action in ("accept", "decline", "start", "complete", "close", "withdraw")
    } <= paths
    assert schema["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_docs_page_loads_its_assets_from_vendored_files(world):
    client = client_for(world.users.partner)

    page = client.get("/api/v1/docs/")

    html = page.content.decode()
    assert page.status_code == 200
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    assert "cdn" not in html.lower()
    # The Content-Security-Policy allows no inline script: the start-up script is a file too.
    assert "<script>" not in html
    assert client.get("/api/v1/docs/?script=").status_code == 200


def _one_of_each(world, n: int) -> None:
    """`n` records of every type visible to alice (DoSVY-BMC), to the BMC police unit and to
    the BMC court, each with the relations their serializers follow."""
    a = world.agencies
    for _ in range(n):
        victim = VictimFactory(agency=a.dosvy_bmc)
        case = CaseFactory(agency=a.dosvy_bmc)
        case.victims.add(victim)
        suspect = SuspectFactory(agency=a.police)
        case.suspects.add(suspect)
        operation = OperationFactory(agency=a.police, case=case)
        operation.suspects_detained.add(suspect)
        RescueFactory(operation=operation, victim=victim)
        prosecution = ProsecutionFactory(court=a.court, case=case)
        prosecution.defendants.create(suspect=suspect)
        referral = ReferralFactory(victim=victim, to_agency=a.afesip, status="accepted")
        ServiceFactory(victim=victim, agency=a.dosvy_bmc, referral=referral)
        RepatriationFactory(victim=victim, receiving_agency=a.dosvy_bmc).assisted_by.add(a.afesip)
        FollowUpFactory(victim=victim, agency=a.dosvy_bmc)
        ActivityFactory(agency=a.dosvy_bmc)
        DeporteeReportFactory(agency=a.dosvy_bmc, month=f"20{10 + _ % 10}-0{1 + _ // 10}")


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(context.captured_queries)


@pytest.mark.parametrize("persona", ["alice", "officer", "clerk", "partner"])
def test_given_more_rows_when_listing_then_same_number_of_queries(world, persona):
    _one_of_each(world, 12)
    client = client_for(getattr(world.users, persona))
    client.get("/api/v1/agencies/")  # the token's first use writes last_used_at once

    for name in RESOURCES:
        small = _queries(client, f"/api/v1/{name}/?page_size=3")
        large = _queries(client, f"/api/v1/{name}/?page_size=12")
        assert large == small, name


def test_given_a_hundred_referrals_when_partner_reads_inbox_then_queries_do_not_grow(world):
    victim = VictimFactory(agency=world.agencies.dosvy_bmc)
    ReferralFactory.create_batch(100, victim=victim, to_agency=world.agencies.afesip)
    client = client_for(world.users.partner)
    client.get("/api/v1/agencies/")

    small = _queries(client, "/api/v1/referrals/?status=pending&page_size=5")
    large = _queries(client, "/api/v1/referrals/?status=pending&page_size=100")

    assert large == small <= 4


def test_given_page_size_over_500_then_capped_and_cursor_walks_every_row(world):
    victim = VictimFactory(agency=world.agencies.dosvy_bmc)
    ReferralFactory.create_batch(7, victim=victim, to_agency=world.agencies.afesip)
    client = client_for(world.users.partner)

    seen, url = [], "/api/v1/referrals/?page_size=3"
    while url:
        page = client.get(url).json()
        seen += [row["id"] for row in page["results"]]
        url = page["next"]
    capped = client.get("/api/v1/referrals/?page_size=100000")

    assert len(seen) == len(set(seen)) == 7
    assert capped.status_code == 200 and len(capped.json()["results"]) == 7


@pytest.mark.parametrize(
    ("method", "url", "body", "content_type"),
    [
        ("post", "/api/v1/victims/", "{not json", "application/json"),
        ("post", "/api/v1/victims/", '"a string"', "application/json"),
        (
            "post",
            "/api/v1/cases/",
            '{"opened_on": "yesterday", "victims": ["x"]}',
            "application/json",
        ),
        (
            "post",
            "/api/v1/cases/",
            '{"opened_on": "2010-01-02", "closed_on": "2010-01-01"}',
            "application/json",
        ),
        (
            "post",
            "/api/v1/operations/",
            '{"date": "2010-01-01", "kind": "raid", "rescues": [{}]}',
            "application/json",
        ),
        (
            "post",
            "/api/v1/services/",
            '{"date": "2010-01-01", "service": "shelter"}',
            "application/json",
        ),
        (
            "post",
            "/api/v1/activities/",
            '{"date": "2010-01-01", "kind": "training", "participants_total": -1}',
            "application/json",
        ),
        ("get", "/api/v1/referrals/?created_after=notadate", None, None),
        ("get", "/api/v1/victims/?created_after=2010-13-45", None, None),
    ],
)
def test_given_malformed_input_then_400_never_500(world, method, url, body, content_type):
    client = client_for(world.users.alice)

    kwargs = {"data": body, "content_type": content_type} if body is not None else {}
    response = getattr(client, method)(url, **kwargs)

    assert response.status_code == 400, response.content
    assert isinstance(response.json(), dict)


@pytest.mark.parametrize(
    "url", ["/api/v1/victims/not-a-uuid/", "/api/v1/referrals/?cursor=garbage"]
)
def test_given_malformed_id_or_cursor_then_404(world, url):
    assert client_for(world.users.alice).get(url).status_code == 404
