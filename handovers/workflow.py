"""The hand-over workflow of SPEC section 7, written once:

    pending --accept--> accepted
       |  \\--decline (reason)--> declined
       \\--withdraw (by the side that created it)--> withdrawn

Only the answering agency accepts or declines. The services, the pages' buttons (through
`handovers.policies.allowed_transitions`), the importer and the demo generator read this table.
"""

from __future__ import annotations

from typing import NamedTuple

from .choices import HandoverStatus as S
from .choices import HandoverTransitionName as T
from .choices import Side


class Step(NamedTuple):
    """Where an action leads, and which side of the hand-over may take it."""

    to_status: str
    side: str


# status -> {action: (next status, side)}; a status that is not a key is final.
WORKFLOW: dict[str, dict[str, Step]] = {
    S.PENDING: {
        T.ACCEPT: Step(S.ACCEPTED, Side.ANSWERER),
        T.DECLINE: Step(S.DECLINED, Side.ANSWERER),
        T.WITHDRAW: Step(S.WITHDRAWN, Side.CREATOR),
    },
}

# Which side takes each action.
SIDE: dict[str, str] = {
    action: step.side for steps in WORKFLOW.values() for action, step in steps.items()
}


def step(status: str, action: str) -> Step | None:
    """Where `action` leads from `status`, or None when it is not allowed from there."""
    return WORKFLOW.get(status, {}).get(action)


class WorkflowError(ValueError):
    """A sequence of actions that the workflow does not allow (`index` counts from 0)."""

    def __init__(self, index: int, action: str, status: str):
        self.index, self.action, self.status = index, action, status
        if action not in SIDE:
            message = f"unknown transition {action!r}"
        else:
            message = f"cannot {action} a handover that is {status}"
        super().__init__(message)


def walk(actions: list[str], status: str = S.PENDING) -> list[str]:
    """The statuses reached by taking `actions` in turn from `status` (one per action);
    raises WorkflowError at the first action not allowed."""
    reached = []
    for index, action in enumerate(actions):
        found = step(status, action)
        if found is None:
            raise WorkflowError(index, action, status)
        status = found.to_status
        reached.append(status)
    return reached
