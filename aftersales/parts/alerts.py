"""Low-stock alerts to the parts keepers (R8.3, R12.3)."""

from __future__ import annotations

from decimal import Decimal

from aftersales.accounts.models import User
from aftersales.accounts.roles import Role
from aftersales.notifications.models import Channel
from aftersales.notifications.services import notification_queue

from .models import Part


def parts_keepers():
    return User.objects.filter(groups__name=Role.PARTS_KEEPER, is_active=True).distinct()


def low_stock_alert(part: Part, *, available: Decimal) -> int:
    """Queue one e-mail per parts keeper; called once per shortage (see the flag on Part)."""
    from .services import _fmt

    count = 0
    for user in parts_keepers():
        notification_queue(
            channel=Channel.EMAIL,
            template="parts_low_stock",
            recipient=user.email,
            recipient_user=user,
            language=user.preferred_language,
            context={
                "part": part,
                "available": _fmt(available),
                "reorder_point": _fmt(part.reorder_point),
            },
        )
        count += 1
    return count
