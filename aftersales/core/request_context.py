"""Per-request facts (client address) that the audit log records without threading them
through every service signature, and where that address comes from behind a proxy."""

from __future__ import annotations

import ipaddress
from contextvars import ContextVar
from functools import lru_cache

from django.conf import settings

client_ip: ContextVar[str | None] = ContextVar("client_ip", default=None)

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in proxies if p.strip())


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [2001:db8::1]:443
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # 203.0.113.9:51000
        value = value.partition(":")[0]
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def from_trusted_proxy(request) -> bool:
    """Whether the connection comes from one of ``TRUSTED_PROXIES``."""
    trusted = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
    peer = _address(request.META.get("REMOTE_ADDR") or "")
    return bool(trusted) and peer is not None and any(peer in net for net in trusted)


def client_address(request) -> str | None:
    """The address of the client that sent ``request``.

    ``X-Forwarded-For`` is believed only when the connection comes from a trusted proxy
    (``TRUSTED_PROXIES``: addresses or networks); its entries are then read from the right,
    skipping further trusted proxies, and the first other address is the client's. Anyone
    else's ``X-Forwarded-For`` is ignored, so a client cannot choose its own address (to dodge
    a rate limit, or to get someone else locked out).
    """
    remote = request.META.get("REMOTE_ADDR") or None
    if not from_trusted_proxy(request):
        return remote
    trusted = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [h for h in (x.strip() for x in forwarded.split(",")) if h]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            return remote  # a malformed chain: trust nothing in it
        if not any(address in net for net in trusted):
            return str(address)
    return remote
