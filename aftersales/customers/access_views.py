"""The personal data access log for administrators (PIPL art. 51): who saw which customer's
data, when, how and from where. Read-only."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from aftersales.core.access import staff_required
from aftersales.core.counting import list_count

from . import privacy
from .forms import AccessLogFilterForm

PAGE_SIZE = 50


class _CountedPaginator(Paginator):
    """A paginator whose total comes from :func:`aftersales.core.counting.list_count`
    (exact while small, an estimate for a very long log)."""

    def __init__(self, *args, total: int, **kwargs):
        super().__init__(*args, **kwargs)
        self._total = total

    @property
    def count(self) -> int:  # type: ignore[override]
        return self._total


@staff_required("customers.view_personaldataaccess")
@require_GET
def access_log(request: HttpRequest) -> HttpResponse:
    form = AccessLogFilterForm(request.GET or None)
    filters = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = {
            "actor_text": data["actor"].strip(),
            "customer_text": data["customer"].strip(),
            "kind": data["kind"],
            "date_from": data["date_from"],
            "date_to": data["date_to"],
        }
    qs = privacy.access_log(**filters)
    total = list_count(qs)
    paginator = _CountedPaginator(qs, PAGE_SIZE, total=total.value)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "total": total,
        "query": query.urlencode(),
    }
    status = 422 if form.is_bound and not form.is_valid() else 200
    return render(request, "customers/access_log.html", context, status=status)
