"""Recording the rating a customer gives on the phone (R1.3): the return call asks how
satisfied they are, and the agent records it for them, marked as given by phone."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from aftersales.core.access import staff_required
from aftersales.core.errors import DomainError
from aftersales.core.forms import add_domain_error

from .. import services
from ..forms import PhoneRatingForm
from .case_page import _acting_case
from .common import CASE_PERMS


@staff_required(*CASE_PERMS)
@require_http_methods(["GET", "POST"])
def case_rating(request: HttpRequest, number: str) -> HttpResponse:
    case = _acting_case(request, number)
    if not request.user.has_perm("cases.reply_case"):
        raise PermissionDenied
    ratable = case.status in services.RATABLE and case.customer_rating is None
    status = 200
    if request.method == "POST":
        form = PhoneRatingForm(request.POST)
        status = 422
        if form.is_valid():
            try:
                services.case_rate_by_phone(
                    actor=request.user,
                    case=case,
                    rating=form.cleaned_data["rating"],
                    feedback=form.cleaned_data["feedback"],
                )
            except DomainError as exc:
                status = exc.status_code
                add_domain_error(form, exc, PhoneRatingForm.ERROR_FIELDS)
            else:
                messages.success(request, _("The customer's rating is recorded."))
                return redirect("cases:case_detail", number=case.number)
    else:
        form = PhoneRatingForm()
    context = {"case": case, "form": form, "ratable": ratable}
    return render(request, "cases/case_rating.html", context, status=status)
