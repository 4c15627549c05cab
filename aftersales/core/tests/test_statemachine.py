"""The state-machine helper on a toy table: lookups, the refusal every API answer relies on,
and the checks that keep a table free of unreachable states and dead ends."""

from __future__ import annotations

import pytest
from django.db import models
from django.utils import translation

from aftersales.core.errors import TransitionNotAllowed
from aftersales.core.statemachine import StateMachine, step_to


class Light(models.TextChoices):
    OFF = "off", "Off"
    ON = "on", "On"
    BLINKING = "blinking", "Blinking"
    BROKEN = "broken", "Broken"


USER = "user"
TIMER = "timer"

TABLE = {
    Light.OFF: [step_to(Light.ON, USER), step_to(Light.BROKEN, USER, TIMER, reason=True)],
    Light.ON: [
        step_to(Light.OFF, USER, TIMER, label="Switch off"),
        step_to(Light.BLINKING, TIMER),
        step_to(Light.ON, USER),
    ],
    Light.BLINKING: [step_to(Light.ON, TIMER), step_to(Light.BROKEN, TIMER)],
    Light.BROKEN: [],
}


def machine(**kwargs):
    return StateMachine(
        name="light",
        states=Light,
        initial=Light.OFF,
        table=kwargs.pop("table", TABLE),
        refusal="A light that is %(from)s cannot turn %(to)s.",
        **kwargs,
    )


LIGHT = machine()


def test_lookups_take_members_and_plain_values():
    step = LIGHT.find_step("off", Light.BROKEN)
    assert step is not None
    assert (step.source, step.to, step.by, step.reason_required) == (
        Light.OFF,
        Light.BROKEN,
        frozenset({USER, TIMER}),
        True,
    )
    assert LIGHT.find_step(Light.OFF, "blinking") is None
    assert LIGHT.find_step("nonsense", "on") is None
    assert LIGHT.find_step(Light.ON, Light.OFF).label == "Switch off"


def test_allowed_steps_by_one_side_or_several_in_table_order():
    assert [s.to for s in LIGHT.allowed_steps("on", USER)] == [Light.OFF, Light.ON]
    assert [s.to for s in LIGHT.allowed_steps("on", TIMER)] == [Light.OFF, Light.BLINKING]
    assert [s.to for s in LIGHT.allowed_steps("on", {USER, TIMER})] == [
        Light.OFF,
        Light.BLINKING,
        Light.ON,
    ]
    assert LIGHT.allowed_steps("broken", {USER, TIMER}) == []
    assert LIGHT.allowed_steps("on", set()) == []


def test_sources_guard_a_conditional_update():
    assert LIGHT.sources(Light.BROKEN, TIMER) == [Light.OFF, Light.BLINKING]
    assert LIGHT.sources("broken", USER) == [Light.OFF]
    assert LIGHT.sources(Light.OFF, "nobody") == []


def test_reachable_terminal_and_shape():
    assert LIGHT.reachable(Light.OFF) == {Light.ON, Light.OFF, Light.BLINKING, Light.BROKEN}
    assert LIGHT.reachable(Light.BROKEN) == frozenset()
    assert LIGHT.reachable(Light.BLINKING) == {Light.ON, Light.OFF, Light.BLINKING, Light.BROKEN}
    assert LIGHT.terminal == {Light.BROKEN}
    assert LIGHT.sides == {USER, TIMER}
    assert LIGHT.initial == (Light.OFF,)
    assert "on" in LIGHT and "nonsense" not in LIGHT
    assert list(LIGHT.table) == [Light.OFF, Light.ON, Light.BLINKING, Light.BROKEN]
    assert len(list(LIGHT)) == 7
    assert LIGHT.unreachable() == [] and LIGHT.trapped() == []


def test_moves_are_every_combination_in_a_stable_order():
    moves = LIGHT.moves()
    assert len(moves) == 4 * 4 * 2
    assert moves == sorted(moves)
    assert moves[0] == (Light.BLINKING, Light.BLINKING, TIMER)


def test_check_returns_the_step_or_refuses_with_the_api_shape():
    assert LIGHT.check("off", "on", USER).to == Light.ON
    assert LIGHT.check(Light.ON, Light.BLINKING, {USER, TIMER}).to == Light.BLINKING
    with pytest.raises(TransitionNotAllowed) as exc:
        LIGHT.check("on", "blinking", USER)
    assert exc.value.as_dict() == {
        "code": "transition_not_allowed",
        "message": "A light that is On cannot turn Blinking.",
        "detail": {"from": "on", "to": "blinking", "allowed": ["off", "on"]},
    }
    assert exc.value.status_code == 409
    with pytest.raises(TransitionNotAllowed) as exc:
        LIGHT.check("broken", "nonsense", USER)
    assert exc.value.detail == {"from": "broken", "to": "nonsense", "allowed": []}
    assert str(exc.value.message) == "A light that is Broken cannot turn nonsense."


def test_detail_without_the_allowed_list_and_the_default_message():
    plain = StateMachine(
        name="light", states=Light, initial=Light.OFF, table=TABLE, detail_allowed=False
    )
    with translation.override("en"), pytest.raises(TransitionNotAllowed) as exc:
        plain.check("off", "blinking", USER)
    assert exc.value.detail == {"from": "off", "to": "blinking"}
    assert exc.value.message == "A change from “Off” to “Blinking” is not allowed."
    with translation.override("zh-hans"), pytest.raises(TransitionNotAllowed) as exc:
        plain.check("off", "blinking", USER)
    assert exc.value.message == "不允许从“Off”变为“Blinking”。"


def test_unreachable_and_trapped_states_are_found():
    table = {
        Light.OFF: [step_to(Light.ON, USER)],
        Light.ON: [step_to(Light.ON, USER)],  # only a step back to itself: no way out
        Light.BLINKING: [step_to(Light.BROKEN, TIMER)],  # nothing leads here
        Light.BROKEN: [],
    }
    bad = machine(table=table)
    assert bad.unreachable() == [Light.BLINKING, Light.BROKEN]
    assert bad.trapped() == [Light.OFF, Light.ON]
    looping = machine(
        table={
            Light.OFF: [step_to(Light.ON, USER)],
            Light.ON: [step_to(Light.BLINKING, USER)],
            Light.BLINKING: [step_to(Light.ON, USER)],
            Light.BROKEN: [],
        }
    )
    assert looping.trapped() == [Light.BLINKING, Light.OFF, Light.ON]
    assert machine(table=looping_table_with_final(), final=[Light.BLINKING]).trapped() == []


def looping_table_with_final():
    return {
        Light.OFF: [step_to(Light.ON, USER)],
        Light.ON: [step_to(Light.BLINKING, USER)],
        Light.BLINKING: [step_to(Light.ON, USER)],  # reopened, yet its life had ended
        Light.BROKEN: [],
    }


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({Light.OFF: [], Light.ON: []}, "no row for blinking, broken"),
        (
            {**TABLE, Light.OFF: [step_to(Light.ON, USER), step_to(Light.ON, TIMER)]},
            "off → on is listed twice",
        ),
        ({**TABLE, Light.OFF: [step_to("dimmed", USER)]}, "unknown state 'dimmed'"),
    ],
    ids=["missing-row", "duplicate-step", "unknown-state"],
)
def test_a_malformed_table_fails_at_import(table, message):
    with pytest.raises(ValueError, match=message):
        machine(table=table)


def test_a_partial_machine_needs_rows_for_every_state_it_names():
    partial = {Light.OFF: [step_to(Light.ON, USER)], Light.ON: []}
    assert machine(table=partial, complete=False).terminal == {Light.ON}
    with pytest.raises(ValueError, match="no row for on"):
        machine(table={Light.OFF: [step_to(Light.ON, USER)]}, complete=False)


def test_a_step_names_a_side():
    with pytest.raises(ValueError, match="names no side"):
        step_to(Light.ON)
