"""What the case screens share: the permissions they need and htmx helpers."""

from __future__ import annotations

from django.http import HttpRequest

CASE_PERMS = ("cases.view_case",)
INTAKE_PERMS = ("cases.view_case", "cases.add_case")


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _htmx_target(request: HttpRequest) -> str:
    return (request.htmx.target or "") if _is_htmx(request) else ""
