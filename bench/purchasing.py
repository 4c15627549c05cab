"""Purchasing figures at volume: the supplier scorecard, the stock figures and the open order
quantities over a generated history, on SQLite (a fresh file) or PostgreSQL (``--pg URL``, the
database is dropped and recreated).

Generated with bulk inserts (no services, no audit): suppliers, parts with stock, purchase
orders with lines, receipt lines with inspections, and a ledger of receipts and issues spread
over a year. Each figure is timed as the page computes it (best and median of ``--repeat``);
the raw floor printed beside it is one plain aggregate statement over the same rows through
the driver, the least any implementation must read.

    make bench-purchasing
    .venv/bin/python bench/purchasing.py --lines 40000 --movements 200000
    .venv/bin/python bench/purchasing.py --pg postgres://postgres@127.0.0.1:5432/bench_purchasing
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import machine, recreate_postgres, say


def setup(args) -> None:
    if args.pg:
        recreate_postgres(args.pg)
        os.environ["DATABASE_URL"] = args.pg
    else:
        path = Path(tempfile.mkdtemp(prefix="bench-purchasing-")) / "db.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, skip_checks=True)


def generate(args) -> None:
    from django.db import transaction
    from django.utils import timezone

    from aftersales.parts.models import Batch, Location, Movement, Part, StockLevel
    from aftersales.purchasing.models import (
        Inspection,
        PurchaseOrder,
        PurchaseOrderLine,
        Receipt,
        ReceiptLine,
        Supplier,
        SupplierRating,
    )

    rng = random.Random(2026)
    now = timezone.now()
    t0 = time.perf_counter()
    with transaction.atomic():
        wh = Location.objects.create(code="WH-BENCH", name="基准仓")
        suppliers = Supplier.objects.bulk_create(
            Supplier(code=f"s{i:03d}", name=f"供应商{i:03d}") for i in range(args.suppliers)
        )
        parts = Part.objects.bulk_create(
            Part(
                code=f"P{i:05d}",
                name=f"配件{i:05d}",
                stock_class=rng.choice(["common", "common", "critical", "rare"]),
                standard_cost=Decimal(rng.randint(100, 50000)) / 100,
            )
            for i in range(args.parts)
        )
        StockLevel.objects.bulk_create(
            StockLevel(part=p, location=wh, on_hand=rng.randint(0, 200)) for p in parts
        )
        SupplierRating.objects.bulk_create(
            SupplierRating(
                supplier=rng.choice(suppliers),
                score=rng.randint(1, 5),
                rated_at=now - dt.timedelta(days=rng.randint(0, 365)),
            )
            for _ in range(args.suppliers * 10)
        )
        orders = []
        for i in range(args.lines // 4):
            placed = now - dt.timedelta(days=rng.randint(0, 365))
            orders.append(
                PurchaseOrder(
                    number=f"PO-BENCH-{i:06d}",
                    supplier=rng.choice(suppliers),
                    status=rng.choice(["ordered", "partially_received", "received", "closed"]),
                    ordered_at=placed,
                    promised_date=(placed + dt.timedelta(days=rng.randint(3, 20))).date(),
                )
            )
        orders = PurchaseOrder.objects.bulk_create(orders, batch_size=2000)
        lines = PurchaseOrderLine.objects.bulk_create(
            (
                PurchaseOrderLine(
                    order=o,
                    part=p,
                    quantity=q,
                    unit_price=(p.standard_cost * Decimal(rng.uniform(0.85, 1.2))).quantize(
                        Decimal("0.01")
                    ),
                    received_quantity=q if o.status in ("received", "closed") else q // 2,
                )
                for o in orders
                for p in rng.sample(parts, 4)
                for q in [rng.randint(2, 100)]
            ),
            batch_size=5000,
        )
        receipts = Receipt.objects.bulk_create(
            (
                Receipt(
                    order=o,
                    location=wh,
                    received_at=o.ordered_at + dt.timedelta(days=rng.randint(2, 25)),
                )
                for o in orders
            ),
            batch_size=2000,
        )
        by_order = {r.order_id: r for r in receipts}
        rlines = ReceiptLine.objects.bulk_create(
            (
                ReceiptLine(
                    receipt=by_order[line.order_id],
                    order_line=line,
                    quantity=max(line.received_quantity, 1),
                    lot_number=f"L{line.pk}",
                    on_time=rng.random() < 0.8,
                )
                for line in lines
            ),
            batch_size=5000,
        )
        Inspection.objects.bulk_create(
            (
                Inspection(
                    receipt_line=rl,
                    accepted_quantity=rl.quantity
                    - (bad := min(rl.quantity, rng.choice([0, 0, 0, 1, 2]))),
                    rejected_quantity=bad,
                    inspected_at=by_order[rl.order_line.order_id].received_at,
                )
                for rl in rlines
            ),
            batch_size=5000,
        )
        batches = Batch.objects.bulk_create(Batch(part=p, lot_number=f"B{p.pk}") for p in parts)
        batch_of = {b.part_id: b for b in batches}
        Movement.objects.bulk_create(
            (
                Movement(
                    kind=kind,
                    part=p,
                    location=wh,
                    quantity=q if kind == "receipt" else -q,
                    batch=batch_of[p.pk],
                    unit_cost=p.standard_cost,
                    created_at=now - dt.timedelta(minutes=rng.randint(0, 365 * 24 * 60)),
                )
                for _ in range(args.movements)
                for p in [rng.choice(parts)]
                for kind in [rng.choice(["receipt", "issue", "issue"])]
                for q in [rng.randint(1, 10)]
            ),
            batch_size=10000,
        )
    say(
        "data",
        f"{args.suppliers} suppliers, {args.parts} parts, {len(orders)} orders, {len(lines)} "
        f"order lines, {len(rlines)} receipt lines + inspections, {args.movements} movements "
        f"in {time.perf_counter() - t0:.1f} s",
    )


def timed(label: str, fn, repeat: int) -> None:
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - t) * 1000)
    say(label, f"best {min(runs):.0f} ms, median {statistics.median(runs):.0f} ms")


def floor(label: str, sql: str, repeat: int) -> None:
    from django.db import connection

    def run():
        with connection.cursor() as cur:
            cur.execute(sql)
            cur.fetchall()

    timed(f"{label} (raw floor)", run, repeat)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pg", default="", help="PostgreSQL URL (recreated)")
    parser.add_argument("--suppliers", type=int, default=40)
    parser.add_argument("--parts", type=int, default=3000)
    parser.add_argument("--lines", type=int, default=40000, help="purchase order lines")
    parser.add_argument("--movements", type=int, default=200000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    say("machine", machine())
    setup(args)
    generate(args)

    from django.utils import timezone

    from aftersales.purchasing import figures, selectors
    from aftersales.purchasing.scorecard import supplier_scorecard

    today = timezone.localdate()
    timed(
        "scorecard, 90 days",
        lambda: supplier_scorecard(today - dt.timedelta(days=90), today),
        args.repeat,
    )
    timed(
        "scorecard, 365 days",
        lambda: supplier_scorecard(today - dt.timedelta(days=365), today),
        args.repeat,
    )
    floor(
        "one pass over receipt lines",
        "SELECT o.supplier_id, SUM(r.quantity), COUNT(*) FROM purchasing_receiptline r "
        "JOIN purchasing_purchaseorderline l ON l.id = r.order_line_id "
        "JOIN purchasing_purchaseorder o ON o.id = l.order_id GROUP BY o.supplier_id",
        args.repeat,
    )
    timed("open order quantities", selectors.open_order_quantities, args.repeat)
    timed(
        "stock figures, 12 months",
        lambda: figures.figures_summary(months=12, dead_days=180),
        args.repeat,
    )
    floor(
        "one pass over the ledger",
        "SELECT part_id, SUM(quantity), MAX(created_at) FROM parts_movement GROUP BY part_id",
        args.repeat,
    )


if __name__ == "__main__":
    main()
