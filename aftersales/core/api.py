"""The JSON API's shared parts: authentication, the error body, and error handlers.

Every error leaves as ``{"code", "message", "detail"}`` in the request's language, whether it
comes from a service (DomainError), from input validation, or from access checks.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyHeader, SessionAuth

from .errors import DomainError


class ErrorOut(Schema):
    code: str
    message: str
    detail: Any = None


class ApiKeyAuth(APIKeyHeader):
    """``X-API-Key: <prefix>.<secret>``; the key acts as its integration user."""

    param_name = "X-API-Key"

    def authenticate(self, request: HttpRequest, key: str | None):
        from aftersales.accounts.services import apikey_authenticate

        user = apikey_authenticate(key or "")
        if user is None:
            return None
        request.user = user
        return user


class ActiveSessionAuth(SessionAuth):
    """The browser's signed-in session (CSRF-checked for writes)."""

    def authenticate(self, request: HttpRequest, key: str | None):
        user = super().authenticate(request, key)
        if user is not None and not user.is_active:
            return None
        return user


AUTH = [ApiKeyAuth(), ActiveSessionAuth()]

ERRORS_READ = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
ERRORS_WRITE = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}


def error_body(code: str, message: str, detail: Any = None) -> dict[str, Any]:
    return {"code": code, "message": message, "detail": detail}


def forbid(message: str | None = None) -> None:
    raise HttpError(403, message or _("You are not allowed to do this."))


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def on_domain_error(request, exc: DomainError):
        return api.create_response(request, exc.as_dict(), status=exc.status_code)

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
                    str(p) for p in err.get("loc", []) if p not in ("body", "query", "payload")
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
