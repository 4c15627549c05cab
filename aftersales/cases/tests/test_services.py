"""Case services against a real database: numbering, transitions, versions, timeline, audit."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from aftersales.cases.choices import EventKind, Status
from aftersales.cases.models import Case, CaseEvent
from aftersales.cases.services import (
    case_assign,
    case_create_idempotent,
    case_note,
    case_reply,
    case_transition,
    case_update,
)
from aftersales.conftest import make_case
from aftersales.core.errors import InvalidInput, TransitionNotAllowed, VersionConflict
from aftersales.core.models import AuditLog
from aftersales.core.testing import image_bytes
from aftersales.notifications.models import Notification, State

pytestmark = pytest.mark.django_db

PNG = image_bytes("PNG")


def test_numbers_are_sequential_per_year(customers):
    a = make_case(customers["alice"])
    b = make_case(customers["bob"])
    year = a.created_at.astimezone().year
    assert a.number.startswith(f"SC-{year}-")
    assert int(b.number[-6:]) == int(a.number[-6:]) + 1


def test_full_lifecycle_writes_timeline_audit_and_notifications(
    users, customers, org, django_capture_on_commit_callbacks
):
    agent = users["agent"]
    with django_capture_on_commit_callbacks(execute=True):
        case = make_case(customers["alice"], actor=customers["alice"].user, channel="portal")
    with django_capture_on_commit_callbacks(execute=True):
        case_assign(actor=agent, case=case, team=org["team_a"], assignee=agent)
        case = case_transition(actor=agent, case=Case.objects.get(pk=case.pk), to_status="accepted")
        case_reply(actor=agent, case=case, body="师傅明天上午上门。")
        case = case_transition(actor=agent, case=Case.objects.get(pk=case.pk), to_status="resolved")
    # the customer confirms the result
    case = case_transition(actor=customers["alice"].user, case=case, to_status="closed")
    assert case.status == Status.CLOSED and case.closed_at is not None
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds[0] == EventKind.CREATED
    assert EventKind.PUBLIC_REPLY in kinds and EventKind.ASSIGNED in kinds
    assert EventKind.NOTIFICATION_SENT in kinds
    assert case.first_response_at is not None
    sent = Notification.objects.filter(case=case, state=State.SENT)
    assert {n.template for n in sent} >= {"case_created", "case_reply", "case_status"}
    actions = set(AuditLog.objects.filter(object_id=str(case.pk)).values_list("action", flat=True))
    assert {"case.create", "case.assign", "case.transition", "case.reply"} <= actions


def test_transition_outside_table_is_refused_and_changes_nothing(users, cases):
    case = cases["alice_a"]
    with pytest.raises(TransitionNotAllowed) as exc:
        case_transition(actor=users["agent"], case=case, to_status="closed")
    assert exc.value.code == "transition_not_allowed"
    assert "accepted" in exc.value.detail["allowed"]
    case.refresh_from_db()
    assert case.status == Status.NEW and case.version == 1


def test_customer_cannot_take_staff_steps(customers, cases):
    with pytest.raises(TransitionNotAllowed):
        case_transition(actor=customers["alice"].user, case=cases["alice_a"], to_status="accepted")


def test_reason_required_for_cancel(users, cases):
    with pytest.raises(InvalidInput):
        case_transition(actor=users["agent"], case=cases["alice_a"], to_status="cancelled")


def test_stale_version_is_refused(users, cases):
    first = Case.objects.get(pk=cases["alice_a"].pk)
    second = Case.objects.get(pk=cases["alice_a"].pk)
    case_update(actor=users["agent"], case=first, expected_version=1, changes={"priority": "high"})
    with pytest.raises(VersionConflict):
        case_update(
            actor=users["agent_b"], case=second, expected_version=1, changes={"priority": "low"}
        )
    assert Case.objects.get(pk=first.pk).priority == "high"


def test_customer_reply_moves_waiting_case_back(users, customers, cases):
    case = case_transition(actor=users["agent"], case=cases["alice_a"], to_status="in_progress")
    case = case_transition(actor=users["agent"], case=case, to_status="waiting_customer")
    case_reply(actor=customers["alice"].user, case=case, body="我周六在家。")
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS


def test_note_is_internal(users, cases):
    event = case_note(actor=users["agent"], case=cases["alice_a"], body="客户情绪激动")
    assert event.is_public is False


def test_attachment_type_is_sniffed(users, cases):
    case = cases["alice_a"]
    good = SimpleUploadedFile("photo.png", PNG, content_type="image/png")
    case_reply(actor=users["agent"], case=case, body="见图", files=[good])
    assert case.attachments.get().content_type == "image/png"
    disguised = SimpleUploadedFile(
        "photo.jpg", b"MZ\x90\x00" + b"\x00" * 200, content_type="image/jpeg"
    )
    before = CaseEvent.objects.count()
    with pytest.raises(InvalidInput) as exc:
        case_reply(actor=users["agent"], case=case, body="x", files=[disguised])
    assert exc.value.code == "attachment_type"
    pdf_as_png = SimpleUploadedFile(
        "scan.png", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj\n<<>>\nendobj\n", content_type="image/png"
    )
    with pytest.raises(InvalidInput) as exc:
        case_reply(actor=users["agent"], case=case, body="x", files=[pdf_as_png])
    assert exc.value.code == "attachment_disguised"
    assert CaseEvent.objects.count() == before
    assert case.attachments.count() == 1


def test_idempotent_create_returns_first_case(users, customers):
    kwargs = dict(
        customer=customers["alice"], case_type="consultation", channel="api", title="如何清洗滤网"
    )
    first, created = case_create_idempotent(actor=users["agent"], idempotency_key="k-1", **kwargs)
    again, created_again = case_create_idempotent(
        actor=users["agent"], idempotency_key="k-1", **kwargs
    )
    assert created and not created_again and first.pk == again.pk
    assert Case.objects.filter(title="如何清洗滤网").count() == 1


def test_unknown_enum_and_bad_extra(users, customers):
    with pytest.raises(InvalidInput) as exc:
        make_case(customers["alice"], case_type="bogus")
    assert exc.value.code == "invalid_choice"
    with pytest.raises(InvalidInput) as exc:
        make_case(customers["alice"], case_type="complaint", extra={"demand": "a pony"})
    assert exc.value.code == "invalid_extra"


def test_update_without_change_keeps_the_version(users, cases):
    case = cases["alice_a"]
    same = case_update(
        actor=users["agent"], case=case, expected_version=1, changes={"priority": case.priority}
    )
    assert same.version == 1
    assert not case.events.filter(kind=EventKind.UPDATED).exists()


def test_assignee_must_belong_to_the_team(users, customers, org):
    with pytest.raises(InvalidInput) as exc:
        make_case(customers["alice"], team=org["team_b"], assignee=users["agent"])
    assert exc.value.code == "assignee_not_in_team"


def test_idempotency_key_reused_for_another_request_is_refused(users, customers):
    base = dict(customer=customers["alice"], case_type="consultation", channel="api")
    case_create_idempotent(actor=users["agent"], idempotency_key="k-2", title="滤网怎么洗", **base)
    with pytest.raises(InvalidInput) as exc:
        case_create_idempotent(
            actor=users["agent"], idempotency_key="k-2", title="另一件事", **base
        )
    assert exc.value.code == "idempotency_key_reused"
    assert not Case.objects.filter(title="另一件事").exists()
