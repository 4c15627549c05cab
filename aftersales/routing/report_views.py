"""The SLA compliance report (R2.4, R12.2): table, ECharts chart from JSON, Excel export,
and drill-down links into the case queue."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from aftersales.core.access import staff_required

from .forms import SlaReportForm
from .sla_reports import chart_data, drill_url, sla_compliance

PERM = "routing.view_sla_report"


def _report(request: HttpRequest):
    form = SlaReportForm(request.GET)
    if not form.is_valid():
        return form, None
    return form, sla_compliance(user=request.user, filters=form.report_filter())


@staff_required(PERM)
@require_GET
def sla_report(request: HttpRequest) -> HttpResponse:
    form, report = _report(request)
    rows = []
    if report is not None:
        kind = report.filters.kind
        for row in [*report.rows, report.total]:
            rows.append(
                {
                    "row": row,
                    "met_url": drill_url(row.query, "met", kind),
                    "breached_url": drill_url(row.query, "breached", kind),
                }
            )
    return render(
        request,
        "routing/sla_report.html",
        {"form": form, "report": report, "rows": rows, "query": request.GET.urlencode()},
        status=200 if report is not None else 422,
    )


@staff_required(PERM)
@require_GET
def sla_report_data(request: HttpRequest) -> JsonResponse:
    """The chart's data as JSON (same filters as the page)."""
    form, report = _report(request)
    if report is None:
        return JsonResponse({"errors": form.errors.get_json_data()}, status=422)
    return JsonResponse(chart_data(report))


@staff_required(PERM)
@require_GET
def sla_report_export(request: HttpRequest) -> HttpResponse:
    """The table as an Excel workbook."""
    from openpyxl.styles import Font

    from aftersales.core.exports import new_workbook, xlsx_response

    form, report = _report(request)
    if report is None:
        return HttpResponse(" ".join(form.non_field_errors()) or _("Invalid filters."), status=422)
    f = report.filters
    wb = new_workbook()
    ws = wb.active
    ws.title = _("SLA compliance")[:31]
    ws.append([_("SLA compliance"), f"{f.date_from.isoformat()} – {f.date_to.isoformat()}"])
    ws.append([])
    header = [
        str(dict(form.fields["group"].choices)[f.group]),
        _("Finished"),
        _("Met"),
        _("Breached"),
        _("Compliance %"),
        _("Cases answered"),
        _("Average first response (h)"),
    ]
    ws.append(header)
    for cell in ws[3]:
        cell.font = Font(bold=True)
    for row in [*report.rows, report.total]:
        ws.append(
            [
                row.label,
                row.finished,
                row.met,
                row.breached,
                row.compliance,
                row.responded,
                row.avg_first_response_hours,
            ]
        )
    ws[f"A{ws.max_row}"].font = Font(bold=True)
    for column, width in zip("ABCDEFG", (28, 10, 10, 10, 14, 14, 24), strict=True):
        ws.column_dimensions[column].width = width
    name = f"sla-compliance-{f.date_from.isoformat()}-{f.date_to.isoformat()}.xlsx"
    return xlsx_response(wb, name)
