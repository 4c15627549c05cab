"""Fixtures of the work-order tests: technicians with skills and certificates, a van with
stock, and an order opened from Alice's repair request."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from aftersales.accounts.roles import Role
from aftersales.conftest import make_user


def next_weekday(weekday: int = 1) -> dt.date:
    """The next given weekday (Tuesday by default) after today: inside the working week."""
    today = timezone.localdate()
    days = (weekday - today.weekday()) % 7 or 7
    return today + dt.timedelta(days=days)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


@pytest.fixture
def visit_day() -> dt.date:
    return next_weekday()


@pytest.fixture
def centers(org):
    from aftersales.accounts.models import ServiceCenter

    pudong = org["center"]
    pudong.latitude, pudong.longitude = Decimal("31.204000"), Decimal("121.600000")
    pudong.coverage_radius_km = Decimal("20.0")
    pudong.save()
    minhang = ServiceCenter.objects.create(
        code="sh-02",
        name="上海闵行服务中心",
        address="上海市闵行区莘庄",
        latitude=Decimal("31.111000"),
        longitude=Decimal("121.380000"),
        coverage_radius_km=Decimal("15.0"),
    )
    return {"pudong": pudong, "minhang": minhang}


@pytest.fixture
def techs(users, centers):
    """Three technicians: 王师傅 (the fixture technician, Pudong, refrigeration certified,
    air-conditioning skill), 赵师傅 (Minhang, same skill, certificate expired) and 钱师傅 (Pudong,
    no skill)."""
    from aftersales.workorders.models import Skill
    from aftersales.workorders.staff import certificate_add, skill_grant

    ac = Skill.objects.create(code="aircon", name="空调维修")
    Skill.objects.create(code="washer", name="洗衣机维修")
    wang = users["technician"]
    wang.display_name, wang.service_center, wang.phone = "王师傅", centers["pudong"], "13900000001"
    wang.save()
    zhao = make_user("zhao", Role.TECHNICIAN)
    zhao.display_name, zhao.service_center = "赵师傅", centers["minhang"]
    zhao.save()
    qian = make_user("qian", Role.TECHNICIAN)
    qian.display_name, qian.service_center = "钱师傅", centers["pudong"]
    qian.save()
    today = timezone.localdate()
    skill_grant(actor=None, user=wang, skill=ac, level=3)
    skill_grant(actor=None, user=zhao, skill=ac, level=4)
    certificate_add(
        actor=None,
        user=wang,
        cert_type="refrigeration",
        level="中级",
        issued_on=today - dt.timedelta(days=400),
        expires_on=today + dt.timedelta(days=700),
    )
    certificate_add(
        actor=None,
        user=zhao,
        cert_type="refrigeration",
        level="高级",
        issued_on=today - dt.timedelta(days=1200),
        expires_on=today - dt.timedelta(days=3),
    )
    return {"wang": wang, "zhao": zhao, "qian": qian}


@pytest.fixture
def van_stock(users, techs):
    """A capacitor in the catalog and ten of them (lot L2026-11) in 王师傅's van."""
    from aftersales.parts.services import location_create, part_create, stock_receive

    keeper = users["parts_keeper"]
    van = location_create(
        code="VAN-WANG", name="王师傅车载库", kind="van", technician=techs["wang"], actor=keeper
    )
    cap = part_create(
        code="CAP-35UF",
        name="压缩机启动电容",
        specification="35μF 450V",
        unit="pcs",
        standard_cost="12.50",
        list_price="25.00",
        actor=keeper,
    )
    stock_receive(
        part=cap, location=van, quantity=10, unit_cost="12.50", batch_lot="L2026-11", actor=keeper
    )
    return {"van": van, "cap": cap}


@pytest.fixture
def order(users, cases, techs, visit_day):
    """Alice's repair request as a work order needing air-conditioning skill and a valid
    refrigeration certificate, near the Pudong center."""
    from aftersales.workorders.services import workorder_create

    return workorder_create(
        actor=users["dispatcher"],
        case=cases["alice_a"],
        address="上海市浦东新区张江路 200 号 3 栋 501 室",
        latitude=Decimal("31.210000"),
        longitude=Decimal("121.590000"),
        contact_phone="13812345678",
        repair_at=at(visit_day, 10),
        urgency="urgent",
        required_skills=["aircon"],
        required_certificate="refrigeration",
    )


def signature_png() -> bytes:
    """A drawn signature: dark strokes on a transparent canvas, as signature_pad exports."""
    import io

    from PIL import Image, ImageDraw

    img = Image.new("RGBA", (300, 120), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    draw.line([(20, 90), (80, 30), (140, 95), (200, 25), (280, 80)], fill=(0, 0, 0, 255), width=4)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def blank_png() -> bytes:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGBA", (300, 120), (0, 0, 0, 0)).save(buf, format="PNG")
    return buf.getvalue()


def work_until_in_progress(order, dispatcher, tech, day):
    """Assign, accept, go, check in and start: the order ends in progress."""
    from aftersales.workorders import services

    order = services.workorder_assign(
        actor=dispatcher,
        order=order,
        technician=tech,
        start=at(day, 10),
        end=at(day, 12),
        expected_version=order.version,
    )
    order = services.workorder_accept(actor=tech, order=order)
    order = services.workorder_depart(actor=tech, order=order)
    order = services.workorder_check_in(actor=tech, order=order)
    return services.workorder_start(actor=tech, order=order)
