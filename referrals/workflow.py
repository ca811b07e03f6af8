"""The referral workflow of SPEC section 3, written once:

    pending --accept--> accepted --start--> in_service --complete--> completed
       |  \\--decline--> declined            \\----------close-------> closed
       \\--withdraw (by sender)--> withdrawn

The services, the referral page's buttons (through `referrals.policies.allowed_transitions`),
the importer and the demo generator all read this table.
"""

from __future__ import annotations

from typing import NamedTuple

from ctms.choices import ReferralStatus as S

from .choices import Transition as T

SENDER = "sender"
RECEIVER = "receiver"


class Step(NamedTuple):
    """Where an action leads, and which side of the referral may take it."""

    to_status: str
    side: str


# status -> {action: (next status, side)}; a status that is not a key is final.
WORKFLOW: dict[str, dict[str, Step]] = {
    S.PENDING: {
        T.ACCEPT: Step(S.ACCEPTED, RECEIVER),
        T.DECLINE: Step(S.DECLINED, RECEIVER),
        T.WITHDRAW: Step(S.WITHDRAWN, SENDER),
    },
    S.ACCEPTED: {
        T.START: Step(S.IN_SERVICE, RECEIVER),
        T.CLOSE: Step(S.CLOSED, RECEIVER),
    },
    S.IN_SERVICE: {
        T.COMPLETE: Step(S.COMPLETED, RECEIVER),
        T.CLOSE: Step(S.CLOSED, RECEIVER),
    },
}

# Which side takes each action (the same wherever the action starts from).
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
            message = f"cannot {action} a referral that is {status}"
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
