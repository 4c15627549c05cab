"""The customer portal (R1.6): sign up, submit a request, follow it, reply, confirm the result.

Views check the shape of the input with forms and call the case and customer services; every
read goes through the selectors, so a customer only ever reaches their own cases (another
customer's case answers 404). Staff who land here are sent to their queue.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aftersales.cases import selectors as case_selectors
from aftersales.cases import services as case_services
from aftersales.cases.choices import Channel, EventKind, Status
from aftersales.cases.models import Case
from aftersales.cases.transitions import CUSTOMER, allowed_steps
from aftersales.core.errors import DomainError, InvalidInput
from aftersales.core.forms import add_domain_error
from aftersales.core.pagination import keyset_page
from aftersales.core.ratelimit import rate_limit_hit
from aftersales.core.request_context import client_address
from aftersales.customers import selectors as customer_selectors
from aftersales.customers import services as customer_services

from .forms import (
    ERROR_FIELDS,
    CaseNewForm,
    ConfirmForm,
    RatingForm,
    ReplyForm,
    SignupForm,
    chosen_type,
    portal_extra_form,
)

PAGE_SIZE = 20

# How each step a customer may take is offered on the page. ``open`` actions are shown at
# once; the others sit behind a disclosure so that a slip of the thumb cancels nothing.
CUSTOMER_ACTIONS: dict[str, dict[str, Any]] = {
    Status.CLOSED: {
        "testid": "confirm-resolved",
        "label": gettext_lazy("Yes, solved"),
        "button": "btn-success",
        "open": True,
    },
    Status.IN_PROGRESS: {
        "testid": "reopen",
        "label": gettext_lazy("Not solved"),
        "reason_label": gettext_lazy("What is still wrong?"),
        "button": "btn-outline-danger",
        "open": True,
    },
    Status.VERIFYING: {
        "testid": "appeal",
        "label": gettext_lazy("Ask for a review"),
        "reason_label": gettext_lazy("Why should we look again?"),
        "button": "btn-outline-primary",
        "open": False,
    },
    Status.CANCELLED: {
        "testid": "cancel-request",
        "label": gettext_lazy("Cancel this request"),
        "reason_label": gettext_lazy("Why do you cancel it?"),
        "button": "btn-outline-secondary",
        "open": False,
    },
}


def customer_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Portal pages are for customers: others sign in first, staff go to their queue."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if getattr(user, "is_staff_member", False):
            return redirect("cases:queue")
        if not hasattr(user, "customer"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _language() -> str:
    return "en" if (get_language() or "").startswith("en") else "zh-hans"


def signup(request: HttpRequest) -> HttpResponse:
    """Open a portal account: the customer record, consent, and sign-in in one step."""
    if request.user.is_authenticated:
        return redirect("core:home")
    form = SignupForm(request.POST or None)
    # every attempt counts against the client's address, so nobody opens accounts in bulk
    # (or probes which user names are taken) from one place
    if request.method == "POST" and rate_limit_hit(
        "signup", client_address(request) or "-", limit=settings.SIGNUP_PER_CLIENT, window=3600
    ):
        form.is_valid()  # keep what was typed on the page
        form.add_error(None, _("Too many sign-ups from your network. Try again in an hour."))
        return render(request, "portal/signup.html", {"form": form}, status=429)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            customer = customer_services.customer_signup(
                username=data["username"],
                password=data["password1"],
                name=data["name"],
                phone=data["phone"],
                email=data["email"],
                language=_language(),
                consent_privacy=data["consent_privacy"],
                consent_marketing=data["consent_marketing"],
            )
        except DomainError as exc:
            add_domain_error(form, exc, ERROR_FIELDS)
        else:
            login(request, customer.user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome! Your account is ready."))
            return redirect("portal:case_list")
    return render(request, "portal/signup.html", {"form": form})


@customer_required
def case_list(request: HttpRequest) -> HttpResponse:
    """The customer's own requests, newest first, a page at a time."""
    qs = case_selectors.case_list(user=request.user).select_related("asset__product_model")
    cursor = request.GET.get("after") or None
    try:
        page = keyset_page(qs, order=["-id"], cursor=cursor, limit=PAGE_SIZE)
    except InvalidInput:
        cursor = None
        page = keyset_page(qs, order=["-id"], cursor=None, limit=PAGE_SIZE)
    context = {"page": page, "cases": page.items}
    if request.htmx and cursor:
        return render(request, "portal/partials/_case_rows.html", context)
    return render(request, "portal/case_list.html", context)


TYPE_FIELDS_TARGET = "portal-type-fields"


@customer_required
def case_new(request: HttpRequest) -> HttpResponse:
    """Submit a request, with photos, for one of my products or one registered on the way.

    The details asked for depend on the type of request. Choosing another type swaps them in
    by htmx; without JavaScript, sending the form with another type than the one whose details
    were shown draws the page again with the right details instead of creating the case.
    """
    user = request.user
    customer = user.customer
    choices = {
        "assets": customer_selectors.asset_list(user=user).filter(customer=customer),
        "product_models": customer_selectors.product_model_list(),
    }
    if request.htmx and request.htmx.target == TYPE_FIELDS_TARGET:
        extra = portal_extra_form(chosen_type(request.GET))
        return render(request, "portal/partials/_type_fields.html", {"extra_form": extra})
    notice = ""
    if request.method == "POST":
        case_type = chosen_type(request.POST)
        shown = request.POST.get("details_type")
        extra = portal_extra_form(case_type, data=request.POST)
        if shown and shown != case_type and extra.fields:
            # The type changed without its details on the page: ask for them first.
            form = CaseNewForm(initial=_initial(request.POST), **choices)
            extra = portal_extra_form(case_type)
            notice = _("Fill in the details for this type of request, then send it.")
            if request.FILES:
                notice = f"{notice} {_('Please attach your photos again.')}"
            return _render_new(request, form, extra, notice)
        form = CaseNewForm(request.POST, request.FILES, **choices)
        status = 422
        form_ok = form.is_valid()
        if form_ok and extra.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    asset = data["asset"]
                    if form.registers_product:
                        asset = customer_services.asset_create(
                            actor=user,
                            customer=customer,
                            product_model=data["product_model"],
                            serial_number=data["serial_number"],
                            purchase_date=data["purchase_date"],
                        )
                    case = case_services.case_create(
                        actor=user,
                        customer=customer,
                        case_type=data["case_type"],
                        channel=Channel.PORTAL,
                        title=data["title"],
                        description=data["description"],
                        asset=asset,
                        extra=extra.cleaned_extra(),
                        files=data["files"],
                    )
            except DomainError as exc:
                add_domain_error(form, exc, ERROR_FIELDS)
                status = exc.status_code
            else:
                messages.success(
                    request,
                    _("We received your request %(number)s and will answer soon.")
                    % {"number": case.number},
                )
                return redirect("portal:case_detail", number=case.number)
        # refused (a field missing, a file not accepted): the form again, as a 4xx
        return _render_new(request, form, extra, notice, status=status)
    else:
        case_type = chosen_type(request.GET)
        initial = {"case_type": case_type}
        if request.GET.get("asset"):
            initial["asset"] = request.GET["asset"]
        form = CaseNewForm(initial=initial, **choices)
        extra = portal_extra_form(case_type)
    return _render_new(request, form, extra, notice)


def _initial(data: Any) -> dict[str, Any]:
    """What the customer typed in the main fields, to fill the form in again."""
    fields = CaseNewForm.base_fields
    return {k: v for k, v in data.items() if k in fields and k != "files"}


def _render_new(
    request: HttpRequest, form: CaseNewForm, extra: Any, notice: str, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "portal/case_new.html",
        {"form": form, "extra_form": extra, "notice": notice},
        status=status,
    )


def _timeline(events: list[Any], attachments: list[Any]) -> list[Any]:
    """Public events with their visible files; a file shown under its message is not
    listed a second time as a separate "attachment added" line."""
    by_pk = {a.pk: a for a in attachments}
    shown: set[int] = set()
    for ev in events:
        if ev.kind == EventKind.ATTACHMENT_ADDED:
            att = by_pk.get(ev.data.get("attachment"))
            ev.visible_attachments = [att] if att is not None else []
            continue
        ev.visible_attachments = [a for a in ev.attachments.all() if a.pk in by_pk]
        shown.update(a.pk for a in ev.visible_attachments)
        if ev.kind == EventKind.STATUS_CHANGED:
            ev.from_label = _status_label(ev.data.get("from"))
            ev.to_label = _status_label(ev.data.get("to"))
    return [
        ev
        for ev in events
        if ev.kind != EventKind.ATTACHMENT_ADDED
        or (ev.visible_attachments and ev.visible_attachments[0].pk not in shown)
    ]


def _status_label(value: str | None) -> str:
    try:
        return str(Status(value).label)
    except ValueError:
        return value or ""


def _actions(case: Case) -> list[dict[str, Any]]:
    steps = allowed_steps(case.case_type, case.status, CUSTOMER)
    actions = []
    for step in steps:
        meta = CUSTOMER_ACTIONS.get(step.to)
        if meta is not None:
            actions.append({"to": step.to.value, "reason_required": step.reason_required, **meta})
    return actions


def _render_detail(
    request: HttpRequest,
    case: Case,
    *,
    reply_form: ReplyForm | None = None,
    confirm_form: ConfirmForm | None = None,
    rating_form: RatingForm | None = None,
    notice: str = "",
    status: int = 200,
) -> HttpResponse:
    actions = _actions(case)
    confirm_to = confirm_form.data.get("to_status") if confirm_form is not None else None
    attachments = list(case_selectors.attachment_list(user=request.user, case=case))
    events = case_selectors.case_timeline(user=request.user, case=case)
    context = {
        "case": case,
        "timeline": _timeline(events, attachments),
        "attachments": attachments,
        "open_actions": [a for a in actions if a["open"]],
        "more_actions": [a for a in actions if not a["open"]],
        "confirm_form": confirm_form,
        "confirm_to": confirm_to,
        "reply_form": reply_form or ReplyForm(),
        "rating_form": rating_form or RatingForm(),
        "can_rate": case.status in case_services.RATABLE and case.customer_rating is None,
        "can_reply": case.status not in (Status.CLOSED, Status.CANCELLED),
        "notice": notice,
    }
    template = "portal/partials/_case_body.html" if request.htmx else "portal/case_detail.html"
    return render(request, template, context, status=status)


@customer_required
def case_detail(request: HttpRequest, number: str) -> HttpResponse:
    case = case_selectors.case_get_for(user=request.user, number=number)
    return _render_detail(request, case)


@require_POST
@customer_required
def case_reply(request: HttpRequest, number: str) -> HttpResponse:
    """The customer writes on their case; by htmx the case body is redrawn in place."""
    case = case_selectors.case_get_for(user=request.user, number=number)
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            case_services.case_reply(
                actor=request.user,
                case=case,
                body=form.cleaned_data["body"],
                files=form.cleaned_data["files"],
            )
        except DomainError as exc:
            add_domain_error(form, exc, ERROR_FIELDS)
        else:
            if not request.htmx:
                messages.success(request, _("Your message was sent."))
                return redirect("portal:case_detail", number=case.number)
            case.refresh_from_db()
            return _render_detail(request, case, notice=_("Your message was sent."))
    # refused (empty, a file not accepted): the case again with the form's errors, as a 4xx
    return _render_detail(request, case, reply_form=form, status=422)


@require_POST
@customer_required
def case_confirm(request: HttpRequest, number: str) -> HttpResponse:
    """Solved, not solved, or cancel: a status step the transition table allows customers."""
    case = case_selectors.case_get_for(user=request.user, number=number)
    form = ConfirmForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            case = case_services.case_transition(
                actor=request.user,
                case=case,
                to_status=data["to_status"],
                reason=data["reason"],
                expected_version=data["version"],
            )
        except DomainError as exc:
            add_domain_error(form, exc, ERROR_FIELDS)
            case.refresh_from_db()
        else:
            messages.success(request, _confirm_message(case.status))
            return redirect("portal:case_detail", number=case.number)
    return _render_detail(request, case, confirm_form=form)


@require_POST
@customer_required
def case_rate(request: HttpRequest, number: str) -> HttpResponse:
    """The customer's rating of the service on a resolved or closed request."""
    case = case_selectors.case_get_for(user=request.user, number=number)
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            case_services.case_rate(
                actor=request.user,
                case=case,
                rating=form.cleaned_data["rating"],
                feedback=form.cleaned_data["feedback"],
            )
        except DomainError as exc:
            add_domain_error(form, exc, ERROR_FIELDS)
        else:
            messages.success(request, _("Thank you for your rating."))
            return redirect("portal:case_detail", number=case.number)
    return _render_detail(request, case, rating_form=form, status=422)


def _confirm_message(status: str) -> str:
    if status == Status.CLOSED:
        return _("Thank you for confirming. The request is closed.")
    if status == Status.CANCELLED:
        return _("The request is cancelled.")
    return _("We have reopened your request and will look at it again.")
