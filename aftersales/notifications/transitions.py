"""Which state changes an outbox message allows (style rule 3).

A message is written pending, or skipped when the recipient has no address. Delivery claims a
pending or failed message (the states this table lets a delivery start from) and ends it sent,
failed (retried later) or dead (given up after the last attempt).
"""

from __future__ import annotations

from aftersales.core.statemachine import StateMachine, step_to

from .models import State

# Delivery is the outbox worker's alone, whoever caused the message.
SYSTEM = "system"

NOTIFICATIONS: StateMachine[State] = StateMachine(
    name="notification",
    field="notifications.Notification.state",
    states=State,
    initial=[State.PENDING, State.SKIPPED],
    table={
        State.PENDING: [
            step_to(State.SENT, SYSTEM),
            step_to(State.FAILED, SYSTEM),
            step_to(State.DEAD, SYSTEM),
        ],
        State.FAILED: [
            step_to(State.SENT, SYSTEM),
            step_to(State.FAILED, SYSTEM),
            step_to(State.DEAD, SYSTEM),
        ],
        State.SENT: [],
        State.DEAD: [],
        State.SKIPPED: [],
    },
)
