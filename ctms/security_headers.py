"""Response headers of every page: Content-Security-Policy (Django 5.2 has no built-in CSP and
one fixed policy is all CTMS needs: every script, style and font is vendored) and
`Cache-Control: no-store`."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control


class ContentSecurityPolicyMiddleware:
    """Add settings.CONTENT_SECURITY_POLICY to every response that has not set its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.policy = settings.CONTENT_SECURITY_POLICY

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy
        return response


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every response but static assets: pages and API answers
    carry personal data, which no browser cache, shared proxy or back button may keep."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.static_prefix = "/" + settings.STATIC_URL.lstrip("/")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(self.static_prefix):
            patch_cache_control(response, no_store=True, private=True)
        return response
