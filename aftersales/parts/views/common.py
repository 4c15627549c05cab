"""Shared helpers of the parts screens."""

from __future__ import annotations

from django.http import HttpRequest

VIEW = ("parts.view_part",)
MOVE = ("parts.view_part", "parts.move_stock")


def is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))
