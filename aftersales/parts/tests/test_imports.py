"""Excel import (dry run, row errors, apply) and export of the catalog and opening stock."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from aftersales.core.errors import InvalidInput
from aftersales.parts.imports import catalog_workbook, run_import
from aftersales.parts.models import Movement, Part, StockLevel
from aftersales.parts.selectors import part_totals

pytestmark = pytest.mark.django_db


def xlsx(rows: list[list]) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


CATALOG = [
    ["配件编码", "名称", "规格型号", "单位", "库存类别", "标准成本", "零售价", "适用机型"],
    ["COMP-1HP", "旋转式压缩机", "1匹 R32", "台", "关键", 420, 680, "KFR-35GW"],
    ["FAN-MOTOR-20W", "室内风扇电机", "YDK20-6", "个", "常用", 65.5, 120, ""],
    ["PIPE-9", "铜管", "φ9.52mm", "米", "", 22, 35, ""],
]


def test_catalog_dry_run_changes_nothing_then_apply_creates(users, product_model):
    keeper = users["parts_keeper"]
    data = xlsx(CATALOG)
    result = run_import(data, kind="catalog", actor=keeper, dry_run=True)
    assert result.ok and [r.action for r in result.rows] == ["create", "create", "create"]
    assert not Part.objects.exists()
    result = run_import(data, kind="catalog", actor=keeper, dry_run=False)
    assert result.applied
    comp = Part.objects.get(code="COMP-1HP")
    assert comp.stock_class == "critical" and comp.unit == "pcs" and comp.whole_units
    assert comp.reorder_point == Decimal("5")  # default of the critical class
    assert list(comp.product_models.values_list("code", flat=True)) == ["KFR-35GW"]
    pipe = Part.objects.get(code="PIPE-9")
    assert pipe.unit == "m" and not pipe.whole_units
    assert Part.objects.get(code="FAN-MOTOR-20W").standard_cost == Decimal("65.50")
    # the same file again updates
    again = run_import(data, kind="catalog", actor=keeper, dry_run=False)
    assert [r.action for r in again.rows] == ["update", "update", "update"]


def test_catalog_row_errors_are_listed_per_row_and_nothing_is_applied(users):
    keeper = users["parts_keeper"]
    data = xlsx(
        [
            CATALOG[0],
            ["OK-1", "遥控器", "KT-e", "个", "常用", 15, 30, ""],
            ["", "没有编码", "", "个", "", 1, 1, ""],
            ["BAD-UNIT", "电容", "", "桶", "", 1, 1, ""],
            ["BAD-COST", "电容", "", "个", "", -3, 1, ""],
            ["BAD-MODEL", "电路板", "", "个", "", 1, 1, "NO-SUCH-MODEL"],
            ["OK-1", "重复", "", "个", "", 1, 1, ""],
        ]
    )
    result = run_import(data, kind="catalog", actor=keeper, dry_run=False)
    assert not result.applied
    errors = {r.row: r.errors for r in result.error_rows}
    assert set(errors) == {3, 4, 5, 6, 7}
    assert "桶" in errors[4][0]
    assert "NO-SUCH-MODEL" in errors[6][0]
    assert not Part.objects.exists()


def test_stock_import_refuses_unknown_part_code_and_changes_nothing(stock_setup):
    s = stock_setup
    data = xlsx(
        [
            ["配件编码", "库位", "数量", "单价", "批号"],
            ["CAP-35UF", "WH-SH", 20, 11.5, "L-2026-01"],
            ["NO-SUCH-PART", "WH-SH", 5, 1, ""],
            ["CAP-35UF", "WH-SH", 1.5, 11.5, ""],
            ["CAP-35UF", "NOWHERE", 1, 11.5, ""],
        ]
    )
    result = run_import(data, kind="stock", actor=s["keeper"], dry_run=True)
    errors = {r.row: r.errors[0] for r in result.error_rows}
    assert set(errors) == {3, 4, 5}
    assert "NO-SUCH-PART" in errors[3]
    assert "whole" in errors[4]
    assert "NOWHERE" in errors[5]
    assert not run_import(data, kind="stock", actor=s["keeper"], dry_run=False).applied
    assert not Movement.objects.exists() and not StockLevel.objects.exists()
    good = xlsx(
        [["配件编码", "库位", "数量", "单价", "批号"], ["CAP-35UF", "WH-SH", 20, 11.5, "L1"]]
    )
    assert run_import(good, kind="stock", actor=s["keeper"], dry_run=False).applied
    m = Movement.objects.get()
    assert m.kind == "receipt" and m.quantity == 20 and m.batch.lot_number == "L1"


def test_not_a_workbook_or_missing_columns_is_refused(users):
    with pytest.raises(InvalidInput):
        run_import(b"not excel", kind="catalog", actor=users["parts_keeper"], dry_run=True)
    with pytest.raises(InvalidInput) as err:
        run_import(
            xlsx([["名称"], ["x"]]), kind="catalog", actor=users["parts_keeper"], dry_run=True
        )
    assert err.value.code == "invalid_file"


def test_export_round_trips_through_import(stock_setup):
    s = stock_setup
    from aftersales.parts.services import stock_receive

    stock_receive(part=s["cap"], location=s["wh"], quantity=7, unit_cost=12, actor=s["keeper"])
    parts = list(Part.objects.order_by("code"))
    data = catalog_workbook(parts, part_totals())
    ws = load_workbook(io.BytesIO(data)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "Part code"
    cap_row = next(r for r in rows if r[0] == "CAP-35UF")
    assert cap_row[1] == "压缩机启动电容" and cap_row[-3] == 7
    result = run_import(data, kind="catalog", actor=s["keeper"], dry_run=True)
    assert result.ok and {r.action for r in result.rows} == {"update"}
