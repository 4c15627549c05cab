"""API: working calendars and working-time arithmetic."""

from ninja import Router

router = Router(tags=["calendars"])
