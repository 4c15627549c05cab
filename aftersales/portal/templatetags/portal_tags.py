"""Small display helpers for the portal templates."""

from __future__ import annotations

from django import template

register = template.Library()

# Bootstrap badge colours per status: grey waiting on us, blue working, amber waiting on
# someone else, green done, red refused.
_BADGES = {
    "new": "text-bg-secondary",
    "accepted": "text-bg-info",
    "verifying": "text-bg-info",
    "in_progress": "text-bg-primary",
    "waiting_customer": "text-bg-warning",
    "waiting_third_party": "text-bg-warning",
    "approved": "text-bg-success",
    "held": "text-bg-secondary",
    "adopted": "text-bg-success",
    "rejected": "text-bg-danger",
    "resolved": "text-bg-success",
    "closed": "text-bg-dark",
    "cancelled": "text-bg-light border",
}

# Statuses in which the next move is the customer's.
_CUSTOMER_TURN = {"waiting_customer", "resolved"}


@register.filter
def status_badge(status: str) -> str:
    return _BADGES.get(status, "text-bg-secondary")


@register.filter
def customer_turn(status: str) -> bool:
    return status in _CUSTOMER_TURN
