"""The demo loader: complete, idempotent; its bulk generator keeps numbers and timelines sane."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Min

from aftersales.accounts.models import Department, ServiceCenter, Team, User
from aftersales.cases.choices import CaseType, EventKind
from aftersales.cases.models import Attachment, Case, CaseCategory, CaseEvent, CaseSequence
from aftersales.core.models import AuditLog
from aftersales.customers.models import Address, Asset, Contact, Customer
from aftersales.demo import data
from aftersales.demo.accounts import DEMO_PASSWORD, DEMO_USERS
from aftersales.demo.build import reachable_statuses
from aftersales.notifications.models import Notification, State

pytestmark = pytest.mark.django_db

COUNTED = [
    Department,
    Team,
    ServiceCenter,
    User,
    Customer,
    Contact,
    Address,
    Asset,
    CaseCategory,
    Case,
    CaseEvent,
    AuditLog,
    Notification,
]


def _counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in COUNTED}


def _load(*args: str) -> str:
    out = io.StringIO()
    call_command("demo_load", *args, stdout=out)
    return out.getvalue()


def test_default_demo_is_complete_and_idempotent():
    _load()
    first = _counts()
    assert first["Customer"] >= 50
    assert first["Asset"] >= 75
    # 200 histories replayed, then a few fresh ones from the routing and recall demos
    assert 200 <= first["Case"] <= 220
    assert first["ServiceCenter"] >= 4

    out = _load()
    assert "already present" in out
    assert _counts() == first

    # every type, and every status the transition table can reach for it
    for case_type in CaseType:
        seen = set(Case.objects.filter(case_type=case_type).values_list("status", flat=True))
        assert seen == reachable_statuses(case_type), case_type

    # every demo sign-in exists, in its role, with the demo password
    for username, role, _name, _email in DEMO_USERS:
        user = User.objects.get(username=username)
        assert user.groups.filter(name=role).exists(), username
        assert user.check_password(DEMO_PASSWORD), username

    # the portal customer has products and cases to look at
    customer = Customer.objects.get(user__username="customer")
    assert customer.assets.count() >= 2
    assert customer.cases.count() >= 5
    assert customer.cases.filter(status="resolved").exists()
    assert customer.cases.filter(status="waiting_customer").exists()

    # histories are ordered and spread over the last three months
    assert not Case.objects.filter(closed_at__lt=F("created_at")).exists()
    assert not CaseEvent.objects.filter(created_at__lt=F("case__created_at")).exists()
    span = Case.objects.aggregate(first=Min("created_at"))["first"]
    assert (Case.objects.latest("created_at").created_at - span).days >= 60
    numbers = list(Case.objects.order_by("created_at").values_list("number", flat=True))
    assert numbers == sorted(numbers)
    assert len(set(numbers)) == len(numbers)
    # every case has its audit trail and nothing is left for a worker to send
    assert AuditLog.objects.filter(action="case.create").count() == first["Case"]
    assert not Notification.objects.filter(state=State.PENDING).exists()
    assert Asset.objects.exclude(vin="").count() >= 8

    _realistic()


def _realistic() -> None:
    """What makes the demo look lived in, not generated."""
    # photos and invoice scans on a good share of repair, complaint and claim cases
    attachments = Attachment.objects.all()
    types = set(attachments.values_list("content_type", flat=True))
    assert {"image/jpeg", "application/pdf"} <= types
    with_files = Case.objects.filter(
        case_type__in=["repair_request", "complaint", "warranty_claim"],
        attachments__isnull=False,
    ).distinct()
    assert with_files.count() >= 30
    photo = attachments.filter(content_type="image/jpeg").first()
    with photo.file.open("rb") as fh:
        assert fh.read(3) == b"\xff\xd8\xff"
    assert attachments.filter(uploaded_by__customer__isnull=False).exists()  # from the portal

    # every message went out through delivery, which shows on the timelines when it happened
    sent = CaseEvent.objects.filter(kind=EventKind.NOTIFICATION_SENT)
    assert sent.count() == Notification.objects.filter(state=State.SENT, case__isnull=False).count()
    assert sent.values("case").distinct().count() >= 150
    note = Notification.objects.filter(state=State.SENT).earliest("created_at")
    assert note.created_at < note.sent_at < note.created_at + dt.timedelta(minutes=2)
    assert not Notification.objects.filter(state__in=[State.FAILED, State.DEAD]).exists()

    # customers answer from the portal, and an answer ends the wait for them
    replies = CaseEvent.objects.filter(kind=EventKind.CUSTOMER_REPLY)
    assert replies.count() >= 10
    assert replies.values("actor").distinct().count() >= 5
    woken = CaseEvent.objects.filter(
        kind=EventKind.STATUS_CHANGED,
        actor__isnull=True,
        data__from="waiting_customer",
        data__to="in_progress",
    )
    assert woken.exists()

    # titles vary like real ones
    assert Case.objects.values("title").distinct().count() >= 150

    # categories fit the product: no car category on an appliance and the other way round
    for case in Case.objects.select_related("category", "asset__product_model"):
        if case.category is None or case.asset is None:
            continue
        vehicle = case.asset.product_model.is_vehicle
        scope = data.category_scope(case.category.code)
        assert scope in ("any", "vehicle" if vehicle else "appliance"), case.number

    # resolutions say what was done; portal customers rate some of the service
    assert Case.objects.exclude(resolution="").filter(resolved_at__isnull=False).count() >= 30
    rated = Case.objects.filter(customer_rating__isnull=False)
    assert rated.count() >= 10
    assert not rated.exclude(status__in=["resolved", "closed"]).exists()
    assert not rated.filter(customer__user__isnull=True).exists()
    assert CaseEvent.objects.filter(kind=EventKind.RATED).count() == rated.count()


def test_bulk_cases_have_unique_numbers_and_timelines():
    _load("--no-demo", "--customers", "30", "--assets", "40")
    assert Customer.objects.count() == 30
    assert Asset.objects.count() == 40
    before = Case.objects.count()

    out = _load("--no-demo", "--cases", "500")
    assert "500 cases" in out
    assert Case.objects.count() == before + 500
    numbers = list(Case.objects.values_list("number", flat=True))
    assert len(set(numbers)) == len(numbers)
    assert Case.objects.annotate(n=Count("events")).aggregate(m=Min("n"))["m"] >= 3
    # the year sequences moved past every number handed out, so real intake continues cleanly
    for seq in CaseSequence.objects.all():
        used = Case.objects.filter(number__startswith=f"SC-{seq.year}-").count()
        assert seq.last == used
    for case_type in CaseType:
        statuses = set(Case.objects.filter(case_type=case_type).values_list("status", flat=True))
        assert statuses <= reachable_statuses(case_type)
    assert not Case.objects.filter(closed_at__lt=F("created_at")).exists()
    assert not CaseEvent.objects.filter(created_at__lt=F("case__created_at")).exists()

    from aftersales.cases.services import case_create

    case = case_create(
        actor=None,
        customer=Customer.objects.first(),
        case_type="consultation",
        channel="api",
        title="保修咨询",
    )
    assert case.number not in numbers
