"""Which state changes an SLA clock allows (style rule 3).

Clocks move only as a side effect of something else (a case's status, reply or milestone, the
sweep passing the due time, a recompute), so every step is the system's. The services change a
clock's state only through :func:`aftersales.sla.services.clock_state_to`, which checks this
table; the sweep checks it the same way before it writes its batch. An escalation notice's
delivery to one recipient (:data:`DELIVERIES`) is released by the sweep alone.
"""

from __future__ import annotations

from aftersales.core.statemachine import StateMachine, step_to

from .choices import ClockState as C
from .choices import DeliveryState as D

SYSTEM = "system"

CLOCKS: StateMachine[C] = StateMachine(
    name="sla_clock",
    field="sla.SlaClock.state",
    states=C,
    initial=C.RUNNING,
    table={
        C.RUNNING: [
            step_to(C.PAUSED, SYSTEM),  # the case waits on someone else
            step_to(C.MET, SYSTEM),
            # The due time passed: the sweep saw it, or the clock ended late.
            step_to(C.BREACHED, SYSTEM),
            step_to(C.CANCELLED, SYSTEM),  # the case closed, or the target no longer applies
        ],
        C.PAUSED: [
            step_to(C.RUNNING, SYSTEM),
            # Resumed, or ended, after the due time had already passed.
            step_to(C.BREACHED, SYSTEM),
            step_to(C.MET, SYSTEM),
            step_to(C.CANCELLED, SYSTEM),
        ],
        # A breached clock counts on (overdue) until its target is met or the case closes.
        C.BREACHED: [
            step_to(C.PAUSED, SYSTEM),
            # Ended late (it stays breached), or the sweep re-marks a clock without a breach time.
            step_to(C.BREACHED, SYSTEM),
            # Met at a time before the due time (a milestone recorded afterwards).
            step_to(C.MET, SYSTEM),
            # A recompute moved the due time past now (an estimated day became a working day).
            step_to(C.RUNNING, SYSTEM),
            step_to(C.CANCELLED, SYSTEM),
        ],
        C.MET: [],
        C.CANCELLED: [],
    },
)

# A delivery is held until the recipient's working hours, or queued at once (urgent cases,
# recipients at work); a held one is queued when the time comes, or skipped when the clock
# stopped meanwhile.
DELIVERIES: StateMachine[D] = StateMachine(
    name="sla_escalation_delivery",
    field="sla.EscalationDelivery.state",
    states=D,
    initial=[D.HELD, D.QUEUED],
    table={
        D.HELD: [step_to(D.QUEUED, SYSTEM), step_to(D.SKIPPED, SYSTEM)],
        D.QUEUED: [],
        D.SKIPPED: [],
    },
)
