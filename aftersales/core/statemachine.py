"""One way to write down which status changes a stateful model allows, and who may make them.

Each app keeps its table in its own ``transitions.py`` as a :class:`StateMachine`; the service
that changes the status (the one choke point, style rule 3) asks :meth:`StateMachine.check`, or
puts :meth:`StateMachine.sources` into its conditional UPDATE, so the table and the writes cannot
drift apart. ``by`` names the *sides* that may take a step (staff, customer, the technician on
the order, the system as a side effect of another action …); what a side is stays the owning
app's business. The helper knows no models, so the kernel can hold it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any, Generic, TypeVar

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .errors import TransitionNotAllowed

S = TypeVar("S", bound=str)

# Shown when a table names no message of its own.
DEFAULT_REFUSAL = _("A change from “%(from)s” to “%(to)s” is not allowed.")

# "app_label.Model.field" → the machines that govern that field (one per case type for cases),
# so a test can find a stateful field that has no table.
_REGISTRY: dict[str, list[StateMachine[Any]]] = {}


def registered() -> dict[str, list[StateMachine[Any]]]:
    """Every machine that named the model field it governs, by that field."""
    return {field: list(machines) for field, machines in sorted(_REGISTRY.items())}


def _key(value: Any) -> str:
    # Str-based enums hash by member name, so a plain "new" would miss a Status.NEW key.
    return value.value if isinstance(value, Enum) else str(value)


@dataclass(frozen=True)
class Exit(Generic[S]):
    """A way out of a state as written in a table; the machine adds the source to make a Step."""

    to: S
    by: frozenset[str]
    reason_required: bool = False
    label: str | Promise | None = None


def step_to(to: S, *by: str, reason: bool = False, label: str | Promise | None = None) -> Exit[S]:
    """One row of a table: ``to`` may be reached by the ``by`` sides; ``reason`` makes the
    actor say why; ``label`` is the text of the action button, when a screen offers one."""
    if not by:
        raise ValueError(f"the step to {to!r} names no side that may take it")
    return Exit(to=to, by=frozenset(by), reason_required=reason, label=label)


@dataclass(frozen=True)
class Step(Generic[S]):
    source: S
    to: S
    by: frozenset[str]
    reason_required: bool = False
    label: str | Promise | None = None

    def allows(self, by: str | Iterable[str]) -> bool:
        return bool(self.by & _sides(by))


def _sides(by: str | Iterable[str]) -> frozenset[str]:
    return frozenset({by}) if isinstance(by, str) else frozenset(by)


class StateMachine(Generic[S]):
    """A step table over the members of ``states``.

    ``table`` maps every state the machine uses to its exits (an empty list for a terminal
    state). With ``complete`` every member of ``states`` must have a row, so a state added to
    the choices without one fails at import; ``states`` also gives the labels. ``initial``
    are the states a record is created in; ``final`` the ones where its life ends although a
    step leads out again (a closed case may be reopened). ``refusal`` is the message of the
    :class:`TransitionNotAllowed` that :meth:`check` raises, formatted with the labels of
    ``from`` and ``to``; ``detail_allowed`` adds the steps the side could take instead.
    ``field`` (``"app_label.Model.field"``) names the model field the machine governs.
    """

    def __init__(
        self,
        *,
        name: str,
        states: type[S],
        initial: S | Iterable[S],
        table: Mapping[S, Sequence[Exit[S]]],
        refusal: str | Promise = DEFAULT_REFUSAL,
        detail_allowed: bool = True,
        complete: bool = True,
        final: Iterable[S] = (),
        field: str | None = None,
    ) -> None:
        self.name = name
        self.field = field
        self.states: type[S] = states
        members: list[S] = list(states)  # type: ignore[call-overload]
        self._member = {_key(m): m for m in members}
        initial_list = [initial] if isinstance(initial, str) else list(initial)
        self.initial: tuple[S, ...] = tuple(self._state(s) for s in initial_list)
        if not self.initial:
            raise ValueError(f"{name}: no initial state")
        self.refusal = refusal
        self.detail_allowed = detail_allowed
        missing = [m for m in members if _key(m) not in {_key(k) for k in table}]
        if complete and missing:
            raise ValueError(f"{name}: no row for {', '.join(_key(m) for m in missing)}")
        self._out: dict[str, list[Step[S]]] = {}
        for source, exits in table.items():
            src = self._state(source)
            seen: set[str] = set()
            steps = []
            for ex in exits:
                to = self._state(ex.to)
                if _key(to) in seen:
                    raise ValueError(f"{name}: {_key(src)} → {_key(to)} is listed twice")
                seen.add(_key(to))
                steps.append(Step(src, to, ex.by, ex.reason_required, ex.label))
            self._out[_key(src)] = steps
        self.final: frozenset[S] = frozenset(self._state(s) for s in final)
        named = {_key(s.to) for s in self} | {_key(s) for s in (*self.initial, *self.final)}
        loose = sorted(named - set(self._out))
        if loose:
            raise ValueError(f"{name}: no row for {', '.join(loose)}")
        if field:
            _REGISTRY.setdefault(field, []).append(self)

    def _state(self, value: Any) -> S:
        try:
            return self._member[_key(value)]
        except KeyError:
            raise ValueError(f"{self.name}: unknown state {value!r}") from None

    def __contains__(self, value: object) -> bool:
        return _key(value) in self._out

    def __iter__(self) -> Iterator[Step[S]]:
        for steps in self._out.values():
            yield from steps

    @property
    def table(self) -> dict[S, list[Step[S]]]:
        """Every state with its steps, in the order the table was written."""
        return {self._member[k]: list(v) for k, v in self._out.items()}

    @property
    def sides(self) -> frozenset[str]:
        return frozenset(side for step in self for side in step.by)

    @property
    def terminal(self) -> frozenset[S]:
        return frozenset(self._member[k] for k, v in self._out.items() if not v)

    def steps_from(self, source: Any) -> list[Step[S]]:
        """Every step out of ``source``; none for a value the table does not know."""
        return list(self._out.get(_key(source), ()))

    def find_step(self, source: Any, to: Any) -> Step[S] | None:
        for step in self._out.get(_key(source), ()):
            if _key(step.to) == _key(to):
                return step
        return None

    def allowed_steps(self, source: Any, by: str | Iterable[str]) -> list[Step[S]]:
        """The steps any of the ``by`` sides may take from ``source``, in table order."""
        sides = _sides(by)
        return [s for s in self._out.get(_key(source), ()) if s.by & sides]

    def allows(self, source: Any, to: Any, by: str | Iterable[str]) -> bool:
        step = self.find_step(source, to)
        return step is not None and step.allows(by)

    def sources(self, to: Any, by: str | Iterable[str]) -> list[S]:
        """The states from which ``by`` may move to ``to``: the guard of a conditional UPDATE
        (``filter(status__in=…)``), so a row another writer moved on is not matched."""
        sides = _sides(by)
        return [
            self._member[k]
            for k, steps in self._out.items()
            if any(_key(s.to) == _key(to) and s.by & sides for s in steps)
        ]

    def reachable(self, source: Any) -> frozenset[S]:
        """Every state some sequence of steps leads to from ``source`` (itself excluded unless
        a path returns to it)."""
        seen: set[str] = set()
        todo = [_key(source)]
        while todo:
            for step in self._out.get(todo.pop(), ()):
                key = _key(step.to)
                if key not in seen:
                    seen.add(key)
                    todo.append(key)
        return frozenset(self._member[k] for k in seen)

    def unreachable(self) -> list[S]:
        """States no sequence of steps leads to from an initial state (should be none)."""
        seen = {_key(s) for s in self.initial}
        for start in self.initial:
            seen |= {_key(s) for s in self.reachable(start)}
        return [self._member[k] for k in sorted(set(self._out) - seen)]

    def trapped(self) -> list[S]:
        """Non-terminal states that cannot lead to a terminal or final state, or whose only
        step returns to themselves (should be none)."""
        ends = {_key(s) for s in self.terminal | self.final}
        out = []
        for key in sorted(self._out):
            if key in ends:
                continue
            leaves = any(_key(s.to) != key for s in self._out[key])
            if not leaves or not ends & {_key(s) for s in self.reachable(key)}:
                out.append(self._member[key])
        return out

    def moves(self) -> list[tuple[S, S, str]]:
        """Every (from, to, side) over the machine's states and sides, sorted: what a test
        walks to see each one allowed or refused."""
        states = [self._member[k] for k in sorted(self._out)]
        return [(a, b, side) for a in states for b in states for side in sorted(self.sides)]

    def label(self, value: Any) -> str:
        member = self._member.get(_key(value))
        return str(getattr(member, "label", _key(value))) if member is not None else _key(value)

    def check(self, source: Any, to: Any, by: str | Iterable[str]) -> Step[S]:
        """The step from ``source`` to ``to`` if ``by`` may take it; otherwise
        :class:`TransitionNotAllowed` with ``detail = {"from", "to"[, "allowed"]}``."""
        step = self.find_step(source, to)
        if step is not None and step.allows(by):
            return step
        detail: dict[str, Any] = {"from": source, "to": to}
        if self.detail_allowed:
            detail["allowed"] = [_key(s.to) for s in self.allowed_steps(source, by)]
        raise TransitionNotAllowed(
            self.refusal % {"from": self.label(source), "to": self.label(to)}, detail=detail
        )

    def __repr__(self) -> str:
        return f"<StateMachine {self.name}: {len(self._out)} states, {len(list(self))} steps>"
