"""The hand-over workflow of SPEC section 7, written once:

    pending --accept--> accepted
       |  \\--decline (reason)--> declined
       \\--withdraw (by the side that created it)--> withdrawn

Only the answering agency accepts or declines. The services, the pages' buttons (through
`handovers.policies.allowed_transitions`), the importer and the demo generator read this table.
"""

from __future__ import annotations

from ctms.workflow import Step, Workflow, WorkflowError

from .choices import HandoverStatus as S
from .choices import HandoverTransitionName as T
from .choices import Side

# status -> {action: (next status, side)}; a status that is not a key is final.
WORKFLOW: dict[str, dict[str, Step]] = {
    S.PENDING: {
        T.ACCEPT: Step(S.ACCEPTED, Side.ANSWERER),
        T.DECLINE: Step(S.DECLINED, Side.ANSWERER),
        T.WITHDRAW: Step(S.WITHDRAWN, Side.CREATOR),
    },
}

FLOW = Workflow("handover", WORKFLOW, start=S.PENDING, declines=frozenset({T.DECLINE}))
SIDE = FLOW.sides
step = FLOW.step
walk = FLOW.walk

__all__ = ["FLOW", "SIDE", "WORKFLOW", "Step", "WorkflowError", "step", "walk"]
