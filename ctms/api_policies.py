"""Pagination and throttling of the REST API, apart from ctms.rest because DRF imports them
while it builds its own view classes (they must not import rest_framework.views)."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.throttling import SimpleRateThrottle

from .request_context import client_ip


class Pagination(CursorPagination):
    """Cursor pages (`?cursor=`), 50 rows by default, `page_size` up to 500."""

    page_size = 50
    max_page_size = 500
    page_size_query_param = "page_size"
    ordering = "-created_at"

    def get_page_size(self, request) -> int:
        """A `page_size` that is not a whole number of at least 1 is a 400 (DRF would quietly
        use the default); above 500 it is capped."""
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isascii() or not raw.isdigit() or int(raw) < 1:
            raise ValidationError(
                {self.page_size_query_param: [_("A whole number of at least 1.")]}
            )
        return min(int(raw), self.max_page_size)

    def decode_cursor(self, request):
        """An empty `cursor=` is refused like any empty value (DRF reads it as the first
        page); a malformed one is a 404 (DRF's "Invalid cursor")."""
        if request.query_params.get(self.cursor_query_param) == "":
            raise ValidationError({self.cursor_query_param: [_("This value may not be empty.")]})
        return super().decode_cursor(request)

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1}
                parameter["description"] = (
                    f"Rows per page, {self.page_size} by default; above {self.max_page_size} "
                    f"the page holds {self.max_page_size}."
                )
        return parameters


class ClientAddressMixin:
    """A throttle keyed by client address reads it with the audit's own helper: behind
    NUM_PROXIES trusted proxies the client's entry of X-Forwarded-For, never one it sent itself
    (DRF's own reading trusts the whole header unless told how many proxies there are)."""

    def get_ident(self, request) -> str:
        return client_ip(request) or ""


class TokenRateThrottle(ClientAddressMixin, SimpleRateThrottle):
    """Requests per token (per user for a browser session), at `settings.API_THROTTLE_RATE`."""

    scope = "api"

    def get_rate(self) -> str | None:
        return getattr(settings, "API_THROTTLE_RATE", "1200/minute")

    def allow_request(self, request, view) -> bool:
        self.rate = self.get_rate()  # read per request so that tests and operators can change it
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view) -> str | None:
        token = getattr(request, "auth", None)
        if token is not None and hasattr(token, "pk"):
            ident = f"token:{token.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user:{request.user.pk}"
        else:
            ident = f"ip:{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
