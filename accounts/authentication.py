"""Authentication of the REST API: `Authorization: Bearer <token>` (see accounts.tokens)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from .tokens import token_authenticate


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """Bearer tokens issued by `POST /api/v1/auth/token/` or `manage.py issue_token`.

    `request.auth` is the ApiToken row, so that throttles and audits can tell integrations apart.
    """

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Give one token after 'Bearer'."))
        try:
            token = header[1].decode()
        except UnicodeError as error:
            raise exceptions.AuthenticationFailed(_("The token is not valid.")) from error
        row = token_authenticate(token)
        if row is None:
            raise exceptions.AuthenticationFailed(_("The token is not valid, expired or revoked."))
        return row.user, row

    def authenticate_header(self, request) -> str:
        return f'{self.keyword} realm="api"'


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """Describes the bearer token in the OpenAPI schema."""

    target_class = BearerTokenAuthentication
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "A CTMS API token (ctms_…)."}
