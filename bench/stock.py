"""Stock ledger benchmark on PostgreSQL: issues per second through the API against the same
conditional update in plain SQL, and reading one part's stock with ten million ledger rows.

One run, one database, ``postgres://postgres@127.0.0.1:5432/aftersales_bench_stock`` (dropped
and created; ``--url`` for another):

1. ``migrate``; a warehouse, ``--parts`` parts with plenty of stock, a parts keeper's API key;
2. **plain SQL** (psycopg, no Django): ``--clients`` threads, each with its own connection,
   issue one unit per transaction doing what an issue must write — the conditional
   ``UPDATE parts_stocklevel SET on_hand = on_hand - 1 … WHERE … AND on_hand - reserved >= 1``
   and the ledger row — the floor;
3. **the API**: gunicorn (gthread) on a free port, ``--clients`` threads with keep-alive
   connections sending ``POST /api/v1/stock/issue`` (service, audit record, low-stock check,
   answer); parts are picked at random, or all on one part with ``--hot``;
4. the stock rows are checked against the sum of the ledger; the ratio is printed;
5. **10,000,000 ledger rows** (``--ledger-rows``) for one part are loaded with ``COPY`` and its
   stock row set to their sum; ``GET /api/v1/parts/{code}/stock`` is timed through gunicorn
   (p50/p95/p99; the target is p95 ≤ 10 ms) next to the plain ``SELECT`` of the stock rows and
   the first ledger page.

    make bench-stock
    .venv/bin/python bench/stock.py --ledger-rows 1000000 --requests 1000
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _common import (
    ROOT,
    children,
    cpu_seconds,
    cpu_used,
    gunicorn,
    machine,
    percentile,
    postgres_backends,
    recreate_postgres,
    say,
)

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/aftersales_bench_stock"
BIG_PART = "BENCH-BIG"


def log(text: str) -> None:
    say("stock", text)


@dataclass
class Result:
    label: str
    count: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    samples: list[str] = field(default_factory=list)
    cpu_app: float = 0.0
    cpu_db: float = 0.0

    @property
    def rate(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0

    def pct(self, p: float) -> float:
        return percentile(sorted(self.latencies), p) * 1000

    def line(self) -> str:
        return (
            f"{self.label}: {self.count} in {self.seconds:.1f} s = {self.rate:,.0f}/s; "
            f"p50 {self.pct(50):.1f} ms, p95 {self.pct(95):.1f} ms, p99 {self.pct(99):.1f} ms"
            f"{f'; {self.errors} errors' if self.errors else ''}"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "count": self.count,
            "errors": self.errors,
            "seconds": round(self.seconds, 2),
            "per_second": round(self.rate, 1),
            "p50_ms": round(self.pct(50), 2),
            "p95_ms": round(self.pct(95), 2),
            "p99_ms": round(self.pct(99), 2),
            "cpu_app_s": round(self.cpu_app, 2),
            "cpu_db_s": round(self.cpu_db, 2),
        }


def prepare(args, env: dict[str, str]) -> dict[str, Any]:
    """Migrate; create the warehouse, the parts with stock and the API key."""
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from aftersales.accounts.services import apikey_create
    from aftersales.parts.models import Part
    from aftersales.parts.services import location_create, part_create, stock_receive

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    log(f"migrated in {time.perf_counter() - t0:.1f} s")
    key, plain = apikey_create(actor=None, name="Stock benchmark", role="parts_keeper")
    keeper = key.user
    wh = location_create(code="WH-BENCH", name="基准测试仓", actor=keeper)
    big_locations = [wh] + [
        location_create(code=f"WH-BENCH-{i}", name=f"基准库位 {i}", actor=keeper) for i in (2, 3)
    ]
    codes = []
    for i in range(args.parts):
        part = part_create(
            actor=keeper,
            code=f"BENCH-{i:04d}",
            name=f"基准配件 {i}",
            standard_cost="12.50",
            reorder_point=5,
        )
        stock_receive(part=part, location=wh, quantity=1_000_000, unit_cost="12.50", actor=keeper)
        codes.append(part.code)
    big = part_create(actor=keeper, code=BIG_PART, name="万次流水配件", reorder_point=5)
    part_ids = dict(Part.objects.filter(code__in=codes).values_list("code", "id"))
    info = {
        "key": plain,
        "actor": keeper.pk,
        "location": wh.pk,
        "codes": codes,
        "part_ids": part_ids,
        "big_part": big.pk,
        "big_locations": [loc.pk for loc in big_locations],
    }
    connection.close()
    return info


# --- plain SQL ------------------------------------------------------------------------------

UPDATE = (
    "UPDATE parts_stocklevel SET on_hand = on_hand - %s, version = version + 1, "
    "updated_at = now() WHERE part_id = %s AND location_id = %s AND on_hand - reserved >= %s"
)
INSERT = (
    "INSERT INTO parts_movement (kind, part_id, location_id, quantity, reserved_delta, "
    "unit_cost, reason, reference, actor_id, created_at) "
    "VALUES ('issue', %s, %s, %s, 0, 12.50, '', 'bench raw', %s, now())"
)


def raw_phase(url: str, info: dict[str, Any], clients: int, count: int, hot: bool) -> Result:
    import psycopg

    result = Result("plain SQL (conditional UPDATE + ledger row)")
    lock = threading.Lock()
    left = [count]
    part_ids = [info["part_ids"][c] for c in info["codes"]]

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        mine: list[float] = []
        bad = 0
        with psycopg.connect(url) as conn:
            while True:
                with lock:
                    if left[0] <= 0:
                        break
                    left[0] -= 1
                pid = part_ids[0] if hot else rng.choice(part_ids)
                t0 = time.perf_counter()
                with conn.transaction():
                    cur = conn.execute(UPDATE, (1, pid, info["location"], 1))
                    if cur.rowcount != 1:
                        bad += 1
                        continue
                    conn.execute(INSERT, (pid, info["location"], -1, info["actor"]))
                mine.append(time.perf_counter() - t0)
        with lock:
            result.latencies.extend(mine)
            result.count += len(mine)
            result.errors += bad

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    db0 = cpu_seconds(postgres_backends(url))
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result.seconds = time.perf_counter() - t0
    result.cpu_db = cpu_used(db0, cpu_seconds(postgres_backends(url)))
    return result


# --- the API --------------------------------------------------------------------------------


def api_phase(
    server: tuple[int, int], info: dict[str, Any], clients: int, count: int, hot: bool, url: str
) -> Result:
    port, master = server
    result = Result("API POST /api/v1/stock/issue")
    lock = threading.Lock()
    left = [count]
    headers = {"Content-Type": "application/json", "X-API-Key": info["key"]}

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine: list[float] = []
        bad = 0
        while True:
            with lock:
                if left[0] <= 0:
                    break
                left[0] -= 1
            code = info["codes"][0] if hot else rng.choice(info["codes"])
            body = json.dumps(
                {"part": code, "location": "WH-BENCH", "quantity": 1, "reason": "bench"}
            )
            t0 = time.perf_counter()
            try:
                conn.request("POST", "/api/v1/stock/issue", body=body, headers=headers)
                response = conn.getresponse()
                answer = response.read()
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                bad += 1
                with lock:
                    if len(result.samples) < 5:
                        result.samples.append(repr(exc))
                continue
            if response.status == 201:
                mine.append(time.perf_counter() - t0)
            else:
                bad += 1
                with lock:
                    if len(result.samples) < 5:
                        result.samples.append(f"{response.status} {answer[:200]!r}")
        conn.close()
        with lock:
            result.latencies.extend(mine)
            result.count += len(mine)
            result.errors += bad

    threads = [threading.Thread(target=worker, args=(100 + i,)) for i in range(clients)]
    app_pids = [master, *children(master)]
    app0, db0 = cpu_seconds(app_pids), cpu_seconds(postgres_backends(url))
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result.seconds = time.perf_counter() - t0
    result.cpu_app = cpu_used(app0, cpu_seconds(app_pids))
    result.cpu_db = cpu_used(db0, cpu_seconds(postgres_backends(url)))
    return result


def check_ledger(url: str) -> list[str]:
    """Every stock row equals the sum of its ledger; nothing negative."""
    import psycopg

    with psycopg.connect(url) as conn:
        rows = conn.execute(
            """
            SELECT s.part_id, s.location_id, s.on_hand, s.reserved,
                   COALESCE(SUM(m.quantity), 0), COALESCE(SUM(m.reserved_delta), 0)
            FROM parts_stocklevel s
            LEFT JOIN parts_movement m ON m.part_id = s.part_id AND m.location_id = s.location_id
            GROUP BY s.id
            """
        ).fetchall()
    problems = []
    for part, loc, on_hand, reserved, q, r in rows:
        if on_hand != q or reserved != r or on_hand < 0 or reserved < 0:
            problems.append(f"part {part} at {loc}: row {on_hand}/{reserved}, ledger {q}/{r}")
    return problems


# --- ten million ledger rows ------------------------------------------------------------------


def load_ledger(url: str, info: dict[str, Any], rows: int) -> float:
    """COPY ``rows`` movements of the big part (receipts and issues over three locations and
    two years), then set its stock rows to their sums. Returns seconds."""
    import psycopg

    t0 = time.perf_counter()
    locations = info["big_locations"]
    columns = (
        "kind, part_id, location_id, quantity, reserved_delta, unit_cost, reason, reference, "
        "actor_id, created_at"
    )
    start = time.time() - 2 * 365 * 86400
    step = (2 * 365 * 86400) / max(rows, 1)
    part = info["big_part"]
    actor = info["actor"]
    with psycopg.connect(url) as conn:
        with conn.cursor() as cur, cur.copy(f"COPY parts_movement ({columns}) FROM STDIN") as cp:
            chunk: list[str] = []
            for i in range(rows):
                loc = locations[i % 3]
                # per location, a receipt of 3 then two issues of 1: stock never goes negative
                kind, qty = ("receipt", "3") if (i // 3) % 3 == 0 else ("issue", "-1")
                if i % 1000 == 0:  # one timestamp per thousand rows keeps Python out of the way
                    moment = time.strftime("%Y-%m-%d %H:%M:%S+00", time.gmtime(start + i * step))
                chunk.append(f"{kind}\t{part}\t{loc}\t{qty}\t0\t9.90\t\t\t{actor}\t{moment}\n")
                if len(chunk) >= 50_000:
                    cp.write("".join(chunk))
                    chunk.clear()
                    if i and i % 1_000_000 < 50_000:
                        log(f"  COPY {i + 1:,} rows, {time.perf_counter() - t0:.0f} s")
            if chunk:
                cp.write("".join(chunk))
        conn.execute(
            """
            INSERT INTO parts_stocklevel (part_id, location_id, on_hand, reserved, version,
                                          updated_at)
            SELECT part_id, location_id, SUM(quantity), 0, 1, now() FROM parts_movement
            WHERE part_id = %s GROUP BY part_id, location_id
            """,
            (part,),
        )
        conn.commit()
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE parts_movement")
        conn.execute("VACUUM ANALYZE parts_stocklevel")
    return time.perf_counter() - t0


def read_phase(port: int, key: str, count: int) -> tuple[Result, Result]:
    """One client, keep-alive: the big part's stock, then the first ledger page."""
    headers = {"X-API-Key": key}
    out = []
    for label, path in (
        (f"API GET /api/v1/parts/{BIG_PART}/stock", f"/api/v1/parts/{BIG_PART}/stock"),
        ("API GET /api/v1/stock/movements?part=…&limit=50",
         f"/api/v1/stock/movements?part={BIG_PART}&limit=50"),
    ):  # fmt: skip
        result = Result(label)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for i in range(count + 20):
            t0 = time.perf_counter()
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            answer = response.read()
            elapsed = time.perf_counter() - t0
            if response.status != 200:
                result.errors += 1
                if len(result.samples) < 3:
                    result.samples.append(f"{response.status} {answer[:200]!r}")
            elif i >= 20:  # warm-up
                result.latencies.append(elapsed)
                result.count += 1
        conn.close()
        result.seconds = sum(result.latencies)
        out.append(result)
    return out[0], out[1]


def selector_read(part_id: int, count: int) -> Result:
    """The same read in process, through the selector the API uses (no HTTP, no auth)."""
    from django.db import connection

    from aftersales.parts.models import Part
    from aftersales.parts.selectors import stock_for_part

    result = Result("in process: selectors.stock_for_part (ORM)")
    part = Part.objects.get(pk=part_id)
    for i in range(count + 20):
        t0 = time.perf_counter()
        levels = stock_for_part(part)
        sum(level.on_hand - level.reserved for level in levels)
        if i >= 20:
            result.latencies.append(time.perf_counter() - t0)
            result.count += 1
    result.seconds = sum(result.latencies)
    connection.close()
    return result


def raw_read(url: str, part: int, count: int) -> Result:
    import psycopg

    result = Result("plain SQL SELECT of the part's stock rows")
    with psycopg.connect(url) as conn:
        for i in range(count + 20):
            t0 = time.perf_counter()
            conn.execute(
                "SELECT location_id, on_hand, reserved FROM parts_stocklevel WHERE part_id = %s",
                (part,),
            ).fetchall()
            if i >= 20:
                result.latencies.append(time.perf_counter() - t0)
                result.count += 1
    result.seconds = sum(result.latencies)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default=DEFAULT_PG, help="PostgreSQL database (recreated)")
    parser.add_argument("--requests", type=int, default=2000, help="issues per side (2000)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (8)")
    parser.add_argument("--parts", type=int, default=50, help="parts issued from (50)")
    parser.add_argument("--hot", action="store_true", help="every issue on the same part")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=1, help="threads per worker")
    parser.add_argument("--ledger-rows", type=int, default=10_000_000)
    parser.add_argument("--reads", type=int, default=1000, help="timed reads (1000)")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()

    recreate_postgres(args.url)
    tmp = Path(tempfile.mkdtemp(prefix="aftersales-bench-stock-"))
    (tmp / "staticfiles").mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_VERSION"}
    env.update(
        DATABASE_URL=args.url,
        AFTERSALES_VAR_DIR=str(tmp),
        DJANGO_SETTINGS_MODULE="config.settings",
        HUEY_IMMEDIATE="0",
        DEBUG="0",
        LOG_LEVEL="WARNING",
    )
    env.pop("REDIS_URL", None)
    log(machine())
    started = time.perf_counter()
    figures: dict[str, Any] = {"clients": args.clients, "hot": args.hot, "machine": machine()}
    try:
        info = prepare(args, env)
        warm = args.clients * 10
        raw_phase(args.url, info, args.clients, warm, args.hot)
        raw = raw_phase(args.url, info, args.clients, args.requests, args.hot)
        log(raw.line())
        log(f"API: gunicorn gthread {args.workers} workers × {args.threads} threads")
        with gunicorn(env, workers=args.workers, threads=args.threads) as server:
            api_phase(server, info, args.clients, warm, args.hot, args.url)
            api = api_phase(server, info, args.clients, args.requests, args.hot, args.url)
        log(api.line())
        problems = check_ledger(args.url)
        ratio = api.rate / raw.rate if raw.rate else 0.0
        log(f"loading {args.ledger_rows:,} ledger rows for {BIG_PART} with COPY")
        took = load_ledger(args.url, info, args.ledger_rows)
        log(f"loaded in {took:.0f} s")
        with gunicorn(env, workers=args.workers, threads=args.threads) as server:
            stock, page = read_phase(server[0], info["key"], args.reads)
        sql = raw_read(args.url, info["big_part"], args.reads)
        orm = selector_read(info["big_part"], args.reads)
        print()
        print(f"  stock issues, PostgreSQL, {args.clients} clients, {args.requests} per side"
              f"{', one hot part' if args.hot else f', {args.parts} parts'}")  # fmt: skip
        print(f"  {api.line()}")
        print(f"  {raw.line()}")
        print(f"  CPU: API {api.cpu_app / max(api.count, 1) * 1000:.1f} ms app + "
              f"{api.cpu_db / max(api.count, 1) * 1000:.1f} ms database per issue; plain SQL "
              f"{raw.cpu_db / max(raw.count, 1) * 1000:.1f} ms database per issue")  # fmt: skip
        print(f"  API / plain SQL = {ratio:.1%}")
        print(f"  one part with {args.ledger_rows:,} ledger rows (COPY {took:.0f} s):")
        print(f"  {stock.line()}")
        print(f"  {page.line()}")
        print(f"  {orm.line()}")
        print(f"  {sql.line()}")
        target = "met" if stock.pct(95) <= 10 else "MISSED"
        print(f"  target p95 ≤ 10 ms for the stock read: {target}")
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        print(f"  whole run {time.perf_counter() - started:.0f} s; load average at the end {load}")
        for sample in api.samples + raw.samples + stock.samples + page.samples:
            print(f"  error sample: {sample}")
        for problem in problems[:10]:
            print(f"  CHECK FAILED: {problem}")
        figures.update(
            api=api.as_dict(),
            raw=raw.as_dict(),
            ratio=round(ratio, 3),
            ledger_rows=args.ledger_rows,
            copy_seconds=round(took, 1),
            stock_read=stock.as_dict(),
            ledger_page=page.as_dict(),
            sql_read=sql.as_dict(),
            selector_read=orm.as_dict(),
            problems=problems,
        )
        if args.json:
            Path(args.json).write_text(json.dumps(figures, indent=2))
        failed = api.errors or raw.errors or problems or stock.errors or page.errors
        return 1 if failed or stock.pct(95) > 10 else 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main())
