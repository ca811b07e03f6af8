"""Helpers of the API tests: a client signed in with a bearer token, and row counts."""

from __future__ import annotations

import threading

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


def post_at_once(user, path: str, *, times: int = 20) -> list[int]:
    """POST `path` from `times` clients of `user` released together by a barrier, each thread
    on its own database connection; the sorted status codes. For the races that row locks
    must win (PostgreSQL, transactional test)."""
    from django.db import connection

    clients = [client_for(user, name=f"t{n}") for n in range(times)]
    barrier = threading.Barrier(times)
    statuses: list[int] = []

    def post(client):
        try:
            barrier.wait(timeout=30)
            statuses.append(client.post(path).status_code)
        finally:
            connection.close()  # each thread had its own connection

    threads = [threading.Thread(target=post, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(statuses)
