"""Lists at scale: p50/p95/p99 of the screens and endpoints agents use, over HTTP against gunicorn.

One run, one database of its own:

1. a fresh database: PostgreSQL ``postgres://postgres@127.0.0.1:5432/aftersales_bench_lists``
   (dropped and created; only 127.0.0.1), or with ``--sqlite`` the file
   ``var/bench/lists.sqlite3`` (deleted and created);
2. ``migrate``, the demo, then ``--cases`` generated cases (default 1,000,000 on PostgreSQL,
   100,000 on SQLite; about three timeline events each, Chinese and English text), 50,000
   customers and 80,000 products (scaled down with the cases on SQLite), written with COPY on
   PostgreSQL and large multi-row INSERTs on SQLite (``aftersales.demo.bulk``); the case
   number sequence continues after the generated numbers; the load is timed;
3. the search index is built with ``aftersales.search.services.search_index_rebuild()`` when
   the search app provides it (the search scenarios are skipped otherwise);
4. gunicorn (gthread, 2 workers × 1 thread) on a free 127.0.0.1 port; the demo agent signs in
   through the login form and its session is used for every request; each scenario gets a
   warm-up, then ``--requests`` sequential keep-alive requests; any answer but 200 is an error;
5. in this process, the statement the queue page and the search run are executed through the
   plain driver (psycopg / sqlite3) as many times, and the ratio HTTP / SQL is printed;
6. the resident memory (RSS) of each gunicorn worker is read from ``/proc`` after the run.

    make bench                                  # PostgreSQL, 1,000,000 cases
    make bench-sqlite                           # SQLite, 100,000 cases
    .venv/bin/python bench/lists.py --cases 100000 --requests 200
    .venv/bin/python bench/lists.py --reuse     # measure an already loaded bench database
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import re
import sqlite3
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

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

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/aftersales_bench_lists"
SQLITE_DIR = ROOT / "var" / "bench"
AGENT = "agent"
PASSWORD = "demo-pass-2026"  # the demo's sign-in (README)
TARGETS_MS = {
    "queue: first page": 50,
    "queue: deep page (cursor)": 50,
    "case detail with timeline": 50,
    "search: 空调": 150,
    "search: 压缩机不制冷": 150,
    "API list: first page": 50,
}
RSS_TARGET_MB = 200


def log(text: str) -> None:
    say("lists", text)


@dataclass
class Figure:
    name: str
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    bytes: int = 0
    note: str = ""
    cpu_app: float = 0.0  # CPU seconds of the gunicorn workers during the measured requests
    cpu_db: float = 0.0  # and of the PostgreSQL server processes of the bench database

    def cpu_ms(self) -> float:
        n = len(self.latencies) or 1
        return (self.cpu_app + self.cpu_db) / n * 1000

    def pct(self, p: float) -> float:
        return percentile(sorted(self.latencies), p) * 1000

    def line(self) -> str:
        target = TARGETS_MS.get(self.name)
        mark = ""
        if target is not None:
            mark = f"  target p95 ≤ {target} ms: {'met' if self.pct(95) <= target else 'MISSED'}"
        return (
            f"{self.name:<34} p50 {self.pct(50):7.1f}  p95 {self.pct(95):7.1f}  "
            f"p99 {self.pct(99):7.1f} ms  CPU/request {self.cpu_ms():5.1f} ms "
            f"({len(self.latencies)} requests, {self.errors} errors)"
            f"{mark}{'  ' + self.note if self.note else ''}"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "p50_ms": round(self.pct(50), 2),
            "p95_ms": round(self.pct(95), 2),
            "p99_ms": round(self.pct(99), 2),
            "requests": len(self.latencies),
            "errors": self.errors,
            "cpu_ms_per_request": round(self.cpu_ms(), 2),
            "cpu_app_ms_per_request": round(self.cpu_app / (len(self.latencies) or 1) * 1000, 2),
            "target_p95_ms": TARGETS_MS.get(self.name),
            "note": self.note,
        }


# --- loading --------------------------------------------------------------------------------
def load(args) -> dict[str, float]:
    """Migrate, load the demo and the generated data; ANALYZE. Returns the phases' seconds."""
    from django.core.management import call_command
    from django.db import connection

    times = {}
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    times["migrate"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    call_command("demo_load", stdout=open(os.devnull, "w"))  # noqa: SIM115
    times["demo"] = time.perf_counter() - t0

    from aftersales.demo import bulk

    last = [0.0]

    def progress(msg: str) -> None:
        now = time.perf_counter()
        if now - last[0] > 15 or msg.startswith("cases: " + f"{args.cases:,}/"):
            last[0] = now
            log(f"  {msg}")

    t0 = time.perf_counter()
    bulk.generate(customers=args.customers, assets=args.assets, progress=progress)
    times["customers and products"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    with without_secondary_indexes(["cases_case", "cases_caseevent"]) as rebuilt:
        bulk.generate(cases=args.cases, progress=progress)
        times["cases and timelines"] = time.perf_counter() - t0
    if rebuilt:
        times["indexes rebuilt"] = rebuilt[0]
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("VACUUM (ANALYZE)")  # visibility map for index-only scans, statistics
        else:
            cur.execute("ANALYZE")
    times["analyze"] = time.perf_counter() - t0
    return times


@contextlib.contextmanager
def without_secondary_indexes(tables: list[str]):
    """PostgreSQL: drop the tables' indexes that back no constraint, and build them again
    afterwards (the usual way to bulk-load: one sort per index instead of a billion inserts
    into them). Yields a list that receives the seconds the rebuild took."""
    from django.db import connection

    spent: list[float] = []
    if connection.vendor != "postgresql":
        yield spent
        return
    with connection.cursor() as cur:
        cur.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = "
            "current_schema() AND i.tablename = ANY(%s) AND NOT EXISTS (SELECT 1 FROM "
            "pg_constraint c WHERE c.conname = i.indexname)",
            [tables],
        )
        definitions = cur.fetchall()
        for name, _ in definitions:
            cur.execute(f'DROP INDEX "{name}"')
    try:
        yield spent
    finally:
        t0 = time.perf_counter()
        with connection.cursor() as cur:
            cur.execute("SET maintenance_work_mem = '256MB'")
            for _, definition in definitions:
                cur.execute(definition)
        spent.append(time.perf_counter() - t0)
        log(f"  {len(definitions)} indexes built again in {spent[0]:.1f} s")


def rebuild_search() -> tuple[float | None, str]:
    """Build the search index with the search app's bulk rebuild, wherever it lives."""
    import importlib

    rebuild = None
    for module in ("aftersales.search.services", "aftersales.search.indexing"):
        try:
            rebuild = getattr(importlib.import_module(module), "search_index_rebuild", None)
        except ImportError:
            continue
        if rebuild is not None:
            break
    if rebuild is None:
        return None, "search_index_rebuild() is not available"
    last = [time.perf_counter()]

    def progress(kind: str, done: int, seconds: float) -> None:
        if time.perf_counter() - last[0] > 30:
            last[0] = time.perf_counter()
            log(f"  search index: {kind} {done:,} ({seconds:.0f} s)")

    t0 = time.perf_counter()
    result = rebuild(progress=progress)
    return time.perf_counter() - t0, ", ".join(f"{k} {v:,}" for k, v in result.items())


def counts() -> dict[str, int]:
    from aftersales.cases.models import Case, CaseEvent
    from aftersales.customers.models import Asset, Customer

    return {
        "cases": Case.objects.count(),
        "events": CaseEvent.objects.count(),
        "customers": Customer.objects.count(),
        "assets": Asset.objects.count(),
    }


# --- what to ask for --------------------------------------------------------------------------
def plan(args) -> dict[str, Any]:
    """Pick the agent, its busiest team and the URLs of every scenario from the loaded data."""
    from django.db.models import Count

    from aftersales.accounts.models import User
    from aftersales.cases import selectors
    from aftersales.cases.choices import OPEN_STATUSES
    from aftersales.cases.models import Case
    from aftersales.core.pagination import encode_cursor
    from aftersales.customers.models import Asset, Contact

    rng = random.Random(2026)
    agent = User.objects.get(username=AGENT)
    visible = selectors.case_list(user=agent)
    teams = list(agent.teams.all())
    by_team = dict(
        Case.objects.filter(team__in=teams)
        .values_list("team__code")
        .annotate(n=Count("id"))
        .values_list("team__code", "n")
    )
    team = max(by_team, key=by_team.get) if by_team else ""
    open_visible = visible.filter(status__in=OPEN_STATUSES)
    n_open = open_visible.count()
    n_visible = visible.count()
    log(
        f"agent {AGENT!r}: teams {by_team}; sees {n_visible:,} cases, {n_open:,} open; "
        f"filter team {team!r}"
    )
    # deep cursors: the id of the row at many depths of the open queue, newest first
    depths = sorted(rng.randint(n_open // 5, max(n_open // 5 + 1, n_open - 100)) for _ in range(20))
    deep_cursors = []
    for depth in depths:
        pk = open_visible.order_by("-id").values_list("id", flat=True)[depth : depth + 1].first()
        if pk:
            deep_cursors.append(encode_cursor([pk]))
    api_depths = sorted(
        rng.randint(n_visible // 5, max(n_visible // 5 + 1, n_visible - 100)) for _ in range(20)
    )
    api_cursors = []
    for depth in api_depths:
        pk = visible.order_by("-id").values_list("id", flat=True)[depth : depth + 1].first()
        if pk:
            api_cursors.append(encode_cursor([pk]))
    # case pages: numbers spread over the agent's team's cases
    top = Case.objects.order_by("-id").values_list("id", flat=True).first() or 0
    numbers: list[str] = []
    tries = 0
    while len(numbers) < 100 and tries < 2000:
        tries += 1
        start = rng.randint(1, top)
        number = (
            visible.filter(id__gte=start, team__code=team)
            .order_by("id")
            .values_list("number", flat=True)
            .first()
        )
        if number:
            numbers.append(number)
    phone = Contact.objects.order_by("id").values_list("phone", flat=True)[
        1234 % max(1, Contact.objects.count())
    ]
    serials = Asset.objects.exclude(serial_number="").order_by("-id")
    serial = serials.values_list("serial_number", flat=True)[
        rng.randint(0, max(0, min(999, serials.count() - 1)))
    ]
    national = phone[3:] if phone.startswith("+86") else phone.lstrip("+")
    fragment = national[3:10]  # seven digits from the middle of a mobile number
    q = urlencode
    return {
        "team": team,
        "queue_first": ["/cases/"],
        "queue_team_status": [
            "/cases/?" + q({"team": team, "status": "in_progress", "state": "all"}),
            "/cases/?" + q({"team": team, "status": "new", "state": "all"}),
            "/cases/?" + q({"team": team, "status": "waiting_customer", "state": "all"}),
        ],
        "queue_priority": ["/cases/?" + q({"sort": "priority"})],
        "queue_deep": ["/cases/?" + q({"cursor": c}) for c in deep_cursors],
        "detail": [f"/cases/{n}/" for n in numbers],
        "api_first": ["/api/v1/cases?limit=50"],
        "api_deep": ["/api/v1/cases?" + q({"limit": 50, "cursor": c}) for c in api_cursors],
        "search": {
            "空调": "空调",
            "压缩机不制冷": "压缩机不制冷",
            "noise": "noise",
            "partial phone": fragment,
            "serial number": serial,
        },
        "depths": (depths[0] if depths else 0, depths[-1] if depths else 0, n_open),
    }


# --- HTTP -----------------------------------------------------------------------------------
class Client:
    """One keep-alive connection with the agent's session."""

    def __init__(self, port: int):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None, headers=None):
        hdrs = {"Host": f"127.0.0.1:{self.port}", "Accept-Language": "zh-hans"}
        if self.cookies:
            hdrs["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        hdrs.update(headers or {})
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=hdrs)
                resp = self.conn.getresponse()
                data = resp.read()
                break
            except (ConnectionError, http.client.HTTPException):
                if attempt == 2:
                    raise
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        for key, value in resp.getheaders():
            if key.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return resp.status, data

    def login(self, username: str, password: str) -> None:
        status, page = self.request("GET", "/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or token is None:
            raise SystemExit(f"login page answered {status}")
        body = urlencode(
            {
                "csrfmiddlewaretoken": token.group(1).decode(),
                "username": username,
                "password": password,
            }
        )
        status, _ = self.request(
            "POST",
            "/accounts/login/",
            body,
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://127.0.0.1:{self.port}/accounts/login/",
            },
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"signing in as {username} failed ({status})")


def measure(
    client: Client,
    name: str,
    urls: list[str],
    requests: int,
    warmup: int,
    master: int,
    pg_url: str | None,
) -> Figure:
    fig = Figure(name)
    for i in range(warmup):
        client.request("GET", urls[i % len(urls)])
    workers = children(master)
    backends = postgres_backends(pg_url) if pg_url else []
    app0, db0 = cpu_seconds(workers), cpu_seconds(backends)
    for i in range(requests):
        url = urls[i % len(urls)]
        t0 = time.perf_counter()
        status, data = client.request("GET", url)
        fig.latencies.append(time.perf_counter() - t0)
        fig.bytes += len(data)
        if status != 200:
            fig.errors += 1
            if fig.errors <= 3:
                log(f"  {name}: {url} answered {status}")
    fig.cpu_app = cpu_used(app0, cpu_seconds(workers))
    fig.cpu_db = cpu_used(db0, cpu_seconds(backends))
    return fig


# --- the same statements through the plain driver -----------------------------------------
def captured(path: str) -> list[tuple[str, Any]]:
    """The statements (SQL and parameters) one GET of ``path`` runs, served in this process."""
    from django.db import connection
    from django.test import Client as DjangoClient

    from aftersales.accounts.models import User

    seen: list[tuple[str, Any]] = []

    def wrapper(execute, sql, params, many, context):
        seen.append((sql, params))
        return execute(sql, params, many, context)

    client = DjangoClient(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username=AGENT))
    with connection.execute_wrapper(wrapper):
        response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code} in process")
    return seen


def raw_timing(url: str, vendor: str, statements: list[tuple[str, Any]], n: int) -> Figure:
    """Run ``statements`` ``n`` times through psycopg / sqlite3 (no Django), fetching all rows."""
    fig = Figure("raw SQL")
    if vendor == "postgresql":
        import psycopg

        conn = psycopg.connect(url, autocommit=True, prepare_threshold=0)
        run = [(sql, list(params or ())) for sql, params in statements]
    else:
        conn = sqlite3.connect(urlsplit(url).path)
        run = [(sql.replace("%s", "?"), list(params or ())) for sql, params in statements]
    try:
        for i in range(n + 20):
            t0 = time.perf_counter()
            for sql, params in run:
                cur = conn.execute(sql, params)
                cur.fetchall()
            if i >= 20:
                fig.latencies.append(time.perf_counter() - t0)
    finally:
        conn.close()
    return fig


def list_statement(statements: list[tuple[str, Any]], table: str) -> list[tuple[str, Any]]:
    """The page's own reads of ``table`` (not sessions, users or permissions): the rows and
    the list count (with the planner estimate it asks for on PostgreSQL)."""
    return [
        (s, p)
        for s, p in statements
        if table in s and s.lstrip().upper().startswith(("SELECT", "EXPLAIN"))
    ]


# --- memory ---------------------------------------------------------------------------------
def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


# --- main -----------------------------------------------------------------------------------
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sqlite", action="store_true", help=f"SQLite file in {SQLITE_DIR}")
    parser.add_argument("--cases", type=int, help="generated cases (1,000,000; SQLite 100,000)")
    parser.add_argument("--customers", type=int, help="generated customers (cases / 20)")
    parser.add_argument("--assets", type=int, help="generated products (cases × 0.08)")
    parser.add_argument("--requests", type=int, default=200, help="requests per scenario (200)")
    parser.add_argument("--warmup", type=int, default=20, help="warm-up requests per scenario")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    parser.add_argument("--reuse", action="store_true", help="measure the bench database as it is")
    parser.add_argument(
        "--load-only", action="store_true", help="load and index the data, measure nothing"
    )
    parser.add_argument("--no-search-rebuild", action="store_true", help="with --reuse")
    parser.add_argument(
        "--only", help="comma-separated scenario prefixes to measure, e.g. 'queue,case,API'"
    )
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    if args.cases is None:
        args.cases = 100_000 if args.sqlite else 1_000_000
    if args.customers is None:
        args.customers = max(1, args.cases // 20)
    if args.assets is None:
        args.assets = max(1, args.cases * 8 // 100)

    if args.sqlite:
        SQLITE_DIR.mkdir(parents=True, exist_ok=True)
        path = SQLITE_DIR / "lists.sqlite3"
        if not args.reuse:
            for suffix in ("", "-wal", "-shm"):
                with contextlib.suppress(FileNotFoundError):
                    Path(f"{path}{suffix}").unlink()
        url = f"sqlite:///{path}"
        var_dir = SQLITE_DIR / "var-sqlite"
    else:
        url = DEFAULT_PG
        if not args.reuse:
            recreate_postgres(url)
        var_dir = SQLITE_DIR / "var-pg"
    var_dir.mkdir(parents=True, exist_ok=True)
    (var_dir / "staticfiles").mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTEST_VERSION", "REDIS_URL")}
    env.update(
        DATABASE_URL=url,
        AFTERSALES_VAR_DIR=str(var_dir),
        STATIC_NO_MANIFEST="1",  # pages are measured, not their static files
        DJANGO_SETTINGS_MODULE="config.settings",
        HUEY_IMMEDIATE="1",  # the demo's notifications go to the bench's own mail folder
        DEBUG="0",
        LOG_LEVEL="WARNING",
    )
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connection

    figures: dict[str, Any] = {"database": connection.vendor, "machine": machine()}
    log(machine())
    log(f"database {url.split('@')[-1]}")
    if not args.reuse:
        log(
            f"loading: demo, {args.customers:,} customers, {args.assets:,} products, "
            f"{args.cases:,} cases"
        )
        times = load(args)
        total = sum(times.values())
        log(
            "loaded in "
            + ", ".join(f"{k} {v:.1f} s" for k, v in times.items())
            + f"; total {total:.1f} s ({total / 60:.1f} min)"
        )
        figures["load_seconds"] = {k: round(v, 1) for k, v in times.items()}
        figures["load_total_seconds"] = round(total, 1)
    if args.reuse:
        # a database loaded before the latest migrations: bring its schema up to date first
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
    rows = counts()
    log("rows: " + ", ".join(f"{k} {v:,}" for k, v in rows.items()))
    figures["rows"] = rows
    if args.no_search_rebuild:
        t_search, search_note = 0.0, "kept"
    else:
        t_search, search_note = rebuild_search()
    if t_search is None:
        log(f"search: {search_note}; search scenarios skipped")
    else:
        log(f"search index rebuilt in {t_search:.1f} s ({search_note})")
        figures["search_rebuild_seconds"] = round(t_search, 1)
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
            figures["database_size"] = cur.fetchone()[0]
    else:
        figures["database_size"] = f"{Path(urlsplit(url).path).stat().st_size / 2**20:.0f} MB"
    log(f"database size {figures['database_size']}")

    if args.load_only:
        if args.json:
            Path(args.json).write_text(json.dumps(figures, indent=2, ensure_ascii=False))
        return 0
    p = plan(args)
    log(f"deep pages: rows {p['depths'][0]:,}–{p['depths'][1]:,} of {p['depths'][2]:,} open cases")
    scenarios: list[tuple[str, list[str]]] = [
        ("queue: first page", p["queue_first"]),
        ("queue: team + status", p["queue_team_status"]),
        ("queue: by priority", p["queue_priority"]),
        ("queue: deep page (cursor)", p["queue_deep"]),
        ("case detail with timeline", p["detail"]),
        ("API list: first page", p["api_first"]),
        ("API list: deep page", p["api_deep"]),
    ]
    search_path = None
    if t_search is not None:
        search_path = "/api/v1/search?"
        for label, text in p["search"].items():
            scenarios.append((f"search: {label}", [search_path + urlencode({"q": text})]))

    if args.only:
        prefixes = tuple(x.strip() for x in args.only.split(",") if x.strip())
        scenarios = [sc for sc in scenarios if sc[0].startswith(prefixes)]
        if not any(sc[0].startswith("search") for sc in scenarios):
            search_path = None
    # the plain-driver floor, measured before the server starts so they do not compete
    connection.close()
    raw: dict[str, tuple[Figure, int]] = {}
    if any(name == "queue: first page" for name, _ in scenarios):
        queue_sql = list_statement(captured("/cases/"), "cases_case")
        raw["queue: first page"] = (
            raw_timing(url, connection.vendor, queue_sql, args.requests),
            len(queue_sql),
        )
    if search_path:
        for label in ("空调", "压缩机不制冷"):
            path = search_path + urlencode({"q": p["search"][label]})
            stmts = [
                (s, q)
                for s, q in captured(path)
                if "search" in s.lower() and s.lstrip().upper().startswith(("SELECT", "WITH"))
            ]
            if stmts:
                raw[f"search: {label}"] = (
                    raw_timing(url, connection.vendor, stmts, args.requests),
                    len(stmts),
                )
    connection.close()

    results: list[Figure] = []
    log(
        f"gunicorn gthread {args.workers} workers × 1 thread; {args.requests} requests per scenario"
    )
    with gunicorn(env, workers=args.workers, threads=1) as (port, master):
        client = Client(port)
        client.login(AGENT, PASSWORD)
        for name, urls in scenarios:
            pg_url = url if connection.vendor == "postgresql" else None
            fig = measure(client, name, urls, args.requests, args.warmup, master, pg_url)
            results.append(fig)
            log(fig.line())
        workers = children(master)
        rss = {pid: rss_mb(pid) for pid in workers}
    log("")
    log(f"{'scenario':<34} {'p50':>7}  {'p95':>7}  {'p99':>7}")
    for fig in results:
        log(fig.line())
    figures["scenarios"] = {f.name: f.as_dict() for f in results}
    log("")
    for name, (fig, n_statements) in raw.items():
        http_fig = next(f for f in results if f.name == name)
        ratio = http_fig.pct(50) / fig.pct(50) if fig.pct(50) else float("nan")
        log(
            f"{name}: plain SQL ({n_statements} statement(s)) p50 {fig.pct(50):.2f} ms, "
            f"p95 {fig.pct(95):.2f} ms; HTTP p50 / SQL p50 = {ratio:.1f}×"
        )
        figures.setdefault("raw_sql", {})[name] = {
            **fig.as_dict(),
            "statements": n_statements,
            "http_over_sql_p50": round(ratio, 2),
        }
    worst = max(rss.values()) if rss else 0.0
    log(
        "gunicorn worker RSS after the run: "
        + ", ".join(f"{v:.0f} MB" for v in rss.values())
        + f"  target ≤ {RSS_TARGET_MB} MB: {'met' if worst <= RSS_TARGET_MB else 'MISSED'}"
    )
    figures["worker_rss_mb"] = [round(v, 1) for v in rss.values()]
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2, ensure_ascii=False))
    return 0 if all(f.errors == 0 for f in results) else 1


if __name__ == "__main__":
    sys.exit(main())
