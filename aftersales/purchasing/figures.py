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

from django.db import connection
from django.db.models import DecimalField, ExpressionWrapper, F, Max, Min, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from aftersales.parts.choices import MovementKind, StockClass
from aftersales.parts.models import Movement, Part, StockLevel

ZERO = Decimal("0")
CENT = Decimal("0.01")
VALUE = DecimalField(max_digits=20, decimal_places=4)


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
    """Turnover per stock class and month, plus an "all" row per month.

    One grouped query over the window's movements (per class, a filtered sum per month) gives
    what moved since each month's start and what was issued within it; a month's opening value
    is today's value minus everything moved since, so the ledger is read once."""
    now_value = stock_value_by_class()
    starts = month_starts(months, today)
    bounds = [_aware(start) for start in starts]
    issue_kinds = Q(kind__in=[MovementKind.ISSUE, MovementKind.RETURN])
    aggregates = {}
    for i, since in enumerate(bounds):
        # Plain comparisons inside one grouped statement (no per-row date functions): what
        # moved since each month's start, and what was issued within each month.
        aggregates[f"moved_{i}"] = Sum(
            F("quantity") * F("part__standard_cost"),
            filter=Q(created_at__gte=since),
            output_field=VALUE,
        )
        within = Q(created_at__gte=since)
        if i + 1 < len(bounds):
            within &= Q(created_at__lt=bounds[i + 1])
        aggregates[f"issued_{i}"] = Sum(
            -F("quantity") * F("unit_cost"), filter=within & issue_kinds, output_field=VALUE
        )
    grouped = (
        Movement.objects.filter(created_at__gte=bounds[0])
        .values("part__stock_class")
        .annotate(**aggregates)
    )
    moved_since: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    issued: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    for row in grouped:
        cls = row["part__stock_class"]
        for i, start in enumerate(starts):
            period = start.strftime("%Y-%m")
            moved_since[(period, cls)] += Decimal(row[f"moved_{i}"] or 0)
            issued[(period, cls)] += Decimal(row[f"issued_{i}"] or 0)
    periods = [start.strftime("%Y-%m") for start in starts]
    rows: list[TurnoverRow] = []
    # Walk back from today: a month's closing value is the next month's opening value.
    closing = dict(now_value)
    per_month: list[tuple[str, dict[str, Decimal], dict[str, Decimal]]] = []
    for period in reversed(periods):
        opening = {c: now_value[c] - moved_since[(period, c)] for c in StockClass.values}
        per_month.append((period, opening, dict(closing)))
        closing = opening
    for period, opening, close in reversed(per_month):
        for cls in [*StockClass.values, "all"]:
            if cls == "all":
                o = sum(opening.values(), ZERO)
                c = sum(close.values(), ZERO)
                i = sum((issued[(period, k)] for k in StockClass.values), ZERO)
            else:
                o, c, i = opening[cls], close[cls], issued[(period, cls)]
            avg = (o + c) / 2
            rows.append(
                TurnoverRow(
                    period=period,
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
    period: the balance at the start (on hand now minus what moved since) plus a running sum
    over the period's movements (a window function, on SQLite and PostgreSQL alike), counting
    the movements that took it from above zero to zero or below."""
    until = until or timezone.now()
    ops = connection.ops
    since_db = ops.adapt_datetimefield_value(since)
    until_db = ops.adapt_datetimefield_value(until)
    movement = Movement._meta.db_table
    level = StockLevel._meta.db_table
    sql = f"""
        WITH m AS MATERIALIZED (
            SELECT part_id, id, created_at, quantity FROM {movement}
            WHERE created_at >= %s AND created_at < %s AND quantity <> 0
        ),
        opening AS MATERIALIZED (
            SELECT p.part_id, COALESCE(l.qty, 0) - COALESCE(a.qty, 0) AS qty
            FROM (SELECT DISTINCT part_id FROM m) p
            LEFT JOIN (SELECT part_id, SUM(on_hand) AS qty FROM {level} GROUP BY part_id) l
                ON l.part_id = p.part_id
            LEFT JOIN (SELECT part_id, SUM(quantity) AS qty FROM {movement}
                       WHERE created_at >= %s GROUP BY part_id) a
                ON a.part_id = p.part_id
        ),
        running AS (
            SELECT m.part_id, m.quantity, opening.qty + SUM(m.quantity) OVER (
                PARTITION BY m.part_id ORDER BY m.created_at, m.id ROWS UNBOUNDED PRECEDING
            ) AS balance
            FROM m JOIN opening ON opening.part_id = m.part_id
        )
        SELECT part_id, COUNT(*) FROM running
        WHERE balance <= 0 AND balance - quantity > 0
        GROUP BY part_id
    """
    with connection.cursor() as cur:
        cur.execute(sql, [since_db, until_db, since_db])
        return {int(pid): int(n) for pid, n in cur.fetchall()}


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
