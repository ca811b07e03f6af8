"""The referral workflow of SPEC section 3, written once:

    pending --accept--> accepted --start--> in_service --complete--> completed
       |  \\--decline--> declined            \\----------close-------> closed
       \\--withdraw (by sender)--> withdrawn

The services, the referral page's buttons (through `referrals.policies.allowed_transitions`),
the importer and the demo generator all read this table.
"""

from __future__ import annotations

from ctms.choices import ReferralStatus as S
from ctms.workflow import Step, Workflow, WorkflowError

from .choices import Transition as T

SENDER = "sender"
RECEIVER = "receiver"


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

FLOW = Workflow("referral", WORKFLOW, start=S.PENDING, declines=frozenset({T.DECLINE}))
SIDE = FLOW.sides
step = FLOW.step
walk = FLOW.walk

__all__ = ["FLOW", "SIDE", "WORKFLOW", "Step", "WorkflowError", "step", "walk"]
