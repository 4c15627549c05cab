"""Photos, signatures and the repair report: served only through permission-checked views."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import selectors
from ..report import report_context, report_export_record, report_pdf_response, report_visible


def _file_response(field_file, content_type: str, name: str) -> FileResponse:
    response = FileResponse(field_file.open("rb"), content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
@require_GET
def photo(request: HttpRequest, pk: int) -> FileResponse:
    """A photo of an order the user may see (a customer: their own orders)."""
    item = selectors.photo_get_for(user=request.user, pk=pk)
    ext = item.file.name.rsplit(".", 1)[-1]
    return _file_response(item.file, item.content_type, f"{item.work_order.number}-{pk}.{ext}")


@login_required
@require_GET
def signature(request: HttpRequest, number: str) -> FileResponse:
    order = selectors.workorder_get_for(user=request.user, number=number)
    if not order.signature:
        raise Http404("signature")
    return _file_response(order.signature, "image/png", f"{order.number}-signature.png")


def _report_order(request: HttpRequest, number: str):
    order = selectors.workorder_get_for(user=request.user, number=number)
    if not report_visible(request.user, order):
        raise Http404("report")
    report_export_record(user=request.user, order=order, where=request.path)
    return order


@login_required
@require_GET
def report(request: HttpRequest, number: str) -> HttpResponse:
    """The printable repair report (产品维修报告单)."""
    order = _report_order(request, number)
    template = (
        "workorders/report.html"
        if getattr(request.user, "is_staff_member", False)
        else "workorders/report_portal.html"
    )
    return render(request, template, report_context(order, embed=False))


@login_required
@require_GET
def report_pdf(request: HttpRequest, number: str) -> HttpResponse:
    return report_pdf_response(_report_order(request, number))
