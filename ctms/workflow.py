"""A workflow written as a table: which actions each status allows, the status each leads to,
and which side of the record takes it. The referral workflow (SPEC section 3) and the hand-over
workflow (SPEC section 7) are each one `Workflow`; their services, pages, importer and demo
generator read it."""

from __future__ import annotations

from typing import NamedTuple

from django.utils.translation import gettext as _

from .errors import ValidationError


class Step(NamedTuple):
    """Where an action leads, and which side of the record may take it."""

    to_status: str
    side: str


class WorkflowError(ValueError):
    """A sequence of actions that the workflow does not allow (`index` counts from 0)."""

    def __init__(self, index: int, action: str, status: str, message: str):
        self.index, self.action, self.status = index, action, status
        super().__init__(message)


class Workflow:
    """status -> {action: Step}; a status that is not a key is final."""

    def __init__(
        self,
        record: str,
        table: dict[str, dict[str, Step]],
        start: str,
        declines: frozenset[str] = frozenset(),
    ) -> None:
        self.record, self.table, self.start = record, table, start
        self.declines = declines  # the actions that need a reason, kept as `decline_reason`
        # Which side takes each action (the same wherever the action starts from).
        self.sides: dict[str, str] = {
            action: found.side for steps in table.values() for action, found in steps.items()
        }

    def step(self, status: str, action: str) -> Step | None:
        """Where `action` leads from `status`, or None when it is not allowed from there."""
        return self.table.get(status, {}).get(action)

    def walk(self, actions: list[str], status: str | None = None) -> list[str]:
        """The statuses reached by taking `actions` in turn from `status` (the start when not
        given), one per action; raises WorkflowError at the first action not allowed."""
        status = self.start if status is None else status
        reached = []
        for index, action in enumerate(actions):
            found = self.step(status, action)
            if found is None:
                if action not in self.sides:
                    message = f"unknown transition {action!r}"
                else:
                    message = f"cannot {action} a {self.record} that is {status}"
                raise WorkflowError(index, action, status, message)
            status = found.to_status
            reached.append(status)
        return reached

    def check_request(self, action: str, reason: str) -> None:
        """Refuse an action the workflow does not know, and a decline without a reason."""
        if action not in self.sides:
            raise ValidationError({"transition": [_("Unknown transition.")]})
        if action in self.declines and not reason.strip():
            raise ValidationError({"reason": [_("Give a reason for declining.")]})
