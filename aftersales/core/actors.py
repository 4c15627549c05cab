"""Who performs a write, as services are told it.

Every mutating service takes an ``actor`` (house rule 4). It is the request's user — signed in
or anonymous — a user a task or command acts as, or ``None`` for the system. Rows and audit
records keep only a signed-in user, so "that user, or nobody" is decided here once. The kernel
names no concrete user class: the user model belongs to the accounts app, above this floor.
"""

from __future__ import annotations

from typing import Protocol, TypeVar


class Actor(Protocol):
    """Anything a service can be told acted (a user, signed in or anonymous): the kernel asks
    only whether it is a signed-in person and what it is called. Domain services that ask
    more (roles, team) type their actor as the user model instead."""

    @property
    def is_authenticated(self) -> bool: ...

    def get_username(self) -> str: ...


UserT = TypeVar("UserT")


def actor_or_none(actor: UserT | None) -> UserT | None:
    """The signed-in user behind ``actor``, or ``None`` for an anonymous visitor, the system
    or nobody — what ``created_by``-style columns and timeline rows record."""
    return actor if getattr(actor, "is_authenticated", False) else None
