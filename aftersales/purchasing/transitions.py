"""Which status changes purchasing allows (style rule 3): purchase orders, price changes and
returns to the supplier.

Buyers take the order steps marked :data:`BUYER`; receiving goods moves an order between
``ordered``, ``partially_received`` and ``received`` on its own (:data:`RECEIPT`). Everything
else is refused by :func:`aftersales.purchasing.services.order_transition` and
:func:`~aftersales.purchasing.services.receipt_create`. Price changes are decided by an approver
(:func:`aftersales.purchasing.pricing.price_change_decide`), returns shipped by a buyer
(:func:`aftersales.purchasing.services.return_ship`); both guard their conditional UPDATE with
the table's :meth:`~aftersales.core.statemachine.StateMachine.sources`.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from aftersales.core.statemachine import StateMachine, step_to

from .choices import OrderStatus as S
from .choices import PriceChangeStatus, ReturnStatus

BUYER = "buyer"
RECEIPT = "receipt"
APPROVER = "approver"

ORDERS: StateMachine[S] = StateMachine(
    name="purchase_order",
    field="purchasing.PurchaseOrder.status",
    states=S,
    initial=S.DRAFT,
    table={
        S.DRAFT: [step_to(S.ORDERED, BUYER), step_to(S.CANCELLED, BUYER, reason=True)],
        S.ORDERED: [
            step_to(S.CANCELLED, BUYER, reason=True),
            step_to(S.PARTIALLY_RECEIVED, RECEIPT),
            step_to(S.RECEIVED, RECEIPT),
        ],
        # Closing short: the rest will not come; the open quantity stops counting as on order.
        S.PARTIALLY_RECEIVED: [
            step_to(S.CLOSED, BUYER),
            step_to(S.PARTIALLY_RECEIVED, RECEIPT),
            step_to(S.RECEIVED, RECEIPT),
        ],
        S.RECEIVED: [step_to(S.CLOSED, BUYER)],
        S.CLOSED: [],
        S.CANCELLED: [],
    },
    refusal=_("An order that is “%(from)s” cannot become “%(to)s”."),
    detail_allowed=False,
)

# The steps a buyer may take by hand, by status (the buttons on the order page).
MANUAL: dict[str, frozenset[str]] = {
    state: frozenset(step.to for step in ORDERS.allowed_steps(state, BUYER))
    for state in ORDERS.table
}

# What the button for a buyer's step says: a verb, not the status it leads to.
STEP_LABELS = {
    S.ORDERED: _("Place order"),
    S.CANCELLED: _("Cancel order"),
    S.CLOSED: _("Close order"),
}

# Statuses in which goods may be received against the order.
RECEIVABLE = frozenset(state for state in ORDERS.table if ORDERS.allowed_steps(state, RECEIPT))

PRICE_CHANGES: StateMachine[PriceChangeStatus] = StateMachine(
    name="price_change",
    field="purchasing.PriceChange.status",
    states=PriceChangeStatus,
    initial=PriceChangeStatus.PENDING,
    table={
        PriceChangeStatus.PENDING: [
            step_to(PriceChangeStatus.APPROVED, APPROVER),
            step_to(PriceChangeStatus.REJECTED, APPROVER, reason=True),
        ],
        PriceChangeStatus.APPROVED: [],
        PriceChangeStatus.REJECTED: [],
    },
)

RETURNS: StateMachine[ReturnStatus] = StateMachine(
    name="supplier_return",
    field="purchasing.SupplierReturn.status",
    states=ReturnStatus,
    initial=ReturnStatus.OPEN,
    table={ReturnStatus.OPEN: [step_to(ReturnStatus.SHIPPED, BUYER)], ReturnStatus.SHIPPED: []},
)


def manual_step_allowed(from_status: str, to_status: str) -> bool:
    return ORDERS.allows(from_status, to_status, BUYER)
