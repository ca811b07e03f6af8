"""API views of the tokens themselves: exchange a password (and second factor) for a bearer
token, list one's own tokens, revoke one."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, permissions, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from agencies.models import ApiToken
from ctms.api_policies import ClientAddressMixin
from ctms.audit import audit
from ctms.request_context import client_ip
from ctms.rest import ReadOnlyViewSet

from ..authentication import BearerTokenAuthentication
from ..tokens import token_issue, token_revoke
from ..two_factor import confirmed_device, requires_two_factor
from .serializers import (
    ApiTokenSerializer,
    IssuedTokenSerializer,
    TokenRequestSerializer,
)


class TokenRequestThrottle(ClientAddressMixin, AnonRateThrottle):
    """Password guessing through the token endpoint is limited per client address
    (`settings.API_TOKEN_REQUEST_RATE`)."""

    def get_rate(self) -> str:
        return settings.API_TOKEN_REQUEST_RATE

    def allow_request(self, request, view) -> bool:
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)


class TokenView(APIView):
    """Exchange a username and password for a bearer token (shown once)."""

    # Not session auth (no CSRF on a password exchange); the bearer scheme names the 401.
    authentication_classes = [BearerTokenAuthentication]
    permission_classes = [permissions.AllowAny]
    throttle_classes = [TokenRequestThrottle]

    @extend_schema(request=TokenRequestSerializer, responses={201: IssuedTokenSerializer}, auth=[])
    def post(self, request):
        form = TokenRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        ip_address = client_ip(request)
        user = authenticate(
            request,
            username=form.validated_data["username"],
            password=form.validated_data["password"],
        )
        if user is None:
            # The failure is audited and counted towards lockout by the `user_login_failed`
            # receiver in accounts.signals, as for the browser sign-in.
            raise exceptions.AuthenticationFailed(_("Wrong username or password."))
        if not second_factor_given(user, form.validated_data["otp_code"]):
            # A token must not be a way around the second factor the browser asks of this role.
            _refuse(user.username, ip_address, step="totp")
            raise exceptions.AuthenticationFailed(
                _(
                    "This account needs a second factor: give otp_code from your "
                    "authenticator app (enrol in the browser first)."
                )
            )
        row, token = token_issue(
            user=user, name=form.validated_data["name"], channel="api", ip_address=ip_address
        )
        body = {
            "id": row.id,
            "token": token,
            "name": row.name,
            "prefix": row.prefix,
            "expires_at": row.expires_at,
        }
        return Response(IssuedTokenSerializer(body).data, status=status.HTTP_201_CREATED)


def second_factor_given(user, code: str) -> bool:
    """True for roles without a second factor; else the code must match a confirmed device."""
    if not requires_two_factor(user):
        return True
    device = confirmed_device(user)
    return bool(device is not None and code and device.verify_token(code))


def _refuse(username: str, ip_address: str | None, *, step: str) -> None:
    audit(
        actor=None,
        action="login_failed",
        object_type="user",
        channel="api",
        ip_address=ip_address,
        details={"username": username, "step": step},
    )


class ApiTokenViewSet(ReadOnlyViewSet):
    """The signed-in user's own tokens; `revoke/` ends one at once."""

    serializer_class = ApiTokenSerializer
    filterset_fields = ["name"]
    ordering_fields = ["created_at", "expires_at"]

    def get_queryset(self):
        return ApiToken.objects.filter(user_id=self.request.user.pk)

    @extend_schema(request=None, responses={200: ApiTokenSerializer})
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        row = token_revoke(token_id=pk, actor=request.user, channel="api")
        return Response(ApiTokenSerializer(row).data)
