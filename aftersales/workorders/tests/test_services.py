"""The work-order services against a real database: the flow from creation to follow-up, the
rules that refuse bad input without changing anything, and the audit trail."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from aftersales.cases.choices import Status as CaseStatus
from aftersales.core.errors import (
    Conflict,
    InvalidInput,
    PermissionDeniedError,
    TransitionNotAllowed,
    VersionConflict,
)
from aftersales.core.models import AuditLog, DomainEvent
from aftersales.core.testing import image_bytes, pdf_bytes
from aftersales.workorders import followups, selectors, services
from aftersales.workorders.choices import FollowUpState, Status
from aftersales.workorders.models import FollowUp, Visit, WorkOrder

from .conftest import at, blank_png, signature_png, work_until_in_progress

pytestmark = pytest.mark.django_db


def noise_png() -> bytes:
    import io
    import os

    from PIL import Image

    buf = io.BytesIO()
    Image.frombytes("RGB", (64, 64), os.urandom(64 * 64 * 3)).save(buf, format="PNG")
    return buf.getvalue()


def test_create_from_case_numbers_and_audits(order, cases, centers):
    assert re.fullmatch(r"WO-\d{4}-000001", order.number)
    assert order.status == Status.NEW
    assert order.customer == cases["alice_a"].customer
    assert order.contact_phone == "+8613812345678"
    assert order.service_center == centers["pudong"]  # nearest covering center (R14.2)
    assert AuditLog.objects.filter(action="workorder.create", object_id=str(order.pk)).exists()
    second = services.workorder_create(actor=None, case=cases["alice_a"])
    assert second.number.endswith("000002")


def test_only_repair_warranty_and_complaint_cases_get_orders(users, customers):
    from aftersales.conftest import make_case

    consultation = make_case(customers["alice"], case_type="consultation")
    with pytest.raises(InvalidInput) as err:
        services.workorder_create(actor=users["dispatcher"], case=consultation)
    assert err.value.code == "case_type_not_repairable"
    assert not WorkOrder.objects.exists()


def test_the_full_flow_with_parts_photos_signature_and_follow_up(
    order, users, techs, van_stock, visit_day
):
    wang, dispatcher = techs["wang"], users["dispatcher"]
    order = work_until_in_progress(order, dispatcher, wang, visit_day)
    assert order.status == Status.IN_PROGRESS
    assert order.case.status == CaseStatus.IN_PROGRESS
    visit = order.visits.get(cancelled=False)
    assert visit.check_in_at is not None and visit.check_out_at is None
    arrival = order.case.events.filter(kind="sla_milestone").get()
    assert arrival.data["code"] == "onsite_arrival"  # the SLA hears of the arrival

    services.workorder_record(
        actor=wang,
        order=order,
        findings="压缩机不启动，电容鼓包",
        fault_cause="启动电容老化失效",
        repair_details="更换压缩机启动电容，测试制冷正常",
        result="已修复，制冷恢复",
        labour_minutes=90,
    )
    line = services.workorder_part_add(
        actor=wang, order=order, part_code="CAP-35UF", quantity=Decimal("1"), batch_code="L2026-11"
    )
    assert (line.specification, line.unit_price, line.covered) == (
        "35μF 450V",
        Decimal("25.00"),
        True,  # bought 2026-03-01 with 12 months' warranty: covered
    )
    from aftersales.parts.models import Movement, StockLevel

    level = StockLevel.objects.get(part=van_stock["cap"], location=van_stock["van"])
    assert level.on_hand == Decimal("9")
    assert Movement.objects.filter(work_order=order, kind="issue").count() == 1
    for kind in ("before", "after"):
        services.workorder_photo_add(
            actor=wang,
            order=order,
            kind=kind,
            upload=SimpleUploadedFile(f"{kind}.jpg", image_bytes("JPEG"), "image/jpeg"),
        )
    totals = services.order_totals(order)
    assert totals["total"] == Decimal("145.00")  # 1.5 h × 80 + 25
    order.refresh_from_db()
    services.workorder_sign(
        actor=wang,
        order=order,
        signature=signature_png(),
        signer_name="张三丰",
        amount_seen=totals["chargeable"],
    )
    order = services.workorder_complete(actor=wang, order=order, rating=5, comment="师傅很专业")
    assert order.status == Status.SIGNED_OFF
    assert order.review_state == "pending"
    assert order.completed_at is not None and order.signature
    visit.refresh_from_db()
    assert visit.check_out_at is not None
    order.case.refresh_from_db()
    assert order.case.status == CaseStatus.RESOLVED
    follow_up = FollowUp.objects.get(work_order=order)
    assert follow_up.due_at == order.completed_at + dt.timedelta(days=3)
    kinds = list(order.events.values_list("to_status", flat=True).exclude(to_status=""))
    assert kinds == [
        "new",
        "dispatched",
        "accepted",
        "on_the_way",
        "on_site",
        "in_progress",
        "completed",
        "signed_off",
    ]
    actions = set(AuditLog.objects.filter(object_id=str(order.pk)).values_list("action", flat=True))
    assert {
        "workorder.assign",
        "workorder.check_in",
        "workorder.part_add",
        "workorder.photo_add",
        "workorder.sign",
        "workorder.check_out",
        "workorder.transition",
    } <= actions

    order = services.workorder_review(actor=users["supervisor"], order=order, approve=True)
    assert order.status == Status.REVIEWED and order.reviewed_by == users["supervisor"]


def test_completion_needs_the_fields_and_the_signature(order, users, techs, visit_day):
    wang = techs["wang"]
    order = work_until_in_progress(order, users["dispatcher"], wang, visit_day)
    with pytest.raises(InvalidInput) as err:
        services.workorder_complete(actor=wang, order=order)
    assert err.value.code == "fields_missing"
    assert "fault cause" in str(err.value.message) or "故障" in str(err.value.message)
    services.workorder_record(
        actor=wang,
        order=order,
        findings="漏水",
        fault_cause="排水管脱落",
        result="已修复",
        labour_minutes=30,
    )
    with pytest.raises(InvalidInput) as err:
        services.workorder_complete(actor=wang, order=order)
    assert err.value.code == "signature_required"
    order.refresh_from_db()
    assert order.status == Status.IN_PROGRESS and order.completed_at is None
    assert not FollowUp.objects.exists()


def test_signature_checks_content_and_the_amount_shown(order, users, techs, visit_day):
    wang = techs["wang"]
    order = work_until_in_progress(order, users["dispatcher"], wang, visit_day)
    services.workorder_record(actor=wang, order=order, labour_minutes=60)
    owed = services.order_totals(order)["chargeable"]
    with pytest.raises(InvalidInput) as err:
        services.workorder_sign(
            actor=wang, order=order, signature=blank_png(), signer_name="张三丰", amount_seen=owed
        )
    assert err.value.code == "signature_empty"
    with pytest.raises(InvalidInput) as err:
        services.workorder_sign(
            actor=wang,
            order=order,
            signature=image_bytes("JPEG"),
            signer_name="张三丰",
            amount_seen=owed,
        )
    assert err.value.code == "attachment_type"
    with pytest.raises(Conflict) as err:
        services.workorder_sign(
            actor=wang,
            order=order,
            signature=signature_png(),
            signer_name="张三丰",
            amount_seen=owed + 1,
        )
    assert err.value.code == "amount_changed"
    order.refresh_from_db()
    assert order.signed_at is None and not order.signature


def test_a_change_after_signing_voids_the_signature(order, users, techs, visit_day):
    wang = techs["wang"]
    order = work_until_in_progress(order, users["dispatcher"], wang, visit_day)
    services.workorder_record(actor=wang, order=order, labour_minutes=60)
    owed = services.order_totals(order)["chargeable"]
    services.workorder_sign(
        actor=wang, order=order, signature=signature_png(), signer_name="张三丰", amount_seen=owed
    )
    order.refresh_from_db()
    services.workorder_record(actor=wang, order=order, labour_minutes=120)
    order.refresh_from_db()
    assert order.signed_at is None  # the bill changed: the customer signs again


def test_photos_of_the_wrong_type_or_too_large_are_refused(
    order, users, techs, visit_day, settings
):
    wang = techs["wang"]
    order = work_until_in_progress(order, users["dispatcher"], wang, visit_day)
    with pytest.raises(InvalidInput) as err:
        services.workorder_photo_add(
            actor=wang,
            order=order,
            kind="before",
            upload=SimpleUploadedFile("scan.pdf", pdf_bytes(), "application/pdf"),
        )
    assert err.value.code == "attachment_type"
    with pytest.raises(InvalidInput) as err:
        services.workorder_photo_add(
            actor=wang,
            order=order,
            kind="before",
            upload=SimpleUploadedFile("fake.jpg", b"MZ\x90\x00not an image" * 10, "image/jpeg"),
        )
    assert err.value.code == "attachment_type"
    settings.ATTACHMENT_MAX_BYTES = 1000
    with pytest.raises(InvalidInput) as err:
        services.workorder_photo_add(
            actor=wang,
            order=order,
            kind="after",
            upload=SimpleUploadedFile("big.png", noise_png(), "image/png"),
        )
    assert err.value.code == "attachment_too_large"
    assert order.photos.count() == 0


def test_assignment_conflicts_need_explicit_confirmation(order, users, techs, visit_day, cases):
    dispatcher, wang = users["dispatcher"], techs["wang"]
    evening = (at(visit_day, 19), at(visit_day, 21))
    with pytest.raises(Conflict) as err:
        services.workorder_assign(
            actor=dispatcher,
            order=order,
            technician=wang,
            start=evening[0],
            end=evening[1],
            expected_version=order.version,
        )
    assert err.value.code == "needs_confirmation"
    assert [c["code"] for c in err.value.detail["conflicts"]] == ["outside_working_hours"]
    order.refresh_from_db()
    assert order.technician is None and not Visit.objects.exists()
    order = services.workorder_assign(
        actor=dispatcher,
        order=order,
        technician=wang,
        start=evening[0],
        end=evening[1],
        expected_version=order.version,
        confirm=True,
    )
    assert order.visits.get().confirmed_conflicts == ["outside_working_hours"]

    other = services.workorder_create(
        actor=dispatcher, case=cases["bob_b"], required_skills=["aircon"]
    )
    with pytest.raises(Conflict) as err:
        services.workorder_assign(
            actor=dispatcher,
            order=other,
            technician=wang,
            start=at(visit_day, 20),
            end=at(visit_day, 21),
            expected_version=other.version,
            confirm=False,
        )
    codes = {c["code"] for c in err.value.detail["conflicts"]}
    assert "double_booking" in codes


def test_a_required_certificate_must_be_valid_on_the_visit_day(order, users, techs, visit_day):
    with pytest.raises(InvalidInput) as err:
        services.workorder_assign(
            actor=users["dispatcher"],
            order=order,
            technician=techs["zhao"],  # certificate expired three days ago
            start=at(visit_day, 10),
            end=at(visit_day, 12),
            expected_version=order.version,
        )
    assert err.value.code == "certificate_missing"


def test_reassigning_notifies_both_technicians_and_the_customer(
    order, users, techs, visit_day, django_capture_on_commit_callbacks
):
    dispatcher = users["dispatcher"]
    techs["qian"].email = "qian@example.com"
    techs["qian"].save()
    from aftersales.workorders.models import Certificate

    Certificate.objects.create(
        user=techs["qian"],
        cert_type="refrigeration",
        issued_on=visit_day - dt.timedelta(days=10),
        expires_on=visit_day + dt.timedelta(days=10),
    )
    order = services.workorder_assign(
        actor=dispatcher,
        order=order,
        technician=techs["wang"],
        start=at(visit_day, 10),
        end=at(visit_day, 12),
        expected_version=order.version,
    )
    mail.outbox.clear()
    with pytest.raises(VersionConflict):
        services.workorder_assign(
            actor=dispatcher,
            order=order,
            technician=techs["qian"],
            start=at(visit_day, 14),
            end=at(visit_day, 16),
            expected_version=order.version - 1,
        )
    with django_capture_on_commit_callbacks(execute=True):
        order = services.workorder_assign(
            actor=dispatcher,
            order=order,
            technician=techs["qian"],
            start=at(visit_day, 14),
            end=at(visit_day, 16),
            expected_version=order.version,
        )
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted(["technician@example.com", "qian@example.com", "alice@example.cn"])
    assert order.visits.filter(cancelled=False).get().technician == techs["qian"]
    audit = (
        AuditLog.objects.filter(action="workorder.assign", object_id=str(order.pk))
        .order_by("id")
        .last()
    )
    assert audit.before["technician"] == techs["wang"].pk
    assert audit.after["technician"] == techs["qian"].pk


def test_transitions_follow_the_table(order, users, techs, visit_day):
    wang, qian = techs["wang"], techs["qian"]
    with pytest.raises(TransitionNotAllowed):
        services.workorder_accept(actor=wang, order=order)  # not dispatched yet
    order = services.workorder_assign(
        actor=users["dispatcher"],
        order=order,
        technician=wang,
        start=at(visit_day, 10),
        end=at(visit_day, 12),
        expected_version=order.version,
    )
    with pytest.raises(TransitionNotAllowed):
        services.workorder_accept(actor=qian, order=order)  # not their order
    with pytest.raises(InvalidInput):
        services.workorder_reject(actor=wang, order=order, reason="")
    order = services.workorder_reject(actor=wang, order=order, reason="技能不符")
    assert order.status == Status.REJECTED and order.technician is None
    order = services.workorder_cancel(actor=users["dispatcher"], order=order, reason="客户取消")
    assert order.status == Status.CANCELLED and order.closed_at is not None
    changes = DomainEvent.objects.filter(
        aggregate="workorder", aggregate_id=order.pk, kind="workorder.status_changed"
    ).order_by("id")
    assert [(e.payload["from"], e.payload["to"]) for e in changes][-2:] == [
        ("dispatched", "rejected"),
        ("rejected", "cancelled"),
    ]
    assert changes.last().payload["reason"] == "客户取消"
    assert changes.last().reference == order.number


def test_pauses_move_the_case_to_waiting_and_check_in_resumes(order, users, techs, visit_day):
    wang = techs["wang"]
    order = work_until_in_progress(order, users["dispatcher"], wang, visit_day)
    with pytest.raises(InvalidInput):
        services.workorder_pause(actor=wang, order=order, reason="")
    order = services.workorder_pause(actor=wang, order=order, reason="waiting_parts", note="缺电容")
    assert order.status == Status.PAUSED and order.pause_reason == "waiting_parts"
    order.case.refresh_from_db()
    assert order.case.status == CaseStatus.WAITING_THIRD_PARTY  # the SLA clock pauses
    assert order.visits.get().check_out_at is not None
    order = services.workorder_check_in(actor=wang, order=order)
    assert order.status == Status.IN_PROGRESS
    order.case.refresh_from_db()
    assert order.case.status == CaseStatus.IN_PROGRESS
    assert order.visits.filter(check_in_at__isnull=False).count() == 2


def _completed(order, users, techs, day, *, with_part: bool = False):
    """An order completed by 王师傅; ``with_part`` adds a capacitor from the van (needs the
    ``van_stock`` fixture) and a photo before and after."""
    wang = techs["wang"]
    order = work_until_in_progress(order, users["dispatcher"], wang, day)
    services.workorder_record(
        actor=wang,
        order=order,
        findings="不制冷",
        fault_cause="缺氟",
        repair_details="补焊并加氟",
        result="已加氟",
        labour_minutes=60,
    )
    if with_part:
        services.workorder_part_add(
            actor=wang, order=order, part_code="CAP-35UF", quantity=1, batch_code="L2026-11"
        )
        for kind, color in (("before", (200, 40, 40)), ("after", (40, 160, 60))):
            services.workorder_photo_add(
                actor=wang,
                order=order,
                kind=kind,
                upload=SimpleUploadedFile(
                    f"{kind}.jpg", image_bytes("JPEG", color=color), "image/jpeg"
                ),
            )
    order.refresh_from_db()
    services.workorder_sign(
        actor=wang,
        order=order,
        signature=signature_png(),
        signer_name="张三丰",
        amount_seen=services.order_totals(order)["chargeable"],
    )
    order.refresh_from_db()
    return services.workorder_complete(actor=wang, order=order)


ALL = {code: 4 for code in followups.DIMENSIONS}


def test_follow_up_appears_after_three_days_and_dissatisfied_opens_a_complaint(
    order, users, techs, visit_day
):
    order = _completed(order, users, techs, visit_day)
    agent = users["supervisor"]
    now = timezone.now()
    assert not selectors.followups_due(user=agent, now=now).exists()
    due = list(selectors.followups_due(user=agent, now=now + dt.timedelta(days=3, minutes=1)))
    assert [f.work_order for f in due] == [order]
    with pytest.raises(PermissionDeniedError) as err:
        followups.followup_record(actor=techs["wang"], follow_up=due[0], reached=True, scores=ALL)
    assert err.value.code in ("caller_is_technician", "forbidden")
    with pytest.raises(InvalidInput) as err:
        followups.followup_record(actor=agent, follow_up=due[0], reached=True, scores={"price": 5})
    assert err.value.code == "scores_incomplete"
    follow_up = followups.followup_record(
        actor=agent,
        follow_up=due[0],
        reached=True,
        scores={**ALL, "service_attitude": 2},
        comments="师傅迟到一小时",
    )
    assert follow_up.state == FollowUpState.DONE
    complaint = follow_up.complaint_case
    assert complaint is not None and complaint.case_type == "complaint"
    assert order.number in complaint.title and complaint.customer == order.customer
    rate = selectors.followup_rate(now - dt.timedelta(days=1), now + dt.timedelta(days=1))
    assert (rate["completed"], rate["done"], rate["rate"]) == (1, 1, Decimal("1.000"))


def test_unreachable_after_the_attempts_sends_a_survey_link(
    order, users, techs, visit_day, client, django_capture_on_commit_callbacks
):
    order = _completed(order, users, techs, visit_day)
    follow_up = order.follow_up
    agent = users["agent"]  # Alice's case is in the agent's team
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            follow_up = followups.followup_record(actor=agent, follow_up=follow_up, reached=False)
    assert follow_up.state == FollowUpState.SURVEY_SENT and follow_up.attempts == 3
    survey = [m for m in mail.outbox if "/workorders/survey/" in m.body]
    assert len(survey) == 1 and survey[0].to == ["alice@example.cn"]
    path = re.search(r"/workorders/survey/[^\s]+", survey[0].body).group(0)
    answer = {f"score_{code}": "5" for code in followups.DIMENSIONS}
    response = client.post(path, {**answer, "comments": "满意"})
    assert response.status_code == 200
    follow_up.refresh_from_db()
    assert follow_up.state == FollowUpState.DONE and follow_up.reached is True
    assert client.post(path, answer).status_code == 409


def test_review_can_return_the_report_for_correction(order, users, techs, visit_day):
    order = _completed(order, users, techs, visit_day)
    supervisor, wang = users["supervisor"], techs["wang"]
    with pytest.raises(InvalidInput):
        services.workorder_review(actor=supervisor, order=order, approve=False, comment="")
    order = services.workorder_review(
        actor=supervisor, order=order, approve=False, comment="故障原因写得不具体"
    )
    assert (order.status, order.review_state) == (Status.SIGNED_OFF, "returned")
    with pytest.raises(TransitionNotAllowed):
        services.workorder_review(actor=wang, order=order, approve=True)
    order = services.workorder_report_correct(
        actor=wang, order=order, fault_cause="冷媒管接头砂眼导致缺氟"
    )
    assert order.review_state == "pending"
    order = services.workorder_review(actor=supervisor, order=order, approve=True)
    assert order.status == Status.REVIEWED


def test_visibility_technicians_and_customers_see_only_their_own(
    order, users, techs, visit_day, customers
):
    order = services.workorder_assign(
        actor=users["dispatcher"],
        order=order,
        technician=techs["wang"],
        start=at(visit_day, 10),
        end=at(visit_day, 12),
        expected_version=order.version,
    )
    assert list(selectors.workorder_list(user=techs["wang"])) == [order]
    assert not selectors.workorder_list(user=techs["qian"]).exists()
    assert list(selectors.workorder_list(user=customers["alice"].user)) == [order]
    assert not selectors.workorder_list(user=customers["bob"].user).exists()
    assert not selectors.workorder_list(user=users["parts_keeper"]).exists()
    # the number is revealed to the technician only on the visit day
    assert selectors.contact_phone_for(techs["wang"], order) == "138****5678"
    assert selectors.phone_visible(techs["wang"], order, today=visit_day)
    assert selectors.contact_phone_for(users["dispatcher"], order) == "+8613812345678"


def test_a_pause_for_parts_pauses_the_case_resolution_clock_and_check_in_resumes_it(
    order, users, techs, visit_day
):
    from aftersales.demo.sla_demo import policies_load
    from aftersales.sla.choices import ClockState
    from aftersales.sla.models import SlaClock
    from aftersales.sla.services import sla_case_opened

    policies_load()  # the default policies: repairs pause while waiting for parts
    sla_case_opened(case=order.case, actor=None)
    wang = techs["wang"]
    order = work_until_in_progress(order, users["dispatcher"], wang, visit_day)
    resolution = SlaClock.objects.get(case=order.case, kind="resolution")
    assert resolution.state == ClockState.RUNNING

    order = services.workorder_pause(actor=wang, order=order, reason="waiting_parts", note="缺电容")
    resolution.refresh_from_db()
    assert resolution.state == ClockState.PAUSED

    services.workorder_check_in(actor=wang, order=order)
    resolution.refresh_from_db()
    assert resolution.state == ClockState.RUNNING
