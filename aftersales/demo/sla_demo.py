"""Demo data for service levels (R2.1, R5.2): the service manager to whom breaches go, on top
of the default policy set and escalation matrix that ``migrate`` writes
(:mod:`aftersales.sla.defaults`).

The policies are made sure of before the demo's cases are replayed (:func:`policies_load`, called by
the demo builder), so every demo case gets its clocks from intake on — paused while it waits,
met by the first reply or the status that ends them — on the demo's own clock. After the demo is
loaded, :func:`sla_demo_load` runs the sweep once, so overdue clocks show as breached and their
escalations on the timelines; the messages go nowhere while the demo loads.
"""

from __future__ import annotations

from typing import Any


def policies_load() -> int:
    """Make sure the default policy set exists (``migrate`` writes it; the demo never writes a
    second copy) and name the service manager; returns how many policies were written now."""
    from aftersales.accounts.models import User
    from aftersales.sla.defaults import policies_seed_default
    from aftersales.sla.models import EscalationContact

    written = policies_seed_default()
    manager = User.objects.filter(username="supervisor").first()
    if manager is not None:
        EscalationContact.objects.get_or_create(role="service_manager", user=manager)
    return written


def sla_demo_load(out: Any) -> None:
    """Make sure the policies exist, then sweep once so the demo shows breaches and escalations
    (messages delivered to nowhere, like the rest of the demo's)."""
    from django.test.utils import override_settings
    from huey.contrib.djhuey import HUEY

    from aftersales.notifications.models import Notification, State
    from aftersales.notifications.services import notification_deliver
    from aftersales.sla.models import SlaClock
    from aftersales.sla.sweep import sla_sweep

    written = policies_load()
    total = {"clocks": 0, "breached": 0, "notices": 0}
    was = HUEY.immediate
    HUEY.immediate = True
    try:
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            for _round in range(50):
                result = sla_sweep()
                for key in total:
                    total[key] += getattr(result, key)
                if result.clocks < 2000:
                    break
            # deliver what the sweep queued the real way (mail goes nowhere during the load), as
            # the rest of the demo does, so no worker mails invented recipients later
            for pk in Notification.objects.filter(state=State.PENDING).values_list("pk", flat=True):
                notification_deliver(pk)
    finally:
        HUEY.immediate = was
    out.write(
        f"Service levels: {written} policies written, {SlaClock.objects.count()} clocks, "
        f"{total['breached']} breached and {total['notices']} escalations in the first sweep."
    )
