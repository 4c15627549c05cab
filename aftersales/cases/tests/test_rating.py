"""The registration form's last lines (R1.3): the service provided, the result, and the
customer's rating — recorded once, by the customer, on a resolved case."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from aftersales.cases.choices import EventKind
from aftersales.cases.models import Case
from aftersales.cases.services import case_rate, case_transition
from aftersales.core.errors import Conflict, InvalidInput, TransitionNotAllowed
from aftersales.core.models import AuditLog

pytestmark = pytest.mark.django_db


def _resolve(users, case):
    case = case_transition(actor=users["agent"], case=case, to_status="in_progress")
    return case_transition(
        actor=users["agent"], case=case, to_status="resolved", reason="更换压缩机电容，试机制冷正常"
    )


def test_resolving_records_the_service_and_result(users, cases):
    case = _resolve(users, cases["alice_a"])
    assert case.resolution == "更换压缩机电容，试机制冷正常"


def test_customer_rates_once(users, customers, cases):
    alice = customers["alice"].user
    with pytest.raises(TransitionNotAllowed):
        case_rate(actor=alice, case=cases["alice_a"], rating=5)  # not resolved yet
    case = _resolve(users, cases["alice_a"])
    with pytest.raises(InvalidInput):
        case_rate(actor=alice, case=case, rating=6)
    with pytest.raises(TransitionNotAllowed):
        case_rate(actor=users["agent"], case=case, rating=5)  # staff cannot rate for them
    with pytest.raises(TransitionNotAllowed):
        case_rate(actor=customers["bob"].user, case=case, rating=1)
    case = case_rate(actor=alice, case=case, rating=4, feedback="师傅很专业")
    assert (case.customer_rating, case.customer_feedback) == (4, "师傅很专业")
    assert case.events.filter(kind=EventKind.RATED, is_public=True).count() == 1
    assert AuditLog.objects.filter(action="case.rate", object_id=str(case.pk)).count() == 1
    with pytest.raises(Conflict):
        case_rate(actor=alice, case=case, rating=1)
    assert Case.objects.get(pk=case.pk).customer_rating == 4


def test_portal_rating_form(client, users, customers, cases):
    case = _resolve(users, cases["alice_a"])
    client.force_login(customers["alice"].user)
    page = client.get(reverse("portal:case_detail", args=[case.number])).content.decode()
    assert 'data-testid="rating-form"' in page
    bad = client.post(reverse("portal:case_rate", args=[case.number]), {"rating": "9"})
    assert bad.status_code == 422 and Case.objects.get(pk=case.pk).customer_rating is None
    done = client.post(
        reverse("portal:case_rate", args=[case.number]), {"rating": "5", "feedback": "满意"}
    )
    assert done.status_code == 302
    page = client.get(reverse("portal:case_detail", args=[case.number])).content.decode()
    assert 'data-testid="portal-rated"' in page and 'data-testid="rating-form"' not in page
    client.force_login(customers["bob"].user)
    other = client.post(reverse("portal:case_rate", args=[case.number]), {"rating": "1"})
    assert other.status_code == 404
    assert Case.objects.get(pk=case.pk).customer_rating == 5


def test_api_rating_and_resolution(client, users, customers, cases):
    case = _resolve(users, cases["alice_a"])
    client.force_login(users["agent"])
    patched = client.patch(
        f"/api/v1/cases/{case.number}",
        data=json.dumps({"version": case.version, "resolution": "更换电容并清洗滤网"}),
        content_type="application/json",
    )
    assert patched.status_code == 200 and patched.json()["resolution"] == "更换电容并清洗滤网"
    staff = client.post(
        f"/api/v1/cases/{case.number}/rating",
        data=json.dumps({"rating": 5}),
        content_type="application/json",
    )
    assert staff.status_code == 403
    client.force_login(customers["alice"].user)
    rated = client.post(
        f"/api/v1/cases/{case.number}/rating",
        data=json.dumps({"rating": 3, "feedback": "一般"}),
        content_type="application/json",
    )
    assert rated.status_code == 200 and rated.json()["customer_rating"] == 3
    again = client.post(
        f"/api/v1/cases/{case.number}/rating",
        data=json.dumps({"rating": 5}),
        content_type="application/json",
    )
    assert again.status_code == 409 and again.json()["code"] == "already_rated"
