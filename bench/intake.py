"""Intake throughput: cases/s through the JSON API against the same rows through plain SQL.

One run, one database:

1. a fresh database: PostgreSQL ``postgres://postgres@127.0.0.1:5432/aftersales_bench``
   (dropped and created), the database of ``DATABASE_URL`` when set (used as it is, never
   dropped), or with ``--sqlite`` a SQLite file in a temporary folder;
2. ``migrate`` and the demo data with a bulk base (customers, products and cases from
   ``demo_load``), an integration API key (role agent);
3. **plain SQL** (psycopg / sqlite3, no Django): ``--clients`` threads, each with its own
   connection, create cases writing per case, in one transaction, every row the API writes for
   one: the case number and round-robin counters, the case, its timeline events, audit records,
   service-level clocks and their history, search entry and outbox rows, taken from a template
   case per route made through ``case_create`` (``bench/_intake_rows.py``) — the floor;
4. **the API**: gunicorn (gthread) on a free 127.0.0.1 port with ``HUEY_IMMEDIATE`` off, so
   each request writes the outbox row and queues its sending in Huey's storage (nothing
   consumes it: sending is background work, not intake); after a warm-up, ``--clients``
   threads with keep-alive connections send ``POST /api/v1/cases`` with ``X-API-Key``;
5. both sides are checked in the database (all cases made, the same rows per case on both
   sides, numbers unique), the figures are printed, and the exit status is non-zero when the
   API answered anything but 201 or a check failed.

    make bench-intake                         # PostgreSQL
    .venv/bin/python bench/intake.py --sqlite
    .venv/bin/python bench/intake.py --sweep  # try several gunicorn shapes
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import random
import shutil
import sqlite3
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import _intake_rows as intake_rows
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

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/aftersales_bench"
# gunicorn shape for 2 cores, chosen with --sweep (see docs/performance.md)
DEFAULT_WORKERS = 2
DEFAULT_THREADS = 1
SWEEP = [(1, 2), (2, 1), (2, 2), (2, 4), (3, 1), (3, 2), (4, 1), (4, 2)]


def log(text: str) -> None:
    say("intake", text)


@dataclass
class Result:
    label: str
    count: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    samples: list[str] = field(default_factory=list)
    # CPU seconds the measured phase cost: app server, database server, benchmark client
    cpu_app: float = 0.0
    cpu_db: float = 0.0
    cpu_client: float = 0.0

    @property
    def rate(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0

    def pct(self, p: float) -> float:
        return percentile(sorted(self.latencies), p) * 1000

    def line(self) -> str:
        return (
            f"{self.label:<10} {self.rate:8.1f} cases/s   p50 {self.pct(50):7.1f} ms   "
            f"p95 {self.pct(95):7.1f} ms   p99 {self.pct(99):7.1f} ms   "
            f"({self.count} ok, {self.errors} errors, {self.seconds:.1f} s)"
        )

    def cpu_ms(self) -> dict[str, float]:
        n = self.count or 1
        parts = {"app": self.cpu_app, "database": self.cpu_db, "client": self.cpu_client}
        return {k: v / n * 1000 for k, v in parts.items()}

    def ceiling(self) -> float:
        """Cases/s the machine's cores would allow if this run had them all to itself."""
        total = sum(self.cpu_ms().values())
        return (os.cpu_count() or 1) * 1000 / total if total else 0.0

    def cpu_line(self) -> str:
        ms = self.cpu_ms()
        parts = ", ".join(f"{k} {v:.2f}" for k, v in ms.items() if v >= 0.005)
        return (
            f"{'':<10} CPU per case (ms): {parts}; total {sum(ms.values()):.2f} "
            f"→ {self.ceiling():.0f} cases/s on {os.cpu_count()} idle cores"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "cpu_ms_per_case": {k: round(v, 2) for k, v in self.cpu_ms().items()},
            "idle_ceiling_cases_per_s": round(self.ceiling(), 1),
            "cases_per_s": round(self.rate, 1),
            "p50_ms": round(self.pct(50), 1),
            "p95_ms": round(self.pct(95), 1),
            "p99_ms": round(self.pct(99), 1),
            "ok": self.count,
            "errors": self.errors,
            "seconds": round(self.seconds, 2),
        }


# --- setting up -----------------------------------------------------------------------------
def prepare(args, env: dict[str, str]) -> dict[str, Any]:
    """Migrate, load the base data and create the keys; return what the phases need."""
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from aftersales.accounts.services import apikey_create
    from aftersales.customers.models import Asset, Contact, Customer
    from aftersales.search.indexing import _asset_values

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    log(f"migrated in {time.perf_counter() - t0:.1f} s")
    t0 = time.perf_counter()
    call_command(
        "demo_load",
        customers=args.base_customers,
        assets=args.base_assets,
        cases=args.base_cases,
        stdout=open(os.devnull, "w"),  # noqa: SIM115
    )
    log(
        f"base data: {Customer.objects.count()} customers, {Asset.objects.count()} products, "
        f"cases {_case_count()} ({time.perf_counter() - t0:.1f} s)"
    )
    api_key, plain = apikey_create(actor=None, name="Intake benchmark (API)", role="agent")
    raw_key, _ = apikey_create(actor=None, name="Intake benchmark (plain SQL)", role="agent")
    rng = random.Random(7)
    assets = list(Asset.objects.values_list("id", "customer_id"))
    customers = list(Customer.objects.values_list("id", flat=True))
    contacts = dict(Contact.objects.filter(is_primary=True).values_list("customer_id", "id"))
    from aftersales.demo.data import SCENARIOS

    repairs = [s for s in SCENARIOS if s.case_type == "repair_request"]
    total = args.requests + args.warmup * args.clients
    payloads = []
    for i in range(total):
        if rng.random() < 0.7:
            asset_id, customer_id = rng.choice(assets)
        else:
            asset_id, customer_id = None, rng.choice(customers)
        sc = rng.choice(repairs)
        payloads.append(
            {
                "customer_id": customer_id,
                "case_type": "repair_request",
                "channel": "api",
                "title": sc.title,
                "description": f"{sc.description}\n来源：线上商城 #{i:06d}",
                "priority": "normal",
                "asset_id": asset_id,
            }
        )
    # the plain-SQL side writes what one case through the service wrote (bench/_intake_rows.py)
    mark = "?" if connection.vendor == "sqlite" else "%s"
    template_cases: list[int] = []
    templates, routes = intake_rows.capture_routes(
        payloads, actor=raw_key.user, mark=mark, made=template_cases
    )
    for key, tpl in templates.items():
        share = routes.count(key) / len(routes)
        log(
            f"route {key} ({share:.0%} of requests), template case {tpl.number}: "
            + ", ".join(f"{k} {v}" for k, v in tpl.per_case.items())
            + f"; round-robin over {len(tpl.members)} agents"
            + f" ({len(tpl.reachable)} with an e-mail address)"
        )
    asset_values = {
        a.pk: _asset_values(a)
        for a in Asset.objects.select_related("product_model").filter(
            pk__in={p["asset_id"] for p in payloads if p["asset_id"]}
        )
    }
    entries = [
        intake_rows.entry_tokens(p, asset_values.get(p["asset_id"]) if p["asset_id"] else None)
        for p in payloads
    ]
    db = connection.settings_dict
    info = {
        "vendor": connection.vendor,
        "sqlite_path": db["NAME"] if connection.vendor == "sqlite" else None,
        "api_key": plain,
        "api_user": api_key.user_id,
        "raw_user": raw_key.user_id,
        "raw_username": raw_key.user.username,
        "payloads": payloads,
        "entries": entries,
        "contacts": contacts,
        "templates": templates,
        "routes": routes,
        "template_cases": len(template_cases),
        "statements": raw_statements(connection.vendor),
    }
    connection.close()
    return info


def _case_count() -> int:
    from aftersales.cases.models import Case

    return Case.objects.count()


def raw_statements(vendor: str) -> dict[str, str]:
    """The two counters intake moves: the year's case number and the team's round-robin."""
    from aftersales.cases.models import CaseSequence
    from aftersales.routing.models import TeamRotation

    mark = "?" if vendor == "sqlite" else "%s"
    return {
        "sequence": f'UPDATE "{CaseSequence._meta.db_table}" SET "last" = "last" + 1 '
        f'WHERE "year" = {mark} RETURNING "last"',
        "rotation": f'UPDATE "{TeamRotation._meta.db_table}" SET "last_assignee_id" = {mark}, '
        f'"turns" = "turns" + 1 WHERE "team_id" = {mark} RETURNING "turns"',
    }


# --- plain SQL ------------------------------------------------------------------------------
def raw_phase(
    info: dict[str, Any],
    url: str,
    args,
    payloads: list[dict],
    entries: list[dict],
    routes: list[tuple],
) -> Result:
    """``--clients`` threads doing one transaction per case on their own connection."""
    sqlite = info["vendor"] == "sqlite"
    result = Result("plain SQL")
    lock = threading.Lock()
    queue = iter(enumerate(payloads))

    if sqlite:

        def connect():
            conn = sqlite3.connect(
                info["sqlite_path"], timeout=20, isolation_level=None, check_same_thread=False
            )
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            return conn

        def ts(moment: dt.datetime) -> str:
            return str(moment.astimezone(dt.UTC).replace(tzinfo=None))

        def js(text: str) -> str:
            return text

    else:
        import psycopg
        from psycopg.types.json import Jsonb

        def connect():
            return psycopg.connect(url, autocommit=True)

        def ts(moment: dt.datetime) -> dt.datetime:
            return moment

        def js(text: str) -> Any:
            return Jsonb(text, dumps=str)  # already JSON text

    writers = {
        key: intake_rows.Writer(
            tpl,
            mark="?" if sqlite else "%s",
            ts=ts,
            js=js,
            rotation_sql=info["statements"]["rotation"],
            sequence_sql=info["statements"]["sequence"],
        )
        for key, tpl in info["templates"].items()
    }

    def one(cur, index: int, payload: dict) -> None:
        writers[routes[index]].write(
            cur,
            payload,
            contact=info["contacts"].get(payload["customer_id"]),
            entry=entries[index],
        )

    def worker() -> None:
        conn = connect()
        backend = [] if sqlite else [conn.info.backend_pid]
        cpu_before = cpu_seconds(backend)
        cur = conn.cursor()
        mine: list[float] = []
        bad = 0
        while True:
            with lock:
                index, payload = next(queue, (0, None))
            if payload is None:
                break
            t0 = time.perf_counter()
            try:
                if sqlite:
                    cur.execute("BEGIN IMMEDIATE")
                    one(cur, index, payload)
                    cur.execute("COMMIT")
                else:
                    with conn.transaction():
                        one(cur, index, payload)
            except Exception as exc:  # count it and go on; the check afterwards tells
                bad += 1
                if sqlite:
                    conn.execute("ROLLBACK")
                with lock:
                    if len(result.samples) < 5:
                        result.samples.append(repr(exc))
                continue
            mine.append(time.perf_counter() - t0)
        db_cpu = cpu_used(cpu_before, cpu_seconds(backend))
        conn.close()
        with lock:
            result.latencies.extend(mine)
            result.count += len(mine)
            result.errors += bad
            result.cpu_db += db_cpu

    threads = [threading.Thread(target=worker) for _ in range(args.clients)]
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result.seconds = time.perf_counter() - t0
    result.cpu_client = time.process_time() - cpu0
    return result


# --- the API --------------------------------------------------------------------------------
def api_phase(
    server: tuple[int, int],
    key: str,
    clients: int,
    payloads: list[dict],
    label: str,
    db_url: str | None = None,
) -> Result:
    """``clients`` threads sending ``POST /api/v1/cases``, one keep-alive connection each.
    The CPU used meanwhile by the gunicorn workers and the database's server processes is
    recorded too."""
    port, master = server
    result = Result(label)
    lock = threading.Lock()
    queue = iter(payloads)
    headers = {"Content-Type": "application/json", "X-API-Key": key, "Accept": "application/json"}

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine: list[float] = []
        bad = 0
        while True:
            with lock:
                payload = next(queue, None)
            if payload is None:
                break
            body = json.dumps(payload, ensure_ascii=False).encode()
            t0 = time.perf_counter()
            try:
                conn.request("POST", "/api/v1/cases", body=body, headers=headers)
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
            elapsed = time.perf_counter() - t0
            if response.status == 201 and b'"number"' in answer:
                mine.append(elapsed)
            else:
                bad += 1
                with lock:
                    if len(result.samples) < 5:
                        result.samples.append(f"{response.status} {answer[:300]!r}")
        conn.close()
        with lock:
            result.latencies.extend(mine)
            result.count += len(mine)
            result.errors += bad

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    app_pids = [master, *children(master)]
    db_pids = postgres_backends(db_url) if db_url else []
    app0, db0 = cpu_seconds(app_pids), cpu_seconds(db_pids)
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result.seconds = time.perf_counter() - t0
    result.cpu_client = time.process_time() - cpu0
    result.cpu_app = cpu_used(app0, cpu_seconds(app_pids))
    if db_url:
        db_pids = sorted(set(db_pids) | set(postgres_backends(db_url)))
        result.cpu_db = cpu_used(db0, cpu_seconds(db_pids))
    return result


# --- checking -------------------------------------------------------------------------------
def check(info: dict[str, Any], expect_api: int, expect_raw: int) -> list[str]:
    """Both sides made their cases, with the same rows per case; numbers unique."""
    from django.db import connection

    from aftersales.cases.models import Case

    connection.close()
    problems = []
    per_case = {}
    for label, user_id, expected in (
        ("API", info["api_user"], expect_api),
        ("plain SQL", info["raw_user"], expect_raw),
    ):
        made = Case.objects.filter(created_by_id=user_id).count()
        if made != expected:
            problems.append(f"{label}: {made} cases in the database, expected {expected}")
        per_case[label] = intake_rows.rows_per_case(user_id)
    log(
        "rows per case (API / plain SQL): "
        + ", ".join(
            f"{name} {per_case['API'][name]:.2f} / {per_case['plain SQL'][name]:.2f}"
            for name in per_case["API"]
        )
    )
    for name in per_case["API"]:
        api_rows, raw_rows = per_case["API"][name], per_case["plain SQL"][name]
        # the assignee's notice goes only to agents with an address, and the texts are drawn at
        # random: the two sides' round-robin turns and token lengths may differ a little
        slack = {"outbox rows": 0.15, "search token characters": 0.05 * api_rows}.get(name, 0.0)
        if abs(api_rows - raw_rows) > slack:
            problems.append(f"{name} per case differ: API {api_rows:.2f}, plain SQL {raw_rows:.2f}")
    total = Case.objects.count()
    if Case.objects.values("number").distinct().count() != total:
        problems.append("case numbers are not unique")
    return problems


# --- main -----------------------------------------------------------------------------------
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sqlite", action="store_true", help="SQLite in a temporary folder")
    parser.add_argument("--requests", type=int, default=2000, help="cases per side (2000)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (8)")
    parser.add_argument("--warmup", type=int, default=25, help="warm-up requests per client")
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=DEFAULT_THREADS, help="threads per worker")
    parser.add_argument("--base-customers", type=int, default=2000)
    parser.add_argument("--base-assets", type=int, default=3000)
    parser.add_argument("--base-cases", type=int, default=20000)
    parser.add_argument("--redis", action="store_true", help="queue tasks in Redis (REDIS_URL)")
    parser.add_argument(
        "--no-prepared",
        action="store_true",
        help="PostgreSQL: client-side binding, no prepared statements (as behind a pooler)",
    )
    parser.add_argument(
        "--app",
        default="config.wsgi:application",
        help="WSGI application to serve (to measure a variant; PYTHONPATH is passed on)",
    )
    parser.add_argument(
        "--sweep", action="store_true", help="measure the API with several gunicorn shapes"
    )
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--keep", action="store_true", help="keep the data folder")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="aftersales-bench-"))
    (tmp / "staticfiles").mkdir()  # the API serves no static files; this keeps whitenoise quiet
    if args.sqlite:
        url = f"sqlite:///{tmp / 'bench.sqlite3'}"
    elif os.environ.get("DATABASE_URL"):
        url = os.environ["DATABASE_URL"]
    else:
        url = DEFAULT_PG
        recreate_postgres(url)
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_VERSION"}
    env.update(
        DATABASE_URL=url,
        AFTERSALES_VAR_DIR=str(tmp),
        DJANGO_SETTINGS_MODULE="config.settings",
        HUEY_IMMEDIATE="0",
        DEBUG="0",
        LOG_LEVEL="WARNING",
    )
    if args.no_prepared:
        env["DATABASE_PREPARED_STATEMENTS"] = "0"
    if args.redis:
        env["REDIS_URL"] = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")
    elif "REDIS_URL" in env:
        del env["REDIS_URL"]
    log(machine())
    log(f"database {url.split('@')[-1]}; {args.requests} cases per side, {args.clients} clients")
    started = time.perf_counter()
    try:
        info = prepare(args, env)
        payloads = info["payloads"]
        warm = args.warmup * args.clients
        pg = url if info["vendor"] == "postgresql" else None
        figures: dict[str, Any] = {"database": info["vendor"], "clients": args.clients}
        if args.sweep:
            rows = []
            for workers, threads in SWEEP:
                with gunicorn(env, workers=workers, threads=threads, app=args.app) as server:
                    api_phase(server, info["api_key"], args.clients, payloads[:warm], "warm-up")
                    shape = f"{workers}w×{threads}t"
                    res = api_phase(
                        server, info["api_key"], args.clients, payloads[warm:], shape, pg
                    )
                log(res.line())
                log(res.cpu_line())
                rows.append(((workers, threads), res))
            best = max(rows, key=lambda r: r[1].rate)
            log(f"best: {best[0][0]} workers × {best[0][1]} threads")
            figures["sweep"] = {f"{w}x{t}": r.as_dict() for (w, t), r in rows}
            _write(args, figures)
            return 0 if all(r.errors == 0 for _, r in rows) else 1

        log("plain SQL: warming up")
        n_warm = args.clients * 5
        raw_phase(
            info, url, args, payloads[:n_warm], info["entries"][:n_warm], info["routes"][:n_warm]
        )
        raw = raw_phase(
            info, url, args, payloads[warm:], info["entries"][warm:], info["routes"][warm:]
        )
        log(raw.line())
        log(raw.cpu_line())
        raw_total = raw.count + args.clients * 5 + info["template_cases"]
        log(f"API: gunicorn gthread {args.workers} workers × {args.threads} threads")
        with gunicorn(env, workers=args.workers, threads=args.threads, app=args.app) as server:
            warmup = api_phase(server, info["api_key"], args.clients, payloads[:warm], "warm-up")
            api = api_phase(server, info["api_key"], args.clients, payloads[warm:], "API", pg)
        log(api.line())
        log(api.cpu_line())
        problems = check(info, warmup.count + api.count, raw_total)
        ratio = api.rate / raw.rate if raw.rate else 0.0
        print()
        print(f"  intake, {info['vendor']}, {args.clients} clients, {args.requests} cases per side")
        print(f"  {api.line()}")
        print(f"  {raw.line()}")
        print(f"  {api.cpu_line().strip()}  [API]")
        print(f"  {raw.cpu_line().strip()}  [plain SQL]")
        idle_ratio = api.ceiling() / raw.ceiling() if raw.ceiling() else 0.0
        print(f"  API / plain SQL = {ratio:.1%} measured, {idle_ratio:.1%} by CPU per case")
        print(f"  whole run {time.perf_counter() - started:.0f} s")
        for sample in api.samples + raw.samples:
            print(f"  error sample: {sample}")
        for problem in problems:
            print(f"  CHECK FAILED: {problem}")
        figures.update(
            api=api.as_dict(),
            raw=raw.as_dict(),
            ratio=round(ratio, 3),
            ratio_by_cpu=round(idle_ratio, 3),
            gunicorn={"workers": args.workers, "threads": args.threads},
            problems=problems,
        )
        _write(args, figures)
        return 1 if api.errors or warmup.errors or raw.errors or problems else 0
    finally:
        if args.keep:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def _write(args, figures: dict[str, Any]) -> None:
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main())
