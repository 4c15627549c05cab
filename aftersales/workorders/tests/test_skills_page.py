"""The skills page's forms (R13.2): grant or remove a skill and add a training record, each
audited, refused with a form error that changes nothing, and closed to roles that may not
keep staff records."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from aftersales.core.models import AuditLog
from aftersales.workorders.models import Skill, TechnicianSkill, TrainingRecord

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_grant_change_and_remove_a_skill(users, techs):
    qian, washer = techs["qian"], Skill.objects.get(code="washer")
    c = client_for(users["dispatcher"])
    url = reverse("workorders:skills")

    r = c.post(
        url,
        {
            "action": "skill",
            "skill-technician": qian.pk,
            "skill-skill": washer.pk,
            "skill-level": 2,
        },
    )
    assert r.status_code == 302
    assert TechnicianSkill.objects.get(user=qian, skill=washer).level == 2
    page = c.get(url).content.decode()
    assert "洗衣机维修 · 2" in page

    c.post(
        url,
        {
            "action": "skill",
            "skill-technician": qian.pk,
            "skill-skill": washer.pk,
            "skill-level": 4,
        },
    )
    assert TechnicianSkill.objects.get(user=qian, skill=washer).level == 4
    change = AuditLog.objects.filter(action="staff.skill_grant", object_id=str(qian.pk)).latest(
        "id"
    )
    assert change.before == {"skill": "washer", "level": 2}
    assert change.after == {"skill": "washer", "level": 4}
    assert change.actor_id == users["dispatcher"].pk

    removal = {
        "action": "skill_remove",
        "skill_remove-technician": qian.pk,
        "skill_remove-skill": washer.pk,
    }
    assert c.post(url, removal).status_code == 302
    assert not TechnicianSkill.objects.filter(user=qian, skill=washer).exists()
    gone = AuditLog.objects.get(action="staff.skill_remove", object_id=str(qian.pk))
    assert gone.before == {"skill": "washer", "level": 4}

    again = c.post(url, removal)  # already removed: a form error, nothing recorded
    assert again.status_code == 422
    assert 'data-testid="skill-remove-errors"' in again.content.decode()
    assert AuditLog.objects.filter(action="staff.skill_remove").count() == 1


def test_bad_skill_input_changes_nothing(users, techs):
    c = client_for(users["supervisor"])
    url = reverse("workorders:skills")
    before = TechnicianSkill.objects.count()
    washer = Skill.objects.get(code="washer")
    bad_level = c.post(
        url,
        {
            "action": "skill",
            "skill-technician": techs["qian"].pk,
            "skill-skill": washer.pk,
            "skill-level": 9,
        },
    )
    assert bad_level.status_code == 422
    not_a_tech = c.post(
        url,
        {
            "action": "skill",
            "skill-technician": users["agent"].pk,
            "skill-skill": washer.pk,
            "skill-level": 1,
        },
    )
    assert not_a_tech.status_code == 404
    assert TechnicianSkill.objects.count() == before
    assert not AuditLog.objects.filter(action="staff.skill_grant", actor=users["supervisor"])


def test_add_a_training_record(users, techs):
    wang = techs["wang"]
    c = client_for(users["dispatcher"])
    url = reverse("workorders:skills")
    form = {
        "action": "training",
        "training-technician": wang.pk,
        "training-title": "R32 冷媒安全操作培训",
        "training-trained_on": "2026-10-15",
        "training-hours": "6.5",
        "training-result": "合格",
    }
    assert c.post(url, form).status_code == 302
    row = TrainingRecord.objects.get(user=wang)
    assert (row.title, row.trained_on, row.hours, row.result) == (
        "R32 冷媒安全操作培训",
        dt.date(2026, 10, 15),
        Decimal("6.5"),
        "合格",
    )
    assert AuditLog.objects.filter(action="staff.training_add", object_id=str(row.pk)).exists()
    assert "R32 冷媒安全操作培训" in c.get(url).content.decode()

    blank = c.post(url, {**form, "training-title": "  "})
    assert blank.status_code == 422
    assert 'data-testid="training-form" open' in blank.content.decode()
    assert TrainingRecord.objects.filter(user=wang).count() == 1


def test_only_skill_keepers_may_post(users, techs):
    washer = Skill.objects.get(code="washer")
    form = {
        "action": "skill",
        "skill-technician": techs["wang"].pk,
        "skill-skill": washer.pk,
        "skill-level": 5,
    }
    for user in (techs["wang"], users["agent"], users["parts_keeper"]):
        assert client_for(user).post(reverse("workorders:skills"), form).status_code == 403
    assert not TechnicianSkill.objects.filter(user=techs["wang"], skill=washer).exists()
