"""A typed client generated from the schema works unpatched: `openapi-python-client` (offline)
writes a package from /api/v1/schema/, every module of it imports, and the partner's journey
runs with it against the live test server: the inbox, accept with an Idempotency-Key (and the
replay, byte for byte), a service, a 409 and a 404, each parsed into its declared model."""

from __future__ import annotations

import datetime as dt
import importlib
import os
import pkgutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command

from accounts.tokens import token_issue
from referrals.models import Service
from tests.factories import ReferralFactory, VictimFactory

PACKAGE = "ctms_typed_client"


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """The generated package, imported (its name is the folder's)."""
    where = tmp_path_factory.mktemp("client")
    schema = where / "schema.json"
    call_command("spectacular", "--format", "openapi-json", "--file", str(schema))
    bin_dir = Path(sys.executable).parent  # its post-generation hook runs `ruff` from here
    result = subprocess.run(
        [
            str(bin_dir / "openapi-python-client"),
            "generate",
            "--path",
            str(schema),
            "--output-path",
            str(where / PACKAGE),
            "--meta",
            "none",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Warning" not in result.stdout + result.stderr, result.stdout + result.stderr
    sys.path.insert(0, str(where))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(where))
        for name in [name for name in sys.modules if name.startswith(PACKAGE)]:
            del sys.modules[name]


def test_every_generated_module_imports(generated):
    names = [
        info.name
        for info in pkgutil.walk_packages(generated.__path__, prefix=f"{PACKAGE}.")
    ]
    for name in names:
        importlib.import_module(name)
    assert f"{PACKAGE}.api.referrals.referrals_accept_create" in names
    assert len(names) > 100


def test_the_partners_journey_with_the_generated_client(generated, world, live_server):
    from ctms_typed_client import AuthenticatedClient
    from ctms_typed_client.api.referrals import (
        referrals_accept_create,
        referrals_list,
        referrals_retrieve,
    )
    from ctms_typed_client.api.services import services_create
    from ctms_typed_client.models import (
        Error,
        PaginatedReferralList,
        Referral,
        ReferralsListDirection,
        ReferralStatusEnum,
        ServiceEnum,
        ServiceRequest,
        TransitionConflict,
    )
    from ctms_typed_client.models import (
        Service as ServiceModel,
    )

    victim = VictimFactory(agency=world.agencies.dosvy_bmc)
    referral = ReferralFactory(victim=victim, to_agency=world.agencies.afesip)
    _row, token = token_issue(user=world.users.partner, name="typed client", channel="cli")
    client = AuthenticatedClient(base_url=live_server.url, token=token)

    inbox = referrals_list.sync_detailed(
        client=client,
        status=[ReferralStatusEnum.PENDING],
        direction=ReferralsListDirection.RECEIVED,
    )
    assert inbox.status_code == 200
    assert isinstance(inbox.parsed, PaginatedReferralList)
    assert [row.id for row in inbox.parsed.results] == [referral.pk]
    assert inbox.parsed.results[0].victim is None  # the summary only, before accepting

    accepted = referrals_accept_create.sync_detailed(
        client=client, id=referral.pk, idempotency_key="accept-1"
    )
    replayed = referrals_accept_create.sync_detailed(
        client=client, id=referral.pk, idempotency_key="accept-1"
    )
    assert accepted.status_code == 200
    assert isinstance(accepted.parsed, Referral)
    assert accepted.parsed.status == ReferralStatusEnum.ACCEPTED
    assert accepted.parsed.victim.given_name == victim.given_name
    assert replayed.status_code == 200
    assert replayed.headers["Idempotent-Replayed"] == "true"
    assert replayed.content == accepted.content

    service = services_create.sync_detailed(
        client=client,
        body=ServiceRequest(
            date=dt.date.today(), service=ServiceEnum.SHELTER, referral=referral.pk
        ),
        idempotency_key="service-1",
    )
    assert service.status_code == 201, service.content
    assert isinstance(service.parsed, ServiceModel)
    assert Service.objects.get().referral_id == referral.pk

    conflict = referrals_accept_create.sync_detailed(client=client, id=referral.pk)
    assert conflict.status_code == 409
    assert isinstance(conflict.parsed, TransitionConflict)
    assert conflict.parsed.status == "accepted"

    missing = referrals_retrieve.sync_detailed(client=client, id=uuid.uuid4())
    assert missing.status_code == 404
    assert isinstance(missing.parsed, Error)
    assert missing.parsed.detail
