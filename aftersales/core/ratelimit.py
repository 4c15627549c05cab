"""A small fixed-window rate limit on Django's cache (the ``ratelimit`` alias: Redis when
``REDIS_URL`` is set, otherwise a cache shared by the processes of one machine)."""

from __future__ import annotations

import hashlib
import time

from django.core.cache import caches


def rate_limit_hit(scope: str, key: str, *, limit: int, window: int) -> bool:
    """Count one attempt of ``key`` (an e-mail, an address …) in ``scope`` and answer whether
    it goes over ``limit`` attempts within the current ``window`` seconds. Keys are hashed,
    so the cache holds no e-mail addresses."""
    cache = caches["ratelimit"]
    digest = hashlib.sha256(key.strip().lower().encode()).hexdigest()[:32]
    name = f"rl:{scope}:{digest}:{int(time.time() // window)}"
    if cache.add(name, 1, timeout=window + 1):
        return limit < 1
    try:
        count = cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.set(name, 1, timeout=window + 1)
        count = 1
    return count > limit
