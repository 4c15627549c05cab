"""The case page and its actions: reply, note, status, assignment, edit, attachments."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aftersales.core.access import staff_required
from aftersales.core.errors import DomainError, VersionConflict

from .. import permissions, selectors, services
from ..forms import (
    AssignForm,
    AttachmentForm,
    CaseEditForm,
    MessageForm,
    TransitionForm,
    extra_display,
    extra_form,
)
from ..models import Case
from ..templatetags.case_ui import status_label
from ..transitions import STAFF, allowed_steps
from .common import CASE_PERMS, _is_htmx

# --- the case page --------------------------------------------------------------------------


def _case_context(request: HttpRequest, case: Case, **overrides: Any) -> dict[str, Any]:
    user = request.user
    if not selectors.in_working_scope(case):
        return _history_context(request, case, **overrides)
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
    # the edit form is fetched when its panel is opened (case_edit answers htmx with it); it is
    # built here only when a failed submission shows it again (``edit_form`` in ``overrides``)
    context.update(overrides)
    return context


def _history_context(request: HttpRequest, case: Case, **overrides: Any) -> dict[str, Any]:
    """Another team's case read from the customer's history: its facts and public thread,
    no internal notes, no actions (docs/adr/0006-customer-history-at-the-desk.md)."""
    user = request.user
    context: dict[str, Any] = {
        "case": case,
        "history_only": True,
        "timeline": selectors.case_timeline(user=user, case=case),
        "attachments": {a.pk: a for a in selectors.attachment_list(user=user, case=case)},
        "steps": [],
        "extra_rows": extra_display(case),
        "related": selectors.related_cases(
            user=user, customer=case.customer, asset=case.asset, exclude=case, limit=5
        ),
        "can_reply": False,
        "can_note": False,
        "can_transition": False,
        "can_assign": False,
        "can_update": False,
        "can_attach": False,
        "can_reveal": user.has_perm("customers.reveal_personal_data"),
        "action_error": None,
        "flash": None,
    }
    context.update(overrides)
    return context


def _acting_case(request: HttpRequest, number: str) -> Case:
    """The case an action is aimed at: 404 when the user may not read it, 403 when they read
    it in the customer's history but it is outside their working scope."""
    case = selectors.case_read_for(user=request.user, number=number)
    if not selectors.in_working_scope(case):
        raise PermissionDenied
    return case


def _fresh(request: HttpRequest, case: Case) -> Case:
    return selectors.case_read_for(user=request.user, number=case.number)


def _error_info(exc: DomainError, section: str) -> dict[str, Any]:
    return {
        "section": section,
        "message": str(exc.message),
        "conflict": isinstance(exc, VersionConflict),
    }


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
    case = selectors.case_read_for(user=request.user, number=number)
    return render(request, "cases/case_detail.html", _case_context(request, case))


@staff_required(*CASE_PERMS)
@require_POST
def case_transition(request: HttpRequest, number: str) -> HttpResponse:
    case = _acting_case(request, number)
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
    case = _acting_case(request, number)
    if not permissions.can_assign(request.user):
        raise PermissionDenied
    form = AssignForm(request.POST)
    if not form.is_valid():
        return _render_state(request, case, status=422, assign_form=form)
    data = form.cleaned_data
    try:
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
    case = _acting_case(request, number)
    if not permissions.can_update(request.user):
        raise PermissionDenied
    form, extra = _edit_forms(request, case)
    if request.method == "GET":
        if _is_htmx(request):  # the case page's edit panel, opened
            return render(
                request,
                "cases/partials/_edit_form.html",
                {"case": case, "edit_form": form, "edit_extra_form": extra},
            )
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
        "resolution": data["resolution"],
        "extra": extra.cleaned_extra(),
    }
    try:
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
    case = _acting_case(request, number)
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
    case = _acting_case(request, number)
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
    # A PDF shown inline on our own origin must not run scripts or reach the session.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'"
    response["Cache-Control"] = "private, max-age=3600"
    return response
