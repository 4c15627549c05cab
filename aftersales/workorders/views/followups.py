"""Follow-up calls (回访): the list of due and overdue calls with the follow-up rate, the call
form, and the survey page a customer reaches from the link sent after unanswered calls."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from aftersales.core.access import staff_required
from aftersales.core.errors import DomainError
from aftersales.core.forms import add_domain_error

from .. import followups, selectors
from ..forms import EvaluationForm, FollowUpForm
from ..models import FollowUp

PERM = ("workorders.followup_workorder",)


@staff_required(*PERM)
@require_GET
def followup_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    month_start = timezone.localtime(now).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    due = list(selectors.followups_due(user=request.user, now=now)[:200])
    overdue_before = now - dt.timedelta(days=2)
    return render(
        request,
        "workorders/followup_list.html",
        {
            "due": due,
            "overdue_before": overdue_before,
            "rate": selectors.followup_rate(month_start, now + dt.timedelta(seconds=1)),
            "rate_30": selectors.followup_rate(now - dt.timedelta(days=30), now),
        },
    )


@staff_required(*PERM)
@require_http_methods(["GET", "POST"])
def followup_record(request: HttpRequest, pk: int) -> HttpResponse:
    follow_up = get_object_or_404(
        FollowUp.objects.select_related(
            "work_order__customer", "work_order__technician", "work_order__case"
        ),
        pk=pk,
        work_order__in=selectors.workorder_list(user=request.user),
    )
    form = FollowUpForm(request.POST or None, initial={"version": follow_up.version})
    if request.method == "POST" and form.is_valid():
        try:
            follow_up = followups.followup_record(
                actor=request.user,
                follow_up=follow_up,
                reached=form.cleaned_data["reached"],
                scores=form.scores(),
                comments=form.cleaned_data["comments"],
                expected_version=form.cleaned_data["version"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            if follow_up.complaint_case_id:
                messages.warning(
                    request,
                    _("The customer is dissatisfied: complaint %(number)s was opened.")
                    % {"number": follow_up.complaint_case.number},
                )
            else:
                messages.success(request, _("The follow-up was recorded."))
            return redirect("workorders:followup_list")
    order = follow_up.work_order
    return render(
        request,
        "workorders/followup_form.html",
        {
            "follow_up": follow_up,
            "order": order,
            "phone": selectors.contact_phone_for(request.user, order),
            "form": form,
        },
        status=422 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, token: str) -> HttpResponse:
    """The customer's survey page, reached by the signed link (no sign-in needed)."""
    follow_up = followups.survey_follow_up(token)
    if follow_up is None:
        raise Http404("survey")
    form = EvaluationForm(request.POST or None)
    done = False
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                followups.followup_survey_answer(
                    follow_up=follow_up,
                    scores=form.scores(),
                    comments=form.cleaned_data["comments"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status_code
            else:
                done = True
        else:
            status = 422
    return render(
        request,
        "workorders/survey.html",
        {"form": form, "done": done, "order": follow_up.work_order},
        status=status,
    )
