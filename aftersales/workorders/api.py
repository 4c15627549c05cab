"""API: work orders."""

from ninja import Router

router = Router(tags=["workorders"])
