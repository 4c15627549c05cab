"""The supplier scorecard (R8.5): four scores from recorded data, a weighted total, a ranking.

For a period (by the date goods were received, inspected or rated):

* **quality** = quantity accepted ÷ quantity inspected;
* **on-time** = receipt lines received on or before the order's promised date ÷ receipt lines;
* **price index** = Σ(received quantity × unit price) ÷ Σ(received quantity × standard cost);
  1.00 is standard cost, lower is cheaper. **vs others** compares the supplier's average unit
  price of each part with what all suppliers were paid for it in the period, weighted by the
  supplier's quantities (1.00 = the same as the others);
* **service** = the buyer's average rating (1–5).

Scores are 0–100: quality and on-time as percentages, price as min(100, 100 ÷ index),
service as rating ÷ 5. The total weighs them 40/30/20/10 over the dimensions that have data.
Every figure is an aggregate query grouped by supplier; nothing is kept by hand.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, DecimalField, F, Q, Sum
from django.utils import timezone

from .models import Inspection, ReceiptLine, Supplier, SupplierRating

WEIGHTS = {
    "quality": Decimal("40"),
    "on_time": Decimal("30"),
    "price": Decimal("20"),
    "service": Decimal("10"),
}
HUNDRED = Decimal("100")
D = DecimalField(max_digits=20, decimal_places=4)


def _q(value: Decimal | None, places: str = "0.1") -> Decimal | None:
    return None if value is None else value.quantize(Decimal(places), ROUND_HALF_UP)


@dataclass
class Score:
    supplier: Supplier
    received_quantity: Decimal = Decimal("0")
    inspected_quantity: Decimal = Decimal("0")
    accepted_quantity: Decimal = Decimal("0")
    lines: int = 0
    lines_on_time: int = 0
    ratings: int = 0
    quality: Decimal | None = None
    on_time: Decimal | None = None
    price_index: Decimal | None = None
    price_vs_others: Decimal | None = None
    price_score: Decimal | None = None
    service: Decimal | None = None
    service_score: Decimal | None = None
    total: Decimal | None = None
    rank: int | None = None
    scores: dict[str, Decimal | None] = field(default_factory=dict)


def period_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Aware datetimes from the start of ``start`` to the end of ``end`` (local time)."""
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
    )


def supplier_scorecard(start: dt.date, end: dt.date) -> list[Score]:
    """Every active supplier's scores for the period, best total first, with its rank."""
    since, until = period_bounds(start, end)
    suppliers = {s.pk: Score(supplier=s) for s in Supplier.objects.filter(active=True)}

    lines = ReceiptLine.objects.filter(
        receipt__received_at__gte=since, receipt__received_at__lt=until
    )
    received = lines.values(sid=F("receipt__order__supplier_id")).annotate(
        qty=Sum("quantity"),
        n=Count("id"),
        on_time=Count("id", filter=Q(on_time=True)),
        paid=Sum(F("quantity") * F("order_line__unit_price"), output_field=D),
        standard=Sum(F("quantity") * F("order_line__part__standard_cost"), output_field=D),
    )
    for row in received:
        score = suppliers.get(row["sid"])
        if score is None:
            continue
        score.received_quantity = row["qty"] or Decimal("0")
        score.lines = row["n"]
        score.lines_on_time = row["on_time"]
        if row["n"]:
            score.on_time = HUNDRED * row["on_time"] / row["n"]
        if row["standard"]:
            score.price_index = Decimal(row["paid"]) / Decimal(row["standard"])

    inspected = (
        Inspection.objects.filter(inspected_at__gte=since, inspected_at__lt=until)
        .values(sid=F("receipt_line__receipt__order__supplier_id"))
        .annotate(ok=Sum("accepted_quantity"), bad=Sum("rejected_quantity"))
    )
    for row in inspected:
        score = suppliers.get(row["sid"])
        if score is None:
            continue
        total = (row["ok"] or 0) + (row["bad"] or 0)
        score.inspected_quantity = total
        score.accepted_quantity = row["ok"] or Decimal("0")
        if total:
            score.quality = HUNDRED * score.accepted_quantity / total

    # Paid per supplier and part; the market price of a part is what everyone paid for it.
    per_supplier_part = list(
        lines.values(sid=F("receipt__order__supplier_id"), pid=F("order_line__part_id")).annotate(
            qty=Sum("quantity"),
            paid=Sum(F("quantity") * F("order_line__unit_price"), output_field=D),
        )
    )
    paid_qty: dict[int, list[Decimal]] = {}
    for r in per_supplier_part:
        acc = paid_qty.setdefault(r["pid"], [Decimal("0"), Decimal("0")])
        acc[0] += Decimal(r["paid"] or 0)
        acc[1] += Decimal(r["qty"] or 0)
    market = {pid: paid / qty for pid, (paid, qty) in paid_qty.items() if qty}
    vs: dict[int, list[Decimal]] = {}
    for r in per_supplier_part:
        if r["sid"] in suppliers and market.get(r["pid"]):
            acc = vs.setdefault(r["sid"], [Decimal("0"), Decimal("0")])
            acc[0] += Decimal(r["paid"])
            acc[1] += Decimal(r["qty"]) * market[r["pid"]]
    for sid, (paid, at_market) in vs.items():
        if at_market:
            suppliers[sid].price_vs_others = paid / at_market

    rated = (
        SupplierRating.objects.filter(rated_at__gte=since, rated_at__lt=until)
        .values("supplier_id")
        .annotate(avg=Avg("score"), n=Count("id"))
    )
    for row in rated:
        score = suppliers.get(row["supplier_id"])
        if score is not None and row["n"]:
            score.ratings = row["n"]
            score.service = Decimal(str(row["avg"]))

    for score in suppliers.values():
        if score.price_index:
            score.price_score = min(HUNDRED, HUNDRED / score.price_index)
        if score.service is not None:
            score.service_score = score.service * HUNDRED / 5
        score.scores = {
            "quality": score.quality,
            "on_time": score.on_time,
            "price": score.price_score,
            "service": score.service_score,
        }
        present = {k: v for k, v in score.scores.items() if v is not None}
        if present:
            weight = sum(WEIGHTS[k] for k in present)
            score.total = sum(WEIGHTS[k] * v for k, v in present.items()) / weight
        for name in ("quality", "on_time", "price_score", "service_score", "total"):
            setattr(score, name, _q(getattr(score, name)))
        score.price_index = _q(score.price_index, "0.001")
        score.price_vs_others = _q(score.price_vs_others, "0.001")
        score.service = _q(score.service, "0.01")
        score.scores = {k: _q(v) for k, v in score.scores.items()}

    ranked = sorted(
        suppliers.values(),
        key=lambda s: (s.total is None, -(s.total or 0), s.supplier.code),
    )
    position = 0
    for score in ranked:
        if score.total is not None:
            position += 1
            score.rank = position
    return ranked


def scorecard_rows(scores: list[Score]) -> list[dict]:
    """Plain rows for the API, the chart and the Excel export."""
    return [
        {
            "rank": s.rank,
            "supplier_id": s.supplier.pk,
            "supplier_code": s.supplier.code,
            "supplier": s.supplier.name,
            "received_quantity": s.received_quantity,
            "inspected_quantity": s.inspected_quantity,
            "accepted_quantity": s.accepted_quantity,
            "receipt_lines": s.lines,
            "lines_on_time": s.lines_on_time,
            "quality": s.quality,
            "on_time": s.on_time,
            "price_index": s.price_index,
            "price_vs_others": s.price_vs_others,
            "price_score": s.price_score,
            "service": s.service,
            "ratings": s.ratings,
            "service_score": s.service_score,
            "total": s.total,
        }
        for s in scores
    ]
