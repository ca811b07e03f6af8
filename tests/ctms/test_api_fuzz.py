"""Schemathesis against the API's own schema, inside the test suite: every operation, with
generated valid and invalid input, signed in as a partner and as a case worker. No answer may
be a server error, carry a status the schema does not declare or break the schema; valid input
is not refused as malformed, invalid input is refused. Kept lean: a few examples per
operation and mode (about a minute on SQLite)."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.openapi.checks import RejectedPositiveData
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.tokens import token_issue
from tests.factories import ReferralFactory, VictimFactory


@schemathesis.check
def valid_requests_accepted(ctx, response, case):
    """`positive_data_acceptance`, strict for every path, query and header parameter (the
    schema describes them exactly). A body can be schema-valid and still refused for what no
    schema states: an id of a record that does not exist or that the caller may not see, a
    rule between two fields (closed before opened), a code outside a reference list. Such a
    400 names only body fields, and is accepted here; a 400 that names a parameter is not.
    Likewise a 422 for an Idempotency-Key that hypothesis happened to send twice."""
    try:
        return positive_data_acceptance(ctx, response, case)
    except RejectedPositiveData:
        if response.status_code == 422 and "Idempotency-Key" in (case.headers or {}):
            return None  # the key was used before with another body: a state, like a 409
        if response.status_code != 400 or case.method.upper() not in {"POST", "PATCH"}:
            raise
        named = set(response.json())
        parameters = {p["name"] for p in case.operation.definition.raw.get("parameters", [])}
        if not named or named & parameters or "detail" in named:
            raise
        return None


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    valid_requests_accepted,
    negative_data_rejection,
]


# Loading the schema touches no database: it is built from the code at collection time.
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())
schema.config.generation.update(modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE])


@pytest.fixture
def wsgi_keeps_test_connection():
    """The WSGI app closes database connections at the end of each request; inside a test
    transaction that would end the test's own connection (on PostgreSQL). Django's test client
    unhooks the same signal handlers."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(world, settings, wsgi_keeps_test_connection):
    """Bearer headers of a partner with a referral in its inbox and of the case worker who
    sent it, so that generated requests meet real records as well as random ids."""
    settings.API_THROTTLE_RATE = "100000/minute"
    settings.API_TOKEN_REQUEST_RATE = "100000/minute"
    victim = VictimFactory(agency=world.agencies.dosvy_bmc)
    ReferralFactory(victim=victim, to_agency=world.agencies.afesip)
    return [
        {"Authorization": f"Bearer {token_issue(user=user, name='fuzz')[1]}"}
        for user in (world.users.partner, world.users.alice)
    ]


@schema.parametrize()
@settings(
    max_examples=5,
    database=None,
    deadline=None,
    derandomize=True,
    # Phase.explicit would add schemathesis' boundary-coverage examples: dozens per operation.
    phases=[Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_within_its_schema(case, tokens):
    for headers in tokens:
        case.call_and_validate(headers=headers, checks=CHECKS)
