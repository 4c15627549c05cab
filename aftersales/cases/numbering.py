"""Human case numbers ``SC-2026-000123``, one yearly sequence (see core.numbering)."""

from __future__ import annotations

from aftersales.core.numbering import yearly_number_next

from .models import CaseSequence

PREFIX = "SC"


def case_number_next(year: int | None = None) -> str:
    """Take the next number for ``year``; call inside the creating transaction."""
    return yearly_number_next(CaseSequence, PREFIX, year)
