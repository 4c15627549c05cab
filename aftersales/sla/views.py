"""Pages for SLA policies: the list in matching order and the edit form (targets, levels)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from aftersales.core.access import staff_required
from aftersales.core.errors import DomainError

from . import policies, selectors
from .forms import LevelFormSet, PolicyForm, TargetFormSet, formset_rows
from .models import SlaPolicy

MANAGE = "sla.manage_slapolicy"


@staff_required(MANAGE)
def policy_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "sla/policy_list.html", {"policies": selectors.policy_list(user=request.user)}
    )


@staff_required(MANAGE)
@require_http_methods(["GET", "POST"])
def policy_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    policy = None
    if pk is not None:
        policy = SlaPolicy.objects.filter(pk=pk).first()
        if policy is None:
            raise Http404("policy")
    instance = policy or SlaPolicy()
    data = request.POST if request.method == "POST" else None
    form = PolicyForm(data, instance=instance)
    targets = TargetFormSet(data, instance=instance, prefix="targets")
    levels = LevelFormSet(data, instance=instance, prefix="levels")
    status = 200
    if request.method == "POST":
        if form.is_valid() and targets.is_valid() and levels.is_valid():
            try:
                saved = policies.sla_policy_save(
                    actor=request.user,
                    policy=policy,
                    expected_version=form.cleaned_data.get("version"),
                    fields=form.policy_fields(),
                    targets=formset_rows(targets),
                    levels=formset_rows(levels),
                )
            except DomainError as exc:
                form.add_error(None, str(exc.message))
            else:
                messages.success(request, _("Policy “%(name)s” saved.") % {"name": saved.name})
                return redirect("sla:policy_list")
        status = 422
    context = {"policy": policy, "form": form, "targets": targets, "levels": levels}
    return render(request, "sla/policy_edit.html", context, status=status)
