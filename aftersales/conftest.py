"""Shared test fixtures: one user per role, an organisation, customers and cases.

Tests build on these so that a permission matrix reads as "this role, that object"."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from aftersales.accounts.roles import Role

pytest_plugins = ["aftersales.testing_browser"]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    from aftersales.accounts import role_cache

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    role_cache.clear()  # ids are reused between tests; a cached role must not leak across


@pytest.fixture(autouse=True)
def _fresh_process_state():
    """Each test starts with the per-process caches as a newly started process has them.

    With pytest-xdist which tests ran earlier on a worker, and how long ago, depends on how the
    files were handed out. A cache left warm (or stale: the search dictionary is checked again
    after five minutes) by an earlier test changes the queries a later one makes."""
    from django.core.cache import caches

    from aftersales.calendars import services as calendars
    from aftersales.routing import services as routing
    from aftersales.search import dictionary
    from aftersales.sla import services as sla

    for cache in caches.all(initialized_only=True):
        # only a cache private to this process: a shared one (Redis) belongs to other runs too
        if type(cache).__name__ == "LocMemCache":
            cache.clear()
    dictionary._state.update(checked=float("-inf"), count=-1)
    routing._rules_cache = None
    sla._book_cache = None
    calendars._forget(*list(calendars._cache))


# The world most tests share, as plain functions so that module-scoped fixtures (the
# permission matrices) build the same records as the function-scoped fixtures below.


def build_org(**center: Any) -> dict:
    """Two teams in one department, and a service center (``center`` adds its fields)."""
    from aftersales.accounts.models import Department, ServiceCenter, Team

    dept = Department.objects.create(code="service", name="售后服务部")
    center_row = ServiceCenter.objects.create(
        code="sh-01", name="上海浦东服务中心", address="上海市浦东新区张江路 100 号", **center
    )
    team_a = Team.objects.create(code="hotline", name="热线组", department=dept)
    team_b = Team.objects.create(code="field", name="上门维修组", department=dept)
    return {"department": dept, "center": center_row, "team_a": team_a, "team_b": team_b}


def build_staff(org: dict, *, in_team_b: tuple[tuple[str, str], ...] = ()) -> dict:
    """One user per staff role (agent, technician and complaint officer in team A), plus the
    ``(username, role)`` users of ``in_team_b``."""
    made = {}
    for role in Role:
        if role == Role.CUSTOMER:
            continue
        teams = (
            [org["team_a"]] if role in (Role.AGENT, Role.TECHNICIAN, Role.COMPLAINT_OFFICER) else []
        )
        made[str(role)] = make_user(str(role), role, teams=teams)
    for username, role in in_team_b:
        made[username] = make_user(username, role, teams=[org["team_b"]])
    return made


def build_product_model():
    from aftersales.customers.models import ProductModel

    return ProductModel.objects.create(
        code="KFR-35GW", name="海尔空调", brand="海尔", product_line="空调", warranty_months=12
    )


def build_customers(product_model) -> dict:
    """Two portal customers, Alice and Bob, each with one air conditioner."""
    from aftersales.customers.services import asset_create

    alice = make_portal_customer("alice", "张三丰", "13812345678")
    bob = make_portal_customer("bob", "李四", "13987654321")
    for cust, serial in ((alice, "SN-A-0001"), (bob, "SN-B-0001")):
        asset_create(
            actor=None,
            customer=cust,
            product_model=product_model,
            serial_number=serial,
            purchase_date=dt.date(2026, 3, 1),
        )
    return {"alice": alice, "bob": bob}


@pytest.fixture
def org(db):
    """Two teams in one department, and a service center."""
    return build_org()


def make_user(username: str, role: str, *, teams=(), email: str = ""):
    from aftersales.accounts.services import user_create

    return user_create(
        actor=None,
        username=username,
        password="pw-Test-12345",
        role=role,
        display_name=username,
        email=email or f"{username}@example.com",
        teams=list(teams),
    )


@pytest.fixture
def users(org):
    """One user per staff role; the agent and technician belong to team A."""
    return build_staff(org, in_team_b=(("agent_b", Role.AGENT),))


@pytest.fixture
def product_model(db):
    return build_product_model()


def make_portal_customer(username: str, name: str, phone: str):
    from aftersales.customers.services import customer_signup

    return customer_signup(
        username=username,
        password="pw-Test-12345",
        name=name,
        phone=phone,
        email=f"{username}@example.cn",
    )


@pytest.fixture
def customers(db, product_model):
    """Two portal customers, each with one asset."""
    return build_customers(product_model)


def make_case(customer, *, actor=None, team=None, assignee=None, case_type="repair_request", **kw):
    from aftersales.cases.services import case_create

    return case_create(
        actor=actor,
        customer=customer,
        case_type=case_type,
        channel=kw.pop("channel", "hotline"),
        title=kw.pop("title", "空调不制冷"),
        description=kw.pop("description", "海尔空调开机后不制冷，室外机不转。"),
        asset=kw.pop("asset", customer.assets.first()),
        team=team,
        assignee=assignee,
        **kw,
    )


@pytest.fixture
def cases(users, customers, org):
    """Alice's case in team A, Bob's case in team B, and an unrouted complaint of Alice's."""
    return {
        "alice_a": make_case(customers["alice"], team=org["team_a"]),
        "bob_b": make_case(customers["bob"], team=org["team_b"], title="洗衣机漏水"),
        "alice_complaint": make_case(
            customers["alice"], case_type="complaint", title="维修人员迟到", asset=None
        ),
    }


@pytest.fixture
def working_calendar(db):
    """The company working calendar as ``migrate`` seeds it: 08:30–12:00 and 13:30–17:30,
    Monday to Friday, with China's holidays and make-up working days of every year the installed
    chinesecalendar knows (2026 included; 2027 unknown until entered)."""
    from aftersales.calendars.services import calendar_default

    return calendar_default()
