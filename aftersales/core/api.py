"""The JSON API's shared parts: session authentication, the error body, and error handlers.

Every error leaves as ``{"code", "message", "detail"}`` in the request's language, whether it
comes from a service (DomainError), from input validation, or from access checks.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Container
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Query, Router, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser
from ninja.security import SessionAuth
from ninja.utils import check_csrf
from pydantic import (
    AfterValidator,
    BaseModel,
    Field,
    ValidatorFunctionWrapHandler,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .errors import DomainError, InvalidInput
from .pagination import Page, keyset_page
from .validators import validate_email_address


class ErrorOut(Schema):
    code: str
    message: str
    detail: Any = None


class ActiveSessionAuth(SessionAuth):
    """The browser's signed-in session (CSRF-checked for writes).

    The CSRF check runs only when a user is signed in: a request with neither a session nor
    a key is answered 401 (not authenticated), not 403.
    """

    def _get_key(self, request: HttpRequest) -> str | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise HttpError(403, _("CSRF check failed. Reload the page and try again."))
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None):
        user = super().authenticate(request, key)
        if user is not None and not user.is_active:
            return None
        return user


ERRORS_READ = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
ERRORS_WRITE = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}


# Largest value of a 64-bit primary key: larger ids cannot exist and would overflow the driver.
MAX_ID = 2**63 - 1
MAX_VERSION = 2**31 - 1
ObjectId = Annotated[int, Field(ge=1, le=MAX_ID)]
# A keyset cursor is short URL-safe base64; the bounds keep every list URL under the 4 KB
# request line that servers (gunicorn's default) accept.
Cursor = Annotated[
    str,
    Field(
        max_length=200,
        pattern=r"^[A-Za-z0-9_-]*$",
        description="`next_cursor` of the last page",
    ),
]
Version = Annotated[int, Field(ge=1, le=MAX_VERSION, description="The version you last read.")]

# Text the databases cannot store: NUL (PostgreSQL refuses it) and lone surrogates (no UTF-8).
_UNSTORABLE = re.compile(r"[\x00\ud800-\udfff]")


def has_unstorable_text(value: Any) -> bool:
    if isinstance(value, str):
        return bool(_UNSTORABLE.search(value))
    if isinstance(value, dict):
        return any(has_unstorable_text(k) or has_unstorable_text(v) for k, v in value.items())
    if isinstance(value, list | tuple | set):
        return any(has_unstorable_text(v) for v in value)
    if isinstance(value, BaseModel):
        return has_unstorable_text(value.__dict__)
    return False


# Largest magnitude of a decimal number the API takes: every amount, quantity, percentage and
# coordinate stored is far below it (money has 12 digits), and a larger one — ``"1e999999"`` is a
# finite Decimal — would overflow the database or the arithmetic behind it.
MAX_NUMBER = Decimal(10) ** 15


def number_problem(raw: Any, value: Any) -> str | None:
    """Why a validated ``value`` (from the ``raw`` input) is not a number the API takes, or
    None: ``true``/``false`` are not numbers nor numbers booleans (pydantic's lax mode would turn
    one into the other), and a number must be finite and below :data:`MAX_NUMBER`. Lists and
    dicts are looked into, so ``{"gold": "Infinity"}`` is refused too."""
    if isinstance(value, bool):
        if isinstance(raw, int | float | Decimal) and not isinstance(raw, bool):
            return _("Send true or false, not a number.")
        return None
    if isinstance(value, int | float | Decimal):
        if isinstance(raw, bool):
            return _("Send a number, not true or false.")
        if isinstance(value, int):
            return None  # ids and counts: bounded by their own fields
        finite = value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)
        if not finite:
            return _("Enter a finite number (not Infinity or NaN).")
        if abs(Decimal(value)) >= MAX_NUMBER:
            return _("The number is too large.")
        return None
    if isinstance(value, dict) and isinstance(raw, dict):
        for key, item in value.items():
            problem = number_problem(raw.get(key, item), item)
            if problem:
                return problem
    elif isinstance(value, list | tuple) and isinstance(raw, list | tuple):
        for raw_item, item in zip(raw, value, strict=False):
            problem = number_problem(raw_item, item)
            if problem:
                return problem
    return None


class InputSchema(Schema):
    """Base of every request body and query schema: strict numbers (:func:`number_problem`) and
    no text a database cannot store."""

    @field_validator("*", mode="wrap")
    @classmethod
    def _strict_numbers(cls, raw: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        value = handler(raw)
        problem = number_problem(raw, value)
        if problem:
            raise PydanticCustomError("invalid_number", problem)
        return value

    @model_validator(mode="after")
    def _storable_text(self):
        for name, value in self.__dict__.items():
            if has_unstorable_text(value):
                raise ValueError(
                    _("“%(field)s” contains characters that cannot be stored.") % {"field": name}
                )
        return self


def _email_address(value: str) -> str:
    value = value.strip()
    if value:
        try:
            validate_email_address(value)
        except DjangoValidationError as exc:
            raise PydanticCustomError("invalid_email", str(exc.messages[0])) from exc
    return value


# An e-mail address, or "" (the same check as the forms' EmailAddressField).
EmailAddress = Annotated[str, Field(max_length=254), AfterValidator(_email_address)]


def omitted(**kwargs: Any) -> Any:
    """A PATCH field that may be left out but, when sent, must not be null."""

    def _drop_default(schema: dict[str, Any]) -> None:
        schema.pop("default", None)

    return Field(default=None, json_schema_extra=_drop_default, **kwargs)


def set_fields(payload: Schema, *, exclude: Container[str] = frozenset()) -> dict[str, Any]:
    """The fields a PATCH body actually sent, as a dict (``exclude`` e.g. ``{"version"}``)."""
    return {
        name: getattr(payload, name) for name in payload.model_fields_set if name not in exclude
    }


def paginate(qs: QuerySet, *, order: list[str], cursor: str | None, limit: int) -> Page:
    """:func:`keyset_page`, with a tampered cursor answered as 422 instead of a crash."""
    try:
        return keyset_page(qs, order=order, cursor=cursor, limit=limit)
    except (ValueError, TypeError, OverflowError, DjangoValidationError, DataError) as exc:
        raise InvalidInput(_("The page cursor is not valid."), code="invalid_cursor") from exc


def require(condition: bool, message: str | None = None) -> None:
    """403 unless ``condition`` holds: for an app's own rule about one object or the caller
    (``cases.permissions.can_reply(user, case)``, the search kinds a user may see); a role's
    permission is checked with :func:`require_perm`."""
    if not condition:
        forbid(message)


def require_perm(user: Any, *perms: str, also_if: bool = False, message: str | None = None) -> None:
    """403 unless ``user`` holds one of ``perms``, or ``also_if`` holds (the callers who act on
    their own records without a permission, such as customers, whom the selectors restrict).

    Every API module checks roles this way (no per-app wrappers, no inline ``has_perm``), so
    a permission is found by one search and a refusal is the same 403 in every app."""
    if also_if or any(user.has_perm(perm) for perm in perms):
        return
    forbid(message)


def error_body(code: str, message: str, detail: Any = None) -> dict[str, Any]:
    return {"code": code, "message": message, "detail": detail}


def forbid(message: str | None = None) -> None:
    raise HttpError(403, message or _("You are not allowed to do this."))


class BodyNotAnObject(ValueError):
    """A JSON body that is an array, a string, a number, ``true`` or ``null``."""


class ObjectBodyParser(Parser):
    """Reads a JSON request body, which must be an object: every operation's body is one.

    Without this a list or a number went on as if the body were empty, and the caller read
    "field required" for fields it had sent. Ninja turns a parser's exception into a 400; the
    HttpError handler below answers this one as 422 ``invalid_input`` instead."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise BodyNotAnObject(type(data).__name__)
        return data


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def on_domain_error(request, exc: DomainError):
        return api.create_response(request, exc.as_dict(), status=exc.status_code)

    @api.exception_handler(MultiPartParserError)
    def on_bad_multipart(request, exc):
        return api.create_response(
            request,
            error_body("bad_request", _("The uploaded form data cannot be read.")),
            status=400,
        )

    @api.exception_handler(RequestDataTooBig)
    def on_too_big(request, exc):
        return api.create_response(
            request, error_body("too_large", _("The request is too large.")), status=400
        )

    @api.exception_handler(Http404)
    def on_404(request, exc):
        return api.create_response(request, error_body("not_found", _("Not found.")), status=404)

    @api.exception_handler(AuthenticationError)
    def on_auth(request, exc):
        return api.create_response(
            request,
            error_body("not_authenticated", _("Sign in or send a valid API key.")),
            status=401,
        )

    @api.exception_handler(NinjaValidationError)
    def on_validation(request, exc: NinjaValidationError):
        detail = [
            {
                "field": ".".join(
                    str(p)
                    for p in err.get("loc", [])
                    if p not in ("body", "query", "path", "header", "form", "payload", "filters")
                ),
                "error": err.get("msg", ""),
            }
            for err in exc.errors
        ]
        return api.create_response(
            request,
            error_body("invalid_input", _("The request is not valid."), detail),
            status=422,
        )

    @api.exception_handler(HttpError)
    def on_http_error(request, exc: HttpError):
        if exc.status_code == 400 and isinstance(exc.__cause__, BodyNotAnObject):
            return api.create_response(
                request,
                error_body("invalid_input", _("The request body must be a JSON object.")),
                status=422,
            )
        if exc.status_code == 400 and isinstance(exc.__cause__, ValueError):
            return api.create_response(
                request,
                error_body("bad_request", _("The request body is not valid JSON.")),
                status=400,
            )
        codes = {
            400: "bad_request",
            401: "not_authenticated",
            403: "forbidden",
            404: "not_found",
            409: "conflict",
            413: "too_large",
            422: "invalid_input",
        }
        return api.create_response(
            request,
            error_body(codes.get(exc.status_code, "error"), str(exc.message)),
            status=exc.status_code,
        )


# --- the audit log (read-only) ---------------------------------------------------------------

router = Router(tags=["audit"])


class AuditQuery(InputSchema):
    action: str = Field(
        "", max_length=64, pattern=r"^[a-z_.]*$", description="e.g. case.transition"
    )
    object_type: str = Field(
        "", max_length=64, pattern=r"^[a-z_.]*$", description="e.g. cases.case"
    )
    object_id: str = Field("", max_length=64, pattern=r"^[A-Za-z0-9_.:-]*$")
    actor: str = Field("", max_length=150, description="User name")
    number: str = Field(
        "",
        max_length=64,
        pattern=r"^[A-Za-z0-9_.:-]*$",
        description="The number of the object or of the case or order it belongs to, "
        "e.g. SC-2026-000123",
    )
    cursor: Cursor = ""
    limit: int = Field(50, ge=1, le=200)


class AuditOut(Schema):
    id: int
    created_at: dt.datetime
    actor: str = Field(description="User name, or the system")
    action: str
    object_type: str
    object_id: str
    object_repr: str
    object_ref: str = Field(description="The number people quote (SC-…, WO-…, PO-…), or empty")
    before: Any = None
    after: Any = None
    reason: str
    ip_address: str | None


class AuditPageOut(Schema):
    items: list[AuditOut]
    next_cursor: str | None


@router.get("/audit", response={200: AuditPageOut, **ERRORS_READ}, summary="The audit log")
def audit_list(request: HttpRequest, filters: Query[AuditQuery]):
    """Audited actions, newest first (R16.2). Read-only: records cannot be changed."""
    from .models import AuditLog

    require_perm(request.auth, "core.browse_auditlog")  # type: ignore[attr-defined]
    qs = AuditLog.objects.all()
    for name in ("action", "object_type", "object_id"):
        value = getattr(filters, name)
        if value:
            qs = qs.filter(**{name: value})
    if filters.actor:
        qs = qs.filter(actor_label=filters.actor)
    if filters.number:
        qs = qs.filter(object_ref__in=sorted({filters.number, filters.number.upper()}))
    page = paginate(qs, order=["-id"], cursor=filters.cursor, limit=filters.limit)
    return {
        "items": [
            {
                "id": r.pk,
                "created_at": r.created_at,
                "actor": r.actor_label,
                "action": r.action,
                "object_type": r.object_type,
                "object_id": r.object_id,
                "object_repr": r.object_repr,
                "object_ref": r.object_ref,
                "before": r.before,
                "after": r.after,
                "reason": r.reason,
                "ip_address": r.ip_address,
            }
            for r in page.items
        ],
        "next_cursor": page.next_cursor,
    }
