"""The SLA clock and escalation-delivery tables, step by step: every (from, to, side) is
allowed by the clock's one state setter (and the sweep's delivery check) exactly when the
table lists it; every state is reachable from where a record starts and none is a dead end.

Parametrisation ids come from sorted sequences so that parallel collection agrees."""

from __future__ import annotations

import pytest

from aftersales.core.errors import TransitionNotAllowed
from aftersales.sla.choices import LIVE_STATES, ClockState, DeliveryState
from aftersales.sla.models import SlaClock
from aftersales.sla.services import clock_state_to
from aftersales.sla.transitions import CLOCKS, DELIVERIES, SYSTEM

MOVES = CLOCKS.moves()


@pytest.mark.parametrize(("source", "to", "side"), MOVES, ids=["-".join(m) for m in MOVES])
def test_every_step_is_allowed_or_refused_by_the_table(source, to, side):
    listed = CLOCKS.allows(source, to, side)
    clock = SlaClock(state=source)  # never saved: the setter only checks and assigns
    if listed:
        clock_state_to(clock, to)
        assert clock.state == to
    else:
        with pytest.raises(TransitionNotAllowed):
            clock_state_to(clock, to)
        assert clock.state == source


def test_every_state_is_reachable_and_none_is_a_dead_end():
    assert sorted(CLOCKS.table) == sorted(ClockState)
    assert CLOCKS.initial == (ClockState.RUNNING,)
    assert SlaClock._meta.get_field("state").default == ClockState.RUNNING
    assert CLOCKS.unreachable() == [] and CLOCKS.trapped() == []
    assert CLOCKS.sides == {SYSTEM}
    # The live states are exactly the ones a clock can still leave.
    assert set(LIVE_STATES) == set(CLOCKS.table) - CLOCKS.terminal


DELIVERY_MOVES = DELIVERIES.moves()


@pytest.mark.parametrize(
    ("source", "to", "side"), DELIVERY_MOVES, ids=["-".join(m) for m in DELIVERY_MOVES]
)
def test_every_delivery_step_is_allowed_or_refused_by_the_table(source, to, side):
    step = DELIVERIES.find_step(source, to)
    if step is not None and side in step.by:
        assert DELIVERIES.check(source, to, side) is step
    else:
        with pytest.raises(TransitionNotAllowed):
            DELIVERIES.check(source, to, side)


def test_every_delivery_state_is_reachable_and_none_is_a_dead_end():
    assert sorted(DELIVERIES.table) == sorted(DeliveryState)
    # The sweep writes a delivery held or queued, by the recipient's working hours.
    assert sorted(DELIVERIES.initial) == [DeliveryState.HELD, DeliveryState.QUEUED]
    assert DELIVERIES.unreachable() == [] and DELIVERIES.trapped() == []
