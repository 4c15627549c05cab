"""Sign-in lockout (django-axes) with two limits: a user name together with the address it
failed from (``AXES_FAILURE_LIMIT``), and an address on its own, whatever user names it tries
(``AXES_IP_FAILURE_LIMIT``, higher). An attacker can thus lock only themselves out: the victim
signing in from another address is not affected."""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from django.conf import settings
from django.db.models import Sum


class LockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        """Failures measured against ``AXES_FAILURE_LIMIT``: those of the user name at this
        address, or the full limit once the address alone has reached its own limit."""
        # one query set per entry of AXES_LOCKOUT_PARAMETERS: (user name, address), address
        attempts = self.get_user_attempts(request, credentials)
        if len(attempts) != 2:  # parameters set otherwise: axes counts as it does
            return super().get_failures(request, credentials)
        by_pair, by_address = attempts
        pair = by_pair.aggregate(n=Sum("failures_since_start"))["n"] or 0
        address = by_address.aggregate(n=Sum("failures_since_start"))["n"] or 0
        if address >= settings.AXES_IP_FAILURE_LIMIT:
            return max(pair, get_failure_limit(request, credentials))
        return pair

    def reset_user_attempts(self, request, credentials=None) -> int:
        """A successful sign-in clears the failures of that user name at that address only:
        an attacker who owns one account cannot wipe their address's count by signing in."""
        by_pair = self.filter_user_attempts(request, credentials)[0]
        count, _ = by_pair.delete()
        return count
