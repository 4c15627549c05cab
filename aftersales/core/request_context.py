"""Per-request facts (client address) that the audit log records without threading them
through every service signature."""

from __future__ import annotations

from contextvars import ContextVar

client_ip: ContextVar[str | None] = ContextVar("client_ip", default=None)
