"""The outbox message table, step by step: every (from, to, side) is allowed exactly when the
table lists it, every state is reachable from where a message is written and none is a dead
end, and delivery sends (or fails, or gives up on) a message only from the table's states.

Parametrisation ids come from sorted sequences so that parallel collection agrees."""

from __future__ import annotations

from unittest import mock

import pytest

from aftersales.conftest import make_case
from aftersales.core.errors import TransitionNotAllowed
from aftersales.notifications import services
from aftersales.notifications.models import Notification, State
from aftersales.notifications.transitions import NOTIFICATIONS, SYSTEM

MOVES = NOTIFICATIONS.moves()


@pytest.mark.parametrize(("source", "to", "side"), MOVES, ids=["-".join(m) for m in MOVES])
def test_every_step_is_allowed_or_refused_by_the_table(source, to, side):
    step = NOTIFICATIONS.find_step(source, to)
    if step is not None and side in step.by:
        assert NOTIFICATIONS.check(source, to, side) is step
    else:
        with pytest.raises(TransitionNotAllowed):
            NOTIFICATIONS.check(source, to, side)


def test_every_state_is_reachable_and_none_is_a_dead_end():
    assert sorted(NOTIFICATIONS.table) == sorted(State)
    assert sorted(NOTIFICATIONS.initial) == [State.PENDING, State.SKIPPED]
    assert NOTIFICATIONS.unreachable() == [] and NOTIFICATIONS.trapped() == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("outcome", "to"),
    [("sent", State.SENT), ("failed", State.FAILED), ("dead", State.DEAD)],
    ids=["sent", "failed", "dead"],
)
def test_delivery_ends_a_message_only_by_the_tables_steps(customers, outcome, to):
    case = make_case(customers["alice"])  # on_commit not run: the message is still pending
    note = Notification.objects.filter(case=case).first()
    attempts = services.MAX_ATTEMPTS - 1 if outcome == "dead" else 0
    failing = mock.patch.object(services, "_send", side_effect=OSError("smtp down"))
    wrong = []
    for source in sorted(State.values):
        Notification.objects.filter(pk=note.pk).update(
            state=source, attempts=attempts, next_attempt_at=None
        )
        if outcome == "sent":
            result = services.notification_deliver(note.pk)
        else:
            with failing:
                result = services.notification_deliver(note.pk)
        note.refresh_from_db()
        allowed = NOTIFICATIONS.allows(source, to, SYSTEM)
        if allowed != (result == outcome) or (note.state == to) != (allowed or source == to):
            wrong.append((source, result, note.state))
    assert not wrong, wrong
