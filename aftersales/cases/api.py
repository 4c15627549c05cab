"""API: service cases, their timeline, replies, notes, status changes, assignment and files.

Handlers check the shape and the role, then call the same services as the HTML screens. A case
comes from :func:`selectors.case_read_for`, so one the caller may not see answers 404 exactly
like a missing one; a role that may see it but not act, or a case read only in the customer's
history (another team's), answers 403.
"""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404, HttpRequest, QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Form, Header, Path, Query, Router, Status
from ninja.files import UploadedFile
from pydantic import BaseModel

from aftersales.accounts.models import Team, User
from aftersales.core.api import (
    ERRORS_READ,
    ERRORS_WRITE,
    ObjectId,
    has_unstorable_text,
    paginate,
    require,
    require_perm,
    set_fields,
)
from aftersales.core.counting import list_count
from aftersales.core.errors import InvalidInput, VersionConflict
from aftersales.customers import privacy
from aftersales.customers.models import Contact
from aftersales.customers.phones import mask_phone
from aftersales.customers.selectors import asset_list, customer_list, sees_full_personal_data

from . import permissions, selectors, services
from .api_schemas import (
    CASE_NUMBER_PATTERN,
    AssignmentIn,
    AttachmentOut,
    CaseIn,
    CaseOut,
    CasePageOut,
    CasePatch,
    CaseQuery,
    EventOut,
    MessageIn,
    RatingIn,
    TransitionIn,
    TransitionsOut,
)
from .choices import Channel, EventKind
from .choices import Status as CaseStatus
from .filters import CaseFilterForm
from .models import Attachment, Case, CaseCategory, CaseEvent
from .transitions import allowed_steps

router = Router(tags=["cases"])

CaseNumber = Path(
    ..., max_length=20, pattern=CASE_NUMBER_PATTERN, description="e.g. SC-2026-000123"
)
MAX_FILES = 10
RELATED = ("customer", "contact", "asset__product_model", "team", "assignee", "category")


# --- presenting ------------------------------------------------------------------------------


def _case_item(user: User, case: Case) -> dict[str, Any]:
    staff = user.is_staff_member
    return {
        "number": case.number,
        "case_type": case.case_type,
        "channel": case.channel,
        "status": case.status,
        "status_label": str(CaseStatus(case.status).label),
        "priority": case.priority,
        "severity": case.severity,
        "title": case.title,
        "category": case.category.code if case.category_id else None,
        "customer": {"id": case.customer_id, "name": case.customer.name},
        "asset_id": case.asset_id,
        "team": case.team.code if staff and case.team_id else None,
        "assignee": case.assignee.username if staff and case.assignee_id else None,
        "created_at": case.created_at,
        "updated_at": case.updated_at,
        "status_changed_at": case.status_changed_at,
        "version": case.version,
    }


def _case_out(user: User, case: Case) -> dict[str, Any]:
    contact = None
    if case.contact_id:
        whole = sees_full_personal_data(user) or case.customer.user_id == user.pk
        contact = {
            "id": case.contact.pk,
            "name": case.contact.name,
            "phone": case.contact.phone if whole else mask_phone(case.contact.phone),
        }
    asset = None
    if case.asset_id:
        a = case.asset
        asset = {
            "id": a.pk,
            "product_model": a.product_model.code,
            "product_model_name": a.product_model.name,
            "serial_number": a.serial_number,
            "vin": a.vin,
            "purchase_date": a.purchase_date,
            "warranty_end": a.warranty_end,
            "main_parts_warranty_end": a.main_parts_warranty_end,
            "in_warranty": a.in_warranty(),
        }
    return {
        **_case_item(user, case),
        "description": case.description,
        "customer_demand": case.customer_demand,
        "extra": case.extra or {},
        "contact": contact,
        "asset": asset,
        "is_open": case.is_open,
        "first_response_at": case.first_response_at,
        "resolved_at": case.resolved_at,
        "closed_at": case.closed_at,
        "resolution": case.resolution,
        "customer_rating": case.customer_rating,
        "customer_feedback": case.customer_feedback,
        "rated_at": case.rated_at,
        "rating_channel": case.rating_channel,
    }


def _attachment_out(att: Attachment) -> dict[str, Any]:
    return {
        "id": att.pk,
        "name": att.original_name,
        "content_type": att.content_type,
        "size": att.size,
        "is_public": att.is_public,
        "created_at": att.created_at,
        "url": reverse("api:attachment_download", kwargs={"attachment_id": att.pk}),
    }


def _event_out(user: User, event: CaseEvent) -> dict[str, Any]:
    staff = user.is_staff_member
    return {
        "id": event.pk,
        "kind": event.kind,
        "kind_label": str(EventKind(event.kind).label),
        "actor": str(event.actor) if event.actor_id else None,
        "created_at": event.created_at,
        "is_public": event.is_public,
        "body": event.body,
        "data": event.data or {},
        "attachments": [
            _attachment_out(a) for a in event.attachments.all() if staff or a.is_public
        ],
    }


def _reload(case: Case) -> Case:
    """The case after a change, with what the answer shows. The caller just acted on it, so it
    is returned even if the change (e.g. routing to another team) takes it out of their view."""
    return Case.objects.select_related(*RELATED).get(pk=case.pk)


# --- access and lookups ----------------------------------------------------------------------


def _case_for(user: User, number: str, *, act: bool = True) -> Case:
    """The case a request is about: 404 when the caller may not read it; for an action
    (``act``), 403 when they read it only in the customer's history (another team's case:
    its facts and public thread, docs/adr/0006-customer-history-at-the-desk.md)."""
    # Staff with the case permission, or a customer (who sees only their own cases).
    require_perm(user, "cases.view_case", also_if=user.is_customer)
    case = selectors.case_read_for(user=user, number=number)
    if act:
        require(
            selectors.in_working_scope(case),
            _("This case is held by another team: you may read it, not change it."),
        )
    return case


def _unknown(field: str, message: str) -> InvalidInput:
    return InvalidInput(message, code="unknown_reference", detail={"field": field})


def _category(code: str | None, field: str = "category") -> CaseCategory | None:
    if code is None or code == "":
        return None
    category = CaseCategory.objects.filter(code=code, is_active=True).first()
    if category is None:
        raise _unknown(field, _("No such category."))
    return category


def _team(code: str | None) -> Team | None:
    if code is None or code == "":
        return None
    team = Team.objects.filter(code=code).first()
    if team is None:
        raise _unknown("team", _("No such team."))
    return team


def _staff_user(username: str | None) -> User | None:
    if username is None or username == "":
        return None
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise _unknown("assignee", _("No user with this name."))
    return user


def _asset(user: User, asset_id: int | None):
    if asset_id is None:
        return None
    asset = asset_list(user=user).filter(pk=asset_id).first()
    if asset is None:
        raise _unknown("asset_id", _("No such product."))
    return asset


def _extra(value: Any) -> dict[str, Any]:
    """The fields the caller sent, as a dict for the service to check against the type."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", exclude_unset=True)
    return dict(value or {})


# --- cases -----------------------------------------------------------------------------------


@router.get("/cases", response={200: CasePageOut, **ERRORS_READ}, summary="Cases")
def case_list(request: HttpRequest, filters: Query[CaseQuery]):
    """The cases the caller may see, narrowed by the same filter as the agent queue.

    Keyset pagination: pass ``next_cursor`` back as ``cursor`` with the same filters."""
    user: User = request.auth
    require_perm(user, "cases.view_case", also_if=user.is_customer)
    values = filters.model_dump(exclude_none=True)
    if not user.is_staff_member:
        # Customers filter their own cases; team and staff names are not theirs to probe.
        values.pop("team", None)
        values.pop("assignee", None)
    data = QueryDict(mutable=True)
    for name, value in values.items():
        if isinstance(value, list):
            data.setlist(name, [str(v) for v in value])
        else:
            data[name] = str(value)
    form = CaseFilterForm(data, user=user)
    if not form.is_valid():
        raise InvalidInput(
            _("The request is not valid."),
            code="invalid_input",
            detail=[
                {"field": field, "error": str(error)}
                for field, errors in form.errors.items()
                for error in errors
            ],
        )
    scope = selectors.case_list_scope(
        user=user, team=form.cleaned_data.get("team"), customer=form.cleaned_data.get("customer")
    )
    qs = form.apply(scope).select_related("customer", "team", "assignee", "category")
    cursor = form.cleaned_data.get("cursor")
    page = paginate(qs, order=form.order, cursor=cursor, limit=form.page_limit)
    counted = {} if cursor else list_count(qs).as_dict()
    return {
        "items": [_case_item(user, c) for c in page.items],
        "next_cursor": page.next_cursor,
        **counted,
    }


@router.post(
    "/cases",
    response={200: CaseOut, 201: CaseOut, **ERRORS_WRITE},
    summary="Open a case",
)
def case_create(
    request: HttpRequest,
    payload: CaseIn,
    idempotency_key: str | None = Header(
        None,
        alias="Idempotency-Key",
        max_length=100,
        description="Send the same key when retrying: the first case is returned (200) and no "
        "second one is created",
    ),
):
    """Open a case of any type. Customers open cases for themselves only: ``customer_id``,
    ``channel``, ``team``, ``assignee``, ``priority`` and ``severity`` are then ignored.
    Answers 201 with the new case, or 200 with the earlier one for a repeated
    ``Idempotency-Key``."""
    user: User = request.auth
    require(permissions.can_create(user))
    if has_unstorable_text(idempotency_key):
        raise InvalidInput(
            _("The Idempotency-Key contains characters that cannot be stored."),
            detail={"field": "Idempotency-Key"},
        )
    if user.is_staff_member:
        if payload.customer_id is None:
            raise InvalidInput(
                _("Choose the customer."), code="customer_required", detail={"field": "customer_id"}
            )
        customer = customer_list(user=user).filter(pk=payload.customer_id).first()
        if customer is None:
            raise _unknown("customer_id", _("No such customer."))
        staff_fields = {
            "channel": payload.channel or (Channel.API if user.is_integration else Channel.HOTLINE),
            "team": _team(payload.team),
            "assignee": _staff_user(payload.assignee),
            # left out: the routing rules decide (R1.4)
            "priority": payload.priority if "priority" in payload.model_fields_set else None,
            "severity": payload.severity,
        }
    else:
        customer = user.customer
        staff_fields = {"channel": Channel.API if user.is_integration else Channel.PORTAL}
    contact = None
    if payload.contact_id is not None:
        contact = Contact.objects.filter(pk=payload.contact_id, customer=customer).first()
        if contact is None:
            raise _unknown("contact_id", _("No such contact for this customer."))
    case, created = services.case_create_idempotent(
        actor=user,
        idempotency_key=idempotency_key,
        customer=customer,
        case_type=payload.case_type,
        title=payload.title,
        description=payload.description,
        customer_demand=payload.customer_demand,
        category=_category(payload.category),
        asset=_asset(user, payload.asset_id),
        contact=contact,
        extra=_extra(payload.extra),
        **staff_fields,
    )
    if created:
        # The service's case already carries what the answer shows (customer, contact, asset
        # with its model, team, assignee, category): no second trip to the database.
        return Status(201, _case_out(user, case))
    return Status(200, _case_out(user, _reload(case)))


@router.get("/cases/{number}", response={200: CaseOut, **ERRORS_READ}, summary="One case")
def case_detail(request: HttpRequest, number: str = CaseNumber):
    user: User = request.auth
    case = _case_for(user, number, act=False)
    if case.contact_id:  # the contact's phone, whole for some roles: the access log (PIPL)
        privacy.record_if_unmasked(
            actor=user,
            kind=privacy.Kind.API,
            customers=[case.customer],
            where=f"GET {request.path}",
        )
    return _case_out(user, case)


@router.patch("/cases/{number}", response={200: CaseOut, **ERRORS_WRITE}, summary="Change a case")
def case_update(request: HttpRequest, payload: CasePatch, number: str = CaseNumber):
    """Change the fields sent. ``version`` is the one you read; if someone changed the case
    since, nothing is saved and the answer is 409 ``version_conflict``."""
    user: User = request.auth
    case = _case_for(user, number)
    require(permissions.can_update(user))
    changes = set_fields(payload, exclude={"version"})
    if "category" in changes:
        changes["category"] = _category(changes["category"])
    if "asset_id" in changes:
        changes["asset"] = _asset(user, changes.pop("asset_id"))
    if "extra" in changes:
        changes["extra"] = _extra(changes["extra"])
    if not changes:
        # Nothing to change: still tell a stale editor, but do not bump the version.
        if case.version != payload.version:
            raise VersionConflict(
                _("Someone else changed this case in the meantime. Reload it and try again."),
                detail={"expected_version": payload.version},
            )
        return _case_out(user, case)
    case = services.case_update(
        actor=user, case=case, expected_version=payload.version, changes=changes
    )
    return _case_out(user, _reload(case))


@router.get(
    "/cases/{number}/timeline",
    response={200: list[EventOut], **ERRORS_READ},
    summary="A case's timeline",
)
def case_timeline(request: HttpRequest, number: str = CaseNumber):
    """Everything that happened, oldest first; customers see the public events only."""
    user: User = request.auth
    case = _case_for(user, number, act=False)
    return [_event_out(user, e) for e in selectors.case_timeline(user=user, case=case)]


@router.post(
    "/cases/{number}/replies",
    response={201: EventOut, **ERRORS_WRITE},
    summary="Reply on a case",
)
def case_reply(request: HttpRequest, payload: MessageIn, number: str = CaseNumber):
    """A public message: from staff to the customer, or from the customer."""
    user: User = request.auth
    case = _case_for(user, number)
    require(permissions.can_reply(user, case))
    event = services.case_reply(actor=user, case=case, body=payload.body)
    return Status(201, _event_out(user, event))


@router.post(
    "/cases/{number}/notes",
    response={201: EventOut, **ERRORS_WRITE},
    summary="Add an internal note",
)
def case_note(request: HttpRequest, payload: MessageIn, number: str = CaseNumber):
    """A note for staff that the customer never sees."""
    user: User = request.auth
    case = _case_for(user, number)
    require(permissions.can_note(user))
    event = services.case_note(actor=user, case=case, body=payload.body)
    return Status(201, _event_out(user, event))


@router.post(
    "/cases/{number}/rating",
    response={200: CaseOut, **ERRORS_WRITE},
    summary="The customer rates the service",
)
def case_rating(request: HttpRequest, payload: RatingIn, number: str = CaseNumber):
    """Once per case, by its customer, when it is resolved or closed."""
    user: User = request.auth
    case = _case_for(user, number)
    require(permissions.is_case_owner(user, case))
    services.case_rate(actor=user, case=case, rating=payload.rating, feedback=payload.feedback)
    return _case_out(user, _reload(case))


@router.get(
    "/cases/{number}/transitions",
    response={200: TransitionsOut, **ERRORS_READ},
    summary="Status changes the caller may make now",
)
def case_transition_list(request: HttpRequest, number: str = CaseNumber):
    user: User = request.auth
    case = _case_for(user, number, act=False)
    steps = []
    if selectors.in_working_scope(case) and permissions.can_transition(user, case):
        side = services.actor_side(user)
        steps = [
            {
                "to_status": s.to.value,
                "label": str(s.to.label),
                "reason_required": s.reason_required,
            }
            for s in allowed_steps(case.case_type, case.status, side)
        ]
    return {"status": case.status, "version": case.version, "steps": steps}


@router.post(
    "/cases/{number}/transitions",
    response={200: CaseOut, **ERRORS_WRITE},
    summary="Change a case's status",
)
def case_transition(request: HttpRequest, payload: TransitionIn, number: str = CaseNumber):
    """Move the case along its type's status table. A step the table does not allow answers
    409 ``transition_not_allowed`` with the allowed steps in ``detail.allowed``."""
    user: User = request.auth
    case = _case_for(user, number)
    require(permissions.can_transition(user, case))
    case = services.case_transition(
        actor=user,
        case=case,
        to_status=payload.to_status,
        reason=payload.reason,
        expected_version=payload.version,
    )
    return _case_out(user, _reload(case))


@router.post(
    "/cases/{number}/assignment",
    response={200: CaseOut, **ERRORS_WRITE},
    summary="Assign a case",
)
def case_assign(request: HttpRequest, payload: AssignmentIn, number: str = CaseNumber):
    """Give the case to a team and/or a person (codes and user names); null clears."""
    user: User = request.auth
    case = _case_for(user, number)
    require(permissions.can_assign(user))
    case = services.case_assign(
        actor=user,
        case=case,
        team=_team(payload.team),
        assignee=_staff_user(payload.assignee),
        expected_version=payload.version,
    )
    return _case_out(user, _reload(case))


# --- attachments -----------------------------------------------------------------------------


@router.get(
    "/cases/{number}/attachments",
    response={200: list[AttachmentOut], **ERRORS_READ},
    summary="A case's files",
)
def attachment_list(request: HttpRequest, number: str = CaseNumber):
    user: User = request.auth
    case = _case_for(user, number, act=False)
    return [_attachment_out(a) for a in selectors.attachment_list(user=user, case=case)]


@router.post(
    "/cases/{number}/attachments",
    response={201: list[AttachmentOut], **ERRORS_WRITE},
    summary="Upload files to a case",
)
def attachment_upload(
    request: HttpRequest,
    files: File[list[UploadedFile]],
    number: str = CaseNumber,
    is_public: Form[bool] = True,
):
    """Photos (JPEG, PNG, WebP, GIF) and PDFs, checked by content. Customers' files are always
    visible to them; staff may keep a file internal with ``is_public=false``."""
    user: User = request.auth
    case = _case_for(user, number)
    require(permissions.can_attach(user, case))
    if len(files) > MAX_FILES:
        raise InvalidInput(
            _("Upload at most %(count)d files at once.") % {"count": MAX_FILES},
            code="too_many_files",
        )
    for upload in files:
        if has_unstorable_text(upload.name or ""):
            raise InvalidInput(_("A file name contains characters that cannot be stored."))
    atts = services.attachment_add(actor=user, case=case, files=files, public=is_public)
    return Status(201, [_attachment_out(a) for a in atts])


@router.get(
    "/attachments/{attachment_id}",
    response=ERRORS_READ,
    url_name="attachment_download",
    summary="Download a file",
    openapi_extra={
        "responses": {
            200: {
                "description": "The file",
                "content": {
                    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
                },
            }
        }
    },
)
def attachment_download(request: HttpRequest, attachment_id: ObjectId):
    """The file itself; images open in the browser, PDFs download."""
    user: User = request.auth
    require_perm(user, "cases.view_case", also_if=user.is_customer)
    att = selectors.attachment_get_for(user=user, pk=attachment_id)
    try:
        handle = att.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("file") from exc
    return FileResponse(
        handle,
        as_attachment=not att.is_image,
        filename=att.original_name,
        content_type=att.content_type,
    )
