"""A client generated from the served OpenAPI schema by openapi-python-client works as an
integrator uses it: an agent-role API key opens a complaint, reads it back, replies on it and
moves its status, through the generated functions named after the operationIds.

The generator is the installed command (the test extras), run offline as a subprocess into a
temporary folder; the client talks to the live test server over HTTP.
"""

from __future__ import annotations

import importlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from aftersales.accounts.roles import Role
from aftersales.accounts.services import apikey_create
from aftersales.cases.models import Case, CaseEvent
from aftersales.conftest import build_customers, build_org, build_product_model, build_staff
from aftersales.core.models import AuditLog

PACKAGE = "aftersales_client"
# The generator's settings an integrator uses too (docs/api.md): no formatter run afterwards,
# and the binary answers (PDF report, inspection photos) read as bytes.
GENERATOR_CONFIG = f"""\
project_name_override: {PACKAGE}
package_name_override: {PACKAGE}
post_hooks: []
content_type_overrides:
  application/pdf: application/octet-stream
  image/*: application/octet-stream
"""


def generator_command() -> str:
    beside_python = Path(sys.executable).parent / "openapi-python-client"
    found = str(beside_python) if beside_python.exists() else shutil.which("openapi-python-client")
    assert found, (
        "openapi-python-client is installed with the test extras (pip install -e '.[test]')"
    )
    return found


@pytest.fixture
def generated_client(live_url, tmp_path):
    """Generate the client package from the schema the live server serves and import it."""
    schema = httpx.get(f"{live_url}/api/openapi.json", timeout=30)
    assert schema.status_code == 200
    spec_path = tmp_path / "openapi.json"
    spec_path.write_text(json.dumps(schema.json()), encoding="utf-8")
    config_path = tmp_path / "generator.yaml"
    config_path.write_text(GENERATOR_CONFIG, encoding="utf-8")
    out = tmp_path / "generated"
    result = subprocess.run(
        [
            generator_command(),
            "generate",
            "--path",
            str(spec_path),
            "--config",
            str(config_path),
            "--meta",
            "none",
            "--output-path",
            str(out / PACKAGE),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # Every operation made it into the client: the generator warns when it leaves one out.
    assert "Warning" not in result.stdout + result.stderr, result.stdout + result.stderr
    sys.path.insert(0, str(out))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(out))
        for name in [n for n in sys.modules if n == PACKAGE or n.startswith(PACKAGE + ".")]:
            del sys.modules[name]


@pytest.mark.django_db(transaction=True)
def test_generated_client_creates_reads_replies_and_moves_a_complaint(generated_client, live_url):
    org = build_org()
    build_staff(org)
    alice = build_customers(build_product_model())["alice"]
    _key, raw_key = apikey_create(actor=None, name="呼叫中心集成", role=Role.AGENT)

    # What an integrator writes as ``from aftersales_client.api.cases import cases_create``.
    models = importlib.import_module(f"{PACKAGE}.models")
    client_module = importlib.import_module(f"{PACKAGE}.client")
    cases_create = importlib.import_module(f"{PACKAGE}.api.cases.cases_create")
    cases_get = importlib.import_module(f"{PACKAGE}.api.cases.cases_get")
    cases_reply = importlib.import_module(f"{PACKAGE}.api.cases.cases_reply")
    cases_transition = importlib.import_module(f"{PACKAGE}.api.cases.cases_transition")

    client = client_module.AuthenticatedClient(
        base_url=live_url, token=raw_key, auth_header_name="X-API-Key", prefix=""
    )
    with client:
        body = models.CaseIn.from_dict(
            {
                "customer_id": alice.pk,
                "case_type": "complaint",
                "title": "上门维修迟到两小时",
                "description": "师傅约好上午十点，十二点才到。",
                "extra": {"complaint_about": "service", "demand": "apology"},
            }
        )
        created = cases_create.sync_detailed(client=client, body=body)
        assert created.status_code == 201, created.content
        case = created.parsed
        assert isinstance(case, models.CaseOut)
        assert case.case_type == "complaint"
        assert case.number.startswith("SC-")

        read = cases_get.sync_detailed(case.number, client=client)
        assert read.status_code == 200, read.content
        assert read.parsed.number == case.number
        assert read.parsed.title == "上门维修迟到两小时"

        reply = cases_reply.sync_detailed(
            case.number,
            client=client,
            body=models.MessageIn(body="您好，已收到您的投诉，我们今天内核实并回复。"),
        )
        assert reply.status_code == 201, reply.content

        moved = cases_transition.sync_detailed(
            case.number,
            client=client,
            body=models.TransitionIn(
                to_status=models.TransitionInToStatus.VERIFYING, version=read.parsed.version
            ),
        )
        assert moved.status_code == 200, moved.content
        assert moved.parsed.status == "verifying"

        # The typed errors come through the same functions: a stale version is a 409 ErrorOut.
        stale = cases_transition.sync_detailed(
            case.number,
            client=client,
            body=models.TransitionIn(
                to_status=models.TransitionInToStatus.IN_PROGRESS, version=read.parsed.version
            ),
        )
        assert stale.status_code == 409
        assert isinstance(stale.parsed, models.ErrorOut)

    row = Case.objects.get(number=case.number)
    assert row.status == "verifying"
    assert CaseEvent.objects.filter(case=row, body__contains="今天内核实").exists()
    assert AuditLog.objects.filter(
        action="case.transition", object_repr__contains=row.number
    ).exists()
