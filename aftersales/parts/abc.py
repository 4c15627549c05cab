"""ABC classification of the catalog by consumption value (R8.3).

Consumption value is what the last twelve months' issues (net of returns) cost: quantity ×
unit cost from the ledger. Parts are ranked by value; those making up the first 80 % of the
total are A, the next 15 % B, the rest — and parts not consumed at all — C.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import DecimalField, ExpressionWrapper, F, Sum
from django.utils import timezone

from aftersales.core.audit import audit_record

from .choices import AbcClass, MovementKind
from .models import Movement, Part

A_SHARE = Decimal("0.80")
B_SHARE = Decimal("0.95")


def consumption_values(since: dt.datetime) -> dict[int, Decimal]:
    """Net consumption value per part id since ``since`` (one grouped query)."""
    value = ExpressionWrapper(
        -F("quantity") * F("unit_cost"), output_field=DecimalField(max_digits=20, decimal_places=5)
    )
    rows = (
        Movement.objects.filter(
            kind__in=[MovementKind.ISSUE, MovementKind.RETURN], created_at__gte=since
        )
        .values("part_id")
        .annotate(v=Sum(value))
    )
    return {
        r["part_id"]: max(Decimal(str(r["v"] or 0)).quantize(Decimal("0.01")), Decimal("0"))
        for r in rows
    }


def classify(values: dict[int, Decimal], part_ids: list[int]) -> dict[int, str]:
    """A/B/C per part: a part is A while the value ranked before it is under 80 % of the
    total, B while under 95 %, C after that or when it has no consumption."""
    total = sum(values.values(), Decimal("0"))
    ranked = sorted(
        (pid for pid in part_ids if values.get(pid, 0) > 0),
        key=lambda pid: (-values[pid], pid),
    )
    out = {pid: AbcClass.C.value for pid in part_ids}
    running = Decimal("0")
    for pid in ranked:
        share_before = running / total
        out[pid] = (
            AbcClass.A.value
            if share_before < A_SHARE
            else AbcClass.B.value
            if share_before < B_SHARE
            else AbcClass.C.value
        )
        running += values[pid]
    return out


@transaction.atomic
def abc_reclassify(*, actor: Any = None, now: dt.datetime | None = None) -> dict[str, int]:
    """Recompute every part's ABC class from the last 12 months; returns counts per class.
    Writes one audit record listing the parts whose class changed."""
    now = now or timezone.now()
    parts = list(Part.objects.only("id", "code", "abc_class"))
    classes = classify(consumption_values(now - dt.timedelta(days=365)), [p.pk for p in parts])
    changed: dict[str, list[str]] = {}
    for part in parts:
        new = classes[part.pk]
        if part.abc_class != new:
            changed[part.code] = [part.abc_class, new]
            Part.objects.filter(pk=part.pk).update(abc_class=new)
    if changed:
        audit_record(
            actor=actor,
            action="part.abc_reclassify",
            object_type="parts.part",
            object_repr="ABC",
            before={code: v[0] for code, v in changed.items()},
            after={code: v[1] for code, v in changed.items()},
        )
    counts = {c: 0 for c in ("A", "B", "C")}
    for value in classes.values():
        counts[value] += 1
    return counts
