"""Helpers of the API tests: a client signed in with a bearer token, and row counts."""

from __future__ import annotations

from rest_framework.test import APIClient

from accounts.tokens import token_issue


def client_for(user, *, name: str = "tests") -> APIClient:
    """An API client that sends `Authorization: Bearer <token>` of a fresh token of `user`."""
    _row, token = token_issue(user=user, name=name, channel="cli")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def counts(*models) -> tuple[int, ...]:
    """How many rows each model has: compared before and after a refused write."""
    return tuple(model.objects.count() for model in models)
