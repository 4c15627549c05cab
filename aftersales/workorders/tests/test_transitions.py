"""The work-order and report-review tables, step by step: each (from, to, side) is allowed
exactly when the table lists it for that side, the refusal is the API answer, every state is
reachable and none is a dead end; the review services take exactly the review table's steps.

Parametrisation ids come from sorted sequences so that parallel collection agrees."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.utils import translation

from aftersales.core.errors import DomainError, TransitionNotAllowed
from aftersales.workorders import followups, services
from aftersales.workorders.choices import FollowUpState, ReviewState, Status
from aftersales.workorders.models import FollowUp, WorkOrder
from aftersales.workorders.transitions import (
    CALLER,
    CUSTOMER,
    FOLLOW_UPS,
    MACHINE,
    REVIEW,
    REVIEWS,
    SIDES,
    TABLE,
    TECH,
    allowed_steps,
    find_step,
)

from .test_services import _completed

ORDER_STATES = sorted(s.value for s in MACHINE.table)


def test_every_status_has_a_row_and_the_field_offers_the_statuses():
    assert sorted(MACHINE.table) == sorted(Status)
    assert MACHINE.table == TABLE
    assert WorkOrder._meta.get_field("status").choices == Status.choices
    for machine in (MACHINE, REVIEWS, FOLLOW_UPS):
        assert machine.sides <= set(SIDES)


@pytest.mark.parametrize("source", ORDER_STATES)
def test_every_step_from_a_status_is_allowed_or_refused_by_the_table(source):
    wrong = []
    for to in sorted(Status.values):
        # One side at a time, and all at once: a person may be dispatcher and technician.
        for sides in [{side} for side in sorted(SIDES)] + [set(SIDES)]:
            step = find_step(source, to)
            listed = step is not None and bool(step.by & sides)
            allowed_here = [s.to.value for s in allowed_steps(source, sides)]
            if listed != (to in allowed_here):
                wrong.append((to, sorted(sides), "allowed_steps disagrees"))
            try:
                MACHINE.check(source, to, sides)
            except TransitionNotAllowed as exc:
                if listed:
                    wrong.append((to, sorted(sides), "refused"))
                elif exc.detail != {"from": source, "to": to, "allowed": allowed_here}:
                    wrong.append((to, sorted(sides), exc.detail))
            else:
                if not listed:
                    wrong.append((to, sorted(sides), "allowed"))
    assert not wrong, wrong


def test_the_refusal_names_the_statuses():
    with translation.override("en"), pytest.raises(TransitionNotAllowed) as exc:
        MACHINE.check("new", "closed", {"dispatch"})
    assert exc.value.as_dict() == {
        "code": "transition_not_allowed",
        "message": "A work order in status “New” cannot move to “Closed”.",
        "detail": {
            "from": "new",
            "to": "closed",
            "allowed": ["scheduled", "dispatched", "cancelled", "rejected"],
        },
    }


SMALL = {"review": REVIEWS, "follow_up": FOLLOW_UPS}
SMALL_MOVES = sorted((name, *move) for name, machine in SMALL.items() for move in machine.moves())


@pytest.mark.parametrize(
    ("name", "source", "to", "side"), SMALL_MOVES, ids=["-".join(m) for m in SMALL_MOVES]
)
def test_every_review_and_follow_up_step_is_allowed_or_refused_by_the_table(name, source, to, side):
    machine = SMALL[name]
    step = machine.find_step(source, to)
    listed = step is not None and side in step.by
    assert machine.allows(source, to, side) is listed
    if listed:
        assert machine.check(source, to, side) is step
    else:
        with pytest.raises(TransitionNotAllowed):
            machine.check(source, to, side)


@pytest.mark.parametrize(
    "machine", [MACHINE, REVIEWS, FOLLOW_UPS], ids=["status", "review", "follow_up"]
)
def test_every_state_is_reachable_and_none_is_a_dead_end(machine):
    assert machine.unreachable() == []
    assert machine.trapped() == []
    assert MACHINE.initial == (Status.NEW,)
    assert REVIEWS.initial == (ReviewState.PENDING,)
    assert FOLLOW_UPS.initial == (FollowUpState.DUE,)
    assert FollowUp._meta.get_field("state").default == FollowUpState.DUE


@pytest.mark.django_db
def test_the_review_services_take_exactly_the_steps_of_the_table(order, users, techs, visit_day):
    """From every review state of a signed-off order, each review action (approve, return,
    correct) succeeds exactly when the table lists its step for the acting side; each success
    is rolled back so the next starts from the same state."""
    order = _completed(order, users, techs, visit_day)
    assert order.review_state == ReviewState.PENDING  # sign-off opens the review
    supervisor, wang = users["supervisor"], techs["wang"]
    actions = [
        (
            ReviewState.APPROVED,
            REVIEW,
            lambda o: services.workorder_review(actor=supervisor, order=o, approve=True),
        ),
        (
            ReviewState.RETURNED,
            REVIEW,
            lambda o: services.workorder_review(
                actor=supervisor, order=o, approve=False, comment="写清故障原因"
            ),
        ),
        (
            ReviewState.PENDING,
            TECH,
            lambda o: services.workorder_report_correct(
                actor=wang, order=o, fault_cause="冷媒管接头砂眼"
            ),
        ),
    ]
    wrong = []
    for source in sorted(ReviewState.values):
        for to, side, act in actions:
            WorkOrder.objects.filter(pk=order.pk).update(
                status=Status.SIGNED_OFF, review_state=source
            )
            order.refresh_from_db()
            try:
                with transaction.atomic():
                    done = act(order)
                    assert done.review_state == to
                    transaction.set_rollback(True)
            except DomainError:
                taken = False
            else:
                taken = True
            if taken != REVIEWS.allows(source, to, side):
                wrong.append((source, to, side, taken))
    assert not wrong, wrong


@pytest.mark.django_db
def test_the_follow_up_services_take_exactly_the_steps_of_the_table(
    order, users, techs, visit_day, settings
):
    """From every state of the follow-up, each way of recording it (an unanswered call, the
    last unanswered call, a reached call, the customer's survey answer) succeeds exactly when
    the table lists its step for that side; each success is rolled back."""
    settings.WORKORDER_FOLLOWUP_ATTEMPTS = 2
    order = _completed(order, users, techs, visit_day)
    follow_up = order.follow_up
    caller = users["supervisor"]
    scores = {code: 4 for code in followups.DIMENSIONS}
    actions = [
        ("call-unanswered", 0, FollowUpState.DUE, CALLER, dict(actor=caller, reached=False)),
        ("call-last", 1, FollowUpState.SURVEY_SENT, CALLER, dict(actor=caller, reached=False)),
        (
            "call-reached",
            0,
            FollowUpState.DONE,
            CALLER,
            dict(actor=caller, reached=True, scores=scores),
        ),
        ("survey", 0, FollowUpState.DONE, CUSTOMER, dict(scores=scores)),
    ]
    wrong = []
    for source in sorted(FollowUpState.values):
        for name, attempts, to, side, kwargs in actions:
            FollowUp.objects.filter(pk=follow_up.pk).update(state=source, attempts=attempts)
            follow_up.refresh_from_db()
            service = (
                followups.followup_survey_answer
                if side == CUSTOMER
                else (followups.followup_record)
            )
            try:
                with transaction.atomic():
                    done = service(follow_up=follow_up, **kwargs)
                    assert done.state == to, name
                    transaction.set_rollback(True)
            except DomainError:
                taken = False
            else:
                taken = True
            if taken != FOLLOW_UPS.allows(source, to, side):
                wrong.append((source, name, taken))
    assert not wrong, wrong
