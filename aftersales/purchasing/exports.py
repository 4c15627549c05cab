"""Excel workbooks of the scorecard, the stock figures and the order list, written through
the formula-safe helpers of :mod:`aftersales.core.exports`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from aftersales.core.exports import neutralise, new_workbook, xlsx_response
from aftersales.core.present import label_of
from aftersales.parts.choices import StockClass


def _sheet(wb: Workbook, title: str, header: list[str], rows: Iterable[list[Any]], first=False):
    ws = wb.active if first else wb.create_sheet()
    ws.title = title[:31]
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([neutralise(v) for v in row])
    for i, _h in enumerate(header, start=1):
        ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = 16
    return ws


def workbook_response(wb: Workbook, filename: str) -> HttpResponse:
    return xlsx_response(wb, filename)


def scorecard_workbook(rows: list[dict], start, end) -> Workbook:
    wb = new_workbook()
    _sheet(
        wb,
        _("Scorecard"),
        [
            _("Rank"),
            _("Code"),
            _("Supplier"),
            _("Quality (%)"),
            _("On time (%)"),
            _("Price index"),
            _("Price vs others"),
            _("Price score"),
            _("Service (1–5)"),
            _("Service score"),
            _("Total"),
            _("Received"),
            _("Inspected"),
            _("Accepted"),
            _("Receipt lines"),
            _("On time lines"),
            _("Ratings"),
        ],
        (
            [
                r["rank"],
                r["supplier_code"],
                r["supplier"],
                r["quality"],
                r["on_time"],
                r["price_index"],
                r["price_vs_others"],
                r["price_score"],
                r["service"],
                r["service_score"],
                r["total"],
                r["received_quantity"],
                r["inspected_quantity"],
                r["accepted_quantity"],
                r["receipt_lines"],
                r["lines_on_time"],
                r["ratings"],
            ]
            for r in rows
        ),
        first=True,
    )
    wb.active.append([])
    wb.active.append([_("Period"), str(start), str(end)])
    return wb


def _class_label(value: str) -> str:
    """A stock class by its label; the figures' total row is "all"."""
    return _("All") if value == "all" else label_of(StockClass, value)


def figures_workbook(summary: dict) -> Workbook:
    wb = new_workbook()
    _sheet(
        wb,
        _("Stock value"),
        [_("Stock class"), _("Value")],
        ([_class_label(k), v] for k, v in summary["stock_value"].items()),
        first=True,
    )
    _sheet(
        wb,
        _("Turnover"),
        [
            _("Month"),
            _("Stock class"),
            _("Issued cost"),
            _("Opening value"),
            _("Closing value"),
            _("Average value"),
            _("Turnover"),
        ],
        (
            [
                r.period,
                _class_label(r.stock_class),
                r.issued_cost,
                r.opening_value,
                r.closing_value,
                r.average_value,
                r.turnover,
            ]
            for r in summary["turnover"]
        ),
    )
    _sheet(
        wb,
        _("Stock-outs"),
        [_("Part code"), _("Name"), _("Times out of stock")],
        ([r["part"].code, r["part"].name, r["count"]] for r in summary["stock_outs"]),
    )
    _sheet(
        wb,
        _("Dead stock"),
        [_("Part code"), _("Name"), _("On hand"), _("Value"), _("Last issue")],
        (
            [r.part.code, r.part.name, r.on_hand, r.value, r.last_issue]
            for r in summary["dead_stock"]
        ),
    )
    return wb


def orders_workbook(orders) -> Workbook:
    wb = new_workbook()
    _sheet(
        wb,
        _("Purchase orders"),
        [_("Number"), _("Supplier"), _("Status"), _("Ordered"), _("Promised")],
        (
            [o.number, o.supplier.name, o.get_status_display(), o.ordered_at, o.promised_date]
            for o in orders
        ),
        first=True,
    )
    return wb
