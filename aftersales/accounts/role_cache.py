"""A short-lived, per-process memory of what an integration account may do.

An API key acts as a user with exactly one role; looking its permissions and role names up on
every request costs three queries, a fifth of an intake request. They change only when an
administrator edits a group, so each process keeps them for ``TTL`` seconds: such an edit
reaches integrations within that time. Revoking a key or deactivating its user is seen at once,
because the key itself is looked up on every request.
"""

from __future__ import annotations

import threading
import time

from .models import User

TTL = 60.0
_lock = threading.Lock()
_entries: dict[int, tuple[float, set[str], set[str]]] = {}


def apply_cached_permissions(user: User) -> None:
    """Fill Django's per-user permission caches and our role cache from memory, or load them."""
    now = time.monotonic()
    with _lock:
        entry = _entries.get(user.pk)
    if entry is None or entry[0] < now:
        perms = user.get_all_permissions()  # fills user._perm_cache from the database
        roles = set(user.groups.values_list("name", flat=True))
        entry = (now + TTL, set(perms), roles)
        with _lock:
            _entries[user.pk] = entry
    user._perm_cache = set(entry[1])
    user._user_perm_cache = set()
    user._group_perm_cache = set(entry[1])
    user._role_cache = set(entry[2])


def clear() -> None:
    with _lock:
        _entries.clear()
