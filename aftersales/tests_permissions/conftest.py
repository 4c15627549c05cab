"""One world per module for the permission matrix: the shared fixtures' organisation, users and
cases, plus a work order, stock, a supplier with an order, a routing rule and a price change.

The world is built once inside an outer transaction that is rolled back when the module ends;
every request of the matrix runs in a savepoint of its own, so a write by one role is never seen
by the next and the signed-in clients (one per role) are made once.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings

from aftersales.accounts.roles import Role
from aftersales.conftest import (
    build_customers,
    build_org,
    build_product_model,
    build_staff,
    make_case,
)
from aftersales.core.testing import image_bytes

PNG = image_bytes("PNG")


@pytest.fixture(scope="session")
def _matrix_media(tmp_path_factory):
    return tmp_path_factory.mktemp("matrix-media")


@pytest.fixture(autouse=True)
def _media_root(settings, _matrix_media):
    """The world's files live for the whole module, so every test reads the same media root
    (this replaces the per-test folder of the shared fixtures)."""
    from aftersales.accounts import role_cache

    settings.MEDIA_ROOT = _matrix_media
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    role_cache.clear()  # another module's users had these ids; their roles must not leak


def _build() -> dict:
    from aftersales.accounts import role_cache
    from aftersales.cases.services import attachment_add
    from aftersales.parts.services import (
        location_create,
        part_create,
        reservation_create,
        stock_receive,
    )
    from aftersales.purchasing.pricing import price_change_request
    from aftersales.purchasing.services import order_create, supplier_create
    from aftersales.routing.services import rule_create
    from aftersales.sla.models import SlaPolicy
    from aftersales.workorders.models import Skill
    from aftersales.workorders.services import workorder_assign, workorder_create

    role_cache.clear()
    org = build_org(
        latitude=Decimal("31.204000"),
        longitude=Decimal("121.600000"),
        coverage_radius_km=Decimal("20.0"),
    )
    team_a, team_b = org["team_a"], org["team_b"]
    users = build_staff(org, in_team_b=(("technician_b", Role.TECHNICIAN),))
    model = build_product_model()
    folks = build_customers(model)
    alice, bob = folks["alice"], folks["bob"]
    case_a = make_case(alice, team=team_a)
    case_b = make_case(bob, team=team_b, title="洗衣机漏水")
    agent = users["agent"]
    att_a = attachment_add(
        actor=agent,
        case=case_a,
        files=[SimpleUploadedFile("a.png", PNG, content_type="image/png")],
    )[0]
    att_b = attachment_add(
        actor=agent,
        case=case_b,
        files=[SimpleUploadedFile("b.png", PNG, content_type="image/png")],
    )[0]

    dispatcher = users["dispatcher"]
    wo_a = workorder_create(actor=dispatcher, case=case_a)
    wo_b = workorder_create(actor=dispatcher, case=case_b)
    # The technician's own job: assigned to them for a visit on the next working Tuesday.
    day = dt.date.today() + dt.timedelta(days=(1 - dt.date.today().weekday()) % 7 or 7)
    tz = dt.timezone(dt.timedelta(hours=8))
    wo_a = workorder_assign(
        actor=dispatcher,
        order=wo_a,
        technician=users["technician"],
        start=dt.datetime.combine(day, dt.time(10), tz),
        end=dt.datetime.combine(day, dt.time(12), tz),
        expected_version=wo_a.version,
    )
    Skill.objects.create(code="aircon", name="空调维修")

    keeper = users["parts_keeper"]
    warehouse = location_create(code="WH-SH", name="上海中心仓", kind="warehouse", actor=keeper)
    location_create(
        code="VAN-T1", name="技师车载库", kind="van", technician=users["technician"], actor=keeper
    )
    part = part_create(
        code="CAP-35UF",
        name="压缩机启动电容",
        unit="pcs",
        standard_cost="12.50",
        list_price="25.00",
        reorder_point=5,
        actor=keeper,
    )
    received = stock_receive(
        part=part,
        location=warehouse,
        quantity=10,
        unit_cost="12.50",
        batch_lot="L2026-11",
        actor=keeper,
    )
    reservation = reservation_create(
        part=part, location=warehouse, quantity=1, work_order=wo_a, actor=keeper
    )
    supplier = supplier_create(actor=None, code="sz-hualeng", name="苏州华冷配件有限公司")
    po = order_create(
        actor=keeper,
        supplier=supplier,
        promised_date=dt.date.today() + dt.timedelta(days=7),
        lines=[{"part": part, "quantity": 5, "unit_price": Decimal("11.00")}],
    )
    change = price_change_request(
        actor=keeper, reason="供应商涨价", part=part, list_price=Decimal("28.00")
    )
    rule = rule_create(
        actor=users["administrator"], name="空调漏水", keywords="空调 漏水", team=team_a
    )

    # after the cases, so that no clock of theirs depends on it
    policy = SlaPolicy.objects.create(code="consultation", name="咨询", case_types=["consultation"])

    def side(customer, case, att, wo) -> dict:
        from aftersales.customers.services import address_add

        case.refresh_from_db()
        wo.refresh_from_db()
        address = customer.addresses.first() or address_add(
            actor=None, customer=customer, province="上海市", street="张江路 100 号"
        )
        return {
            "customer": customer.pk,
            "contact": customer.contacts.first().pk,
            "address": address.pk,
            "asset": customer.assets.first().pk,
            "case": case.number,
            "attachment": att.pk,
            "version": case.version,
            "workorder": wo.number,
            "wo_version": wo.version,
        }

    shared = {
        "part": part.code,
        "supplier": supplier.code,
        "supplier_pk": supplier.pk,
        "po": po.number,
        "po_pk": po.pk,
        "po_version": po.version,
        "po_line": po.lines.first().pk,
        "batch": received.batch_id,
        "reservation": reservation.pk,
        "change": change.pk,
        "rule": rule.pk,
        "rule_version": rule.version,
        "technician": users["technician"].pk,
        "policy": policy.pk,
    }
    return {
        "users": users,
        "customer_user": alice.user,
        # the technician's own van on one side, the warehouse on the other
        "mine": {**shared, **side(alice, case_a, att_a, wo_a), "location": "VAN-T1"},
        "other": {**shared, **side(bob, case_b, att_b, wo_b), "location": "WH-SH"},
    }


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, _matrix_media):
    """The world and one signed-in client per actor, rolled back when the module ends."""
    with (
        django_db_blocker.unblock(),
        transaction.atomic(),
        override_settings(MEDIA_ROOT=_matrix_media),
    ):
        built = _build()
        clients = {"anonymous": Client()}
        for actor, user in (("customer", built["customer_user"]), *built["users"].items()):
            client = Client()
            client.force_login(user)
            clients[actor] = client
        built["clients"] = clients
        yield built
        transaction.set_rollback(True)
