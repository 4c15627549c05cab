"""Screens for routing rules (R1.4): the ordered list, the editor and the sample-case test."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aftersales.core.access import staff_required
from aftersales.core.errors import DomainError
from aftersales.core.forms import add_domain_error

from . import selectors, services
from .forms import RuleForm, SampleForm
from .models import RoutingRule

MANAGE = "routing.manage_routingrule"


def _draft(form: RuleForm, rule: RoutingRule | None) -> RoutingRule:
    """An unsaved rule from the form (raises DomainError when the fields do not fit)."""
    draft = RoutingRule(**services.validate_rule(form.rule_fields()))
    if rule is not None:
        draft.pk, draft.position = rule.pk, rule.position
    return draft


def _run_test(request: HttpRequest, sample_form: SampleForm, draft: RoutingRule | None):
    """The dry run for a valid sample form, or ``None`` with the error on the form."""
    data = sample_form.cleaned_data
    try:
        sample = selectors.sample_build(user=request.user, **data)
    except Http404:
        sample_form.add_error("case_number", _("No such case, or you cannot see it."))
        return None
    return services.route_test(sample=sample, draft=draft)


@staff_required(MANAGE)
@require_GET
def rule_list(request: HttpRequest) -> HttpResponse:
    """The rules in the order they are tried, and a panel to test them on a sample case."""
    return render(
        request,
        "routing/rule_list.html",
        {"rules": selectors.rule_list(), "sample_form": SampleForm()},
    )


@staff_required(MANAGE)
@require_POST
def rule_move(request: HttpRequest, pk: int) -> HttpResponse:
    rule = get_object_or_404(RoutingRule, pk=pk)
    try:
        services.rule_move(actor=request.user, rule=rule, direction=request.POST.get("direction"))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    if request.htmx:
        context = {"rules": selectors.rule_list()}
        return render(request, "routing/partials/_rule_table.html", context)
    return redirect("routing:rule_list")


@staff_required(MANAGE)
@require_POST
def rule_delete(request: HttpRequest, pk: int) -> HttpResponse:
    rule = get_object_or_404(RoutingRule, pk=pk)
    try:
        version = int(request.POST.get("version") or 0) or None
        services.rule_delete(actor=request.user, rule=rule, expected_version=version)
    except (DomainError, ValueError) as exc:
        messages.error(request, str(getattr(exc, "message", exc)))
    else:
        messages.success(request, _("Rule “%s” removed.") % rule.name)
    return redirect("routing:rule_list")


@staff_required(MANAGE)
@require_http_methods(["GET", "POST"])
def rule_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Create or change a rule. "Test" runs the sample case; "Save" is offered (and accepted)
    only for the fields last tested."""
    rule = get_object_or_404(RoutingRule.objects.select_related("team"), pk=pk) if pk else None
    result = None
    status = 200
    if request.method == "GET":
        form = RuleForm(initial=RuleForm.initial_for(rule) if rule else None)
        sample_form = SampleForm()
    else:
        form = RuleForm(request.POST)
        sample_form = SampleForm(request.POST)
        action = request.POST.get("action", "save")
        if form.is_valid():
            if action == "test":
                result = _test_for_form(request, form, sample_form, rule)
                status = 200 if result is not None else 422
            elif not form.was_tested():
                form.add_error(None, _("Test the rule against a sample case before saving it."))
                status = 422
            else:
                saved = _save(request, form, rule)
                if saved is not None:
                    messages.success(request, _("Rule “%s” saved.") % saved.name)
                    return redirect("routing:rule_list")
                status = 422
        else:
            status = 422
    return render(
        request,
        "routing/rule_edit.html",
        {
            "rule": rule,
            "form": form,
            "sample_form": sample_form,
            "result": result,
            "token": form.test_token() if result is not None else "",
        },
        status=status,
    )


def _test_for_form(request, form: RuleForm, sample_form: SampleForm, rule):
    try:
        draft = _draft(form, rule)
    except DomainError as exc:
        add_domain_error(form, exc)
        return None
    if not sample_form.is_valid():
        return None
    return _run_test(request, sample_form, draft)


def _save(request, form: RuleForm, rule: RoutingRule | None) -> RoutingRule | None:
    try:
        if rule is None:
            return services.rule_create(actor=request.user, **form.rule_fields())
        return services.rule_update(
            actor=request.user,
            rule=rule,
            expected_version=form.cleaned_data.get("version"),
            changes=form.rule_fields(),
        )
    except DomainError as exc:
        add_domain_error(form, exc)
        return None


@staff_required(MANAGE)
@require_POST
def rule_test(request: HttpRequest) -> HttpResponse:
    """The htmx answer of a "Test" button: with the editor's draft rule when the form holds
    one (then with the token that lets it be saved), else the saved rules only."""
    sample_form = SampleForm(request.POST)
    form = None
    result = None
    error = ""
    if request.POST.get("with_draft"):
        form = RuleForm(request.POST)
        rule = None
        if request.POST.get("rule"):
            rule = get_object_or_404(RoutingRule, pk=request.POST["rule"])
        if form.is_valid():
            result = _test_for_form(request, form, sample_form, rule)
        errors = [str(e) for e in form.non_field_errors()] + [
            f"{form.fields[name].label}: {e}"
            for name, es in form.errors.items()
            if name != "__all__"
            for e in es
        ]
        error = " ".join(errors)
    elif sample_form.is_valid():
        result = _run_test(request, sample_form, None)
    if not error and sample_form.errors:
        error = " ".join(str(e) for es in sample_form.errors.values() for e in es)
    return render(
        request,
        "routing/partials/_test_result.html",
        {
            "result": result,
            "error": error,
            "token": form.test_token() if form is not None and result is not None else "",
            "editing": form is not None,
        },
        status=200 if result is not None else 422,
    )
