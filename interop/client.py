"""CTMS as OSCaR's client (SPEC section 11): for an external system with a `url`, sign in, pull
its clients since the cursor, send the CTMS referrals addressed to its agency with `upsert`, and
answer the referrals it sent with `update_statuses`. Runs in a Celery task or
`manage.py sync_external`, never in a user's request."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from ctms.audit import audit

from . import services, wire
from .models import ExternalClient, ExternalReferral, ExternalSystem
from .selectors import client_of, referrals_shared_with

TIMEOUT_SECONDS = 20


class SyncError(Exception):
    """The partner system failed (unreachable, refused, not JSON): retry later."""


@dataclass
class SyncResult:
    pulled: int = 0
    referrals_created: int = 0
    sent: int = 0
    statuses_sent: int = 0
    problems: list[str] = field(default_factory=list)


class OscarClient:
    def __init__(self, system: ExternalSystem):
        self.base = system.url.rstrip("/")
        self.system = system
        self.headers: dict[str, str] = {}

    def call(self, method: str, path: str, body=None, query: str = ""):
        url = f"{self.base}{path}{'?' + query if query else ''}"
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(  # noqa: S310 - the admin registered this http(s) url
            url,
            data=data,
            method=method,
            headers={
                "Content-Type": "application/json",
                "Accept": "application/json",
                **self.headers,
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
                status, raw, headers = response.status, response.read(), response.headers
        except urllib.error.HTTPError as error:
            status, raw, headers = error.code, error.read(), error.headers
        except (urllib.error.URLError, OSError) as error:
            services.exchange_log(  # no answer at all: no status code, the reason
                system=self.system, direction="out", operation=_operation(path), detail=str(error)
            )
            raise SyncError(f"{method} {path}: {error}") from error
        services.exchange_log(
            system=self.system, direction="out", operation=_operation(path), status_code=status
        )
        if status >= 500 or status in (401, 403, 429):
            raise SyncError(f"{method} {path}: HTTP {status}")
        try:
            payload = json.loads(raw or b"{}")
        except ValueError as error:
            raise SyncError(f"{method} {path}: the answer is not JSON") from error
        return status, payload, headers

    def sign_in(self) -> None:
        status, _payload, headers = self.call(
            "POST",
            "/api/v1/admin_auth/sign_in",
            {"email": self.system.remote_login, "password": self.system.remote_password},
        )
        if status != 200 or not headers.get("access-token"):
            raise SyncError(f"sign in: HTTP {status}")
        self.headers = {
            "access-token": headers["access-token"],
            "client": headers.get("client", ""),
            "uid": headers.get("uid", self.system.remote_login),
        }


def sync_external(*, system: ExternalSystem) -> SyncResult:
    """One round with the system. Raises SyncError when it fails as a whole."""
    result = SyncResult()
    started = timezone.now()
    oscar = OscarClient(system)
    oscar.sign_in()
    since = (system.cursor or started.replace(year=2000)).strftime("%Y-%m-%d 00:00:00")
    _status, payload, _headers = oscar.call(
        "GET",
        "/api/v1/organizations/clients",
        query=urllib.parse.urlencode({"since_date": since}),
    )
    for client in payload.get("data", []) if isinstance(payload, dict) else []:
        result.pulled += 1
        try:
            _external_id, created = services.client_upsert(system=system, client=client)
            result.referrals_created += created
        except services.UpsertError as error:
            result.problems.append(f"{wire.text(client.get('external_id'))}: {error.message}")
    _send_referrals(oscar, system, result)
    _send_statuses(oscar, system, result)
    with transaction.atomic():
        ExternalSystem.objects.filter(pk=system.pk).update(cursor=started)
        audit(
            actor=system.user,
            action="oscar_sync",
            channel="oscar",
            details={
                "system": system.name,
                "pulled": result.pulled,
                "sent": result.sent,
                "statuses_sent": result.statuses_sent,
                "problems": len(result.problems),
            },
        )
    return result


def _send_referrals(oscar: OscarClient, system, result: SyncResult) -> None:
    """Referrals CTMS agencies addressed to the system's agency, each time its status changed."""
    referrals = referrals_shared_with(system).filter(to_agency=system.agency)
    for referral in referrals:
        known = ExternalReferral.objects.filter(referral=referral).first()
        status = wire.STATUS_OUT[referral.status]
        if known is not None and known.sent_status == status:
            continue
        link = ExternalClient.objects.filter(system=system, victim=referral.victim).first()
        code, answer, _h = oscar.call(
            "POST",
            "/api/v1/organizations/clients/upsert",
            {"organization": client_of(referral, link)},
        )
        if code != 200:
            result.problems.append(f"upsert {referral.pk}: {answer}")
            continue
        ExternalReferral.objects.update_or_create(
            referral=referral,
            defaults={"system": system, "direction": "outbound", "sent_status": status},
        )
        result.sent += 1


def _send_statuses(oscar: OscarClient, system, result: SyncResult) -> None:
    """Answers to the referrals the system sent: CTMS's status, once per change."""
    pending = []
    for known in ExternalReferral.objects.filter(system=system, direction="inbound").select_related(
        "referral"
    ):
        status = wire.STATUS_OUT[known.referral.status]
        if status != known.sent_status:
            link = ExternalClient.objects.filter(system=system, victim=known.referral.victim_id)
            global_id = link.values_list("global_id", flat=True).first() or ""
            pending.append(
                (
                    known,
                    status,
                    {
                        "client_global_id": global_id,
                        "referral_id": known.external_referral_id,
                        "referral_status": status,
                    },
                )
            )
    if not pending:
        return
    code, answer, _h = oscar.call(
        "PUT",
        "/api/v1/organizations/referrals/update_statuses",
        {"data": [item for _k, _s, item in pending]},
    )
    if code != 200:
        result.problems.append(f"update_statuses: {answer}")
        return
    for known, status, _item in pending:
        ExternalReferral.objects.filter(pk=known.pk).update(sent_status=status)
        result.statuses_sent += 1


def _operation(path: str) -> str:
    """The exchange log's name of a call: its path without the API prefix (fits the column)."""
    return path.strip("/").removeprefix("api/v1/")[:40]
