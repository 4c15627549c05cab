"""Domain errors raised by services.

Views turn them into form errors and the API into ``{"code", "message", "detail"}`` bodies, so
a rule is stated once, in the service, and every caller reports it the same way.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A request that is well-formed but breaks a business rule (HTTP 409 or 422)."""

    status_code = 422
    code = "invalid"

    def __init__(self, message: Any, *, code: str | None = None, detail: Any = None) -> None:
        super().__init__(str(message))
        self.message = message
        if code:
            self.code = code
        self.detail = detail

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": str(self.message), "detail": self.detail}


class InvalidInput(DomainError):
    status_code = 422
    code = "invalid_input"


class Conflict(DomainError):
    status_code = 409
    code = "conflict"


class TransitionNotAllowed(Conflict):
    code = "transition_not_allowed"


class VersionConflict(Conflict):
    code = "version_conflict"


class PermissionDeniedError(DomainError):
    status_code = 403
    code = "forbidden"
