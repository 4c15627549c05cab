"""API: spare parts."""

from ninja import Router

router = Router(tags=["parts"])
