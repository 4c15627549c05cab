"""The agent (staff) screens for cases: queue, case page and its actions, hotline intake.

Views are thin (HackSoft): a form checks the shape, the service does the work, a
:class:`~aftersales.core.errors.DomainError` becomes a form error or an alert in the user's
language. Every page works without JavaScript (POST, redirect, GET); with htmx the same URLs
answer with the partial that changed, and with 409/422 when the action was refused.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aftersales.core.access import is_staff_user, staff_required
from aftersales.core.errors import DomainError, InvalidInput, VersionConflict
from aftersales.core.pagination import keyset_page
from aftersales.customers import services as customer_services
from aftersales.customers.forms import AssetForm, CustomerCreateForm, CustomerSearchForm
from aftersales.customers.models import Asset, Customer
from aftersales.customers.selectors import customer_get_for, customer_search

from . import permissions, selectors, services
from .choices import OPEN_STATUSES
from .forms import (
    AssignForm,
    AttachmentForm,
    CaseEditForm,
    IntakeCaseForm,
    MessageForm,
    TransitionForm,
    extra_display,
    extra_form,
    queue_filter_form,
)
from .models import Case
from .templatetags.case_ui import status_label
from .transitions import STAFF, allowed_steps

CASE_PERMS = ("cases.view_case",)
INTAKE_PERMS = ("cases.view_case", "cases.add_case")


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _htmx_target(request: HttpRequest) -> str:
    return (request.htmx.target or "") if _is_htmx(request) else ""


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
    page = None
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
    context = {
        "form": form,
        "page": page,
        "is_later_page": bool(request.GET.get("cursor")),
    }
    status = 200 if page is not None else 422
    if _htmx_target(request) == "queue-results":
        return render(request, "cases/partials/_queue_table.html", context, status=status)
    return render(request, "cases/queue.html", context, status=status)


# --- the case page --------------------------------------------------------------------------


def _case_context(request: HttpRequest, case: Case, **overrides: Any) -> dict[str, Any]:
    user = request.user
    can_transition = permissions.can_transition(user, case)
    steps = allowed_steps(case.case_type, case.status, STAFF) if can_transition else []
    attachments = {a.pk: a for a in selectors.attachment_list(user=user, case=case)}
    context: dict[str, Any] = {
        "case": case,
        "timeline": selectors.case_timeline(user=user, case=case),
        "attachments": attachments,
        "steps": steps,
        "extra_rows": extra_display(case),
        "related": selectors.related_cases(
            user=user, customer=case.customer, asset=case.asset, exclude=case, limit=5
        ),
        "can_reply": permissions.can_reply(user, case),
        "can_note": permissions.can_note(user),
        "can_transition": can_transition,
        "can_assign": permissions.can_assign(user),
        "can_update": permissions.can_update(user),
        "can_attach": permissions.can_attach(user, case),
        "can_reveal": user.has_perm("customers.reveal_personal_data"),
        "reply_form": MessageForm(auto_id="reply_%s"),
        "note_form": MessageForm(auto_id="note_%s"),
        "upload_form": AttachmentForm(auto_id="upload_%s"),
        "composer_mode": "reply",
        "transition_form": None,
        "action_error": None,
        "flash": None,
    }
    if context["can_assign"]:
        context["assign_form"] = AssignForm(
            initial={"version": case.version, "team": case.team_id, "assignee": case.assignee_id}
        )
    if context["can_update"]:
        context["edit_form"] = CaseEditForm(initial=CaseEditForm.initial_for(case), case=case)
        context["edit_extra_form"] = extra_form(case.case_type, initial=case.extra)
    context.update(overrides)
    return context


def _fresh(request: HttpRequest, case: Case) -> Case:
    return selectors.case_get_for(user=request.user, number=case.number)


def _error_info(exc: DomainError, section: str) -> dict[str, Any]:
    return {
        "section": section,
        "message": str(exc.message),
        "conflict": isinstance(exc, VersionConflict),
    }


def _check_version(case: Case, version: int) -> None:
    """Report a stale page as a conflict before anything else: the status, team or fields the
    editor saw may no longer be there, so any other message would mislead. The service checks
    again atomically when it writes."""
    if version != case.version:
        raise VersionConflict(
            _("Someone else changed this case in the meantime. Reload it and try again."),
            detail={"expected_version": version},
        )


def _render_state(
    request: HttpRequest, case: Case, *, status: int = 200, **overrides: Any
) -> HttpResponse:
    """After an action that changes the case itself: header, side panel and timeline."""
    context = _case_context(request, case, **overrides)
    if _is_htmx(request):
        return render(request, "cases/partials/_case_state.html", context, status=status)
    return render(request, "cases/case_detail.html", context, status=status)


def _render_composer(
    request: HttpRequest, case: Case, *, status: int = 200, **overrides: Any
) -> HttpResponse:
    """After a message or upload: the composer, and the timeline out of band."""
    context = _case_context(request, case, **overrides)
    if _is_htmx(request):
        return render(request, "cases/partials/_composer_response.html", context, status=status)
    return render(request, "cases/case_detail.html", context, status=status)


def _done(request: HttpRequest, case: Case, message: str, *, composer: bool = False):
    if not _is_htmx(request):
        messages.success(request, message)
        return redirect("cases:case_detail", number=case.number)
    case = _fresh(request, case)
    if composer:
        return _render_composer(request, case, flash=message)
    return _render_state(request, case, flash=message)


@staff_required(*CASE_PERMS)
@require_GET
def case_detail(request: HttpRequest, number: str) -> HttpResponse:
    case = selectors.case_get_for(user=request.user, number=number)
    return render(request, "cases/case_detail.html", _case_context(request, case))


@staff_required(*CASE_PERMS)
@require_POST
def case_transition(request: HttpRequest, number: str) -> HttpResponse:
    case = selectors.case_get_for(user=request.user, number=number)
    if not permissions.can_transition(request.user, case):
        raise PermissionDenied
    form = TransitionForm(request.POST)
    if not form.is_valid():
        return _render_state(
            request,
            case,
            status=422,
            action_error={"section": "transition", "message": _("The request was incomplete.")},
        )
    data = form.cleaned_data
    try:
        _check_version(case, data["version"])
        case = services.case_transition(
            actor=request.user,
            case=case,
            to_status=data["to_status"],
            reason=data["reason"],
            expected_version=data["version"],
        )
    except DomainError as exc:
        return _render_state(
            request,
            _fresh(request, case),
            status=exc.status_code,
            action_error=_error_info(exc, "transition"),
            transition_form=form,
        )
    return _done(request, case, _("Status changed to “%s”.") % status_label(case.status))


@staff_required(*CASE_PERMS)
@require_POST
def case_assign(request: HttpRequest, number: str) -> HttpResponse:
    case = selectors.case_get_for(user=request.user, number=number)
    if not permissions.can_assign(request.user):
        raise PermissionDenied
    form = AssignForm(request.POST)
    if not form.is_valid():
        return _render_state(request, case, status=422, assign_form=form)
    data = form.cleaned_data
    try:
        _check_version(case, data["version"])
        case = services.case_assign(
            actor=request.user,
            case=case,
            team=data["team"],
            assignee=data["assignee"],
            expected_version=data["version"],
        )
    except DomainError as exc:
        return _render_state(
            request,
            _fresh(request, case),
            status=exc.status_code,
            action_error=_error_info(exc, "assign"),
            assign_form=form,
        )
    return _done(request, case, _("Assignment saved."))


def _edit_forms(request: HttpRequest, case: Case) -> tuple[CaseEditForm, Any]:
    if request.method == "POST":
        return (
            CaseEditForm(request.POST, case=case),
            extra_form(case.case_type, data=request.POST),
        )
    return (
        CaseEditForm(initial=CaseEditForm.initial_for(case), case=case),
        extra_form(case.case_type, initial=case.extra),
    )


@staff_required(*CASE_PERMS)
@require_http_methods(["GET", "POST"])
def case_edit(request: HttpRequest, number: str) -> HttpResponse:
    """Change title, description, demand, classification and the type's detail fields."""
    case = selectors.case_get_for(user=request.user, number=number)
    if not permissions.can_update(request.user):
        raise PermissionDenied
    form, extra = _edit_forms(request, case)
    if request.method == "GET":
        return render(
            request, "cases/case_edit.html", {"case": case, "form": form, "extra_form": extra}
        )
    overrides = {"edit_form": form, "edit_extra_form": extra, "edit_open": True}
    if not (form.is_valid() and extra.is_valid()):
        return _render_edit_error(request, case, 422, overrides)
    data = form.cleaned_data
    changes = {
        "title": data["title"],
        "priority": data["priority"],
        "severity": data["severity"],
        "category": data["category"],
        "customer_demand": data["customer_demand"],
        "description": data["description"],
        "extra": extra.cleaned_extra(),
    }
    try:
        _check_version(case, data["version"])
        case = services.case_update(
            actor=request.user, case=case, expected_version=data["version"], changes=changes
        )
    except DomainError as exc:
        overrides["action_error"] = _error_info(exc, "edit")
        return _render_edit_error(request, _fresh(request, case), exc.status_code, overrides)
    return _done(request, case, _("Details saved."))


def _render_edit_error(request, case, status, overrides):
    if not _is_htmx(request) and request.POST.get("from_page") == "edit":
        return render(
            request,
            "cases/case_edit.html",
            {
                "case": case,
                "form": overrides["edit_form"],
                "extra_form": overrides["edit_extra_form"],
                "action_error": overrides.get("action_error"),
            },
            status=status,
        )
    return _render_state(request, case, status=status, **overrides)


def _message_action(request: HttpRequest, number: str, *, kind: str) -> HttpResponse:
    case = selectors.case_get_for(user=request.user, number=number)
    allowed = (
        permissions.can_reply(request.user, case)
        if kind == "reply"
        else permissions.can_note(request.user)
    )
    if not allowed:
        raise PermissionDenied
    form = MessageForm(request.POST, request.FILES, auto_id=f"{kind}_%s")
    overrides: dict[str, Any] = {f"{kind}_form": form, "composer_mode": kind}
    if not form.is_valid():
        return _render_composer(request, case, status=422, **overrides)
    service = services.case_reply if kind == "reply" else services.case_note
    try:
        service(
            actor=request.user,
            case=case,
            body=form.cleaned_data["body"],
            files=form.cleaned_data["files"],
        )
    except DomainError as exc:
        overrides["action_error"] = _error_info(exc, kind)
        return _render_composer(request, case, status=exc.status_code, **overrides)
    message = _("Reply sent.") if kind == "reply" else _("Note added.")
    return _done(request, case, message, composer=True)


@staff_required(*CASE_PERMS)
@require_POST
def case_reply(request: HttpRequest, number: str) -> HttpResponse:
    return _message_action(request, number, kind="reply")


@staff_required(*CASE_PERMS)
@require_POST
def case_note(request: HttpRequest, number: str) -> HttpResponse:
    return _message_action(request, number, kind="note")


@staff_required(*CASE_PERMS)
@require_POST
def attachment_upload(request: HttpRequest, number: str) -> HttpResponse:
    case = selectors.case_get_for(user=request.user, number=number)
    if not permissions.can_attach(request.user, case):
        raise PermissionDenied
    form = AttachmentForm(request.POST, request.FILES, auto_id="upload_%s")
    overrides: dict[str, Any] = {"upload_form": form, "composer_mode": "upload"}
    if not form.is_valid():
        return _render_composer(request, case, status=422, **overrides)
    try:
        services.attachment_add(
            actor=request.user,
            case=case,
            files=form.cleaned_data["files"],
            public=form.cleaned_data["is_public"],
        )
    except DomainError as exc:
        overrides["action_error"] = _error_info(exc, "upload")
        return _render_composer(request, case, status=exc.status_code, **overrides)
    return _done(request, case, _("Files attached."), composer=True)


@login_required
@require_GET
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """Staff and the case's customer (public files only) download through here."""
    att = selectors.attachment_get_for(user=request.user, pk=pk)
    try:
        handle = att.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404("file") from exc
    inline = att.content_type.startswith("image/") or att.content_type == "application/pdf"
    response = FileResponse(
        handle,
        content_type=att.content_type,
        as_attachment=not inline,
        filename=att.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


# --- hotline intake -------------------------------------------------------------------------


def _open_cases_by_customer(user, customers: list[Customer], per_customer: int = 3) -> dict:
    ids = [c.pk for c in customers]
    grouped: dict[int, list[Case]] = {pk: [] for pk in ids}
    if not ids:
        return grouped
    rows = (
        selectors.case_list(user=user)
        .filter(customer_id__in=ids, status__in=OPEN_STATUSES)
        .only("id", "number", "title", "status", "customer_id", "created_at")
        .order_by("-id")
    )
    for case in rows[: per_customer * len(ids) * 4]:
        if len(grouped[case.customer_id]) < per_customer:
            grouped[case.customer_id].append(case)
    return grouped


def _customer_asset(customer: Customer | None, raw: Any) -> Asset | None:
    if customer is None or raw in (None, ""):
        return None
    try:
        return customer.assets.select_related("product_model").get(pk=int(raw))
    except (Asset.DoesNotExist, ValueError, TypeError):
        return None


def _intake_context(
    request: HttpRequest,
    *,
    customer: Customer | None,
    asset: Asset | None,
    case_form: IntakeCaseForm | None = None,
    case_extra=None,
    customer_form: CustomerCreateForm | None = None,
    asset_form: AssetForm | None = None,
) -> dict[str, Any]:
    user = request.user
    search = CustomerSearchForm(request.GET or None)
    text = search.cleaned_data["q"] if search.is_valid() else ""
    results: list[Customer] = []
    if customer is None and text:
        results = customer_search(user=user, text=text)
    case_type = IntakeCaseForm.chosen_type(request.POST if request.method == "POST" else None)
    if case_form is None:
        case_form = IntakeCaseForm(
            initial={"customer": customer.pk if customer else None, "asset": asset and asset.pk},
            case_type=case_type,
        )
    return {
        "search_form": search,
        "too_few_digits": text.isdigit() and len(text) < 4,
        "results": results,
        "open_cases": _open_cases_by_customer(user, results),
        "customer": customer,
        "assets": list(customer.assets.select_related("product_model")) if customer else [],
        "contacts": list(customer.contacts.all()) if customer else [],
        "asset": asset,
        "related": selectors.related_cases(user=user, customer=customer, asset=asset)
        if customer
        else [],
        "hidden": selectors.related_cases_hidden_count(user=user, customer=customer, asset=asset)
        if customer
        else 0,
        "customer_form": customer_form or CustomerCreateForm(prefix="new"),
        "asset_form": asset_form or AssetForm(prefix="asset"),
        "case_form": case_form,
        "extra_form": case_extra or extra_form(case_type),
        "can_add_customer": user.has_perm("customers.add_customer"),
        "can_add_asset": user.has_perm("customers.add_asset"),
    }


def _intake_url(customer: Customer, asset: Asset | None = None) -> str:
    params = {"customer": customer.pk}
    if asset is not None:
        params["asset"] = asset.pk
    return f"{reverse('cases:intake')}?{urlencode(params)}"


def _attach_error(form, exc: DomainError, fields: dict[str, str | None]) -> None:
    """Put a service error on the form field it is about, else on the whole form."""
    field = fields.get(exc.code)
    if field is None and exc.code.startswith("attachment_"):
        field = "files"
    form.add_error(field if field in form.fields else None, str(exc.message))


CASE_ERROR_FIELDS = {
    "title_required": "title",
    "asset_mismatch": "asset",
    "contact_mismatch": None,
    "category_mismatch": "category",
    "assignee_invalid": "assignee",
    "invalid_choice": None,
}


@staff_required(*INTAKE_PERMS)
@require_http_methods(["GET", "POST"])
def intake(request: HttpRequest) -> HttpResponse:
    """Register a case from a call: find or create the customer, pick the product, describe."""
    user = request.user
    if request.method == "POST":
        step = request.POST.get("step") or "case"
        if step == "customer":
            return _intake_customer_create(request)
        if step == "asset":
            return _intake_asset_create(request)
        return _intake_case_create(request)
    if _htmx_target(request) == "type-fields":
        case_type = IntakeCaseForm.chosen_type(request.GET)
        return render(
            request,
            "cases/partials/_intake_type_fields.html",
            {
                "case_form": IntakeCaseForm(case_type=case_type),
                "extra_form": extra_form(case_type),
            },
        )
    customer = None
    if request.GET.get("customer"):
        customer = customer_get_for(user=user, pk=request.GET["customer"])
    asset = _customer_asset(customer, request.GET.get("asset"))
    context = _intake_context(request, customer=customer, asset=asset)
    return render(request, "cases/intake.html", context)


def _intake_customer_create(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("customers.add_customer"):
        raise PermissionDenied
    form = CustomerCreateForm(request.POST, prefix="new")
    if form.is_valid():
        try:
            customer = customer_services.customer_create(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            _attach_error(form, exc, CustomerCreateForm.ERROR_FIELDS)
        else:
            messages.success(request, _("Customer “%s” registered.") % customer)
            return redirect(_intake_url(customer))
    context = _intake_context(request, customer=None, asset=None, customer_form=form)
    context["show_new_customer"] = True
    return render(request, "cases/intake.html", context, status=422)


def _intake_asset_create(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("customers.add_asset"):
        raise PermissionDenied
    customer = customer_get_for(user=request.user, pk=request.POST.get("customer"))
    form = AssetForm(request.POST, prefix="asset")
    if form.is_valid():
        try:
            asset = customer_services.asset_create(
                actor=request.user, customer=customer, **form.cleaned_data
            )
        except DomainError as exc:
            _attach_error(form, exc, AssetForm.ERROR_FIELDS)
        else:
            messages.success(request, _("Product “%s” registered.") % asset)
            return redirect(_intake_url(customer, asset))
    context = _intake_context(request, customer=customer, asset=None, asset_form=form)
    context["show_new_asset"] = True
    return render(request, "cases/intake.html", context, status=422)


def _intake_case_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    case_type = IntakeCaseForm.chosen_type(request.POST)
    form = IntakeCaseForm(request.POST, request.FILES, case_type=case_type)
    extra = extra_form(case_type, data=request.POST)
    customer = None
    if request.POST.get("customer"):
        customer = customer_get_for(user=user, pk=request.POST["customer"])
    asset = _customer_asset(customer, request.POST.get("asset"))
    form_ok = form.is_valid()
    extra_ok = extra.is_valid()
    if form_ok and form.cleaned_data.get("asset") and asset is None:
        form.add_error("asset", _("Choose one of the customer's products."))
        form_ok = False
    if customer is None:
        form.add_error(None, _("Find or register the customer first."))
    if form_ok and extra_ok and customer is not None:
        data = form.cleaned_data
        try:
            case = services.case_create(
                actor=user,
                customer=customer,
                asset=asset,
                case_type=data["case_type"],
                channel=data["channel"],
                category=data["category"],
                priority=data["priority"],
                severity=data["severity"],
                title=data["title"],
                description=data["description"],
                customer_demand=data["customer_demand"],
                team=data["team"],
                assignee=data["assignee"],
                extra=extra.cleaned_extra(),
                files=data["files"],
            )
        except DomainError as exc:
            _attach_error(form, exc, CASE_ERROR_FIELDS)
        else:
            messages.success(request, _("Case %s registered.") % case.number)
            return redirect("cases:case_detail", number=case.number)
    context = _intake_context(
        request, customer=customer, asset=asset, case_form=form, case_extra=extra
    )
    return render(request, "cases/intake.html", context, status=422)


@staff_required(*INTAKE_PERMS)
@require_GET
def intake_lookup(request: HttpRequest) -> HttpResponse:
    """Customers matching a phone fragment (4+ digits) or a name, with their open cases."""
    search = CustomerSearchForm(request.GET)
    text = search.cleaned_data["q"] if search.is_valid() else ""
    results = customer_search(user=request.user, text=text) if text else []
    return render(
        request,
        "cases/partials/_intake_lookup.html",
        {
            "results": results,
            "open_cases": _open_cases_by_customer(request.user, results),
            "searched": bool(text),
            "search_text": text,
            "too_few_digits": text.isdigit() and len(text) < 4,
        },
    )


@staff_required(*INTAKE_PERMS)
@require_GET
def intake_related(request: HttpRequest) -> HttpResponse:
    """Open or recent cases of the picked customer or product (R1.8 repeat detection)."""
    customer = customer_get_for(user=request.user, pk=request.GET.get("customer"))
    asset = _customer_asset(customer, request.GET.get("asset"))
    related = selectors.related_cases(user=request.user, customer=customer, asset=asset)
    hidden = selectors.related_cases_hidden_count(user=request.user, customer=customer, asset=asset)
    return render(
        request,
        "cases/partials/_related_cases.html",
        {"related": related, "hidden": hidden, "customer": customer, "asset": asset},
    )
