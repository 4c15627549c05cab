"""Build the demo through the real services, on a simulated clock.

Everything is created by the same services the screens and the API call (``user_create``,
``customer_create``, ``asset_create``, ``case_create``, ``case_transition``, ``case_reply``,
``case_note``, ``case_assign``), so timelines, audit rows and outbox rows are genuine. To spread
the history over the last months without rewriting timestamps afterwards, the loader runs every
action on a demo clock: while it runs, ``django.utils.timezone.now`` answers the action's
planned time, so ``auto_now_add`` fields, audit rows, status times and outbox rows all agree
with each other and case numbers follow creation time. Actions of all cases are replayed in
time order. The clock is restored when the load ends.

While the demo is built, Huey runs tasks inline and mail goes to a dummy backend. Every message
the services queue is delivered through ``notification_deliver`` on the demo clock, seconds after
the action that queued it, so timelines show "notification sent" at the time it happened and a
background worker has nothing to send to the invented recipients.

Customers with portal accounts answer, send photos and rate the service themselves; staff attach
the photos customers sent by WeChat or e-mail, and technicians their photos from the site. The
pictures are small generated JPEG/PNG images and the invoices minimal PDFs.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import heapq
import io
import itertools
import random
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models.signals import post_save
from django.test.utils import override_settings
from django.utils import timezone
from PIL import Image, ImageDraw

from aftersales.accounts.models import Department, ServiceCenter, Team, User
from aftersales.accounts.roles import Role
from aftersales.accounts.services import apikey_create, roles_sync, user_create
from aftersales.cases.choices import CaseType, Status
from aftersales.cases.models import Case, CaseCategory
from aftersales.cases.services import (
    case_assign,
    case_create,
    case_note,
    case_rate,
    case_reply,
    case_transition,
)
from aftersales.cases.transitions import CUSTOMER, SYSTEM, TABLE, allowed_steps, find_step
from aftersales.core.testing import pdf_bytes
from aftersales.customers.models import Asset, Customer, ProductModel
from aftersales.customers.services import (
    address_add,
    asset_create,
    contact_add,
    customer_create,
    customer_signup,
)
from aftersales.demo.accounts import DEMO_PASSWORD, DEMO_USERS
from aftersales.notifications.models import Notification, State
from aftersales.notifications.services import notification_deliver

from . import data, sla_demo

S = Status
_real_now = timezone.now


# --- the demo clock -------------------------------------------------------------------------
class DemoClock:
    """Stands in for ``django.utils.timezone.now`` while the demo is built."""

    def __init__(self) -> None:
        self.value: dt.datetime | None = None

    def __call__(self) -> dt.datetime:
        return self.value if self.value is not None else _real_now()

    @contextlib.contextmanager
    def installed(self) -> Iterator[DemoClock]:
        timezone.now = self
        try:
            yield self
        finally:
            timezone.now = _real_now
            self.value = None


@contextlib.contextmanager
def quiet_outbox() -> Iterator[None]:
    """Run Huey tasks inline and send mail nowhere while the demo is built."""
    from huey.contrib.djhuey import HUEY

    was = HUEY.immediate
    HUEY.immediate = True
    try:
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            yield
    finally:
        HUEY.immediate = was


# Case types whose requests often come with photos.
_PHOTO_TYPES = {
    CaseType.REPAIR,
    CaseType.COMPLAINT,
    CaseType.WARRANTY_CLAIM,
    CaseType.RETURN_EXCHANGE,
    CaseType.DELIVERY_ISSUE,
}


# --- paths through the transition table -----------------------------------------------------
_FAMILY = {
    CaseType.CONSULTATION: "consult",
    CaseType.REPAIR: "general",
    CaseType.DELIVERY_ISSUE: "general",
    CaseType.COMPLAINT: "complaint",
    CaseType.RETURN_EXCHANGE: "decided",
    CaseType.WARRANTY_CLAIM: "decided",
    CaseType.PROPOSAL: "proposal",
}
_MAIN = {
    "consult": [S.NEW, S.ACCEPTED, S.RESOLVED, S.CLOSED],
    "general": [S.NEW, S.ACCEPTED, S.IN_PROGRESS, S.RESOLVED, S.CLOSED],
    "complaint": [S.NEW, S.VERIFYING, S.IN_PROGRESS, S.RESOLVED, S.CLOSED],
    "decided": [S.NEW, S.ACCEPTED, S.APPROVED, S.IN_PROGRESS, S.RESOLVED, S.CLOSED],
    "proposal": [S.NEW, S.ACCEPTED, S.IN_PROGRESS, S.ADOPTED, S.RESOLVED, S.CLOSED],
}
# Where a "waiting for the customer" loop fits, per family (the status it returns to).
_WAIT_LOOP = {
    "consult": S.ACCEPTED,
    "general": S.IN_PROGRESS,
    "complaint": S.VERIFYING,
    "decided": S.ACCEPTED,
}


def reachable_statuses(case_type: str) -> set[str]:
    """Every status a case of ``case_type`` can reach from ``new`` by the table."""
    table = TABLE[CaseType(case_type)]
    seen = {S.NEW}
    todo = [S.NEW]
    while todo:
        for step in table.get(todo.pop(), []):
            if step.to not in seen:
                seen.add(step.to)
                todo.append(step.to)
    return {str(s) for s in seen}


def _succ(case_type: str, status: str) -> list[str]:
    return [step.to for step in TABLE[CaseType(case_type)].get(S(status), [])]


def path_to(case_type: str, target: str, rng: random.Random) -> list[str]:
    """A plausible sequence of statuses from ``new`` to ``target`` (both included)."""
    family = _FAMILY[CaseType(case_type)]
    main = [str(s) for s in _MAIN[family]]
    if target == S.CLOSED and S.REJECTED in _succ(case_type, main[1]) and rng.random() < 0.2:
        path = path_to(case_type, S.REJECTED, rng)
        if S.CLOSED in _succ(case_type, S.REJECTED):
            return [*path, S.CLOSED]
    if target in main:
        path = main[: main.index(target) + 1]
        loop_at = _WAIT_LOOP.get(family)
        if loop_at in path[:-1] and rng.random() < 0.18:
            i = path.index(loop_at)
            back = S.IN_PROGRESS if family == "consult" else loop_at
            path[i + 1 : i + 1] = [S.WAITING_CUSTOMER, back]
            if family == "consult":
                path = path[: i + 3] + [p for p in path[i + 3 :] if p != S.IN_PROGRESS]
        if S.IN_PROGRESS in path[:-1] and family != "proposal" and rng.random() < 0.12:
            i = path.index(S.IN_PROGRESS)
            path[i + 1 : i + 1] = [S.WAITING_THIRD_PARTY, S.IN_PROGRESS]
        if target == S.CLOSED and family != "proposal" and rng.random() < 0.1:
            i = path.index(S.RESOLVED)
            path[i + 1 : i + 1] = [S.IN_PROGRESS, S.RESOLVED]
        return path
    one = [
        [*main[: i + 1], target] for i in range(len(main)) if target in _succ(case_type, main[i])
    ]
    if one:
        return rng.choice(one)
    two = [
        [*main[: i + 1], mid, target]
        for i in range(len(main))
        for mid in _succ(case_type, main[i])
        if mid not in main and target in _succ(case_type, mid)
    ]
    if two:
        return rng.choice(two)
    raise ValueError(f"no demo path to {target} for {case_type}")


# --- plans ----------------------------------------------------------------------------------
@dataclass
class AssetPlan:
    index: int
    customer: int
    product: data.Product
    serial: str
    vin: str
    plate: str
    purchase: dt.date
    invoice: str
    at: dt.datetime = None  # type: ignore[assignment]


@dataclass
class CustomerPlan:
    index: int
    name: str
    city: str
    language: str
    phone: str
    kind: str = "individual"
    company: str = ""
    tier: str = "standard"
    email: str = ""
    contacts: list[tuple[str, str]] = field(default_factory=list)
    addresses: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    portal: bool = False  # the demo sign-in "customer"
    account: str = ""  # user name of a portal account of their own
    assets: list[int] = field(default_factory=list)
    at: dt.datetime = None  # type: ignore[assignment]


@dataclass
class Step:
    at: dt.datetime
    kind: str  # create, assign, reply, note, move, customer_reply, customer_move, rate
    actor: str = ""  # username; empty for the customer
    to: str = ""
    text: str = ""
    files: tuple[str, ...] = ()  # "photo", "screenshot", "invoice"
    rating: int = 0


@dataclass
class CasePlan:
    scenario: data.Scenario
    case_type: str
    target: str
    customer: int
    asset: int | None
    org: str
    team: str
    assignee: str
    intake: str
    channel: str
    extra: dict[str, Any]
    title: str = ""
    description: str = ""
    steps: list[Step] = field(default_factory=list)
    case: Case | None = None


# --- the builder ----------------------------------------------------------------------------
class DemoBuilder:
    """Plans the demo, then replays every action in time order on the demo clock."""

    def __init__(self, *, cases: int = 200, seed: int = 2026, now: dt.datetime | None = None):
        self.rng = random.Random(seed)
        self.n_cases = cases
        self.now = (now or _real_now()).replace(microsecond=0)
        self.tz = timezone.get_current_timezone()
        self.go_live = self._at_hour(self.now - dt.timedelta(days=120), 9, 0)
        self.window_start = self.now - dt.timedelta(days=90)
        self.clock = DemoClock()
        self.users: dict[str, User] = {}
        self.roles: dict[str, str] = {}
        self.teams: dict[str, Team] = {}
        self.team_roles: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        self.categories: dict[str, CaseCategory] = {}
        self.products: dict[str, ProductModel] = {}
        self.customer_plans: list[CustomerPlan] = []
        self.asset_plans: list[AssetPlan] = []
        self.customers: dict[int, Customer] = {}
        self.assets: dict[int, Asset] = {}
        self.case_plans: list[CasePlan] = []
        self.integration_user: User | None = None
        self._seq = itertools.count()
        self.stats: Counter[str] = Counter()
        self.shared_hash = ""
        self._queued: list[int] = []  # outbox rows the current action queued

    # -- time helpers --
    def _at_hour(self, moment: dt.datetime, hour: int, minute: int) -> dt.datetime:
        local = timezone.localtime(moment, self.tz)
        return local.replace(hour=hour, minute=minute, second=0, microsecond=0)

    def _daytime(self, moment: dt.datetime) -> dt.datetime:
        """Move a moment that falls at night to the next morning."""
        local = timezone.localtime(moment, self.tz)
        if 8 <= local.hour < 21:
            return local
        day = local.date() if local.hour < 8 else local.date() + dt.timedelta(days=1)
        morning = dt.datetime.combine(day, dt.time(8, 0)) + dt.timedelta(
            seconds=self.rng.randint(0, 3 * 3600)
        )
        return timezone.make_aware(morning, self.tz)

    def _office_time(self, day: dt.date) -> dt.datetime:
        """A time on ``day`` when customers typically call or write."""
        hours = list(range(8, 21))
        weights = [3, 10, 12, 9, 4, 6, 10, 10, 8, 6, 4, 3, 2]
        hour = self.rng.choices(hours, weights)[0]
        moment = dt.datetime.combine(day, dt.time(hour, 0)) + dt.timedelta(
            seconds=self.rng.randint(0, 3599)
        )
        return timezone.make_aware(moment, self.tz)

    # -- plan: people and products --
    def _phone(self, used: set[str]) -> str:
        prefixes = ["135", "136", "137", "138", "139", "150", "151", "152", "158", "159"]
        prefixes += ["186", "187", "188", "189", "177", "176", "180", "181", "199", "198"]
        while True:
            number = self.rng.choice(prefixes) + "".join(
                self.rng.choice("0123456789") for _ in range(8)
            )
            if number not in used:
                used.add(number)
                return number

    def _street(self, city: str) -> tuple[str, str, str, str]:
        province, city_name, districts, _ = data.CITIES[city]
        district, roads = self.rng.choice(districts)
        road = self.rng.choice(roads)
        community = self.rng.choice(data.COMMUNITIES)
        building = self.rng.randint(1, 32)
        room = self.rng.randint(1, 28) * 100 + self.rng.randint(1, 4)
        street = f"{road}{self.rng.randint(1, 2999)}号{community}{building}号楼{room}室"
        return province, city_name, district, street

    def _serial(self, product: data.Product, purchase: dt.date, used: set[str]) -> str:
        while True:
            serial = f"{product.serial_prefix}{purchase:%y%m}HL{self.rng.randint(0, 999_999):06d}"
            if serial not in used:
                used.add(serial)
                return serial

    def _vin(self, product: data.Product, purchase: dt.date, used: set[str]) -> str:
        year_codes = "ABCDEFGHJKLMNPRSTVWXY123456789"  # 2010 = A … (ISO 3779 model years)
        year = year_codes[(purchase.year - 2010) % 30]
        while True:
            serial = f"{self.rng.randint(0, 999_999):06d}"
            vin = vin_with_check_digit(f"LYH{product.vds}0{year}M{serial}")
            if vin not in used:
                used.add(vin)
                return vin

    def _plate(self, city: str, ev: bool) -> str:
        region = data.CITIES[city][3]
        letters = {"sh": "ABDEFGHJKLMN", "bj": "NPQJ", "hz": "A", "gz": "A", "sz": "B", "nj": "A"}
        letter = self.rng.choice(letters[city])
        if ev:
            return f"{region}{letter}D{self.rng.randint(10000, 99999)}"
        tail = list(f"{self.rng.randint(10000, 99999)}")
        if self.rng.random() < 0.6:
            tail[self.rng.randint(0, 3)] = self.rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ")
        return f"{region}{letter}{''.join(tail)}"

    def _purchase_date(self) -> dt.date:
        today = timezone.localtime(self.now, self.tz).date()
        if self.rng.random() < 0.2:
            return today - dt.timedelta(days=self.rng.randint(5, 95))
        return today - dt.timedelta(days=self.rng.randint(96, 1095))

    def plan_customers(self) -> None:
        used_phones: set[str] = {data.PORTAL_PHONE}
        used_serials: set[str] = set()
        used_vins: set[str] = set()
        accounts: set[str] = set()
        by_code = {p.code: p for p in data.PRODUCTS}
        line_weights = {"ac": 30, "wm": 20, "fridge": 15, "wh": 15, "car": 14, "ev": 6}
        lines = list(line_weights)

        def product_for(line: str) -> data.Product:
            return self.rng.choice([p for p in data.PRODUCTS if p.line == line])

        def add_asset(cust: CustomerPlan, product: data.Product, purchase: dt.date) -> None:
            idx = len(self.asset_plans)
            vehicle = product.is_vehicle
            plan = AssetPlan(
                index=idx,
                customer=cust.index,
                product=product,
                serial="" if vehicle else self._serial(product, purchase, used_serials),
                vin=self._vin(product, purchase, used_vins) if vehicle else "",
                plate=self._plate(cust.city, product.line == "ev") if vehicle else "",
                purchase=purchase,
                invoice=f"{purchase:%y}{self.rng.randint(10**17, 10**18 - 1)}",
            )
            self.asset_plans.append(plan)
            cust.assets.append(idx)

        # the portal customer from the demo sign-ins
        _u, _r, portal_name, portal_email = next(u for u in DEMO_USERS if u[1] == Role.CUSTOMER)
        portal = CustomerPlan(
            index=0,
            name=portal_name,
            city=data.PORTAL_CITY,
            language="zh-hans",
            phone=data.PORTAL_PHONE,
            email=portal_email,
            portal=True,
        )
        portal.addresses.append(("家", *self._street(data.PORTAL_CITY)))
        self.customer_plans.append(portal)
        today = timezone.localtime(self.now, self.tz).date()
        for code, days in data.PORTAL_ASSETS:
            add_asset(portal, by_code[code], today - dt.timedelta(days=days))

        for name, city, language in data.INDIVIDUALS:
            cust = CustomerPlan(
                index=len(self.customer_plans),
                name=name,
                city=city,
                language=language,
                phone=self._phone(used_phones),
            )
            if name in data.EMAIL_LATIN:
                cust.email = f"{data.EMAIL_LATIN[name]}@example.com"
            elif self.rng.random() < 0.7:
                cust.email = f"{self.rng.randint(10**7, 10**10)}@example.com"
            cust.addresses.append(("家", *self._street(city)))
            if self.rng.random() < 0.25:
                cust.addresses.append(("公司", *self._street(city)))
            if self.rng.random() < 0.2:
                relative = name[0] + self.rng.choice(["先生", "女士"]) + "（家属）"
                cust.contacts.append((relative, self._phone(used_phones)))
            if language != "en" and self.rng.random() < 0.65:
                cust.account = f"{data.PORTAL_USER_PREFIX}{cust.phone[-6:]}"
                if cust.account in accounts:
                    cust.account = f"{data.PORTAL_USER_PREFIX}{cust.phone}"
                accounts.add(cust.account)
            for n in range(2 if self.rng.random() < 0.28 else 1):
                line = self.rng.choices(lines, [line_weights[x] for x in lines])[0]
                if language == "en" and n == 0:
                    line = "ac"  # the English-speaking customers write about their AC
                add_asset(cust, product_for(line), self._purchase_date())
            self.customer_plans.append(cust)

        company_lines = {
            "物业": ["ac", "ac", "ac", "wh", "wh"],
            "餐饮": ["fridge", "fridge", "ac"],
            "酒店": ["ac", "ac", "wh", "wh"],
            "学校": ["ac", "ac", "ac"],
            "汽车租赁": ["car", "car", "ev", "car"],
            "公寓": ["wm", "wh", "ac"],
            "科技": ["ac", "ac"],
        }
        for person, company, city, tier, more in data.COMPANIES:
            cust = CustomerPlan(
                index=len(self.customer_plans),
                name=person,
                city=city,
                language="zh-hans",
                phone=self._phone(used_phones),
                kind="company",
                company=company,
                tier=tier,
                email=f"service{len(self.customer_plans):02d}@example.com",
            )
            for extra in more:
                role, who = extra.split(" ", 1)
                cust.contacts.append((f"{who}（{role}）", self._phone(used_phones)))
            cust.addresses.append(("公司", *self._street(city)))
            kind_key = next(k for k in company_lines if k in company)
            for line in company_lines[kind_key]:
                add_asset(cust, product_for(line), self._purchase_date())
            self.customer_plans.append(cust)

        # registration times: imported at go-live, or when the first product was bought
        for cust in self.customer_plans:
            first = min((self.asset_plans[i].purchase for i in cust.assets), default=None)
            if first is None or self._date_at(first) <= self.go_live:
                cust.at = self.go_live + dt.timedelta(minutes=cust.index)
            else:
                cust.at = self._daytime(self._date_at(first) + dt.timedelta(hours=10))
            for idx in cust.assets:
                plan = self.asset_plans[idx]
                at = max(self._date_at(plan.purchase) + dt.timedelta(hours=11), cust.at)
                plan.at = self._daytime(at + dt.timedelta(minutes=idx + 1))
                plan.at = max(plan.at, cust.at + dt.timedelta(minutes=1))

    def _date_at(self, day: dt.date) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time(0, 0)), self.tz)

    # -- plan: cases --
    def _targets(self, count: int) -> list[tuple[str, str]]:
        """(type, final status) for ``count`` cases: each reachable pair once, the rest by
        weight."""
        pairs = [(str(t), s) for t in CaseType for s in sorted(reachable_statuses(t))]
        type_weights = {
            "repair_request": 40,
            "consultation": 12,
            "complaint": 13,
            "return_exchange": 8,
            "warranty_claim": 8,
            "proposal": 6,
            "delivery_issue": 13,
        }
        final_weights = {
            S.CLOSED: 46,
            S.RESOLVED: 10,
            S.IN_PROGRESS: 10,
            S.NEW: 7,
            S.ACCEPTED: 5,
            S.VERIFYING: 4,
            S.WAITING_CUSTOMER: 4,
            S.WAITING_THIRD_PARTY: 3,
            S.APPROVED: 3,
            S.CANCELLED: 4,
            S.REJECTED: 3,
            S.HELD: 2,
            S.ADOPTED: 2,
        }
        out = list(pairs)
        types = list(type_weights)
        while len(out) < count:
            t = self.rng.choices(types, [type_weights[x] for x in types])[0]
            options = sorted(reachable_statuses(t))
            s = self.rng.choices(options, [final_weights[S(o)] for o in options])[0]
            out.append((t, s))
        self.rng.shuffle(out)
        return out

    def _age_for(self, status: str) -> dt.timedelta:
        """How long ago a case that is now in ``status`` was typically opened."""
        days = {
            S.NEW: (0.05, 2),
            S.ACCEPTED: (0.3, 4),
            S.VERIFYING: (0.3, 2),
            S.WAITING_CUSTOMER: (2, 15),
            S.WAITING_THIRD_PARTY: (3, 20),
            S.IN_PROGRESS: (1, 25),
            S.APPROVED: (1, 10),
            S.HELD: (15, 55),
            S.ADOPTED: (20, 60),
            S.RESOLVED: (3, 25),
        }.get(S(status), (5, 89))
        return dt.timedelta(days=self.rng.uniform(*days))

    def _pick_customer_asset(
        self,
        scenario: data.Scenario,
        case_type: str,
        opened: dt.datetime,
        *,
        portal: bool,
        line: str | None,
    ) -> tuple[int, int | None]:
        """Someone who could have written this, and the product it is about (if any).

        The portal customer gets exactly the cases planned for him, so the portal shows a
        resolved case to confirm, one waiting for his answer, and so on."""
        english = scenario.language == "en"
        earlier = opened - dt.timedelta(hours=2)
        if portal:
            people = [self.customer_plans[0]]
        else:
            people = [
                c
                for c in self.customer_plans
                if not c.portal and (c.language == "en") == english and c.at < earlier
            ]
        if scenario.lines:
            lines = [line] if line else scenario.lines
            fits = [
                a
                for a in self.asset_plans
                if a.product.line in lines
                and self.customer_plans[a.customer] in people
                and a.at < earlier
            ]
            if case_type in (CaseType.RETURN_EXCHANGE, CaseType.DELIVERY_ISSUE):
                recent = [a for a in fits if (opened - a.at) < dt.timedelta(days=12)]
                fits = recent or fits
            if fits:
                chosen = self.rng.choice(fits)
                if case_type == CaseType.DELIVERY_ISSUE:  # the goods are not delivered yet
                    return chosen.customer, None
                return chosen.customer, chosen.index
        org = scenario.org
        pool = [c for c in people if self._org_of(c) in (org, None)] or people
        return self.rng.choice(pool).index, None

    def _org_of(self, cust: CustomerPlan) -> str | None:
        orgs = {self.asset_plans[i].product.org for i in cust.assets}
        return orgs.pop() if len(orgs) == 1 else None

    def plan_cases(self) -> None:
        by_type: dict[str, list[data.Scenario]] = defaultdict(list)
        for sc in data.SCENARIOS:
            by_type[sc.case_type].append(sc)
        portal_lines = {self.asset_plans[i].product.line for i in self.customer_plans[0].assets}
        wanted = [(t, s, line) for t, s, line in data.PORTAL_CASES]
        wanted += [(t, s, None) for t, s in self._targets(self.n_cases - len(wanted))]
        for n, (case_type, target, line) in enumerate(wanted):
            for_portal = n < len(data.PORTAL_CASES)
            scenarios = by_type[case_type]
            if for_portal:
                scenarios = [
                    sc
                    for sc in scenarios
                    if sc.language != "en"
                    and (line in sc.lines if line else not set(sc.lines) - portal_lines)
                ]
            weights = [0.25 if sc.language == "en" else 1.0 for sc in scenarios]
            scenario = self.rng.choices(scenarios, weights)[0]
            day = timezone.localtime(self.now - self._age_for(target), self.tz).date()
            opened = max(self._office_time(day), self.window_start)
            if opened > self.now - dt.timedelta(minutes=30):
                opened = self.now - dt.timedelta(minutes=self.rng.randint(30, 180))
            customer, asset = self._pick_customer_asset(
                scenario, case_type, opened, portal=for_portal, line=line
            )
            org = (
                self.asset_plans[asset].product.org
                if asset is not None
                else (self._product_org(scenario) if scenario.lines else scenario.org)
            )
            team, role = data.ROUTING[(org, case_type)]
            team = scenario.team or team
            plan = CasePlan(
                scenario=scenario,
                case_type=case_type,
                target=target,
                customer=customer,
                asset=asset,
                org=org,
                team=team,
                assignee=self._member(team, role),
                intake=self._member(data.INTAKE_TEAM[org], "agent"),
                channel="hotline",
                extra={},
            )
            product = self._product_for(scenario, asset)
            line = product.line if product else None
            if not data.category_fits(scenario.category, line):
                raise ValueError(f"category {scenario.category} does not fit a {line} case")
            plan.title, plan.description = self._texts(scenario, product, asset)
            plan.channel = self._channel(plan)
            plan.extra = self._extra(plan, opened)
            plan.steps = self._steps(plan, opened)
            self.case_plans.append(plan)

    def _product_for(self, scenario: data.Scenario, asset: int | None) -> data.Product | None:
        """The product the case is about: the customer's, or (for an order not yet delivered)
        one of the scenario's lines."""
        if asset is not None:
            return self.asset_plans[asset].product
        if not scenario.lines:
            return None
        return self.rng.choice([p for p in data.PRODUCTS if p.line in scenario.lines])

    def _texts(
        self, sc: data.Scenario, product: data.Product | None, asset: int | None
    ) -> tuple[str, str]:
        """Title and description in the customer's own words: the scenario's, varied by how
        people name their product, where it stands, how urgent it is."""
        rng = self.rng
        if sc.language == "en":
            title = sc.title
            if product is not None and rng.random() < 0.6:
                title = f"{title} ({product.code})"
            return title, sc.description
        nouns = data.PRODUCT_NOUNS.get(product.code, []) if product else []
        noun = rng.choice(nouns) if nouns else ""
        options = [sc.title] + [
            t for t in data.TITLE_ALTS.get(sc.key, []) if noun or "{noun}" not in t
        ]
        km = rng.choice([5000, 10000, 15000, 20000, 30000, 40000])
        title = rng.choice(options).format(noun=noun, km=km)
        roll = rng.random()
        if roll < 0.4:
            title += rng.choice(data.TITLE_TAILS[sc.case_type])
        elif roll < 0.6 and product is not None:
            title += f"（{product.code}）"
        elif roll < 0.75 and product and title[0] in "空洗冰热":  # "客厅空调…", "阳台洗衣机…"
            title = rng.choice(data.LINE_PLACES.get(product.line, [""])) + title
        description = sc.description
        if product is not None:
            if asset is not None:
                bought = self.asset_plans[asset].purchase
                when = f"{bought.year}年{bought.month}月"
            else:
                when = "最近"
            opener = rng.choice(data.DESCRIPTION_OPENERS)
            opener = opener.format(product=product.name, when=when, code=product.code)
            description = f"{opener}{description}"
        closer = rng.choice(data.DESCRIPTION_CLOSERS) if sc.case_type != "proposal" else ""
        if closer:
            description = f"{description}{closer}"
        return title[:200], description

    def _product_org(self, scenario: data.Scenario) -> str:
        return data.YH if scenario.lines[0] in ("car", "ev") else data.HL

    def _member(self, team: str, role: str) -> str:
        people = self.team_roles[team][role] or [
            u for members in self.team_roles[team].values() for u in members
        ]
        favourite = {"technician", "agent", "complaints"}
        demo = [u for u in people if u in favourite]
        if demo and self.rng.random() < 0.45:
            return demo[0]
        return self.rng.choice(people)

    def _channel(self, plan: CasePlan) -> str:
        cust = self.customer_plans[plan.customer]
        if cust.portal and self.rng.random() < 0.7:
            return "portal"
        if cust.account and self.rng.random() < 0.5:
            return "portal"
        if cust.language == "en":
            return "email"
        if plan.org == data.YH:
            return self.rng.choices(["walk_in", "hotline", "wechat"], [4, 4, 2])[0]
        return self.rng.choices(["hotline", "wechat", "email", "api"], [10, 3, 1, 1])[0]

    def _extra(self, plan: CasePlan, opened: dt.datetime) -> dict[str, Any]:
        extra = dict(plan.scenario.extra)
        day = timezone.localtime(opened, self.tz).date()
        cust = self.customer_plans[plan.customer]
        asset = self.asset_plans[plan.asset] if plan.asset is not None else None
        shop = self.rng.choice(["JD", "TM", "HL"])
        order = f"{shop}{day:%Y%m%d}{self.rng.randint(100000, 999999)}"
        if plan.case_type == CaseType.REPAIR:
            if extra.get("on_site", True) and cust.addresses:
                _label, province, city, district, street = cust.addresses[0]
                prefix = "" if province == city else province
                extra["service_address"] = f"{prefix}{city}{district}{street}"[:300]
        elif plan.case_type == CaseType.COMPLAINT:
            extra["incident_date"] = day - dt.timedelta(days=self.rng.randint(0, 3))
        elif plan.case_type == CaseType.RETURN_EXCHANGE:
            extra["order_number"] = order
            received = asset.purchase + dt.timedelta(days=1) if asset else day
            extra["received_date"] = min(received, day)
        elif plan.case_type == CaseType.WARRANTY_CLAIM:
            extra["failure_date"] = day - dt.timedelta(days=self.rng.randint(0, 5))
            if asset is not None:
                extra["invoice_number"] = asset.invoice
                if asset.product.is_vehicle:
                    age = (day - asset.purchase).days
                    extra["mileage_km"] = max(300, int(age * self.rng.uniform(25, 60)))
        elif plan.case_type == CaseType.DELIVERY_ISSUE:
            extra["order_number"] = order
            extra["promised_date"] = day - dt.timedelta(days=self.rng.randint(1, 4))
        return extra

    # the sequence of actions for one case
    def _steps(self, plan: CasePlan, opened: dt.datetime) -> list[Step]:
        rng = self.rng
        sc = plan.scenario
        cust = self.customer_plans[plan.customer]
        portal = cust.portal or bool(cust.account)  # the customer can act in the portal
        lang = "en" if sc.language == "en" else "zh-hans"
        path = path_to(plan.case_type, plan.target, rng)
        creator = "" if plan.channel == "portal" else plan.intake
        if plan.channel == "api":
            creator = "@api"
        raw: list[tuple[float, Step]] = [
            (0, Step(opened, "create", actor=creator, files=self._intake_files(plan)))
        ]

        def add(hours: float, step: Step) -> None:
            raw.append((hours, step))

        def h(lo: float, hi: float) -> float:
            return rng.uniform(lo, hi)

        assigned = plan.target != S.NEW or rng.random() < 0.5
        if assigned:
            by = "dispatcher" if plan.team == "hl-field" else plan.intake
            if plan.team in ("yh-workshop", "yh-bodyshop"):
                by = "yh.sunpeng"
            add(h(0.1, 0.7), Step(opened, "assign", actor=by, text=rng.choice(data.ASSIGN_NOTES)))
        staff = plan.assignee if assigned else plan.intake
        if sc.ack and (len(path) > 1 or rng.random() < 0.4):
            responder = plan.assignee if plan.case_type == CaseType.COMPLAINT else plan.intake
            add(h(0.2, 2), Step(opened, "reply", actor=responder, text=sc.ack))
            if portal and lang != "en" and len(path) > 2 and rng.random() < 0.6:
                text = rng.choice(data.CUSTOMER_THANKS)
                files = ("photo",) if "照片" in text else ()
                add(h(0.3, 6), Step(opened, "customer_reply", text=text, files=files))
        prev = S.NEW
        worked = False
        i = 1
        while i < len(path):
            to = path[i]
            step_def = find_step(plan.case_type, prev, to)
            assert step_def is not None, (plan.case_type, prev, to)
            if to == S.WAITING_CUSTOMER:
                add(
                    h(1, 24),
                    Step(opened, "reply", actor=staff, text=rng.choice(data.WAIT_ASK[lang])),
                )
                add(h(0.05, 0.2), Step(opened, "move", actor=staff, to=to))
                back = path[i + 1] if i + 1 < len(path) else None
                system = [s.to for s in allowed_steps(plan.case_type, S.WAITING_CUSTOMER, SYSTEM)]
                if back is not None and portal and system and system[0] == back:
                    answer = rng.choice(data.CUSTOMER_ANSWER[lang])
                    files: tuple[str, ...] = ()
                    if "发票" in answer or "invoice" in answer:
                        files = ("invoice", "photo")
                    elif any(w in answer for w in ("照片", "视频", "photo")):
                        files = ("photo", "photo") if rng.random() < 0.5 else ("photo",)
                    add(h(2, 30), Step(opened, "customer_reply", text=answer, files=files))
                    prev, i = back, i + 2
                    continue
                prev, i = to, i + 1
                continue
            by_customer = (
                portal
                and CUSTOMER in step_def.by
                and to in (S.CLOSED, S.CANCELLED, S.IN_PROGRESS, S.VERIFYING)
                and rng.random() < 0.5
            )
            reason = self._reason(plan.case_type, prev, to) if step_def.reason_required else ""
            hours = self._gap(prev, to)
            if to == S.RESOLVED and sc.work and not worked:
                site_photos: tuple[str, ...] = ()
                if sc.lines and plan.case_type in _PHOTO_TYPES and rng.random() < 0.4:
                    site_photos = ("photo",) * rng.randint(1, 2)
                add(
                    hours * 0.8,
                    Step(opened, "note", actor=plan.assignee, text=sc.work, files=site_photos),
                )
                hours *= 0.2
                worked = True
            if to == S.WAITING_THIRD_PARTY:
                add(
                    hours * 0.5,
                    Step(opened, "note", actor=staff, text=rng.choice(data.THIRD_PARTY_NOTES)),
                )
                hours *= 0.5
            if to == S.APPROVED:
                add(
                    hours * 0.7,
                    Step(opened, "note", actor=staff, text=rng.choice(data.APPROVE_NOTES)),
                )
                hours *= 0.3
            if to == S.ADOPTED and sc.work:
                add(hours * 0.6, Step(opened, "note", actor=staff, text=sc.work))
                hours *= 0.4
            if to == S.CLOSED and prev == S.RESOLVED and not by_customer:
                add(
                    hours * 0.9,
                    Step(opened, "note", actor=plan.intake, text=rng.choice(data.CLOSE_NOTES)),
                )
                hours *= 0.1
            mover = self._mover(plan, prev, to)
            resolution = ""
            if to == S.RESOLVED and rng.random() < 0.9:  # what was done, kept on the case
                resolution = sc.resolve or data.RESOLUTIONS[plan.case_type]
            if by_customer:
                add(hours, Step(opened, "customer_move", to=to, text=reason))
            else:
                add(hours, Step(opened, "move", actor=mover, to=to, text=reason or resolution))
            if to == S.RESOLVED and sc.resolve and not resolution:
                add(h(0.02, 0.3), Step(opened, "reply", actor=mover, text=sc.resolve))
            last_fix = to == S.RESOLVED and S.RESOLVED not in path[i + 1 :]
            if last_fix and portal and lang != "en" and rng.random() < 0.4:
                text = rng.choice(data.CUSTOMER_AFTER_FIX)
                add(h(1, 20), Step(opened, "customer_reply", text=text))
            prev, i = to, i + 1
        rated = portal and path[-1] in (S.RESOLVED, S.CLOSED) and S.RESOLVED in path
        if rated and rng.random() < 0.75:
            ratings = list(data.RATING_WEIGHTS)
            rating = rng.choices(ratings, list(data.RATING_WEIGHTS.values()))[0]
            feedback = rng.choice(data.RATING_FEEDBACK[rating])
            add(h(0.5, 30), Step(opened, "rate", text=feedback, rating=rating))
        return self._schedule(raw, opened)

    def _intake_files(self, plan: CasePlan) -> tuple[str, ...]:
        """What the customer sent along with the request: photos of the fault or damage, and
        for a claim the invoice."""
        rng = self.rng
        if plan.case_type not in _PHOTO_TYPES or not plan.scenario.lines:
            return ()
        chance = 0.6 if plan.channel in ("portal", "wechat", "email", "api") else 0.25
        if plan.case_type == CaseType.WARRANTY_CLAIM:
            chance += 0.2
        if rng.random() >= chance:
            return ()
        files = ["photo"] * rng.choice([1, 1, 2, 3])
        if plan.channel == "portal" and rng.random() < 0.25:
            files[0] = "screenshot"
        if plan.case_type == CaseType.WARRANTY_CLAIM or (
            plan.case_type == CaseType.RETURN_EXCHANGE and rng.random() < 0.5
        ):
            files.append("invoice")
        return tuple(files)

    def _gap(self, prev: str, to: str) -> float:
        """Hours between two status changes, typical for the step."""
        r = self.rng.uniform
        return {
            S.ACCEPTED: r(0.2, 3),
            S.VERIFYING: r(0.3, 6),
            S.IN_PROGRESS: r(2, 30) if prev != S.RESOLVED else r(24, 72),
            S.APPROVED: r(4, 30),
            S.WAITING_THIRD_PARTY: r(1, 8),
            S.RESOLVED: r(4, 96),
            S.CLOSED: r(24, 96),
            S.CANCELLED: r(1, 48),
            S.REJECTED: r(4, 48),
            S.HELD: r(72, 240),
            S.ADOPTED: r(72, 480),
        }.get(S(to), r(1, 24))

    def _mover(self, plan: CasePlan, prev: str, to: str) -> str:
        if plan.case_type == CaseType.PROPOSAL and to in (S.ADOPTED, S.REJECTED, S.HELD):
            return "supervisor" if plan.org == data.HL else "yh.songyu"
        if to in (S.ACCEPTED, S.CANCELLED) or (to == S.CLOSED and prev != S.REJECTED):
            return plan.intake
        if plan.case_type == CaseType.COMPLAINT and to in (S.VERIFYING, S.REJECTED, S.CLOSED):
            return plan.assignee
        return plan.assignee

    def _reason(self, case_type: str, prev: str, to: str) -> str:
        if to == S.CANCELLED:
            return self.rng.choice(data.CANCEL_REASONS)
        if to == S.REJECTED:
            return self.rng.choice(
                data.REJECT_REASONS.get(case_type, data.REJECT_REASONS["proposal"])
            )
        if to == S.HELD:
            return self.rng.choice(data.HOLD_REASONS)
        return self.rng.choice(data.REOPEN_REASONS)

    def _schedule(self, raw: list[tuple[float, Step]], opened: dt.datetime) -> list[Step]:
        """Give each step a time: its gap in hours after the one before, moved out of the night
        where that still ends before now, otherwise squeezed to end by now."""
        latest = self.now - dt.timedelta(minutes=5)
        scale = 1.0
        for _attempt in range(8):
            times = self._times(raw, opened, scale, daytime=True)
            if times[-1] <= latest:
                break
            scale *= 0.6
        else:
            total = sum(hours for hours, _ in raw) or 1.0
            room = (latest - opened).total_seconds() / 3600
            times = self._times(raw, opened, min(1.0, room / total), daytime=False)
        for step, at in zip((s for _, s in raw), times, strict=True):
            step.at = min(at, latest)
        return [s for _, s in raw]

    def _times(
        self, raw: list[tuple[float, Step]], opened: dt.datetime, scale: float, daytime: bool
    ) -> list[dt.datetime]:
        t = opened
        out = []
        for hours, step in raw:
            t = t + dt.timedelta(hours=hours * scale, seconds=1)
            if daytime and step.kind not in ("customer_reply", "rate"):
                t = self._daytime(t)
            out.append(t)
        return out

    # -- run --
    def _at(self, moment: dt.datetime) -> None:
        self.clock.value = moment

    def build(self) -> None:
        roles_sync()
        post_save.connect(self._note_queued, sender=Notification, dispatch_uid="demo-outbox")
        try:
            self._build()
        finally:
            post_save.disconnect(sender=Notification, dispatch_uid="demo-outbox")

    def _build(self) -> None:
        with self.clock.installed():
            self._at(self.go_live - dt.timedelta(days=1))
            self.build_organisation()
            sla_demo.policies_load()  # before the replay, so demo cases get their clocks
            self.plan_customers()
            self.plan_cases()
            self.replay()
        # Everything was delivered during the replay; should a message still wait, deliver it
        # the real way now (mail goes nowhere during the load), so no worker mails invented
        # recipients later and no row claims a delivery that did not happen.
        for pk in Notification.objects.filter(state=State.PENDING).values_list("pk", flat=True):
            notification_deliver(pk)
        since = self.go_live - dt.timedelta(days=1)
        User.objects.filter(pk__in=[u.pk for u in self.users.values()]).update(date_joined=since)

    def build_organisation(self) -> None:
        centers = {}
        for spec in data.SERVICE_CENTERS:
            # the demo centers' points are typed (from the map), not geocoded
            centers[spec["code"]] = ServiceCenter.objects.create(
                **spec, geo_precision="point", geo_source="manual"
            )
        departments = {
            code: Department.objects.create(code=code, name=name) for code, name in data.DEPARTMENTS
        }
        for code, name, dept in data.TEAMS:
            self.teams[code] = Team.objects.create(
                code=code, name=name, department=departments[dept]
            )
        # The demo sign-ins are made by user_create with the demo password; the extra staff get
        # the same password through one shared hash, which saves a second or two of hashing.
        people: list[tuple[str, str, str, str, str | None, list[str], str | None, bool]] = []
        for username, role, name, email in DEMO_USERS:
            if role == Role.CUSTOMER:
                continue
            dept, teams, center, _lead = data.DEMO_PLACEMENT[username]
            people.append((username, role, name, email, dept, teams, center, True))
        for username, role, name, dept, teams, center in data.EXTRA_STAFF:
            email = f"{username.replace('.', '_')}@demo.aftersales.cn"
            people.append((username, role, name, email, dept, teams, center, False))
        shared_hash = self.shared_hash = make_password(DEMO_PASSWORD)
        for username, role, name, email, dept, teams, center, sign_in in people:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = user_create(
                    actor=None,
                    username=username,
                    password=DEMO_PASSWORD if sign_in else None,
                    role=role,
                    display_name=name,
                    email=email,
                    department=departments[dept] if dept else None,
                    teams=[self.teams[t] for t in teams],
                    service_center=centers[center] if center else None,
                )
                if not sign_in:
                    User.objects.filter(pk=user.pk).update(password=shared_hash)
            else:  # an account of that name exists: give it its demo place, keep its password
                user.groups.add(Group.objects.get_or_create(name=str(role))[0])
                user.teams.add(*[self.teams[t] for t in teams])
            self.users[username] = user
            self.roles[username] = role
            for t in teams:
                self.team_roles[t][role].append(username)
        leads = {t: u for u, p in data.DEMO_PLACEMENT.items() for t in p[3]}
        leads.update(data.EXTRA_LEADS)
        for team_code, username in leads.items():
            Team.objects.filter(code=team_code).update(lead=self.users[username])
        heads = {**data.DEPARTMENT_HEADS, **data.EXTRA_HEADS}
        for dept_code, username in heads.items():
            Department.objects.filter(code=dept_code).update(head=self.users[username])
        for code, name, name_en, case_type in data.CATEGORIES:
            self.categories[code] = CaseCategory.objects.create(
                code=code, name=name, name_en=name_en, case_type=case_type
            )
        for p in data.PRODUCTS:
            self.products[p.code] = ProductModel.objects.create(
                code=p.code,
                name=p.name,
                brand=p.brand,
                product_line=p.product_line,
                is_vehicle=p.is_vehicle,
                warranty_months=p.warranty_months,
                main_parts_warranty_months=p.main_parts_warranty_months,
                warranty_km=p.warranty_km,
            )
        _key, _plain = apikey_create(
            actor=self.users["admin"], name="海澜天猫旗舰店对接", role="agent"
        )
        self.integration_user = _key.user
        self.users["@api"] = _key.user

    def replay(self) -> None:
        queue: list[tuple[dt.datetime, int, Callable[[], None]]] = []

        def push(at: dt.datetime, fn: Callable[[], None]) -> None:
            heapq.heappush(queue, (at, next(self._seq), fn))

        for cust in self.customer_plans:
            push(cust.at, lambda c=cust: self._create_customer(c))
        for asset in self.asset_plans:
            push(asset.at, lambda a=asset: self._create_asset(a))
        for plan in self.case_plans:
            self._push_case(plan, 0, push)
        while queue:
            at, _n, fn = heapq.heappop(queue)
            self._at(at)
            fn()
            self.stats["actions"] += 1
            self._deliver_later(at, push)

    def _deliver_later(self, at: dt.datetime, push) -> None:
        """Deliver what the last action queued, seconds later, as the worker would."""
        queued, self._queued = self._queued, []
        for pk in queued:
            when = at + dt.timedelta(seconds=self.rng.randint(4, 90))
            push(when, lambda pk=pk: self._deliver(pk))

    def _note_queued(self, sender, instance: Notification, created: bool, **kwargs) -> None:
        if created and instance.state == State.PENDING:
            self._queued.append(instance.pk)

    def _deliver(self, pk: int) -> None:
        self.stats["delivered " + notification_deliver(pk)] += 1

    def _push_case(self, plan: CasePlan, index: int, push) -> None:
        if index >= len(plan.steps):
            return
        step = plan.steps[index]

        def run() -> None:
            self._run_step(plan, step)
            self._push_case(plan, index + 1, push)

        push(step.at, run)

    def _create_customer(self, plan: CustomerPlan) -> None:
        agent = self.users["admin"] if plan.at <= self.go_live + dt.timedelta(hours=2) else None
        actor = agent or self.users[self._member(data.INTAKE_TEAM[data.HL], "agent")]
        if plan.portal:
            username = next(u[0] for u in DEMO_USERS if u[1] == Role.CUSTOMER)
            customer = customer_signup(
                username=username,
                password=DEMO_PASSWORD,
                name=plan.name,
                phone=plan.phone,
                email=plan.email,
            )
            self.users["@portal"] = customer.user
            actor = customer.user
        elif plan.account:
            # A sign-up of their own. The password is the demo password through the shared
            # hash (as for the extra staff), which spares a slow hash per account.
            with override_settings(
                PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
            ):
                customer = customer_signup(
                    username=plan.account,
                    password=DEMO_PASSWORD,
                    name=plan.name,
                    phone=plan.phone,
                    email=plan.email,
                    language=plan.language,
                    consent_privacy=True,
                )
            User.objects.filter(pk=customer.user_id).update(password=self.shared_hash)
            actor = customer.user
        else:
            customer = customer_create(
                actor=actor,
                name=plan.name,
                phone=plan.phone,
                kind=plan.kind,
                company_name=plan.company,
                email=plan.email,
                tier=plan.tier,
                preferred_language=plan.language,
            )
        for name, phone in plan.contacts:
            contact_add(actor=actor, customer=customer, name=name, phone=phone)
        for label, province, city, district, street in plan.addresses:
            address_add(
                actor=actor,
                customer=customer,
                street=street,
                province=province,
                city=city,
                district=district,
                label=label,
            )
        self.customers[plan.index] = customer

    def _create_asset(self, plan: AssetPlan) -> None:
        org = plan.product.org
        actor = self.users[self._member(data.INTAKE_TEAM[org], "agent")]
        self.assets[plan.index] = asset_create(
            actor=actor,
            customer=self.customers[plan.customer],
            product_model=self.products[plan.product.code],
            serial_number=plan.serial,
            vin=plan.vin,
            plate_number=plan.plate,
            purchase_date=plan.purchase,
            invoice_number=plan.invoice,
        )

    def _run_step(self, plan: CasePlan, step: Step) -> None:
        user = self.users.get(step.actor) if step.actor else None
        portal_user = self.customers[plan.customer].user
        if step.kind == "create":
            sc = plan.scenario
            actor = portal_user if plan.channel == "portal" else user
            plan.case = case_create(
                actor=actor,
                customer=self.customers[plan.customer],
                case_type=plan.case_type,
                channel=plan.channel,
                title=plan.title,
                description=plan.description,
                customer_demand=sc.demand,
                priority=sc.priority,
                severity=sc.severity,
                category=self.categories[sc.category],
                asset=self.assets[plan.asset] if plan.asset is not None else None,
                extra=plan.extra,
                files=self._files(step.files, plan),
            )
        elif step.kind == "assign":
            case_assign(
                actor=user,
                case=plan.case,
                team=self.teams[plan.team],
                assignee=self.users[plan.assignee],
            )
            if self.rng.random() < 0.3:
                case_note(actor=user, case=plan.case, body=step.text)
        elif step.kind == "reply":
            case_reply(actor=user, case=plan.case, body=step.text)
        elif step.kind == "note":
            files = self._files(step.files, plan)
            case_note(actor=user, case=plan.case, body=step.text, files=files)
        elif step.kind == "move":
            case_transition(actor=user, case=plan.case, to_status=step.to, reason=step.text)
        elif step.kind == "customer_reply":
            files = self._files(step.files, plan)
            case_reply(actor=portal_user, case=plan.case, body=step.text, files=files)
            plan.case.refresh_from_db()
        elif step.kind == "customer_move":
            case_transition(actor=portal_user, case=plan.case, to_status=step.to, reason=step.text)
        elif step.kind == "rate":
            plan.case.refresh_from_db()
            case_rate(actor=portal_user, case=plan.case, rating=step.rating, feedback=step.text)
        self.stats[step.kind] += 1

    # -- files the demo attaches --
    def _files(self, kinds: tuple[str, ...], plan: CasePlan) -> list[SimpleUploadedFile]:
        out = []
        moment = timezone.localtime(self.clock(), self.tz)
        for n, kind in enumerate(kinds):
            taken = moment - dt.timedelta(minutes=self.rng.randint(3, 600), seconds=n * 7)
            if kind == "invoice":
                name = self.rng.choice(["购机发票.pdf", "invoice_scan.pdf", "发票扫描件.pdf"])
                out.append(SimpleUploadedFile(name, pdf_bytes(), "application/pdf"))
            elif kind == "screenshot":
                name = f"Screenshot_{taken:%Y%m%d_%H%M%S}.png"
                out.append(SimpleUploadedFile(name, self._picture(plan, "PNG"), "image/png"))
            else:
                name = f"IMG_{taken:%Y%m%d_%H%M%S}.jpg"
                out.append(SimpleUploadedFile(name, self._picture(plan, "JPEG"), "image/jpeg"))
        self.stats["files"] += len(out)
        return out

    def _picture(self, plan: CasePlan, fmt: str) -> bytes:
        """A small photo-like picture: a coloured scene with the outline of the product (a
        box for an appliance, a car body with wheels) and a mark where the fault is."""
        rng = self.rng
        w, h = 320, 240
        base = tuple(rng.randint(150, 235) for _ in range(3))
        img = Image.new("RGB", (w, h), base)
        draw = ImageDraw.Draw(img)
        for y in range(0, h, 8):  # a soft gradient like light falling on a wall
            shade = tuple(max(0, c - y // 6) for c in base)
            draw.rectangle([0, y, w, y + 8], fill=shade)
        body = tuple(rng.randint(200, 250) for _ in range(3))
        edge = tuple(rng.randint(40, 110) for _ in range(3))
        vehicle = plan.asset is not None and self.asset_plans[plan.asset].product.is_vehicle
        if vehicle or plan.org == data.YH:
            paint = tuple(rng.randint(20, 230) for _ in range(3))
            draw.rounded_rectangle([30, 90, 290, 175], radius=24, fill=paint, outline=edge)
            draw.polygon([(90, 90), (125, 50), (215, 50), (250, 90)], fill=paint, outline=edge)
            draw.polygon([(105, 88), (132, 58), (208, 58), (235, 88)], fill=(170, 200, 220))
            for x in (85, 235):
                draw.ellipse([x - 26, 150, x + 26, 202], fill=(35, 35, 35))
                draw.ellipse([x - 11, 165, x + 11, 187], fill=(160, 160, 160))
        else:
            x0, y0 = rng.randint(40, 90), rng.randint(20, 50)
            x1, y1 = rng.randint(230, 290), rng.randint(180, 225)
            draw.rectangle([x0, y0, x1, y1], fill=body, outline=edge, width=3)
            draw.rectangle([x0 + 12, y0 + 14, x1 - 12, y0 + 30], fill=edge)
            if rng.random() < 0.5:
                cx, cy = (x0 + x1) // 2, (y0 + y1) // 2 + 15
                r = min(x1 - x0, y1 - y0) // 4
                draw.ellipse([cx - r, cy - r, cx + r, cy + r], outline=edge, width=4)
        mx, my = rng.randint(60, 260), rng.randint(60, 190)
        mark = rng.choice([(210, 40, 40), (230, 140, 20), (90, 70, 50)])
        draw.ellipse([mx - 22, my - 16, mx + 22, my + 16], outline=mark, width=3)
        buf = io.BytesIO()
        img.save(buf, fmt, quality=80) if fmt == "JPEG" else img.save(buf, fmt, optimize=False)
        return buf.getvalue()


def vin_with_check_digit(vin: str) -> str:
    """Put the ISO 3779 check digit in position 9 of a 17-character VIN."""
    values = {c: i for i, c in enumerate("0123456789")}
    values.update(dict(zip("ABCDEFGH", range(1, 9), strict=True)))
    values.update(dict(zip("JKLMN", range(1, 6), strict=True)))
    values.update({"P": 7, "R": 9})
    values.update(dict(zip("STUVWXYZ", range(2, 10), strict=True)))
    weights = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2]
    total = sum(values[c] * w for c, w in zip(vin, weights, strict=True))
    check = total % 11
    return vin[:8] + ("X" if check == 10 else str(check)) + vin[9:]


def demo_present() -> bool:
    return Department.objects.filter(code=data.MARKER_DEPARTMENT).exists()


def build_demo(*, cases: int = 200, seed: int = 2026) -> DemoBuilder:
    """Create the demo in one transaction; the caller checks :func:`demo_present` first."""
    builder = DemoBuilder(cases=cases, seed=seed)
    with quiet_outbox(), transaction.atomic():
        builder.build()
    return builder
