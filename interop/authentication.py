"""Authentication of the OSCaR-compatible endpoints: the devise_token_auth headers
(`access-token`, `client`, `uid`) or `Authorization: Bearer`, carrying a CTMS API token issued
to an external system's service user. Nobody else's credentials open these endpoints."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from accounts.tokens import token_authenticate

from .models import ExternalSystem


class ExternalSystemAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        token = request.META.get("HTTP_ACCESS_TOKEN", "")
        if not token:
            header = authentication.get_authorization_header(request).split()
            if len(header) == 2 and header[0].lower() == b"bearer":
                token = header[1].decode(errors="replace")
        if not token:
            return None
        row = token_authenticate(token)
        system = (
            ExternalSystem.objects.select_related("agency", "user")
            .filter(user_id=row.user_id, is_active=True)
            .first()
            if row is not None
            else None
        )
        uid = request.META.get("HTTP_UID", "")
        if system is None or (uid and uid != system.login):
            raise exceptions.AuthenticationFailed(_("Sign in as an external system first."))
        request.external_system = system
        return row.user, row

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'
