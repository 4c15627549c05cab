"""Stock figures (R8.3, R12.1 parts turnover): value, turnover, stock-outs and dead stock.

Written-down formulas, all valued at each part's standard cost except issued cost, which is
what the ledger recorded on the issue (``unit_cost``):

* **stock value** = Σ on hand × standard cost (now, or at a moment: on hand now minus every
  movement after it);
* **issued cost** (period) = Σ −quantity × unit cost over issues and returns to stock in it;
* **average stock value** (period) = (value at its start + value at its end) ÷ 2;
* **turnover** = issued cost ÷ average stock value (blank when the average is zero);
* **stock-out** = a movement after which a part's on-hand stock over all locations is zero
  while it was above zero before; the list of current stock-outs is every active part with
  nothing available;
* **dead stock** = parts on hand whose last issue is older than N days (or never issued and
  received longer ago than that).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import DecimalField, ExpressionWrapper, F, Max, Min, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from aftersales.parts.choices import MovementKind, StockClass
from aftersales.parts.models import Movement, Part, StockLevel

ZERO = Decimal("0")
CENT = Decimal("0.01")
VALUE = DecimalField(max_digits=20, decimal_places=4)
ON_HAND_KINDS = [
    k for k in MovementKind.values if k not in (MovementKind.RESERVE, MovementKind.RELEASE)
]


def _by_class(rows, key: str = "part__stock_class", value: str = "v") -> dict[str, Decimal]:
    out = {c: ZERO for c in StockClass.values}
    for row in rows:
        out[row[key]] = Decimal(row[value] or 0)
    return out


def stock_value_by_class() -> dict[str, Decimal]:
    """Stock value now, per stock class."""
    rows = (
        StockLevel.objects.filter(on_hand__gt=0)
        .values("part__stock_class")
        .annotate(v=Sum(F("on_hand") * F("part__standard_cost"), output_field=VALUE))
    )
    return {k: v.quantize(CENT) for k, v in _by_class(rows).items()}


def _moved_value_after(moment: dt.datetime) -> dict[str, Decimal]:
    rows = (
        Movement.objects.filter(created_at__gte=moment)
        .values("part__stock_class")
        .annotate(v=Sum(F("quantity") * F("part__standard_cost"), output_field=VALUE))
    )
    return _by_class(rows)


def stock_value_at(
    moment: dt.datetime, now_value: dict[str, Decimal] | None = None
) -> dict[str, Decimal]:
    """Stock value per class as it stood at ``moment`` (at today's standard costs)."""
    now_value = now_value if now_value is not None else stock_value_by_class()
    after = _moved_value_after(moment)
    return {c: now_value[c] - after[c] for c in StockClass.values}


def issued_cost(since: dt.datetime, until: dt.datetime) -> dict[str, Decimal]:
    rows = (
        Movement.objects.filter(
            kind__in=[MovementKind.ISSUE, MovementKind.RETURN],
            created_at__gte=since,
            created_at__lt=until,
        )
        .values("part__stock_class")
        .annotate(
            v=ExpressionWrapper(
                -Sum(F("quantity") * F("unit_cost"), output_field=VALUE), output_field=VALUE
            )
        )
    )
    return _by_class(rows)


def month_starts(months: int, today: dt.date | None = None) -> list[dt.date]:
    """The first days of the last ``months`` months, oldest first, ending with this month."""
    today = today or timezone.localdate()
    year, month = today.year, today.month
    out = []
    for _ in range(months):
        out.append(dt.date(year, month, 1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(out))


def _aware(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)


@dataclass
class TurnoverRow:
    period: str
    stock_class: str
    issued_cost: Decimal
    opening_value: Decimal
    closing_value: Decimal
    average_value: Decimal
    turnover: Decimal | None


def turnover(months: int = 12, today: dt.date | None = None) -> list[TurnoverRow]:
    """Turnover per stock class and month, plus an "all" row per month."""
    now_value = stock_value_by_class()
    now = timezone.now()
    rows: list[TurnoverRow] = []
    for start in month_starts(months, today):
        since, until = _aware(start), min(_aware(_next_month(start)), now)
        opening = stock_value_at(since, now_value)
        closing = stock_value_at(until, now_value)
        issued = issued_cost(since, until)
        classes = [*StockClass.values, "all"]
        for cls in classes:
            if cls == "all":
                o, c, i = (sum(d.values(), ZERO) for d in (opening, closing, issued))
            else:
                o, c, i = opening[cls], closing[cls], issued[cls]
            avg = (o + c) / 2
            rows.append(
                TurnoverRow(
                    period=start.strftime("%Y-%m"),
                    stock_class=cls,
                    issued_cost=i.quantize(CENT),
                    opening_value=o.quantize(CENT),
                    closing_value=c.quantize(CENT),
                    average_value=avg.quantize(CENT),
                    turnover=(i / avg).quantize(CENT) if avg > 0 else None,
                )
            )
    return rows


def stock_outs(since: dt.datetime, until: dt.datetime | None = None) -> dict[int, int]:
    """Part id → how many times its on-hand stock over all locations fell to zero in the
    period. One pass over the period's movements, ordered per part."""
    until = until or timezone.now()
    moved = (
        Movement.objects.filter(created_at__gte=since, created_at__lt=until, kind__in=ON_HAND_KINDS)
        .exclude(quantity=0)
        .order_by("part_id", "created_at", "id")
        .values_list("part_id", "quantity")
    )
    part_ids = {pid for pid, _ in moved}
    if not part_ids:
        return {}
    on_hand_now = dict(
        StockLevel.objects.filter(part_id__in=part_ids)
        .values("part_id")
        .annotate(q=Sum("on_hand"))
        .values_list("part_id", "q")
    )
    after_start = dict(
        Movement.objects.filter(part_id__in=part_ids, created_at__gte=since)
        .values("part_id")
        .annotate(q=Sum("quantity"))
        .values_list("part_id", "q")
    )
    balance = {
        pid: (on_hand_now.get(pid) or ZERO) - (after_start.get(pid) or ZERO) for pid in part_ids
    }
    counts: dict[int, int] = defaultdict(int)
    for pid, qty in moved:
        before = balance[pid]
        balance[pid] = before + qty
        if before > 0 and balance[pid] <= 0:
            counts[pid] += 1
    return dict(counts)


def current_stock_outs() -> list[Part]:
    """Active parts with nothing available anywhere."""
    available = ExpressionWrapper(
        Coalesce(Sum("stock_levels__on_hand"), ZERO)
        - Coalesce(Sum("stock_levels__reserved"), ZERO),
        output_field=DecimalField(max_digits=14, decimal_places=3),
    )
    return list(
        Part.objects.filter(active=True)
        .annotate(available=available)
        .filter(available__lte=0)
        .order_by("code")
    )


@dataclass
class DeadStockRow:
    part: Part
    on_hand: Decimal
    value: Decimal
    last_issue: dt.datetime | None
    first_receipt: dt.datetime | None


def dead_stock(days: int = 180, now: dt.datetime | None = None) -> list[DeadStockRow]:
    """Parts on hand with no issue in the last ``days`` days (value first)."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=days)
    # On-hand and movement figures are read apart: one join over both would multiply rows.
    on_hand = dict(
        StockLevel.objects.values("part_id")
        .annotate(q=Sum("on_hand"))
        .filter(q__gt=0)
        .values_list("part_id", "q")
    )
    stats = {
        row["part_id"]: row
        for row in Movement.objects.filter(part_id__in=on_hand)
        .values("part_id")
        .annotate(
            last_issue=Max("created_at", filter=Q(kind=MovementKind.ISSUE)),
            first_receipt=Min("created_at", filter=Q(kind=MovementKind.RECEIPT)),
        )
    }
    rows = []
    for part in Part.objects.filter(pk__in=on_hand):
        stat = stats.get(part.pk, {})
        last_issue = stat.get("last_issue")
        first_receipt = stat.get("first_receipt")
        if last_issue is not None and last_issue >= cutoff:
            continue
        if last_issue is None and first_receipt is not None and first_receipt >= cutoff:
            continue
        qty = on_hand[part.pk]
        rows.append(
            DeadStockRow(
                part=part,
                on_hand=qty,
                value=(qty * part.standard_cost).quantize(CENT),
                last_issue=last_issue,
                first_receipt=first_receipt,
            )
        )
    return sorted(rows, key=lambda r: (-r.value, r.part.code))


def figures_summary(*, months: int = 12, dead_days: int = 180) -> dict:
    """Everything the figures page and its JSON endpoint show."""
    value = stock_value_by_class()
    start = month_starts(months)[0]
    outs = stock_outs(_aware(start))
    parts = {p.pk: p for p in Part.objects.filter(pk__in=outs)}
    return {
        "stock_value": {**{k: v for k, v in value.items()}, "all": sum(value.values(), ZERO)},
        "turnover": turnover(months),
        "stock_outs": sorted(
            ({"part": parts[pid], "count": n} for pid, n in outs.items()),
            key=lambda r: (-r["count"], r["part"].code),
        ),
        "current_stock_outs": current_stock_outs(),
        "dead_stock": dead_stock(dead_days),
        "months": months,
        "dead_days": dead_days,
    }
