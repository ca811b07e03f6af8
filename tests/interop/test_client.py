"""CTMS as OSCaR's client, against a fake OSCaR served on localhost from the fixture bodies."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command

from interop.client import SyncError, sync_external
from interop.models import ExternalReferral, ExternalSystem
from interop.tasks import backoff_seconds
from referrals.models import Referral
from referrals.services import referral_accept
from tests.factories import ReferralFactory, VictimFactory

from .conftest import fixture_body

pytestmark = pytest.mark.django_db


class FakeOscar(BaseHTTPRequestHandler):
    calls: list = []
    clients: list = []

    def log_message(self, *args):
        pass

    def _answer(self, status, body, headers=None):
        raw = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def _body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return json.loads(self.rfile.read(length) or b"null")

    def do_POST(self):
        body = self._body()
        self.calls.append(("POST", self.path, body, self.headers.get("access-token")))
        if self.path.startswith("/api/v1/admin_auth/sign_in"):
            if body != {"email": "ctms@oscar.test", "password": "s3cret"}:
                return self._answer(401, {"errors": ["Invalid login credentials."]})
            return self._answer(
                200, {"data": {}}, {"access-token": "tok", "client": "c1", "uid": "ctms@oscar.test"}
            )
        return self._answer(200, {"external_id": "oscar-1", "message": "Record saved."})

    def do_PUT(self):
        self.calls.append(("PUT", self.path, self._body(), self.headers.get("access-token")))
        return self._answer(200, {"message": "Record saved."})

    def do_GET(self):
        self.calls.append(("GET", self.path, None, self.headers.get("access-token")))
        return self._answer(200, {"data": self.clients})


@pytest.fixture
def fake_oscar():
    FakeOscar.calls = []
    FakeOscar.clients = [fixture_body("upsert_referral.json")["organization"]]
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeOscar)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", FakeOscar
    server.shutdown()
    server.server_close()


@pytest.fixture
def remote(oscar, fake_oscar):
    url, fake = fake_oscar
    ExternalSystem.objects.filter(pk=oscar.system.pk).update(
        url=url, remote_login="ctms@oscar.test", remote_password="s3cret"
    )
    oscar.system.refresh_from_db()
    return fake


def test_sync_pulls_sends_and_answers(oscar, remote, world):
    victim = VictimFactory(
        agency=world.agencies.dosvy_bmc, consent_services=True, consent_data_sharing=True
    )
    sent = ReferralFactory(
        victim=victim,
        from_agency=world.agencies.dosvy_bmc,
        to_agency=world.agencies.hagar,
        services_requested=["legal"],
    )
    result = sync_external(system=oscar.system)
    assert (result.pulled, result.referrals_created, result.sent, result.problems) == (1, 1, 1, [])
    pulled = Referral.objects.get(to_agency=oscar.cif)
    assert pulled.status == "pending"
    paths = [(m, p.split("?")[0]) for m, p, _b, _t in remote.calls]
    assert paths == [
        ("POST", "/api/v1/admin_auth/sign_in"),
        ("GET", "/api/v1/organizations/clients"),
        ("POST", "/api/v1/organizations/clients/upsert"),
    ]
    assert "since_date=2000-" in remote.calls[1][1]
    upsert = remote.calls[2][2]["organization"]
    assert upsert["services"][0]["referral_id"] == str(sent.pk)
    assert upsert["services"][0]["name"] == "Legal Support"
    assert upsert["referral_status"] == "Referred"
    assert all(token == "tok" for _m, _p, _b, token in remote.calls[1:])

    # the second run: nothing new to send; CIF's accept goes back as update_statuses
    referral_accept(referral_id=pulled.pk, user=oscar.cif_user)
    remote.calls.clear()
    again = sync_external(system=oscar.system)
    assert (again.referrals_created, again.sent, again.statuses_sent) == (0, 0, 1)
    assert Referral.objects.filter(to_agency=oscar.cif).count() == 1  # twice pulled, once stored
    put = [c for c in remote.calls if c[0] == "PUT"]
    assert put[0][1] == "/api/v1/organizations/referrals/update_statuses"
    assert put[0][2] == {
        "data": [
            {
                "client_global_id": "01GA9PSXKEMHVWH7HQZ7XXCRJC",
                "referral_id": "1193",
                "referral_status": "Accepted",
            }
        ]
    }
    assert ExternalReferral.objects.get(referral=pulled).sent_status == "Accepted"


def test_a_refused_sign_in_fails_the_run_to_be_retried(oscar, remote):
    ExternalSystem.objects.filter(pk=oscar.system.pk).update(remote_password="wrong")
    oscar.system.refresh_from_db()
    with pytest.raises(SyncError):
        sync_external(system=oscar.system)
    assert oscar.system.cursor is None
    assert [backoff_seconds(n) for n in (0, 1, 2, 10)] == [60, 120, 240, 3600]


def test_an_unreachable_system_is_a_sync_error(oscar):
    ExternalSystem.objects.filter(pk=oscar.system.pk).update(url="http://127.0.0.1:9")
    oscar.system.refresh_from_db()
    with pytest.raises(SyncError):
        sync_external(system=oscar.system)


def test_sync_external_command(oscar, remote, capsys):
    call_command("sync_external", "Hagar OSCaR")
    assert capsys.readouterr().out.startswith(
        "pulled 1, referrals created 1, sent 0, statuses sent 0, problems 0"
    )
