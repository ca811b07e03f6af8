"""OSCaR's external-system API, spoken by CTMS (SPEC section 11). Every endpoint but the
sign-in needs an external system's token; each answers in OSCaR's shapes and is throttled per
token (the sign-in per client address)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.views import TokenRequestThrottle
from ctms.api_policies import TokenRateThrottle
from ctms.audit import audit_reads
from ctms.request_context import client_ip

from . import services, wire
from .authentication import ExternalSystemAuthentication
from .matching import any_match
from .selectors import clients_for


# OSCaR's external-system API keeps OSCaR's own contract (docs/interop.md), not CTMS's
# OpenAPI schema: its wire conventions (devise_token_auth headers, empty strings) are OSCaR's.
@extend_schema(exclude=True)
class OscarView(APIView):
    authentication_classes = [ExternalSystemAuthentication]
    permission_classes = [IsAuthenticated]
    throttle_classes = [TokenRateThrottle]


@extend_schema(exclude=True)
class SignInView(APIView):
    """`POST {"email", "password"}` → 200 with devise_token_auth's headers."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [TokenRequestThrottle]

    def post(self, request):
        body = request.data if isinstance(request.data, dict) else {}
        signed = services.external_system_sign_in(
            email=wire.text(body.get("email")),
            password=wire.text(body.get("password")),
            ip_address=client_ip(request),
        )
        if signed is None:
            return Response(
                {"success": False, "errors": [_("Invalid login credentials. Please try again.")]},
                status=401,
            )
        system, row, token = signed
        response = Response(
            {
                "data": {
                    "uid": system.login,
                    "name": system.name,
                    "organization": system.agency.acronym.lower(),
                }
            }
        )
        response["access-token"] = token
        response["client"] = row.prefix
        response["uid"] = system.login
        response["expiry"] = str(int(row.expires_at.timestamp()))
        response["token-type"] = "Bearer"
        return response


class ClientsView(OscarView):
    def get(self, request):
        try:
            since = wire.since_in(request.query_params.get("since_date"))
            until = wire.since_in(request.query_params.get("end_date"))
        except ValueError:
            return Response(
                {"message": _("since_date and end_date are dates YYYY-MM-DD.")}, status=400
            )
        system = request.external_system
        pairs = clients_for(system, since=since, until=until)
        audit_reads(actor=request.user, objects=[r.victim for r, _c in pairs], channel="oscar")
        services.exchange_log(
            system=system, direction="in", operation="clients", records=len(pairs), status_code=200
        )
        return Response({"data": [client for _r, client in pairs]})


class UpsertView(OscarView):
    def post(self, request):
        body = request.data if isinstance(request.data, dict) else {}
        client = body.get("organization")
        external_id = wire.text(client.get("external_id")) if isinstance(client, dict) else ""
        try:
            external_id, _created = services.client_upsert(
                system=request.external_system, client=client
            )
        except services.UpsertError as error:
            services.exchange_log(
                system=request.external_system,
                direction="in",
                operation="upsert",
                status_code=422,
                detail=str(error.message),
            )
            return Response({"external_id": external_id, "message": error.message}, status=422)
        return Response({"external_id": external_id, "message": "Record saved."})


class UpdateLinksView(OscarView):
    def put(self, request):
        body = request.data
        items = body.get("data") if isinstance(body, dict) else body
        if not isinstance(items, list):
            return Response({"message": _("Send the links as a list under 'data'.")}, status=422)
        services.client_links_update(system=request.external_system, items=items)
        return Response({"data": {"message": "Record saved."}})


class UpdateStatusesView(OscarView):
    def put(self, request):
        body = request.data
        items = body.get("data") if isinstance(body, dict) else None
        if not isinstance(items, list):
            return Response({"message": _("Send the statuses as a list under 'data'.")}, status=422)
        problems = services.referral_statuses_update(system=request.external_system, items=items)
        if problems:
            return Response({"message": " ".join(problems)}, status=422)
        return Response({"data": {"message": "Record saved."}})


class CheckDuplicationView(OscarView):
    def get(self, request):
        params = request.query_params
        try:
            date_of_birth = wire.date_in(params.get("date_of_birth"))
        except ValueError:
            date_of_birth = None
        found = any_match(
            system=request.external_system,
            given_name=params.get("given_name", ""),
            family_name=params.get("family_name", ""),
            date_of_birth=date_of_birth,
        )
        services.exchange_log(
            system=request.external_system,
            direction="in",
            operation="check_duplication",
            status_code=200,
        )
        return Response({"similar_fields": "Record was Found" if found else "Record was not found"})
