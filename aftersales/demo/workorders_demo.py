"""Demo data for repair work orders (issue 5): technicians' skills, certificates (one expiring
soon) and training; work orders in every status opened from the demo's repair requests with
Chinese content, visits on the coming working days, one completed order with its part from the
van, photos, the customer's signature and an approved repair report, and follow-ups due.

Everything goes through the work-order services. Loaded after the parts demo (the vans hold the
parts) and before purchasing (which reuses these orders). Loaded once: nothing happens when
skills exist already.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import random
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from aftersales.core.errors import DomainError

SKILLS = [
    ("aircon", "空调维修"),
    ("washer", "洗衣机维修"),
    ("fridge", "冰箱维修"),
    ("heater", "热水器维修"),
    ("gas", "燃气灶维修"),
    ("ev", "新能源车高压系统"),
    ("bodywork", "钣金喷漆"),
]
CERTS = ["refrigeration", "electrician", "gas", "height", "ev_high_voltage"]
TRAININGS = [
    ("R32 冷媒安全操作培训", "合格"),
    ("变频空调故障诊断", "优秀"),
    ("客户沟通与服务礼仪", "合格"),
    ("高处作业安全", "合格"),
]
FINDINGS = [
    ("室外机不启动，压缩机启动电容鼓包", "启动电容老化失效", "更换压缩机启动电容，试机制冷正常"),
    ("室内机漏水，排水管接头脱落", "安装时排水管未固定", "重新连接并固定排水管，做排水试验"),
    ("制冷效果差，低压偏低", "冷媒管接头微漏导致缺氟", "补焊接头、保压检漏后加注 R32"),
]
# (status the order is left in, how many)
PLAN = [
    ("new", 2),
    ("scheduled", 1),
    ("dispatched", 2),
    ("accepted", 1),
    ("on_the_way", 1),
    ("in_progress", 1),
    ("paused", 1),
    ("signed_off", 2),
    ("reviewed", 1),
    ("closed", 1),
    ("cancelled", 1),
    ("rejected", 1),
]


def _png(color: tuple[int, int, int], size=(480, 360)) -> bytes:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", size, color)
    draw = ImageDraw.Draw(img)
    for i in range(0, size[0], 40):
        draw.line([(i, 0), (i + 120, size[1])], fill=(255, 255, 255), width=3)
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=80)
    return buf.getvalue()


def _signature() -> bytes:
    from PIL import Image, ImageDraw

    img = Image.new("RGBA", (360, 140), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    draw.line(
        [(20, 100), (60, 40), (100, 110), (150, 35), (210, 95), (260, 45), (330, 90)],
        fill=(20, 20, 20, 255),
        width=4,
    )
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def _working_days(start: dt.date, n: int) -> list[dt.date]:
    from aftersales.calendars.services import calendar_default, calendar_for

    cal = calendar_for(calendar_default())
    days, d = [], start
    while len(days) < n:
        d += dt.timedelta(days=1)
        try:
            if cal.hours_on(d) and cal.is_working(
                timezone.make_aware(dt.datetime.combine(d, dt.time(10, 0)))
            ):
                days.append(d)
        except Exception:  # a year without holidays entered: weekdays then
            if d.weekday() < 5:
                days.append(d)
    return days


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def workorders_demo_load(out: Any = None) -> None:
    from aftersales.accounts.models import User
    from aftersales.accounts.roles import Role
    from aftersales.workorders.models import Skill

    if Skill.objects.exists():
        return
    dispatcher = User.objects.filter(username="dispatcher").first()
    supervisor = User.objects.filter(username="supervisor").first()
    if dispatcher is None or supervisor is None:
        return
    techs = list(User.objects.filter(groups__name=Role.TECHNICIAN, is_active=True).order_by("id"))
    if not techs:
        return
    with transaction.atomic():
        counts = _load(dispatcher, supervisor, techs)
    if out is not None:
        out.write(
            f"Work orders: {counts['orders']} orders, {counts['certificates']} certificates, "
            f"{counts['followups']} follow-ups due."
        )


def _staff(techs: list[Any], rng: random.Random) -> int:
    from aftersales.workorders.models import Skill
    from aftersales.workorders.staff import certificate_add, skill_grant, training_add

    skills = {code: Skill.objects.get_or_create(code=code, defaults={"name": name})[0]
              for code, name in SKILLS}  # fmt: skip
    today = timezone.localdate()
    count = 0
    for i, tech in enumerate(techs):
        car = tech.username.startswith("yh.")
        own = ["ev", "bodywork"] if car else ["aircon", rng.choice(["washer", "fridge", "heater"])]
        if tech.username == "technician":
            own = ["aircon", "washer", "fridge"]
        for code in own:
            skill_grant(actor=None, user=tech, skill=skills[code], level=rng.randint(2, 5))
        certs = ["ev_high_voltage", "electrician"] if car else ["refrigeration", "electrician"]
        for j, cert in enumerate(certs):
            # the second technician's electrician certificate runs out in three weeks
            expires = today + dt.timedelta(days=21 if (i == 1 and j == 1) else 400 + 90 * i)
            certificate_add(
                actor=None,
                user=tech,
                cert_type=cert,
                level=rng.choice(["初级", "中级", "高级"]),
                number=f"T{today.year}{tech.pk:04d}{j}",
                issued_on=expires - dt.timedelta(days=3 * 365),
                expires_on=expires,
            )
            count += 1
        title, result = rng.choice(TRAININGS)
        training_add(
            actor=None,
            user=tech,
            title=title,
            trained_on=today - dt.timedelta(days=rng.randint(20, 300)),
            hours=Decimal(rng.choice(["4", "8", "16"])),
            result=result,
        )
    return count


def _load(dispatcher: Any, supervisor: Any, techs: list[Any]) -> dict[str, int]:
    from aftersales.cases.models import Case
    from aftersales.workorders import followups, services
    from aftersales.workorders.integrations import technician_van
    from aftersales.workorders.models import FollowUp, WorkOrder

    rng = random.Random(2026)
    certificates = _staff(techs, rng)
    cases = list(
        Case.objects.filter(
            case_type__in=["repair_request", "warranty_claim"],
            status__in=["new", "accepted", "approved", "in_progress", "waiting_third_party"],
            asset__isnull=False,
            customer__addresses__isnull=False,
        )
        .select_related("customer", "asset__product_model")
        .distinct()
        .order_by("case_type", "id")[:20]
    )
    # the demo technician first: their phone shows today's and the coming jobs
    main = next((t for t in techs if t.username == "technician"), techs[0])
    with_van = next((t for t in techs if technician_van(t) is not None), None)
    days = _working_days(timezone.localdate() - dt.timedelta(days=1), 6)
    slot = 0
    made = 0
    for status, n in PLAN:
        for _ in range(n):
            day = days[slot % len(days)]
            timing = {
                "inspection_at": _at(day, 9),
                "repair_at": _at(day, 10),
                "urgency": rng.choice(["normal", "normal", "urgent", "emergency"]),
            }
            if cases:
                case = cases.pop(0)
                aircon = "空调" in (case.asset.product_model.product_line or "")
                order = services.workorder_create(
                    actor=dispatcher,
                    case=case,
                    required_skills=["aircon"] if aircon else [],
                    required_certificate="refrigeration" if aircon else "",
                    **timing,
                )
            else:
                break
            made += 1
            # an order stays where the rules stop it
            with contextlib.suppress(DomainError):
                _advance(order, status, dispatcher, supervisor, main, with_van, days, slot, rng)
            slot += 1
    # completed orders were finished some days ago: their follow-ups are due now
    due = timezone.now() - dt.timedelta(hours=2)
    for follow_up in FollowUp.objects.filter(state="due"):
        done = due - dt.timedelta(days=followups.followup_days())
        WorkOrder.objects.filter(pk=follow_up.work_order_id).update(completed_at=done)
        FollowUp.objects.filter(pk=follow_up.pk).update(due_at=due)
    return {
        "orders": made,
        "certificates": certificates,
        "followups": FollowUp.objects.filter(state="due").count(),
    }


def _advance(order, status, dispatcher, supervisor, main, with_van, days, slot, rng) -> None:
    from aftersales.workorders import followups, services

    if status == "new":
        return
    if status == "scheduled":
        services.workorder_schedule(
            actor=dispatcher,
            order=order,
            inspection_at=order.inspection_at,
            repair_at=order.repair_at,
            expected_version=order.version,
        )
        return
    if status in ("cancelled",):
        services.workorder_cancel(actor=dispatcher, order=order, reason="客户已自行找人维修")
        return
    field_work = status in ("in_progress", "paused", "signed_off", "reviewed", "closed")
    tech = with_van if (field_work and with_van is not None) else main
    day = days[slot % len(days)]
    order = services.workorder_assign(
        actor=dispatcher,
        order=order,
        technician=tech,
        start=_at(day, 9 + (slot % 3) * 2),
        end=_at(day, 11 + (slot % 3) * 2),
        expected_version=order.version,
        confirm=True,
    )
    if status == "dispatched":
        return
    if status == "rejected":
        services.workorder_reject(actor=tech, order=order, reason="该时段已有急修任务，请改派")
        return
    order = services.workorder_accept(actor=tech, order=order)
    if status == "accepted":
        return
    order = services.workorder_depart(actor=tech, order=order)
    if status == "on_the_way":
        return
    order = services.workorder_check_in(actor=tech, order=order)
    order = services.workorder_start(actor=tech, order=order)
    findings, cause, details = rng.choice(FINDINGS)
    services.workorder_record(actor=tech, order=order, findings=findings, fault_cause=cause)
    if status == "in_progress":
        return
    if status == "paused":
        services.workorder_pause(
            actor=tech, order=order, reason="waiting_parts", note="主控板需从中心仓调拨"
        )
        return
    services.workorder_record(
        actor=tech,
        order=order,
        repair_details=details,
        result="已修复，试机运行正常",
        labour_minutes=rng.choice([45, 60, 90]),
    )
    with contextlib.suppress(DomainError):  # no van stock in this installation: labour only
        services.workorder_part_add(
            actor=tech, order=order, part_code="CAP-35UF", quantity=Decimal("1")
        )
    for kind, color in (("before", (170, 70, 60)), ("after", (60, 150, 90))):
        services.workorder_photo_add(
            actor=tech,
            order=order,
            kind=kind,
            upload=SimpleUploadedFile(f"{kind}.jpg", _png(color), "image/jpeg"),
        )
    order.refresh_from_db()
    services.workorder_sign(
        actor=tech,
        order=order,
        signature=_signature(),
        signer_name=order.contact_name or order.customer.name,
        amount_seen=services.order_totals(order)["chargeable"],
    )
    order.refresh_from_db()
    order = services.workorder_complete(actor=tech, order=order, rating=5, comment="师傅很专业")
    if status == "signed_off":
        return
    order = services.workorder_review(
        actor=supervisor, order=order, approve=True, comment="维修记录完整，同意归档"
    )
    if status == "closed":
        scores = {code: rng.choice([4, 5]) for code in followups.DIMENSIONS}
        followups.followup_record(
            actor=supervisor,
            follow_up=order.follow_up,
            reached=True,
            scores=scores,
            comments="客户对维修结果满意",
        )
