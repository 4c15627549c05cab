"""The SLA clock table, step by step: every (from, to, side) is allowed by the clock's one
state setter exactly when the table lists it; every state is reachable from a started clock
and none is a dead end.

Parametrisation ids come from sorted sequences so that parallel collection agrees."""

from __future__ import annotations

import pytest

from aftersales.core.errors import TransitionNotAllowed
from aftersales.sla.choices import LIVE_STATES, ClockState
from aftersales.sla.models import SlaClock
from aftersales.sla.services import clock_state_to
from aftersales.sla.transitions import CLOCKS, SYSTEM

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
