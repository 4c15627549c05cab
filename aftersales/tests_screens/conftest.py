"""The permission matrix's world (organisation, one person per role, customers, cases, a work
order, stock, a supplier, a routing rule), with what makes the screens show their codes: the
default service levels with clocks running, met and escalated, a work order done on the
customer's site with a part used and signed off (so it has a repair report), a technician's
skills, and a price rule by customer tier. Built once per module inside a transaction that is
rolled back at the end."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings

from aftersales.conftest import make_case
from aftersales.core.testing import image_bytes
from aftersales.tests_permissions.conftest import (  # noqa: F401  (fixtures)
    _build,
    _matrix_media,
    _media_root,
)


def _seed_default_policies() -> None:
    """The default policies ``migrate`` writes (the world has a policy of its own already, so
    the seeding itself would write none), each code not taken yet."""
    from aftersales.sla.defaults import LEVELS, POLICIES
    from aftersales.sla.models import EscalationLevel, SlaPolicy, SlaTarget

    for code, name, position, conditions, pauses, targets in POLICIES:
        if SlaPolicy.objects.filter(code=code).exists():
            continue
        policy = SlaPolicy.objects.create(
            code=code, name=name, position=position, pause_rules=pauses, **conditions
        )
        for i, spec in enumerate(targets):
            SlaTarget.objects.create(policy=policy, position=i, **spec)
        for i, spec in enumerate(LEVELS):
            EscalationLevel.objects.create(policy=policy, position=i, **spec)


def _enrich(built: dict) -> None:
    from aftersales.cases.models import Case
    from aftersales.cases.services import case_reply, case_transition
    from aftersales.customers.models import Customer
    from aftersales.parts.models import Location, Part
    from aftersales.parts.services import stock_receive
    from aftersales.purchasing.pricing import price_rule_propose
    from aftersales.workorders.followups import followup_schedule, survey_token
    from aftersales.workorders.models import FollowUp, Skill, WorkOrder
    from aftersales.workorders.services import (
        order_totals,
        workorder_accept,
        workorder_check_in,
        workorder_complete,
        workorder_depart,
        workorder_part_add,
        workorder_photo_add,
        workorder_record,
        workorder_sign,
        workorder_start,
    )
    from aftersales.workorders.staff import skill_grant
    from aftersales.workorders.tests.conftest import signature_png

    users = built["users"]
    agent, technician = users["agent"], users["technician"]
    _seed_default_policies()
    alice = Customer.objects.get(pk=built["mine"]["customer"])
    case = Case.objects.get(number=built["mine"]["case"])
    team = case.team
    # a complaint whose clocks run, and a repair request whose first response is met
    make_case(alice, team=team, case_type="complaint", title="安装师傅态度差")
    replied = make_case(alice, team=team, title="冰箱不制冷")
    case_reply(actor=agent, case=replied, body="您好，我们已安排技师上门。")
    replied.refresh_from_db()
    case_transition(
        actor=agent, case=replied, to_status="accepted", expected_version=replied.version
    )

    order = WorkOrder.objects.get(number=built["mine"]["workorder"])
    order = workorder_accept(actor=technician, order=order)
    order = workorder_depart(actor=technician, order=order)
    order = workorder_check_in(actor=technician, order=order)
    order = workorder_start(actor=technician, order=order)
    stock_receive(
        part=Part.objects.get(code=built["mine"]["part"]),
        location=Location.objects.get(code="VAN-T1"),
        quantity=3,
        unit_cost="12.50",
        batch_lot="L2026-12",
        actor=users["parts_keeper"],
    )
    workorder_part_add(
        actor=technician, order=order, part_code=built["mine"]["part"], quantity=Decimal(1)
    )
    # the technician finishes the job: record, photos, the customer's signature, completion
    order = workorder_record(
        actor=technician,
        order=order,
        findings="室外机不转",
        fault_cause="启动电容失效",
        repair_details="更换启动电容",
        result="制冷恢复正常",
        labour_minutes=60,
    )
    for kind in ("before", "after"):
        workorder_photo_add(
            actor=technician,
            order=order,
            kind=kind,
            upload=SimpleUploadedFile(f"{kind}.png", image_bytes("PNG"), "image/png"),
        )
    order.refresh_from_db()
    workorder_sign(
        actor=technician,
        order=order,
        signature=signature_png(),
        signer_name="张三丰",
        amount_seen=order_totals(order)["chargeable"],
    )
    order.refresh_from_db()
    workorder_complete(actor=technician, order=order)
    # its follow-up call, and the survey link the customer may get instead
    follow_up = FollowUp.objects.filter(work_order=order).first() or followup_schedule(order=order)
    built["mine"]["followup"] = follow_up.pk
    built["mine"]["survey"] = survey_token(follow_up)
    washer, _new = Skill.objects.get_or_create(code="washer", defaults={"name": "洗衣机维修"})
    skill_grant(actor=users["dispatcher"], user=technician, skill=washer, level=3)
    skill_grant(actor=users["dispatcher"], user=technician, skill=Skill.objects.get(code="aircon"))
    price_rule_propose(
        actor=users["parts_keeper"],
        name="会员折扣",
        kind="member_discount",
        reason="会员日",
        tier_discounts={"gold": "10", "silver": "5"},
    )
    WorkOrder.objects.filter(pk=order.pk).update(required_skills=["aircon", "washer"])
    for side in ("mine", "other"):
        current = Case.objects.get(number=built[side]["case"])
        built[side]["version"] = current.version
        built[side]["wo_version"] = WorkOrder.objects.get(number=built[side]["workorder"]).version


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, _matrix_media):  # noqa: F811
    """The world and one signed-in client per actor, rolled back when the module ends."""
    with (
        django_db_blocker.unblock(),
        transaction.atomic(),
        override_settings(MEDIA_ROOT=_matrix_media),
    ):
        built = _build()
        _enrich(built)
        clients = {"anonymous": Client()}
        for actor, user in (("customer", built["customer_user"]), *built["users"].items()):
            client = Client()
            client.force_login(user)
            clients[actor] = client
        built["clients"] = clients
        yield built
        transaction.set_rollback(True)
