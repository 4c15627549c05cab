"""The service case's life-cycle hooks: where other apps plug into a case's changes.

``cases.services`` runs these inside its transactions and imports none of the apps that
consume them. Consumers register from their ``AppConfig.ready`` (see docs/architecture.md):

=================  =========================================  ====================================
hook               when                                       consumers today (order)
=================  =========================================  ====================================
route_new_case     before a new case is written (provider)    routing
case_opened        a case was registered                      routing record (10), search (20),
                                                              service levels (30)
details_changed    the case's own fields changed              search (20), service levels (30)
status_changed     the status moved                           search (20), service levels (30)
closed             closed or cancelled (after status_changed) none yet (surveys, KPI roll-ups)
reopened           resolved/closed taken up again             none yet
assigned           team or assignee changed                   search (20)
replied            a public message (staff or customer)       search (20), service levels (30)
noted              an internal note                           search (20)
rated              the customer rated the service             search (20)
=================  =========================================  ====================================
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aftersales.core.hooks import Hook, Provider

if TYPE_CHECKING:
    from aftersales.accounts.models import Team, User
    from aftersales.customers.models import Asset, Customer

    from .models import Case, CaseCategory, CaseEvent

# Orders used by today's consumers; new consumers pick a number between them.
ORDER_ROUTING = 10
ORDER_SEARCH = 20
ORDER_SLA = 30


@dataclass(frozen=True)
class NewCaseRequest:
    """What a routing provider sees before the case exists. ``team``, ``assignee`` and
    ``priority`` are what the agent chose; ``None`` leaves the choice to the provider."""

    case_type: str
    category: CaseCategory | None
    asset: Asset | None
    customer: Customer
    title: str
    description: str
    team: Team | None
    assignee: User | None
    priority: str | None


@dataclass(frozen=True)
class CaseOpened:
    case: Case
    actor: Any
    now: dt.datetime
    # What the route_new_case provider decided (opaque to cases), or None.
    routing: Any = None


@dataclass(frozen=True)
class DetailsChanged:
    case: Case
    actor: Any
    changed: frozenset[str]


@dataclass(frozen=True)
class StatusChanged:
    case: Case
    actor: Any
    from_status: str
    to_status: str
    now: dt.datetime


@dataclass(frozen=True)
class Closed:
    """The case ended: closed or cancelled (``status``), from any open or resolved status."""

    case: Case
    actor: Any
    status: str
    reason: str
    now: dt.datetime


@dataclass(frozen=True)
class Reopened:
    """A resolved or closed case was taken up again (the customer said it is not solved, or
    staff reopened it)."""

    case: Case
    actor: Any
    from_status: str
    reason: str
    now: dt.datetime


@dataclass(frozen=True)
class Assigned:
    case: Case
    actor: Any
    team_before: int | None
    assignee_before: int | None


@dataclass(frozen=True)
class Replied:
    case: Case
    actor: Any
    event: CaseEvent
    by_staff: bool
    now: dt.datetime


@dataclass(frozen=True)
class Noted:
    case: Case
    actor: Any
    event: CaseEvent


@dataclass(frozen=True)
class Rated:
    case: Case
    actor: Any
    rating: int


route_new_case: Provider[NewCaseRequest, Any] = Provider("route_new_case", NewCaseRequest)
case_opened: Hook[CaseOpened] = Hook("case_opened", CaseOpened)
details_changed: Hook[DetailsChanged] = Hook("details_changed", DetailsChanged)
status_changed: Hook[StatusChanged] = Hook("status_changed", StatusChanged)
closed: Hook[Closed] = Hook("closed", Closed)
reopened: Hook[Reopened] = Hook("reopened", Reopened)
assigned: Hook[Assigned] = Hook("assigned", Assigned)
replied: Hook[Replied] = Hook("replied", Replied)
noted: Hook[Noted] = Hook("noted", Noted)
rated: Hook[Rated] = Hook("rated", Rated)

ALL_HOOKS: tuple[Hook[Any], ...] = (
    case_opened,
    details_changed,
    status_changed,
    closed,
    reopened,
    assigned,
    replied,
    noted,
    rated,
)
