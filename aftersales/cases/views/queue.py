"""The agent queue: the shared case filter, keyset pages, an htmx-swapped table."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from aftersales.core.access import is_staff_user
from aftersales.core.counting import list_count
from aftersales.core.errors import InvalidInput
from aftersales.core.pagination import keyset_page

from .. import selectors
from ..forms import (
    queue_filter_form,
)
from .common import CASE_PERMS, _htmx_target

# --- queue ----------------------------------------------------------------------------------


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """The cases the agent may see, filtered by the same form the API list uses."""
    user = request.user
    if not is_staff_user(user):
        if getattr(user, "is_customer", False):
            return redirect("portal:case_list")
        raise PermissionDenied
    if not user.has_perms(CASE_PERMS):
        raise PermissionDenied
    data = request.GET.copy()
    data.setdefault("state", "open")
    data.setdefault("sort", "newest")
    form = queue_filter_form(data, user=user)
    page = count = None
    if form.is_valid():
        qs = form.apply(selectors.case_list(user=user)).select_related(
            "customer", "team", "assignee"
        )
        try:
            page = keyset_page(
                qs,
                order=form.order,
                cursor=form.cleaned_data.get("cursor") or None,
                limit=form.page_limit,
            )
        except InvalidInput as exc:
            form.add_error(None, str(exc.message))
        else:
            count = list_count(qs)
    context = {
        "form": form,
        "page": page,
        "count": count,
        "is_later_page": bool(request.GET.get("cursor")),
    }
    status = 200 if page is not None else 422
    if _htmx_target(request) == "queue-results":
        return render(request, "cases/partials/_queue_table.html", context, status=status)
    return render(request, "cases/queue.html", context, status=status)
