"""What became of a message, for the apps that keep a record of it: the case timeline says
"notification sent" or "failed" through a consumer that ``cases`` registers here, so the
outbox (on the kernel floor) never imports the case it was about.

==================  ================================================  ==============
hook                when                                              consumers today
==================  ================================================  ==============
delivery_recorded   a message about a case was sent, or given up on   cases (10)
==================  ================================================  ==============
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from aftersales.core.hooks import Hook

if TYPE_CHECKING:
    from .models import Notification


@dataclass(frozen=True)
class DeliveryRecorded:
    notification: Notification
    failed: bool


delivery_recorded: Hook[DeliveryRecorded] = Hook("delivery_recorded", DeliveryRecorded)
