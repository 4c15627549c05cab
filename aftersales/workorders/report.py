"""The repair report (产品维修报告单, R3.4) as a printable page and as a PDF.

The report is a standard Chinese form: its captions are the form's own field names, printed in
Chinese whatever the reader's language, with the translated caption beside them for readers of
another language. The PDF is made by WeasyPrint from the same template, with photos and the
signature embedded, in the Noto Sans CJK SC font (Debian ``fonts-noto-cjk``). It is made on
request: one report takes well under a second.
"""

from __future__ import annotations

import base64
from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from aftersales.accounts.models import User

from .choices import PhotoKind, Status
from .models import WorkOrder
from .services import order_totals, warranty_cover

# (official caption on the form, caption in the reader's language)
CAPTIONS: dict[str, tuple[str, Any]] = {
    "title": ("产品维修报告单", _("Product repair report")),
    "number": ("工单号", _("Work order")),
    "case": ("服务单号", _("Case")),
    "customer": ("客户", _("Customer")),
    "contact": ("联系人", _("Contact")),
    "address": ("地址", _("Address")),
    "product": ("产品", _("Product")),
    "model": ("型号", _("Model")),
    "serial": ("序列号", _("Serial number")),
    "purchase_date": ("购买日期", _("Purchase date")),
    "warranty": ("保修期", _("Warranty period")),
    "date": ("日期", _("Date")),
    "technician": ("维修人员", _("Technician")),
    "fault": ("故障描述", _("Fault description")),
    "findings": ("检查情况", _("Findings")),
    "cause": ("初步原因分析", _("Preliminary cause analysis")),
    "repair": ("维修情况", _("Repair details")),
    "result": ("维修结果", _("Result")),
    "parts": ("更换备件", _("Parts")),
    "part_code": ("备件编码", _("Part code")),
    "part_name": ("备件名称", pgettext_lazy("part", "Name")),
    "spec": ("规格型号", _("Specification and model")),
    "batch": ("批次", _("Batch")),
    "qty": ("数量", _("Quantity")),
    "price": ("单价", _("Unit price")),
    "amount": ("金额", _("Amount")),
    "cover": ("保修", _("Warranty")),
    "labour": ("工时", _("Labour")),
    "total": ("合计", _("Total")),
    "covered": ("保修承担", _("Covered by warranty")),
    "chargeable": ("客户应付", _("Payable by the customer")),
    "photos": ("维修照片", _("Photos")),
    "before": ("维修前", _("Before repair")),
    "after": ("维修后", _("After repair")),
    "signature": ("客户签字", _("Customer's signature")),
    "rating": ("客户评价", _("Customer's rating")),
    "review": ("主管审核", _("Supervisor review")),
    "reviewer": ("审核人", _("Reviewed by")),
    "yes": ("是", _("Yes")),
    "no": ("否", _("No")),
}


def captions() -> dict[str, dict[str, str]]:
    chinese = (translation.get_language() or "").startswith("zh")
    return {
        key: {"zh": zh, "local": "" if chinese else str(label)}
        for key, (zh, label) in CAPTIONS.items()
    }


def report_export_record(*, user: Any, order: Any, where: str) -> None:
    """The report carries the customer's name, address and phone whole: staff opening it is an
    export of personal data, written to the access log (PIPL); the customer reading their own
    report is not."""
    from aftersales.customers.privacy import Kind, personal_data_access_record

    if getattr(user, "is_staff_member", False):
        personal_data_access_record(
            actor=user, kind=Kind.EXPORT, customers=[order.customer_id], where=where
        )


def report_visible(user: User, order: WorkOrder) -> bool:
    """Staff who can see the order once the job is completed; the customer once the supervisor
    approved the report."""
    if getattr(user, "is_staff_member", False):
        return order.completed_at is not None
    return order.status in (Status.REVIEWED, Status.CLOSED)


def _data_uri(field_file: Any, content_type: str) -> str:
    with field_file.open("rb") as fh:
        data = fh.read()
    return f"data:{content_type};base64,{base64.b64encode(data).decode()}"


def report_context(order: WorkOrder, *, embed: bool) -> dict[str, Any]:
    """Everything the report shows. ``embed`` puts photos and the signature inline (PDF)."""
    from django.urls import reverse

    photos = []
    for photo in order.photos.all():
        src = (
            _data_uri(photo.file, photo.content_type)
            if embed
            else reverse("workorders:photo", args=[photo.pk])
        )
        photos.append({"kind": photo.kind, "label": PhotoKind(photo.kind).label, "src": src})
    signature = ""
    if order.signature:
        signature = (
            _data_uri(order.signature, "image/png")
            if embed
            else reverse("workorders:signature", args=[order.number])
        )
    return {
        "order": order,
        "c": captions(),
        "lines": list(order.lines.all()),
        "totals": order_totals(order),
        "cover": warranty_cover(order, (order.completed_at or timezone.now()).date()),
        "photos_before": [p for p in photos if p["kind"] == PhotoKind.BEFORE],
        "photos_after": [p for p in photos if p["kind"] == PhotoKind.AFTER],
        "signature_src": signature,
        "printed_at": timezone.localtime(),
    }


def report_pdf(order: WorkOrder) -> bytes:
    from weasyprint import HTML

    html = render_to_string("workorders/report_print.html", report_context(order, embed=True))
    return HTML(string=html).write_pdf()


def report_pdf_response(order: WorkOrder) -> HttpResponse:
    response = HttpResponse(report_pdf(order), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{order.number}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
