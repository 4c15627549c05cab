from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .access import staff_required
from .errors import InvalidInput
from .forms import AuditFilterForm
from .models import AuditLog
from .pagination import keyset_page

AUDIT_PAGE_SIZE = 50


@staff_required("core.browse_auditlog")
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    """Read-only browsing of the audit log (R16.2): nothing here edits or deletes a record."""
    form = AuditFilterForm(request.GET or None)
    page = None
    if not form.is_bound or form.is_valid():
        base = AuditLog.objects.select_related("actor")
        qs = form.apply(base) if form.is_bound else base
        cursor = form.cleaned_data.get("cursor") if form.is_bound else None
        try:
            page = keyset_page(qs, order=["-id"], cursor=cursor or None, limit=AUDIT_PAGE_SIZE)
        except InvalidInput as exc:
            form.add_error(None, str(exc.message))
    context = {
        "form": form,
        "page": page,
        "is_later_page": bool(request.GET.get("cursor")),
    }
    status = 200 if page is not None else 422
    htmx = getattr(request, "htmx", None)
    if htmx and htmx.target == "audit-results":
        return render(request, "core/partials/_audit_table.html", context, status=status)
    return render(request, "core/audit_log.html", context, status=status)
