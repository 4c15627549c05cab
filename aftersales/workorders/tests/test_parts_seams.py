"""The seams between work orders and the parts ledger (issues 5 and 6): reservations for a
scheduled order are released when it is cancelled or handed back and consumed when the
technician issues the part on the job; the order's pages include the batches it used."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from aftersales.core.errors import InvalidInput
from aftersales.core.models import AuditLog
from aftersales.parts.models import Movement, Reservation, StockLevel
from aftersales.parts.selectors import ledger_totals
from aftersales.parts.services import reservation_create
from aftersales.workorders import services
from aftersales.workorders.choices import Status

from .conftest import at, work_until_in_progress

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _level(van_stock) -> StockLevel:
    return StockLevel.objects.get(part=van_stock["cap"], location=van_stock["van"])


def _ledger_matches(van_stock) -> None:
    level = _level(van_stock)
    assert ledger_totals(van_stock["cap"], van_stock["van"]) == (level.on_hand, level.reserved)


def _reserve(order, users, van_stock, quantity: str = "3") -> Reservation:
    return reservation_create(
        part=van_stock["cap"],
        location=van_stock["van"],
        quantity=quantity,
        work_order=order,
        actor=users["parts_keeper"],
    )


def test_cancelling_an_order_releases_its_reservations(order, users, techs, van_stock, visit_day):
    order = services.workorder_assign(
        actor=users["dispatcher"],
        order=order,
        technician=techs["wang"],
        start=at(visit_day, 10),
        end=at(visit_day, 12),
        expected_version=order.version,
    )
    reservation = _reserve(order, users, van_stock)
    level = _level(van_stock)
    assert (level.on_hand, level.reserved) == (Decimal("10"), Decimal("3"))

    services.workorder_cancel(
        actor=users["dispatcher"],
        order=order,
        reason="客户已自行修好",
        expected_version=order.version,
    )

    reservation.refresh_from_db()
    assert reservation.status == "released" and reservation.closed_at is not None
    level = _level(van_stock)
    assert (level.on_hand, level.reserved) == (Decimal("10"), Decimal("0"))  # available again
    _ledger_matches(van_stock)
    release = Movement.objects.get(work_order=order, kind="release")
    assert release.reserved_delta == Decimal("-3") and release.reason == "客户已自行修好"
    assert order.events.filter(kind="reservations_released", data__count=1).exists()
    assert AuditLog.objects.filter(action="workorder.transition", object_id=str(order.pk)).exists()


def test_handing_an_order_back_releases_its_reservations(order, users, techs, van_stock, visit_day):
    wang = techs["wang"]
    order = services.workorder_assign(
        actor=users["dispatcher"],
        order=order,
        technician=wang,
        start=at(visit_day, 10),
        end=at(visit_day, 12),
        expected_version=order.version,
    )
    first = _reserve(order, users, van_stock, "2")
    second = _reserve(order, users, van_stock, "1")
    services.workorder_reject(actor=wang, order=order, reason="不具备该型号维修条件")

    order.refresh_from_db()
    assert order.status == Status.REJECTED
    assert set(
        Reservation.objects.filter(pk__in=[first.pk, second.pk]).values_list("status", flat=True)
    ) == {"released"}
    assert _level(van_stock).reserved == Decimal("0")
    _ledger_matches(van_stock)


def test_a_refused_cancel_keeps_the_reservation(order, users, techs, van_stock):
    reservation = _reserve(order, users, van_stock)
    with pytest.raises(InvalidInput):  # the reason is required: nothing changes
        services.workorder_cancel(actor=users["dispatcher"], order=order, reason="  ")
    reservation.refresh_from_db()
    assert reservation.status == "active"
    assert _level(van_stock).reserved == Decimal("3")


def test_the_issue_on_the_job_consumes_the_reservation(order, users, techs, van_stock, visit_day):
    wang = techs["wang"]
    reservation = _reserve(order, users, van_stock, "2")
    order = work_until_in_progress(order, users["dispatcher"], wang, visit_day)

    services.workorder_part_add(
        actor=wang, order=order, part_code="CAP-35UF", quantity=Decimal("2"), batch_code="L2026-11"
    )

    reservation.refresh_from_db()
    assert reservation.status == "consumed"
    level = _level(van_stock)
    assert (level.on_hand, level.reserved) == (Decimal("8"), Decimal("0"))
    issue = Movement.objects.get(work_order=order, kind="issue")
    assert (issue.quantity, issue.reserved_delta) == (Decimal("-2"), Decimal("-2"))
    _ledger_matches(van_stock)

    # Nothing is left reserved for the order: a later cancellation has nothing to release.
    assert not Reservation.objects.filter(work_order=order, status="active").exists()


def test_an_issue_without_a_reservation_leaves_other_orders_reservations(
    order, users, techs, van_stock, visit_day, cases
):
    other = services.workorder_create(
        actor=users["dispatcher"], case=cases["bob_b"], address="上海市徐汇区漕溪北路 88 号"
    )
    theirs = _reserve(other, users, van_stock, "4")
    wang = techs["wang"]
    order = work_until_in_progress(order, users["dispatcher"], wang, visit_day)
    services.workorder_part_add(
        actor=wang, order=order, part_code="CAP-35UF", quantity=Decimal("1")
    )
    theirs.refresh_from_db()
    assert theirs.status == "active"
    level = _level(van_stock)
    assert (level.on_hand, level.reserved) == (Decimal("9"), Decimal("4"))
    _ledger_matches(van_stock)


def test_order_pages_show_the_batches_used(order, users, techs, van_stock, visit_day):
    wang = techs["wang"]
    order = work_until_in_progress(order, users["dispatcher"], wang, visit_day)
    services.workorder_part_add(
        actor=wang, order=order, part_code="CAP-35UF", quantity=Decimal("1"), batch_code="L2026-11"
    )
    fragment = reverse("purchasing:work_order_batches", args=[order.number])

    page = client_for(users["dispatcher"]).get(
        reverse("workorders:order_detail", args=[order.number])
    )
    assert page.status_code == 200
    assert f'hx-get="{fragment}"' in page.content.decode()
    job = client_for(wang).get(reverse("workorders:my_job", args=[order.number]))
    assert f'hx-get="{fragment}"' in job.content.decode()

    for user in (users["dispatcher"], wang, users["parts_keeper"]):
        body = client_for(user).get(fragment)
        assert body.status_code == 200, user
        assert "L2026-11" in body.content.decode()
    # Another technician may not open the order, nor its batches.
    assert client_for(techs["qian"]).get(fragment).status_code == 404
