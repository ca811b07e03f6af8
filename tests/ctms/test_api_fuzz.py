"""Schemathesis against the API's own schema, inside the test suite: every operation, with
generated input, signed in as a partner and as a case worker. No answer may be a server error
or break the schema. Kept lean: a few examples per operation."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from accounts.tokens import token_issue
from tests.factories import ReferralFactory, VictimFactory

CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


# Loading the schema touches no database: it is built from the code at collection time.
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())


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
    max_examples=3,
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
