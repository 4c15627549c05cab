"""API: case routing."""

from ninja import Router

router = Router(tags=["routing"])
