"""The admin shows the reference data of work orders, parts, purchasing and calendars: the
skills catalog is edited there with an audit record, the rest is read-only."""

from __future__ import annotations

import pytest

from aftersales.core.models import AuditLog
from aftersales.workorders.models import Skill

pytestmark = pytest.mark.django_db

READ_ONLY = [
    "workorders/technicianskill",
    "workorders/certificate",
    "workorders/trainingrecord",
    "parts/part",
    "parts/location",
    "purchasing/supplier",
    "calendars/workingcalendar",
    "calendars/calendarday",
]


@pytest.fixture
def superuser_client(client, users):
    admin_user = users["administrator"]
    admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    return client


def test_reference_lists_show_and_cannot_be_edited(
    superuser_client, techs, van_stock, working_calendar
):
    from aftersales.purchasing.models import Supplier

    Supplier.objects.create(code="gree-parts", name="珠海格力配件有限公司")
    for model in READ_ONLY:
        page = superuser_client.get(f"/admin/{model}/")
        assert page.status_code == 200, model
        assert superuser_client.get(f"/admin/{model}/add/").status_code == 403, model
    assert "CAP-35UF" in superuser_client.get("/admin/parts/part/").content.decode()
    assert "VAN-WANG" in superuser_client.get("/admin/parts/location/").content.decode()
    assert (
        "珠海格力配件有限公司"
        in superuser_client.get("/admin/purchasing/supplier/").content.decode()
    )


def test_skill_catalog_changes_are_audited(superuser_client, users):
    r = superuser_client.post(
        "/admin/workorders/skill/add/", {"code": "fridge", "name": "冰箱维修"}
    )
    assert r.status_code == 302
    skill = Skill.objects.get(code="fridge")
    created = AuditLog.objects.get(action="skill.create", object_id=str(skill.pk))
    assert created.after["name"] == "冰箱维修" and created.actor_id == users["administrator"].pk
    superuser_client.post(
        f"/admin/workorders/skill/{skill.pk}/change/", {"code": "fridge", "name": "冰箱冷柜维修"}
    )
    changed = AuditLog.objects.get(action="skill.update", object_id=str(skill.pk))
    assert changed.before == {"name": "冰箱维修"} and changed.after == {"name": "冰箱冷柜维修"}
    assert (
        superuser_client.post(
            f"/admin/workorders/skill/{skill.pk}/delete/", {"post": "yes"}
        ).status_code
        == 403
    )
    assert Skill.objects.filter(pk=skill.pk).exists()
