"""Intake's app CPU per case in one process, by part (docs/performance.md, intake section).

Builds a fresh database (PostgreSQL ``aftersales_intake_profile``, dropped and created, or with
``--sqlite`` a file in a temporary folder) with the default demo plus a small bulk base and an
*agent* API key, then sends ``--requests`` ``POST /api/v1/cases`` through Django's test client
(the whole middleware and API stack) and prints CPU time (``time.process_time``) per request,
per part of ``case_create``, and the statements of one request. ``--profile`` adds a cProfile
(CPU clock) listing sorted by cumulative time.

    .venv/bin/python bench/intake_profile.py             # PostgreSQL
    .venv/bin/python bench/intake_profile.py --sqlite --requests 300
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import functools
import io
import os
import pstats
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _common import ROOT, recreate_postgres

PG = "postgres://postgres@127.0.0.1:5432/aftersales_intake_profile"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite", action="store_true")
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--profile", action="store_true", help="cProfile listing (CPU clock)")
    parser.add_argument("--sql", action="store_true", help="print the statements of a request")
    args = parser.parse_args()
    os.chdir(ROOT)
    folder = tempfile.mkdtemp(prefix="intake-profile-")
    os.environ.update(DJANGO_SETTINGS_MODULE="config.settings", HUEY_IMMEDIATE="0", DATA_DIR=folder)
    os.environ.pop("REDIS_URL", None)
    if args.sqlite:
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/profile.sqlite3"
    else:
        os.environ["DATABASE_URL"] = PG
        recreate_postgres(PG)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    import aftersales.cases.api as case_api
    import aftersales.cases.services as case_services
    import aftersales.routing.services as routing
    import aftersales.sla.services as sla
    from aftersales.accounts.services import apikey_create
    from aftersales.customers.models import Asset, Customer
    from aftersales.demo.data import SCENARIOS

    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("demo_load", customers=300, assets=400, cases=2000, stdout=quiet)
    _key, plain = apikey_create(actor=None, name="Intake profile", role="agent")
    rng = random.Random(7)
    assets = list(Asset.objects.values_list("id", "customer_id"))
    customers = list(Customer.objects.values_list("id", flat=True))
    repairs = [s for s in SCENARIOS if s.case_type == "repair_request"]
    client = Client(HTTP_X_API_KEY=plain, HTTP_HOST="127.0.0.1")

    def post(i: int) -> None:
        if rng.random() < 0.7:
            asset_id, customer_id = rng.choice(assets)
        else:
            asset_id, customer_id = None, rng.choice(customers)
        sc = rng.choice(repairs)
        body = {
            "customer_id": customer_id,
            "case_type": "repair_request",
            "channel": "api",
            "title": sc.title,
            "description": f"{sc.description}\n来源：线上商城 #{i:06d}",
            "priority": "normal",
            "asset_id": asset_id,
        }
        answer = client.post("/api/v1/cases", body, content_type="application/json")
        if answer.status_code != 201:
            raise SystemExit(f"API answered {answer.status_code}: {answer.content[:300]!r}")

    for i in range(30):
        post(i)
    with CaptureQueriesContext(connection) as queries:
        post(100)
    print(f"{connection.vendor}: {len(queries.captured_queries)} statements per request")
    if args.sql:
        for q in queries.captured_queries:
            print("   ", q["sql"][:150])

    spent: collections.Counter[str] = collections.Counter()

    def timed(module, name: str, label: str) -> None:
        func = getattr(module, name)

        @functools.wraps(func)
        def wrapper(*a, **kw):
            t0 = time.process_time()
            try:
                return func(*a, **kw)
            finally:
                spent[label] += time.process_time() - t0

        setattr(module, name, wrapper)

    timed(case_api.services, "case_create_idempotent", "case_create service, all of it")
    timed(sla, "sla_case_opened", "- SLA clock start")
    timed(routing, "route_new_case", "- routing: decide")
    timed(routing, "route_record", "- routing: event, audit, pin")
    timed(case_services.notify, "customer_case_created", "- outbox row and enqueue")
    timed(case_services, "index_case", "- search index entry")
    timed(case_services, "case_number_next", "- case number")
    timed(case_api, "_asset", "asset lookup (API handler)")
    n = args.requests
    t0 = time.process_time()
    for i in range(n):
        post(1000 + i)
    total = time.process_time() - t0
    print(f"{n} requests: {total / n * 1000:.2f} ms app CPU per request")
    for label, seconds in spent.items():
        print(f"  {label:<34} {seconds / n * 1000:6.2f} ms")
    if args.profile:
        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
        for i in range(n):
            post(100_000 + i)
        profiler.disable()
        if os.environ.get("PROFILE_DUMP"):
            profiler.dump_stats(os.environ["PROFILE_DUMP"])
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(60)
        print(out.getvalue())
    connection.close()
    shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
