"""Domain errors of the stock ledger."""

from __future__ import annotations

from aftersales.core.errors import Conflict


class InsufficientStock(Conflict):
    """Not enough available stock at the location for the requested quantity (HTTP 409)."""

    code = "insufficient_stock"
