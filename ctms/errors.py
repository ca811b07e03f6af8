"""Domain errors raised by services; the UI and the API turn them into messages and statuses."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

__all__ = ["Conflict", "NotFound", "PermissionDenied", "TransitionNotAllowed", "ValidationError"]


class NotFound(Exception):
    """The record does not exist for this user (answered as 404, never as 403)."""


class TransitionNotAllowed(Exception):
    """A workflow transition that is not allowed from the current status (answered as 409)."""

    def __init__(self, *, transition: str, current_status: str, record: str = "referral"):
        self.transition = transition
        self.current_status = current_status
        super().__init__(f"Cannot {transition} a {record} that is {current_status}.")


class Conflict(Exception):
    """An action the record's current state does not allow (answered as 409 with `status`)."""

    def __init__(self, message: str, *, current_status: str):
        self.current_status = current_status
        super().__init__(message)
