"""Background jobs for service levels. Thin: they take ids and call services."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from .services import sla_recompute_clocks
from .sweep import sla_sweep

MAX_ROUNDS = 20


@db_periodic_task(crontab(minute="*"))
def sla_sweep_task() -> dict[str, int]:
    """Every minute: breaches, escalation levels and held notices that are due."""
    total: dict[str, int] = {}
    for _round in range(MAX_ROUNDS):
        result = sla_sweep()
        for key, value in result.as_dict().items():
            total[key] = total.get(key, 0) + value
        if result.clocks < 2000:
            break
    return total


@db_task()
def recompute_clocks(
    calendar_id: int | None = None, policy_id: int | None = None, after_id: int = 0
) -> int:
    """Recompute the open clocks of an edited calendar or policy, a batch at a time; each batch
    queues the next."""
    cases, next_after = sla_recompute_clocks(
        calendar_id=calendar_id, policy_id=policy_id, after_id=after_id
    )
    if next_after is not None:
        recompute_clocks(calendar_id=calendar_id, policy_id=policy_id, after_id=next_after)
    return cases
