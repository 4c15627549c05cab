from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .access import staff_required
from .audit import audit_record
from .audit_labels import action_label, changes, object_label
from .errors import InvalidInput
from .exports import new_workbook, xlsx_response
from .forms import AuditFilterForm
from .models import AuditLog
from .pagination import Page, _typed, decode_cursor, encode_cursor, keyset_page

AUDIT_PAGE_SIZE = 50
AUDIT_EXPORT_MAX = 10_000


@staff_required("core.browse_auditlog")
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    """Read-only browsing of the audit log (R16.2): nothing here edits or deletes a record.

    Searched by person, action name, object number, type and dates; the system's records are
    hidden unless asked for. Pages go forward and back by the id of the rows shown (keyset),
    so page 500 costs what page 1 costs; the total is one count over the same indexed filter.
    """
    form = AuditFilterForm(request.GET or None)
    page = None
    total = None
    previous_cursor = None
    if not form.is_bound or form.is_valid():
        base = AuditLog.objects.select_related("actor")
        qs = form.apply(base) if form.is_bound else base.filter(actor__isnull=False)
        data = form.cleaned_data if form.is_bound else {}
        try:
            page, previous_cursor = _audit_page(qs, data.get("cursor"), data.get("before"))
        except InvalidInput as exc:
            form.add_error(None, str(exc.message))
        else:
            total = qs.count()
    context = {
        "form": form,
        "page": page,
        "total": total,
        "previous_cursor": previous_cursor,
        "is_later_page": previous_cursor is not None,
        "export_max": AUDIT_EXPORT_MAX,
    }
    status = 200 if page is not None else 422
    htmx = getattr(request, "htmx", None)
    if htmx and htmx.target == "audit-results":
        return render(request, "core/partials/_audit_table.html", context, status=status)
    return render(request, "core/audit_log.html", context, status=status)


def _audit_page(qs, cursor: str | None, before: str | None) -> tuple[Page, str | None]:
    """One page newest first: after ``cursor`` (next) or before ``before`` (previous), and the
    cursor of the page before it (``None`` on the first page)."""
    if before:
        (first_id,) = _typed(AuditLog, ["id"], decode_cursor(before, 1))
        rows = list(qs.filter(id__gt=first_id).order_by("id")[: AUDIT_PAGE_SIZE + 1])
        has_previous = len(rows) > AUDIT_PAGE_SIZE
        rows = rows[:AUDIT_PAGE_SIZE][::-1]
        next_cursor = encode_cursor([rows[-1].id]) if rows else None
        page = Page(items=rows, next_cursor=next_cursor, limit=AUDIT_PAGE_SIZE)
    else:
        page = keyset_page(qs, order=["-id"], cursor=cursor or None, limit=AUDIT_PAGE_SIZE)
        has_previous = bool(cursor) and bool(page.items)
        if has_previous:
            has_previous = qs.filter(id__gt=page.items[0].id).exists()
    previous = encode_cursor([page.items[0].id]) if has_previous and page.items else None
    return page, previous


@staff_required("core.browse_auditlog")
@require_GET
def audit_export(request: HttpRequest) -> HttpResponse:
    """The records the search finds (newest first, at most ``AUDIT_EXPORT_MAX``) as an Excel
    workbook, written through the formula-safe export helper; the export itself is audited."""
    form = AuditFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        message = " ".join(str(e) for e in form.non_field_errors()) or _("Invalid filters.")
        return HttpResponse(message, status=422, content_type="text/plain; charset=utf-8")
    base = AuditLog.objects.select_related("actor")
    qs = form.apply(base) if form.is_bound else base.filter(actor__isnull=False)
    rows = list(qs.order_by("-id")[:AUDIT_EXPORT_MAX])
    wb = new_workbook()
    ws = wb.active
    ws.title = str(_("Audit log"))[:31]
    ws.append(
        [
            _("Time"),
            _("Person"),
            _("Action"),
            _("Object type"),
            _("Number"),
            _("Object"),
            _("Changes"),
            _("Reason"),
            _("IP address"),
        ]
    )
    for entry in rows:
        ws.append(
            [
                entry.created_at,
                str(entry.actor) if entry.actor else (entry.actor_label or _("system")),
                action_label(entry.action),
                object_label(entry.object_type),
                entry.object_ref,
                entry.object_repr,
                "\n".join(
                    _change_text(c) for c in changes(entry.object_type, entry.before, entry.after)
                ),
                entry.reason,
                entry.ip_address or "",
            ]
        )
    ws.freeze_panes = "A2"
    for column, width in zip("ABCDEFGHI", (20, 16, 22, 14, 18, 28, 48, 24, 16), strict=True):
        ws.column_dimensions[column].width = width
    audit_record(
        actor=request.user,
        action="audit.export",
        object_type="core.auditlog",
        object_id="",
        object_repr=str(_("Audit log")),
        after={"rows": len(rows), "filters": {k: v for k, v in request.GET.items() if v}},
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return xlsx_response(wb, f"audit-log-{stamp}.xlsx")


def _changes_text(entry: AuditLog) -> str:
    return "\n".join(_change_text(c) for c in changes(entry.object_type, entry.before, entry.after))


def _change_text(change) -> str:
    if change.before is not None and change.after is not None:
        return f"{change.label}: {change.before} → {change.after}"
    if change.after is not None:
        return f"{change.label}: {change.after}"
    return f"{change.label}: {change.before} → —"
