"""Excel import and export of the catalog and of opening stock (R8.1, R15.3).

An import first runs as a dry run: every row goes through the same services as a manual entry,
inside a transaction that is rolled back, and the answer lists each row's errors. Applying
runs the same rows again and commits only when no row fails — one bad row changes nothing.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from aftersales.core.errors import DomainError, InvalidInput
from aftersales.core.present import label_of
from aftersales.customers.models import ProductModel

from .choices import StockClass, Unit
from .models import Location, Part
from .services import part_create, part_update, stock_receive

MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024

# column key → (header written on export, headers accepted on import)
CATALOG_COLUMNS: dict[str, tuple[Any, tuple[str, ...]]] = {
    "code": (gettext_lazy("Part code"), ("code", "part code", "备件编码", "配件编码", "编码")),
    "name": (pgettext_lazy("part", "Name"), ("name", "名称", "备件名称", "配件名称")),
    "specification": (gettext_lazy("Specification"), ("specification", "spec", "规格", "规格型号")),
    "unit": (gettext_lazy("Unit"), ("unit", "单位")),
    "stock_class": (gettext_lazy("Stock class"), ("stock class", "class", "类别", "库存类别")),
    "standard_cost": (gettext_lazy("Standard cost"), ("standard cost", "cost", "标准成本")),
    "list_price": (gettext_lazy("List price"), ("list price", "price", "零售价", "标价")),
    "reorder_point": (gettext_lazy("Reorder point"), ("reorder point", "再订货点")),
    "safety_stock": (gettext_lazy("Safety stock"), ("safety stock", "安全库存")),
    "lead_time_days": (
        gettext_lazy("Lead time (days)"),
        ("lead time", "lead time (days)", "采购周期", "采购周期(天)"),
    ),
    "product_models": (gettext_lazy("Product models"), ("product models", "models", "适用机型")),
    "active": (gettext_lazy("Active"), ("active", "启用")),
}
STOCK_COLUMNS: dict[str, tuple[Any, tuple[str, ...]]] = {
    "part": (
        gettext_lazy("Part code"),
        ("part", "code", "part code", "备件编码", "配件编码", "编码"),
    ),
    "location": (
        gettext_lazy("Location"),
        ("location", "location code", "库位", "库位编码", "仓库"),
    ),
    "quantity": (gettext_lazy("Quantity"), ("quantity", "qty", "数量")),
    "unit_cost": (gettext_lazy("Unit cost"), ("unit cost", "cost", "单价", "单位成本")),
    "batch_lot": (gettext_lazy("Lot number"), ("lot", "lot number", "batch", "批号")),
}
REQUIRED = {"catalog": {"code", "name"}, "stock": {"part", "location", "quantity"}}

UNIT_ALIASES = {
    **{u.value: u.value for u in Unit},
    **{str(u.label): u.value for u in Unit},
    "个": Unit.PIECE, "件": Unit.PIECE, "只": Unit.PIECE, "台": Unit.PIECE, "块": Unit.PIECE,
    "套": Unit.SET, "副": Unit.PAIR, "对": Unit.PAIR, "盒": Unit.BOX, "箱": Unit.BOX,
    "米": Unit.METRE, "千克": Unit.KILOGRAM, "公斤": Unit.KILOGRAM, "升": Unit.LITRE,
    # the English labels, as an English export writes them
    "piece": Unit.PIECE, "metre": Unit.METRE, "kilogram": Unit.KILOGRAM, "litre": Unit.LITRE,
}  # fmt: skip
CLASS_ALIASES = {
    **{c.value: c.value for c in StockClass},
    "常用": StockClass.COMMON, "关键": StockClass.CRITICAL, "稀有": StockClass.RARE,
    "少用": StockClass.RARE, "不常用": StockClass.RARE, "极少使用": StockClass.RARE,
    "rarely used": StockClass.RARE,
}  # fmt: skip
TRUE = {"1", "true", "yes", "y", "是", "启用", "x", "✓"}
FALSE = {"0", "false", "no", "n", "否", "停用", ""}


@dataclass
class RowResult:
    row: int
    key: str
    action: str = ""
    errors: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    kind: str
    dry_run: bool
    rows: list[RowResult] = field(default_factory=list)
    applied: bool = False

    @property
    def error_rows(self) -> list[RowResult]:
        return [r for r in self.rows if r.errors]

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.error_rows


def _norm(header: Any) -> str:
    return " ".join(str(header or "").strip().lower().replace("（", "(").replace("）", ")").split())


def read_rows(data: bytes, kind: str) -> list[tuple[int, dict[str, Any]]]:
    """The sheet's rows as (row number, {column key: value}); InvalidInput for a file that is
    not a readable workbook or lacks a required column."""
    from openpyxl import load_workbook

    if len(data) > MAX_BYTES:
        raise InvalidInput(_("The file is larger than 5 MB."), code="file_too_large")
    columns = CATALOG_COLUMNS if kind == "catalog" else STOCK_COLUMNS
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    # openpyxl raises many kinds of errors for a file that is not a workbook
    except Exception as exc:
        raise InvalidInput(
            _("The file is not an Excel workbook (.xlsx)."), code="invalid_file"
        ) from exc
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None) or ()
    lookup = {}
    for key, (label, aliases) in columns.items():
        names = {_norm(a) for a in aliases} | {_norm(label)}
        for idx, title in enumerate(header):
            if _norm(title) in names:
                lookup[key] = idx
                break
    missing = REQUIRED[kind] - set(lookup)
    if missing:
        labels = ", ".join(str(columns[k][0]) for k in sorted(missing))
        raise InvalidInput(
            _("The first row must name the columns; missing: %(cols)s") % {"cols": labels},
            code="invalid_file",
        )
    out = []
    for number, values in enumerate(rows, start=2):
        if values is None or all(v is None or str(v).strip() == "" for v in values):
            continue
        if len(out) >= MAX_ROWS:
            raise InvalidInput(
                _("A file may hold at most %(n)s rows.") % {"n": MAX_ROWS}, code="too_many_rows"
            )
        record = {key: (values[idx] if idx < len(values) else None) for key, idx in lookup.items()}
        out.append((number, record))
    workbook.close()
    return out


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _number(value: Any) -> Any:
    if value is None or _text(value) == "":
        return None
    if isinstance(value, float):
        return Decimal(repr(value))
    return _text(value)


def _bool(value: Any) -> bool:
    text = _text(value).lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise InvalidInput(_("“%(v)s” is not yes or no.") % {"v": text})


def _catalog_row(record: dict[str, Any], actor: Any) -> str:
    code = _text(record.get("code"))
    values: dict[str, Any] = {"name": _text(record.get("name"))}
    if "specification" in record:
        values["specification"] = _text(record["specification"])
    if _text(record.get("unit")):
        unit = UNIT_ALIASES.get(_text(record["unit"]).lower()) or UNIT_ALIASES.get(
            _text(record["unit"])
        )
        if unit is None:
            raise InvalidInput(_("Unknown unit “%(unit)s”.") % {"unit": _text(record["unit"])})
        values["unit"] = unit
    if _text(record.get("stock_class")):
        cls = CLASS_ALIASES.get(_text(record["stock_class"]).lower())
        if cls is None:
            raise InvalidInput(
                _("Unknown stock class “%(value)s”.") % {"value": _text(record["stock_class"])}
            )
        values["stock_class"] = cls
    for key in ("standard_cost", "list_price", "reorder_point", "safety_stock", "lead_time_days"):
        number = _number(record.get(key))
        if number is not None:
            values[key] = number
    if "active" in record and _text(record["active"]) != "":
        values["active"] = _bool(record["active"])
    models = None
    if _text(record.get("product_models")):
        codes = [c.strip() for c in _text(record["product_models"]).replace("，", ",").split(",")]
        codes = [c for c in codes if c]
        found = {pm.code: pm for pm in ProductModel.objects.filter(code__in=codes)}
        unknown = [c for c in codes if c not in found]
        if unknown:
            raise InvalidInput(
                _("Unknown product models: %(codes)s") % {"codes": ", ".join(unknown)}
            )
        models = list(found.values())
    part = Part.objects.filter(code=code).first()
    if part is None:
        part_create(code=code, actor=actor, product_models=models, **values)
        return "create"
    if "unit" in values and "whole_units" not in values:
        from .choices import WHOLE_UNITS

        values["whole_units"] = values["unit"] in WHOLE_UNITS
    part_update(part, actor=actor, product_models=models, **values)
    return "update"


def _stock_row(record: dict[str, Any], actor: Any, reference: str) -> str:
    code = _text(record.get("part"))
    part = Part.objects.filter(code=code).first()
    if part is None:
        raise InvalidInput(_("Unknown part code “%(code)s”.") % {"code": code})
    loc_code = _text(record.get("location"))
    location = Location.objects.filter(code=loc_code).first()
    if location is None:
        raise InvalidInput(_("Unknown location “%(code)s”.") % {"code": loc_code})
    quantity = _number(record.get("quantity"))
    if quantity is None:
        raise InvalidInput(_("The quantity is missing."))
    cost = _number(record.get("unit_cost"))
    stock_receive(
        part=part,
        location=location,
        quantity=quantity,
        unit_cost=part.standard_cost if cost is None else cost,
        batch_lot=_text(record.get("batch_lot")) or None,
        actor=actor,
        reference=reference,
    )
    return "receipt"


def run_import(data: bytes, *, kind: str, actor: Any, dry_run: bool) -> ImportResult:
    """Check (``dry_run``) or apply an import. Applying commits only when every row passes."""
    if kind not in REQUIRED:
        raise InvalidInput(_("Unknown import kind."))
    records = read_rows(data, kind)
    result = ImportResult(kind=kind, dry_run=dry_run)
    if not records:
        raise InvalidInput(_("The file holds no rows."), code="empty_file")
    seen: set[str] = set()
    with transaction.atomic():
        for number, record in records:
            key = _text(record.get("code" if kind == "catalog" else "part"))
            row = RowResult(row=number, key=key)
            result.rows.append(row)
            if kind == "catalog" and key and key in seen:
                row.errors.append(_("The part code appears twice in the file."))
                continue
            seen.add(key)
            try:
                with transaction.atomic():
                    if kind == "catalog":
                        row.action = _catalog_row(record, actor)
                    else:
                        row.action = _stock_row(record, actor, f"import row {number}")
            except DomainError as exc:
                row.errors.append(str(exc.message))
        if dry_run or result.error_rows:
            transaction.set_rollback(True)
        else:
            result.applied = True
    return result


# --- export --------------------------------------------------------------------------------


def catalog_workbook(parts: list[Part], totals: dict[int, dict[str, Decimal]]) -> bytes:
    """The catalog as .xlsx, in the import's columns plus stock totals (read-only columns)."""
    from aftersales.core.exports import new_workbook, xlsx_bytes

    from .choices import AbcClass

    wb = new_workbook()
    ws = wb.active
    ws.title = str(_("Parts"))
    headers = [str(label) for label, _aliases in CATALOG_COLUMNS.values()]
    headers += [str(_("ABC class")), str(_("On hand")), str(_("Reserved")), str(_("Available"))]
    ws.append(headers)
    for part in parts:
        t = totals.get(part.pk, {})
        ws.append(
            [
                part.code,
                part.name,
                part.specification,
                label_of(Unit, part.unit),
                label_of(StockClass, part.stock_class),
                float(part.standard_cost),
                float(part.list_price),
                float(part.reorder_point),
                float(part.safety_stock),
                part.lead_time_days,
                ", ".join(sorted(pm.code for pm in part.product_models.all())),
                1 if part.active else 0,
                part.abc_class or str(AbcClass.NONE.label),
                float(t.get("on_hand", 0)),
                float(t.get("reserved", 0)),
                float(t.get("available", 0)),
            ]
        )
    ws.freeze_panes = "A2"
    for column, width in zip(
        "ABCDEFGHIJKLMNOP",
        (16, 20, 22, 6, 10, 10, 10, 10, 10, 10, 24, 6, 8, 10, 10, 10),
        strict=True,
    ):
        ws.column_dimensions[column].width = width
    return xlsx_bytes(wb)


def stock_template_workbook() -> bytes:
    """An empty opening-stock sheet with the expected headers."""
    from aftersales.core.exports import new_workbook, xlsx_bytes

    wb = new_workbook()
    ws = wb.active
    ws.title = str(_("Opening stock"))
    ws.append([str(label) for label, _aliases in STOCK_COLUMNS.values()])
    return xlsx_bytes(wb)
