"""Demo data for the spare-parts ledger (R8.1–R8.3): a central warehouse in Shanghai with bins,
two technicians' vans, a catalog of appliance parts (compressors, capacitors, remote controls,
fan motors, control boards …) linked to the product models they fit, three months of
receipts, transfers to the vans, issues to work orders, returns, a count adjustment and a
scrap, reservations for scheduled work orders, and a few parts below their reorder point so
the low-stock list and the purchase plan have something to say.

Everything goes through the parts services; afterwards the movements' times are spread over
the last ninety days. Loaded once: nothing happens when the warehouse WH-SH exists.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from aftersales.core.errors import DomainError

# (code, name, specification, unit, class, standard cost, list price, reorder, safety,
#  lead days, product lines it fits)
PARTS: list[tuple] = [
    ("CMP-R32-1P5", "旋转式压缩机", "1.5匹 R32 变频 KSN140", "pcs", "critical",
     "460.00", "860.00", 3, 1, 21, ["空调"]),
    ("CMP-R32-3P", "涡旋压缩机", "3匹 R32 变频", "pcs", "critical",
     "980.00", "1680.00", 2, 1, 28, ["空调"]),
    ("CAP-35UF", "压缩机启动电容", "CBB65 35μF 450V", "pcs", "common",
     "11.50", "35.00", 20, 8, 7, ["空调"]),
    ("CAP-2UF5", "风机电容", "CBB61 2.5μF 450V", "pcs", "common",
     "3.20", "15.00", 30, 10, 7, ["空调", "洗衣机"]),
    ("RC-KT-UNI", "空调遥控器", "KT-e 通用红外 带背光", "pcs", "common",
     "14.00", "39.00", 15, 5, 5, ["空调"]),
    ("MTR-FAN-IN-20W", "室内风扇电机", "YDK20-6 直流无刷 20W", "pcs", "common",
     "68.00", "150.00", 8, 3, 10, ["空调"]),
    ("MTR-FAN-OUT-40W", "室外风机电机", "YDK40-6 40W", "pcs", "critical",
     "158.00", "320.00", 4, 2, 14, ["空调"]),
    ("PCB-KFR35-MAIN", "空调主控板", "KFR-35GW 变频 主板", "pcs", "critical",
     "226.00", "480.00", 4, 2, 14, ["空调"]),
    ("PCB-WM-DRV", "洗衣机变频驱动板", "XQG100 电机驱动", "pcs", "critical",
     "198.00", "420.00", 3, 1, 14, ["洗衣机"]),
    ("PUMP-DRAIN-WM", "洗衣机排水泵", "B20-6A 30W", "pcs", "common",
     "36.00", "85.00", 10, 4, 7, ["洗衣机"]),
    ("SEAL-DOOR-WM10", "滚筒门封圈", "10公斤 滚筒 EPDM", "pcs", "common",
     "45.00", "110.00", 6, 2, 10, ["洗衣机"]),
    ("THERM-FRIDGE", "冰箱温控器", "WDF20K 机械式", "pcs", "common",
     "18.00", "48.00", 10, 4, 7, ["冰箱"]),
    ("ROD-MG-EWH", "电热水器镁棒", "M6×200mm", "pcs", "common",
     "9.00", "45.00", 25, 10, 5, ["热水器"]),
    ("IGN-GWH", "燃气热水器脉冲点火器", "DKG-3 3V", "pcs", "rare",
     "26.00", "75.00", 2, 1, 30, ["热水器"]),
    ("CU-PIPE-6", "空调铜管", "φ6.35×0.6mm 紫铜", "m", "common",
     "16.00", "30.00", 50, 20, 7, ["空调"]),
    ("REF-R32", "R32 制冷剂", "R32 10kg 钢瓶分装", "kg", "common",
     "42.00", "90.00", 20, 10, 10, ["空调"]),
]  # fmt: skip

BINS = [
    ("WH-SH-A01", "A区01架 压缩机/电机"),
    ("WH-SH-A02", "A区02架 电路板"),
    ("WH-SH-B01", "B区01架 小件/电容"),
]


def _bin_for(code: str) -> str:
    if code.startswith(("CMP", "MTR")):
        return "WH-SH-A01"
    if code.startswith("PCB"):
        return "WH-SH-A02"
    return "WH-SH-B01"


def parts_demo_load(out: Any = None) -> None:
    from aftersales.accounts.models import ServiceCenter, User
    from aftersales.accounts.roles import Role
    from aftersales.parts.models import Location

    if Location.objects.filter(code="WH-SH").exists():
        return
    keeper = User.objects.filter(username="parts").first() or (
        User.objects.filter(groups__name=Role.PARTS_KEEPER).first()
    )
    if keeper is None:
        return
    technicians = list(
        User.objects.filter(groups__name=Role.TECHNICIAN, is_active=True).order_by("id")[:2]
    )
    center = ServiceCenter.objects.order_by("id").first()
    with transaction.atomic():
        counts = _load(keeper, technicians, center)
    if out is not None:
        out.write(
            f"Parts: {counts['parts']} parts, {counts['locations']} locations, "
            f"{counts['movements']} movements, {counts['low']} below their reorder point."
        )


def _load(keeper, technicians, center) -> dict[str, int]:
    from aftersales.customers.models import ProductModel
    from aftersales.parts.abc import abc_reclassify
    from aftersales.parts.models import Movement, Part
    from aftersales.parts.selectors import low_stock_list
    from aftersales.parts.services import (
        location_create,
        part_create,
        reservation_create,
        stock_adjust,
        stock_issue,
        stock_receive,
        stock_return,
        stock_scrap,
        stock_transfer,
    )

    rng = random.Random(2026)
    first_id = (Movement.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    warehouse = location_create(
        code="WH-SH", name="上海中心仓", kind="warehouse", service_center=center, actor=keeper
    )
    bins = {
        code: location_create(code=code, name=name, kind="bin", parent=warehouse, actor=keeper)
        for code, name in BINS
    }
    vans = [
        location_create(
            code=f"VAN-{i + 1:02d}",
            name=f"{tech.display_name or tech.username} 车载库",
            kind="van",
            technician=tech,
            actor=keeper,
        )
        for i, tech in enumerate(technicians)
    ]
    models_by_line: dict[str, list] = {}
    for pm in ProductModel.objects.all():
        models_by_line.setdefault(pm.product_line, []).append(pm)

    parts = {}
    for code, name, spec, unit, cls, cost, price, rop, safety, lead, lines in PARTS:
        part = Part.objects.filter(code=code).first()
        if part is None:
            part = part_create(
                actor=keeper,
                code=code,
                name=name,
                specification=spec,
                unit=unit,
                stock_class=cls,
                standard_cost=Decimal(cost),
                list_price=Decimal(price),
                reorder_point=rop,
                safety_stock=safety,
                lead_time_days=lead,
                product_models=[pm for line in lines for pm in models_by_line.get(line, [])],
            )
        parts[code] = part

    # opening receipts, in lots, into the bins
    for code, part in parts.items():
        base = int(part.reorder_point) * 2 + rng.randint(0, 4)
        lot = f"SH{rng.randint(2607, 2609)}-{rng.randint(100, 999)}"
        stock_receive(
            part=part,
            location=bins[_bin_for(code)],
            quantity=Decimal(base),
            unit_cost=part.standard_cost,
            batch_lot=lot,
            reference=f"期初入库 {lot}",
            actor=keeper,
        )
    # the vans carry the small parts technicians need most often
    for van in vans:
        for code, qty in (
            ("CAP-35UF", 6),
            ("CAP-2UF5", 8),
            ("RC-KT-UNI", 3),
            ("ROD-MG-EWH", 4),
            ("CU-PIPE-6", Decimal("12.5")),
            ("REF-R32", Decimal("4.2")),
        ):
            stock_transfer(
                part=parts[code],
                source=bins[_bin_for(code)],
                target=van,
                quantity=qty,
                reason="技师车载补货",
                actor=keeper,
            )
    # issues to work orders (or to the workshop when there are none), some returns
    work_orders = _work_orders()
    consumption = {
        "CAP-35UF": 34, "CAP-2UF5": 30, "RC-KT-UNI": 14, "MTR-FAN-IN-20W": 9,
        "PCB-KFR35-MAIN": 5, "PUMP-DRAIN-WM": 8, "THERM-FRIDGE": 7, "ROD-MG-EWH": 22,
        "CMP-R32-1P5": 4, "SEAL-DOOR-WM10": 3, "MTR-FAN-OUT-40W": 3,
    }  # fmt: skip
    for code, total in consumption.items():
        part = parts[code]
        source = bins[_bin_for(code)]
        left = total
        while left > 0:
            qty = min(left, rng.randint(1, 3))
            wo = rng.choice(work_orders) if work_orders else None
            try:
                stock_issue(
                    part=part,
                    location=source,
                    quantity=qty,
                    work_order=wo,
                    reason="" if wo else "门店维修领用",
                    actor=keeper,
                )
            except DomainError:  # the demo stops issuing a part when it runs out
                break
            left -= qty
            if wo is not None and qty > 1 and rng.random() < 0.15:
                stock_return(
                    part=part,
                    location=source,
                    quantity=1,
                    work_order=wo,
                    reason="多领退回",
                    actor=keeper,
                )
    for van in vans:
        for code in ("CAP-35UF", "RC-KT-UNI"):
            stock_issue(
                part=parts[code],
                location=van,
                quantity=1,
                work_order=rng.choice(work_orders) if work_orders else None,
                reason="上门维修更换",
                actor=keeper,
            )
        stock_issue(
            part=parts["CU-PIPE-6"], location=van, quantity=Decimal("3.5"), reason="加长连接管",
            actor=keeper,
        )  # fmt: skip
        stock_issue(
            part=parts["REF-R32"], location=van, quantity=Decimal("0.8"), reason="补充制冷剂",
            actor=keeper,
        )  # fmt: skip
    stock_adjust(
        part=parts["THERM-FRIDGE"],
        location=bins["WH-SH-B01"],
        quantity_delta=-1,
        reason="月度盘点：少 1 个",
        actor=keeper,
    )
    stock_scrap(
        part=parts["SEAL-DOOR-WM10"],
        location=bins[_bin_for("SEAL-DOOR-WM10")],
        quantity=1,
        reason="仓储老化开裂",
        actor=keeper,
    )
    # reservations for work orders that are still open
    if work_orders:
        for code, qty in (("PCB-KFR35-MAIN", 1), ("MTR-FAN-IN-20W", 1), ("CAP-35UF", 2)):
            try:
                reservation_create(
                    part=parts[code],
                    location=bins[_bin_for(code)],
                    quantity=qty,
                    work_order=work_orders[-1],
                    actor=keeper,
                )
            except DomainError:  # nothing left to reserve: skip
                continue

    # spread the movements over the last ninety days, oldest first
    now = timezone.now()
    ids = list(
        Movement.objects.filter(id__gte=first_id).order_by("id").values_list("id", flat=True)
    )
    span = dt.timedelta(days=90)
    for i, pk in enumerate(ids):
        moment = now - span + span * (i / max(len(ids), 1))
        moment = moment.replace(hour=9 + (i % 9), minute=(i * 7) % 60)
        Movement.objects.filter(pk=pk).update(created_at=min(moment, now))
    abc_reclassify(actor=None)
    return {
        "parts": len(parts),
        "locations": 1 + len(bins) + len(vans),
        "movements": len(ids),
        "low": len(low_stock_list()),
    }


def _work_orders() -> list:
    try:
        from aftersales.workorders.models import WorkOrder
    except ImportError:
        return []
    return list(WorkOrder.objects.only("id", "number").order_by("id")[:40])
