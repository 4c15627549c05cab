"""Typed hook points: how one app reacts to another's life cycle without being imported by it.

The app that owns a life cycle (``cases`` for the service case) declares a :class:`Hook` per
moment with a frozen dataclass as its payload; apps that must react register a consumer from
their ``AppConfig.ready``. The owner calls :meth:`Hook.run` inside its service's transaction,
so a consumer's writes commit or roll back with the change that caused them, and an error in a
consumer undoes the whole change instead of leaving half of it behind.

Consumers run in a declared order (a number each, lowest first, ties broken by name) so that,
say, the routing record is on the timeline before the service-level clocks start. This is the
opposite of Django signals on purpose: no dispatch by sender, no weak references, no silent
receivers, and the order is part of the registration.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

P = TypeVar("P")
R = TypeVar("R")


@dataclass(frozen=True)
class Consumer(Generic[P]):
    name: str
    order: int
    func: Callable[[P], object]


@dataclass
class Hook(Generic[P]):
    """One moment of a life cycle; ``payload_type`` documents (and checks) what consumers get."""

    name: str
    payload_type: type[P]
    consumers: list[Consumer[P]] = field(default_factory=list)

    def register(self, func: Callable[[P], object], *, name: str, order: int) -> None:
        """Add a consumer; registering the same name again replaces it (``ready`` may run twice
        in tests that reload apps)."""
        self.consumers = sorted(
            [c for c in self.consumers if c.name != name] + [Consumer(name, order, func)],
            key=lambda c: (c.order, c.name),
        )

    def unregister(self, name: str) -> None:
        self.consumers = [c for c in self.consumers if c.name != name]

    def run(self, payload: P) -> None:
        if not isinstance(payload, self.payload_type):
            raise TypeError(f"hook {self.name} takes {self.payload_type.__name__}")
        for consumer in self.consumers:
            consumer.func(payload)

    def names(self) -> list[str]:
        return [c.name for c in self.consumers]


@dataclass
class Provider(Generic[P, R]):
    """A decision another app may make for the owner (e.g. routing a new case): at most one
    function, asked before the owner writes; without one the owner decides alone."""

    name: str
    payload_type: type[P]
    func: Callable[[P], R | None] | None = None
    provider_name: str = ""

    def provide(self, func: Callable[[P], R | None], *, name: str) -> None:
        self.func, self.provider_name = func, name

    def ask(self, payload: P) -> R | None:
        if self.func is None:
            return None
        return self.func(payload)
