"""Which status changes a stock reservation allows (style rule 3).

A reservation is created active; issuing the parts consumes it, and a cancelled or rescheduled
work order releases it. Either happens once: ``_reservation_close`` in the services
guards its conditional UPDATE with the states this table lets the step start from, so a
reservation another writer closed first is not matched.
"""

from __future__ import annotations

from aftersales.core.statemachine import StateMachine, step_to

from .choices import ReservationStatus as R

# The stock ledger's services take every step, on behalf of whoever issues or releases.
SYSTEM = "system"

RESERVATIONS: StateMachine[R] = StateMachine(
    name="reservation",
    field="parts.Reservation.status",
    states=R,
    initial=R.ACTIVE,
    table={
        R.ACTIVE: [step_to(R.CONSUMED, SYSTEM), step_to(R.RELEASED, SYSTEM)],
        R.CONSUMED: [],
        R.RELEASED: [],
    },
)
