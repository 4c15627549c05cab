"""Skills and certificates (R13.2) and service-center coverage (R14)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from aftersales.core.errors import InvalidInput
from aftersales.workorders import coverage, staff
from aftersales.workorders.services import workorder_create

pytestmark = pytest.mark.django_db


def test_expiring_certificates_are_listed_and_holders_and_managers_told(
    techs, users, django_capture_on_commit_callbacks
):
    expiring = staff.certificates_expiring()
    assert expiring == []  # 王师傅's runs for 700 days, 赵师傅's has already expired
    today = timezone.localdate()
    cert = staff.certificate_add(
        actor=users["dispatcher"],
        user=techs["qian"],
        cert_type="electrician",
        level="初级",
        issued_on=today - dt.timedelta(days=1000),
        expires_on=today + dt.timedelta(days=20),
    )
    assert staff.certificates_expiring() == [cert]
    techs["qian"].email = "qian@example.com"
    techs["qian"].save()
    with django_capture_on_commit_callbacks(execute=True):
        sent = staff.certificates_notify()
    assert sent == 2  # the holder and the dispatcher
    assert sorted(m.to[0] for m in mail.outbox) == ["dispatcher@example.com", "qian@example.com"]
    with pytest.raises(InvalidInput):
        staff.certificate_add(
            actor=None,
            user=techs["qian"],
            cert_type="gas",
            issued_on=today,
            expires_on=today - dt.timedelta(days=1),
        )
    with pytest.raises(InvalidInput):  # only technicians hold certificates
        staff.certificate_add(
            actor=None, user=users["agent"], cert_type="gas", issued_on=today, expires_on=today
        )


def test_nearest_covering_center_and_coverage_gaps(centers, cases, users):
    pudong, minhang = centers["pudong"], centers["minhang"]
    near_minhang = coverage.nearest_covering_center(Decimal("31.12"), Decimal("121.39"))
    assert near_minhang[0] == minhang and near_minhang[1] < 2
    assert coverage.nearest_covering_center(Decimal("31.21"), Decimal("121.59"))[0] == pudong
    assert coverage.nearest_covering_center(Decimal("30.27"), Decimal("120.15")) is None  # 杭州
    far = workorder_create(
        actor=users["dispatcher"],
        case=cases["bob_b"],
        address="浙江省杭州市西湖区",
        latitude=Decimal("30.27"),
        longitude=Decimal("120.15"),
    )
    assert far.service_center is None
    assert coverage.uncovered_orders() == [far]
    load = {row["center"].code: row["open_orders"] for row in coverage.center_load()}
    assert load == {"sh-01": 0, "sh-02": 0}
