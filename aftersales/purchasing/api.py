"""API: purchasing and suppliers."""

from ninja import Router

router = Router(tags=["purchasing"])
