"""Which status changes a purchase order allows (style rule 3).

Buyers take the steps marked ``manual``; receiving goods moves an order between ``ordered``,
``partially_received`` and ``received`` on its own (``automatic``). Everything else is refused
by :func:`aftersales.purchasing.services.order_transition`.
"""

from __future__ import annotations

from .choices import OrderStatus as S

MANUAL: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.ORDERED, S.CANCELLED}),
    S.ORDERED: frozenset({S.CANCELLED}),
    # Closing short: the rest will not come; the open quantity stops counting as on order.
    S.PARTIALLY_RECEIVED: frozenset({S.CLOSED}),
    S.RECEIVED: frozenset({S.CLOSED}),
    S.CLOSED: frozenset(),
    S.CANCELLED: frozenset(),
}

# Statuses in which goods may be received against the order.
RECEIVABLE = frozenset({S.ORDERED, S.PARTIALLY_RECEIVED})


def manual_step_allowed(from_status: str, to_status: str) -> bool:
    return to_status in MANUAL.get(from_status, frozenset())
