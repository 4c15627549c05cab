"""Demo data for purchasing (R8.4–R8.7): three Chinese suppliers with contacts and price lists,
purchase orders in every state over the last two months, an inspection that rejected part of a
delivery (with its return note), a batch of capacitors marked defective after it went into
three customers' repairs (the recall list waits for the supervisor's action), parts issued over
the months for the turnover figures, price rules and a price change waiting for approval.

Everything goes through the purchasing, parts and pricing services, then dates are moved back
so the scorecard and the figures have a history. Loaded once: nothing happens when 苏州华冷
exists already.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

SUPPLIERS = [
    {
        "code": "sz-hualeng",
        "name": "苏州华冷配件有限公司",
        "tax_id": "91320505MA1N7XKQ2H",
        "address": "江苏省苏州市高新区珠江路 88 号",
        "contacts": [
            {
                "name": "周建国",
                "role": "销售经理",
                "phone": "13913501234",
                "email": "zhoujg@hualeng.example.cn",
            },
            {"name": "钱丽", "role": "品质主管", "phone": "0512-66881235", "email": ""},
        ],
        "ratings": [(5, "交期稳定，来料检验报告齐全"), (4, "节前备货响应及时")],
    },
    {
        "code": "fs-meixin",
        "name": "佛山美信电器配件厂",
        "tax_id": "91440606MA4W2LRT5C",
        "address": "广东省佛山市顺德区北滘镇工业大道 12 号",
        "contacts": [{"name": "梁志强", "role": "业务员", "phone": "13726881234", "email": ""}],
        "ratings": [(3, "价格有优势，但本月到货晚了三天"), (2, "外壳变形问题回复慢")],
    },
    {
        "code": "nb-jingyi",
        "name": "宁波精益电机有限公司",
        "tax_id": "91330212MA2H9PQX8K",
        "address": "浙江省宁波市鄞州区投资创业中心 6 号",
        "contacts": [
            {
                "name": "陈海波",
                "role": "客户经理",
                "phone": "13857401234",
                "email": "chenhb@jingyi.example.cn",
            }
        ],
        "ratings": [(4, "电机质量好，交期略长")],
    },
]

# The parts the demo buys: the parts catalog's own when its demo loaded them (first code found),
# else made here from the spec. (codes, name, specification, class, cost, list price)
PARTS = [
    (("CAP-35UF", "CAP-35UF-450V"), "压缩机启动电容", "35μF 450V", "common", "12.00", "35.00"),
    (("MTR-FAN-OUT-40W",), "室外风机电机", "YDK40-6 40W", "critical", "168.00", "320.00"),
    (("PCB-KFR35-MAIN",), "空调主控板", "KFR-35GW 变频", "critical", "236.00", "480.00"),
    (("CAP-2UF5", "SEN-NTC-10K"), "管温传感器", "NTC 10K 3950", "common", "3.50", "15.00"),
    (("IGN-GWH", "VLV-4WAY-35"), "四通阀", "DSF-9U", "rare", "85.00", "190.00"),
]

DEFECTIVE_LOT = "HL-2609-031"


def _days_ago(days: int, hour: int = 10) -> dt.datetime:
    moment = timezone.localtime() - dt.timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


def _parts(keeper) -> list:
    from aftersales.parts.models import Part
    from aftersales.parts.services import part_create

    made = []
    for codes, name, spec, cls, cost, price in PARTS:
        part = Part.objects.filter(code__in=codes).order_by("code").first()
        if part is not None and part.code != codes[0]:
            part = Part.objects.filter(code=codes[0]).first() or part
        if part is None:
            part = part_create(
                actor=keeper,
                code=codes[-1],
                name=name,
                specification=spec,
                stock_class=cls,
                standard_cost=Decimal(cost),
                list_price=Decimal(price),
            )
        made.append(part)
    return made


def _warehouse(keeper):
    from aftersales.parts.models import Location
    from aftersales.parts.services import location_create

    found = Location.objects.filter(kind="warehouse", active=True).order_by("code").first()
    if found is not None:
        return found
    return location_create(code="WH-SZ", name="苏州中心仓", actor=keeper)


def _buy(keeper, supplier, lines, *, ordered_days: int, promised_days: int):
    """An order placed ``ordered_days`` ago and promised ``promised_days`` from today
    (negative: in the past)."""
    from aftersales.purchasing.models import PurchaseOrder
    from aftersales.purchasing.services import order_create, order_transition

    order = order_create(
        actor=keeper,
        supplier=supplier,
        promised_date=timezone.localdate() + dt.timedelta(days=promised_days),
        lines=[{"part": p, "quantity": q, "unit_price": u} for p, q, u in lines],
    )
    order = order_transition(actor=keeper, order=order, to_status="ordered", version=order.version)
    placed = _days_ago(ordered_days, 9)
    PurchaseOrder.objects.filter(pk=order.pk).update(ordered_at=placed, created_at=placed)
    order.refresh_from_db()
    return order


def _receive(keeper, order, location, quantities: dict, *, days: int, inspect: dict | None = None):
    """Receive ``{part: (qty, lot)}`` ``days`` ago and inspect it the same day; ``inspect``
    maps a part to ``(rejected, defect)``."""
    from aftersales.parts.models import Batch, Movement
    from aftersales.purchasing.models import Inspection
    from aftersales.purchasing.services import inspection_record, receipt_create

    lines = {line.part_id: line for line in order.lines.all()}
    order.refresh_from_db()
    receipt = receipt_create(
        actor=keeper,
        order=order,
        location=location,
        received_at=_days_ago(days, 10),
        delivery_note=f"DN{order.number[-4:]}{days:02d}",
        lines=[
            {"order_line": lines[part.pk].pk, "quantity": qty, "lot_number": lot}
            for part, (qty, lot) in quantities.items()
        ],
    )
    for rl in receipt.lines.select_related("order_line__part"):
        rejected, defect = (inspect or {}).get(rl.order_line.part, (0, ""))
        inspection = inspection_record(
            actor=keeper,
            receipt_line=rl,
            accepted=rl.quantity - rejected,
            rejected=rejected,
            defect_description=defect,
        )
        when = _days_ago(days, 15)
        Inspection.objects.filter(pk=inspection.pk).update(inspected_at=when)
        if inspection.movement_id:
            Movement.objects.filter(pk=inspection.movement_id).update(created_at=when)
            Batch.objects.filter(pk=inspection.movement.batch_id).update(received_at=when)
    return receipt


def _work_orders(admin, count: int) -> list:
    """Work orders of different customers that parts can be issued to."""
    from aftersales.workorders.models import WorkOrder

    chosen, seen = [], set()
    for wo in WorkOrder.objects.select_related("customer").order_by("-id")[:200]:
        if wo.customer_id not in seen:
            chosen.append(wo)
            seen.add(wo.customer_id)
        if len(chosen) == count:
            return chosen
    from aftersales.core.errors import DomainError

    try:
        from aftersales.customers.models import Customer
        from aftersales.workorders.services import workorder_create_direct

        for customer in Customer.objects.exclude(pk__in=seen).filter(assets__isnull=False)[:10]:
            if len(chosen) == count:
                break
            chosen.append(
                workorder_create_direct(
                    actor=admin,
                    customer=customer,
                    title="空调外机不启动，更换启动电容",
                    asset=customer.assets.first(),
                )
            )
    except (ImportError, DomainError):
        pass  # the demo recall then names fewer customers
    return chosen


def purchasing_demo_load(out: Any = None) -> None:
    from aftersales.accounts.models import User
    from aftersales.parts.models import Batch, Movement
    from aftersales.parts.services import stock_issue
    from aftersales.purchasing import pricing, recall, services
    from aftersales.purchasing.models import Supplier, SupplierRating

    if Supplier.objects.filter(code="sz-hualeng").exists():
        return
    keeper = User.objects.filter(username="parts").first()
    supervisor = User.objects.filter(username="supervisor").first()
    admin = User.objects.filter(username="admin").first()
    if keeper is None or supervisor is None:
        return
    parts = _parts(keeper)
    cap, fan, pcb, ntc, valve = parts[:5]
    warehouse = _warehouse(keeper)

    suppliers = {}
    for spec in SUPPLIERS:
        supplier = services.supplier_create(
            actor=keeper,
            code=spec["code"],
            name=spec["name"],
            tax_id=spec["tax_id"],
            address=spec["address"],
            contacts=spec["contacts"],
        )
        suppliers[spec["code"]] = supplier
        for i, (score, comment) in enumerate(spec["ratings"]):
            rating = services.supplier_rate(
                actor=keeper, supplier=supplier, score=score, comment=comment
            )
            SupplierRating.objects.filter(pk=rating.pk).update(rated_at=_days_ago(50 - 30 * i))
    hualeng, meixin, jingyi = (suppliers[c] for c in ("sz-hualeng", "fs-meixin", "nb-jingyi"))
    start = timezone.localdate() - dt.timedelta(days=120)
    for supplier, part, price, lead in (
        (hualeng, cap, "11.50", 5),
        (hualeng, ntc, "3.20", 5),
        (hualeng, pcb, "228.00", 10),
        (meixin, cap, "10.80", 7),
        (meixin, fan, "159.00", 12),
        (jingyi, fan, "172.00", 15),
        (jingyi, valve, "82.00", 20),
    ):
        services.supplier_price_set(
            actor=keeper,
            supplier=supplier,
            part=part,
            price=price,
            valid_from=start,
            lead_time_days=lead,
        )

    # 1. Two months ago: 华冷 delivers everything on time, all accepted; the order is closed.
    po1 = _buy(
        keeper, hualeng, [(cap, 200, None), (ntc, 100, None), (pcb, 10, None)],
        ordered_days=62, promised_days=-52,
    )  # fmt: skip
    _receive(
        keeper,
        po1,
        warehouse,
        {cap: (200, DEFECTIVE_LOT), ntc: (100, "HL-2609-112"), pcb: (10, "HL-2609-PCB7")},
        days=54,
    )
    po1.refresh_from_db()
    services.order_transition(actor=keeper, order=po1, to_status="closed", version=po1.version)

    # 2. A month ago: 美信 is three days late and 5 fan motors arrive with deformed housings.
    po2 = _buy(
        keeper, meixin, [(fan, 40, None), (cap, 100, None)], ordered_days=40, promised_days=-30
    )
    _receive(
        keeper,
        po2,
        warehouse,
        {fan: (40, "MX-2610-F22"), cap: (100, "MX-2610-C05")},
        days=27,
        inspect={fan: (5, "风机外壳变形、扇叶卡滞，5 台不合格，已拍照留证")},
    )

    # 3. 精益: the first half of the motors came this week; the rest is still open.
    po3 = _buy(
        keeper, jingyi, [(fan, 30, None), (valve, 12, None)], ordered_days=12, promised_days=4
    )
    _receive(keeper, po3, warehouse, {fan: (15, "JY-2611-07")}, days=2)

    # 4. Ordered and waiting; 5. a draft; 6. a cancelled order.
    _buy(keeper, hualeng, [(ntc, 200, None), (pcb, 6, None)], ordered_days=3, promised_days=9)
    services.order_create(
        actor=keeper,
        supplier=meixin,
        promised_date=timezone.localdate() + dt.timedelta(days=14),
        lines=[{"part": cap, "quantity": 300}],
        notes="春节前备货，待主管确认数量",
    )
    po6 = _buy(keeper, meixin, [(cap, 50, None)], ordered_days=20, promised_days=-10)
    services.order_transition(
        actor=keeper,
        order=po6,
        to_status="cancelled",
        version=po6.version,
        reason="供应商缺货，改向华冷采购",
    )

    # Parts used over the weeks (for turnover, stock-outs and dead stock).
    for days, part, qty, reason in (
        (45, ntc, 30, "维修领用"),
        (38, pcb, 4, "维修领用"),
        (25, fan, 12, "维修领用"),
        (18, ntc, 40, "维修领用"),
        (9, pcb, 6, "维修领用：主控板批量故障"),
        (5, fan, 10, "维修领用"),
    ):
        movement = stock_issue(
            part=part, location=warehouse, quantity=qty, actor=keeper, reason=reason
        )
        Movement.objects.filter(pk=movement.pk).update(created_at=_days_ago(days, 14))

    # The recall: capacitors of one lot went into three customers' repairs, then leaked.
    batch = Batch.objects.get(part=cap, lot_number=DEFECTIVE_LOT)
    for i, wo in enumerate(_work_orders(admin, 3)):
        movement = stock_issue(
            part=cap,
            location=warehouse,
            quantity=1,
            work_order=wo,
            batch=batch,
            actor=keeper,
            reason="更换启动电容",
        )
        Movement.objects.filter(pk=movement.pk).update(created_at=_days_ago(30 - 7 * i, 11))
    recall.batch_mark_defective(
        actor=keeper,
        batch=batch,
        reason="电容鼓包漏液，抽检耐压测试不合格（华冷质量通报 QN-2611-03）",
    )

    # Pricing: a general 35 % mark-up and member discounts (approved), a price change waiting.
    for kind, name, kwargs in (
        ("cost_plus", "配件成本加成 35%", {"percent": "35"}),
        (
            "member_discount",
            "会员等级折扣",
            {"tier_discounts": {"silver": "3", "gold": "5", "vip": "10"}},
        ),
    ):
        change = pricing.price_rule_propose(
            actor=keeper, name=name, kind=kind, reason="年度配件价格政策", **kwargs
        )
        pricing.price_change_decide(actor=supervisor, change=change, approve=True, note="同意执行")
    pricing.price_change_request(
        actor=keeper, part=pcb, list_price="520.00", reason="主控板芯片涨价，供应商调价 8%"
    )
    if out is not None:
        out.write("Purchasing demo: 3 suppliers, 6 purchase orders, 1 defective batch.")
