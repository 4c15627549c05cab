"""Fuzz the JSON API with schemathesis against a real server: no 5xx, answers match the schema.

Prepares a fresh database (SQLite in a temporary folder, or a new database on the PostgreSQL
server of ``DATABASE_URL``), migrates, creates an organisation, customers, assets and cases
through the services and an administrator API key, serves the app with gunicorn on a free
local port, and runs ``schemathesis run`` against ``/api/openapi.json``. Generated path
parameters and ids in bodies are drawn partly from the real records, so the fuzzer reaches the
handlers behind the 404s. Exits non-zero when schemathesis finds a problem or when fewer than
``FUZZ_MIN_REQUESTS`` (500) requests were made.

    make fuzz                       # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres make fuzz
    FUZZ_MAX_EXAMPLES=60 make fuzz  # more examples per operation
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "25"))
MIN_REQUESTS = int(os.environ.get("FUZZ_MIN_REQUESTS", "500"))
SEED = os.environ.get("FUZZ_SEED", "")
CHECKS = "not_a_server_error,status_code_conformance,response_schema_conformance"


def say(text: str) -> None:
    print(f"[fuzz] {text}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- database ---------------------------------------------------------------------------------


class FreshPostgres:
    """A throwaway database on the server of ``url``, dropped afterwards."""

    def __init__(self, url: str):
        import dj_database_url

        self.conf = dj_database_url.parse(url)
        self.name = f"aftersales_fuzz_{os.getpid()}"
        self.url = url.rsplit("/", 1)[0] + "/" + self.name

    def _admin(self):
        import psycopg

        conf = self.conf
        return psycopg.connect(
            host=conf.get("HOST") or None,
            port=conf.get("PORT") or None,
            user=conf.get("USER") or None,
            password=conf.get("PASSWORD") or None,
            dbname=conf.get("NAME") or "postgres",
            autocommit=True,
        )

    def create(self) -> str:
        with self._admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}"')
            conn.execute(f'CREATE DATABASE "{self.name}"')
        return self.url

    def drop(self) -> None:
        with contextlib.suppress(Exception), self._admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


# --- data -------------------------------------------------------------------------------------


def seed() -> dict:
    """Create the records the fuzzer aims at, through the services. Runs in this process."""
    import datetime as dt

    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connections

    from aftersales.accounts.models import Department, Team
    from aftersales.accounts.roles import Role
    from aftersales.accounts.services import apikey_create, user_create
    from aftersales.cases.models import CaseCategory
    from aftersales.cases.services import attachment_add, case_create, case_reply
    from aftersales.core.testing import image_bytes, pdf_bytes
    from aftersales.customers.models import ProductModel
    from aftersales.customers.services import (
        address_add,
        asset_create,
        contact_add,
        customer_create,
        customer_signup,
    )

    dept = Department.objects.create(code="service", name="售后服务部")
    hotline = Team.objects.create(code="hotline", name="热线组", department=dept)
    field = Team.objects.create(code="field", name="上门维修组", department=dept)
    agent = user_create(actor=None, username="agent", password=None, role=Role.AGENT)
    hotline.members.add(agent)
    tech = user_create(actor=None, username="tech", password=None, role=Role.TECHNICIAN)
    field.members.add(tech)
    for code, name, case_type in (
        ("no-cooling", "不制冷", "repair_request"),
        ("leak", "漏水", "repair_request"),
        ("late", "迟到", "complaint"),
        ("general", "一般", ""),
    ):
        CaseCategory.objects.create(code=code, name=name, case_type=case_type)
    models = [
        ProductModel.objects.create(code="KFR-35GW", name="空调", warranty_months=12),
        ProductModel.objects.create(code="XQG100", name="洗衣机", warranty_months=24),
    ]
    customers = [
        customer_signup(
            username="alice", password="pw-Fuzz-12345", name="张三丰", phone="13812345678"
        ),
        customer_create(actor=None, name="李四", phone="13987654321", tier="gold"),
        customer_create(actor=None, name="王五", kind="company", company_name="某某物业"),
    ]
    contacts, assets, numbers, attachments = [], [], [], []
    for i, customer in enumerate(customers):
        contacts.append(
            contact_add(actor=None, customer=customer, name="联系人", phone=f"1370000{i:04d}").pk
        )
        address_add(actor=None, customer=customer, street=f"张江路 {i + 1} 号", city="上海")
        asset = asset_create(
            actor=None,
            customer=customer,
            product_model=models[i % 2],
            serial_number=f"SN-FUZZ-{i:04d}",
            purchase_date=dt.date(2025, 6, 1),
        )
        assets.append(asset.pk)
        for case_type, team in (
            ("repair_request", hotline),
            ("complaint", None),
            ("return_exchange", field),
            ("proposal", hotline),
        ):
            case = case_create(
                actor=agent,
                customer=customer,
                case_type=case_type,
                channel="hotline",
                title=f"{case_type} {i}",
                description="开机后不制冷",
                asset=asset if case_type != "proposal" else None,
                team=team,
            )
            case_reply(actor=agent, case=case, body="已收到，稍后联系您。")
            numbers.append(case.number)
        files = [
            SimpleUploadedFile("photo.png", image_bytes("PNG")),
            SimpleUploadedFile("invoice.pdf", pdf_bytes()),
        ]
        attachments += [a.pk for a in attachment_add(actor=agent, case=case, files=files)]
    _, secret = apikey_create(actor=None, name="fuzzer", role=Role.ADMINISTRATOR)
    data = {
        "key": secret,
        "customers": [c.pk for c in customers],
        "contacts": contacts,
        "assets": assets,
        "cases": numbers,
        "attachments": attachments,
        "categories": ["no-cooling", "leak", "late", "general"],
        "teams": ["hotline", "field"],
        "users": ["agent", "tech"],
        "product_models": ["KFR-35GW", "XQG100"],
    }
    for conn in connections.all():
        conn.close()
    return data


def config_toml(data: dict) -> str:
    """schemathesis settings: the real ids as dictionaries the generator draws from."""

    def values(items: list) -> str:
        return json.dumps(items, ensure_ascii=False)

    dictionaries = {
        "case-numbers": data["cases"],
        "customer-ids": data["customers"],
        "contact-ids": data["contacts"],
        "asset-ids": data["assets"],
        "attachment-ids": data["attachments"],
        "categories": data["categories"],
        "teams": data["teams"],
        "users": data["users"],
        "product-models": data["product_models"],
    }
    bindings = {
        "path.number": "case-numbers",
        "path.customer_id": "customer-ids",
        "path.contact_id": "contact-ids",
        "path.asset_id": "asset-ids",
        "path.attachment_id": "attachment-ids",
        "query.customer_id": "customer-ids",
        "query.customer": "customer-ids",
        "query.team": "teams",
        "body.customer_id": "customer-ids",
        "body.asset_id": "asset-ids",
        "body.contact_id": "contact-ids",
        "body.category": "categories",
        "body.team": "teams",
        "body.assignee": "users",
        "body.product_model": "product-models",
    }
    lines = []
    for name, items in dictionaries.items():
        lines += [f"[dictionaries.{name}]", f"values = {values(items)}", ""]
    lines.append("[parameters]")
    for key, name in bindings.items():
        lines.append(f'"{key}" = {{ dictionary = "{name}", probability = 0.7 }}')
    return "\n".join(lines) + "\n"


# --- run --------------------------------------------------------------------------------------


def wait_until_up(url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("[fuzz] the server stopped while starting")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    raise SystemExit("[fuzz] the server did not answer in time")


def count_requests(report_dir: Path) -> tuple[int, dict[str, int]]:
    """Requests made and their status classes, from the NDJSON event stream."""
    total, classes = 0, {}
    for path in report_dir.glob("*.ndjson"):
        with path.open() as fh:
            for line in fh:
                event = json.loads(line).get("ScenarioFinished")
                if not event:
                    continue
                for interaction in (event["recorder"].get("interactions") or {}).values():
                    response = interaction.get("response") or {}
                    status = response.get("status_code")
                    total += 1
                    key = f"{status // 100}xx" if status else "no answer"
                    classes[key] = classes.get(key, 0) + 1
    return total, dict(sorted(classes.items()))


def server_errors(log: Path) -> str:
    """Tracebacks and ERROR lines the server wrote (a 5xx that slipped past the checks)."""
    lines = log.read_text(errors="replace").splitlines()
    bad = [i for i, line in enumerate(lines) if "Traceback" in line or " ERROR " in line]
    return "\n".join(lines[bad[0] : bad[0] + 60]) if bad else ""


def main() -> int:
    started = time.monotonic()
    tmp = Path(tempfile.mkdtemp(prefix="aftersales-fuzz-"))
    pg = None
    server = None
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "AFTERSALES_VAR_DIR": str(tmp),
            "MEDIA_ROOT": str(tmp / "media"),
            "SECRET_KEY": "fuzz-" + os.urandom(16).hex(),
            "DEBUG": "false",
            "HUEY_IMMEDIATE": "true",  # notifications run inside the request: their bugs show
            "STATIC_NO_MANIFEST": "true",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "LOG_LEVEL": "ERROR",
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.pop("PYTEST_VERSION", None)
    url = os.environ.get("DATABASE_URL", "")
    try:
        if url.startswith(("postgres://", "postgresql://")):
            pg = FreshPostgres(url)
            env["DATABASE_URL"] = pg.create()
            say(f"database: PostgreSQL {pg.name}")
        else:
            env.pop("DATABASE_URL", None)
            say(f"database: SQLite in {tmp}")
        (tmp / "staticfiles").mkdir()  # the API serves no static files; keep whitenoise quiet
        os.environ.clear()
        os.environ.update(env)
        sys.path.insert(0, str(ROOT))
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        data = seed()
        say(
            f"seeded {len(data['customers'])} customers, {len(data['cases'])} cases, "
            f"{len(data['attachments'])} attachments"
        )
        config = tmp / "schemathesis.toml"
        config.write_text(config_toml(data))

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server_log = (tmp / "server.log").open("w")
        server = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--threads",
                "4",
                "--worker-class",
                "gthread",
                "--timeout",
                "60",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=server_log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_until_up(f"{base}/api/openapi.json", server)
        say(f"server up on {base}")

        report_dir = tmp / "report"
        cmd = [
            str(BIN / "schemathesis"),
            "--config-file",
            str(config),
            "run",
            f"{base}/api/openapi.json",
            "--header",
            f"X-API-Key: {data['key']}",
            "--checks",
            CHECKS,
            "--max-examples",
            str(MAX_EXAMPLES),
            # One generator thread: hypothesis' lambda descriptions call ast.parse, which
            # CPython 3.11 does not guard against concurrent use.
            "--workers",
            "1",
            "--request-timeout",
            "30",
            "--suppress-health-check",
            "all",
            "--report",
            "ndjson",
            "--report-dir",
            str(report_dir),
            "--output-truncate",
            "true",
        ]
        if SEED:
            cmd += ["--seed", SEED]
        say("running: " + " ".join(cmd).replace(data["key"], "<key>"))
        # The fuzzer's report ends in a pytest-style footer ("== 3 warnings in 109s ==") that
        # reads like a test run with no tests when it is the last such line of a CI log; it is
        # kept in a file and shown only when the run fails.
        fuzz_log = tmp / "schemathesis.log"
        with fuzz_log.open("w") as out:
            result = subprocess.run(cmd, cwd=tmp, env=env, stdout=out, stderr=subprocess.STDOUT)
        requests, classes = count_requests(report_dir)
        elapsed = time.monotonic() - started
        say(
            f"{requests} requests {classes} in {elapsed:.0f} s; "
            f"schemathesis exit code {result.returncode}"
        )
        server_log.flush()
        crashes = server_errors(tmp / "server.log")
        if crashes:
            say("FAILED: the server logged errors:\n" + crashes)
            return 1
        if result.returncode != 0:
            print(fuzz_log.read_text(errors="replace"), flush=True)
            say("FAILED: schemathesis reported problems (see above)")
            return result.returncode
        if requests < MIN_REQUESTS:
            say(f"FAILED: fewer than {MIN_REQUESTS} requests")
            return 1
        say("OK: no server errors, every answer matched the schema")
        return 0
    finally:
        if server is not None and server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        if pg is not None:
            pg.drop()
        if os.environ.get("FUZZ_KEEP"):
            say(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
