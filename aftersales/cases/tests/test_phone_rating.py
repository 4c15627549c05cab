"""A customer who rates the service on the phone (R1.3): staff record the rating, marked as
given by phone with who recorded it, audited and on the timeline — once per case, like a portal
rating."""

from __future__ import annotations

import pytest
from django.urls import reverse

from aftersales.cases.choices import EventKind
from aftersales.cases.models import Case
from aftersales.cases.services import case_rate, case_rate_by_phone, case_transition
from aftersales.core.errors import Conflict, InvalidInput, TransitionNotAllowed
from aftersales.core.models import AuditLog

pytestmark = pytest.mark.django_db


def _resolve(users, case):
    case = case_transition(actor=users["agent"], case=case, to_status="in_progress")
    return case_transition(
        actor=users["agent"], case=case, to_status="resolved", reason="更换压缩机电容，试机制冷正常"
    )


def test_staff_record_a_rating_given_by_phone(users, customers, cases):
    agent = users["agent"]
    with pytest.raises(TransitionNotAllowed):
        case_rate_by_phone(actor=agent, case=cases["alice_a"], rating=5)  # not resolved
    case = _resolve(users, cases["alice_a"])
    with pytest.raises(TransitionNotAllowed):  # the customer rates in the portal instead
        case_rate_by_phone(actor=customers["alice"].user, case=case, rating=5)
    with pytest.raises(TransitionNotAllowed):  # staff who never talk to customers
        case_rate_by_phone(actor=users["parts_keeper"], case=case, rating=5)
    with pytest.raises(InvalidInput):
        case_rate_by_phone(actor=agent, case=case, rating=0)
    case = case_rate_by_phone(actor=agent, case=case, rating=3, feedback="上门晚了半小时")
    assert (case.customer_rating, case.customer_feedback) == (3, "上门晚了半小时")
    assert (case.rating_channel, case.rating_recorded_by) == ("phone", agent)
    event = case.events.get(kind=EventKind.RATED)
    assert event.actor == agent and event.data == {"rating": 3, "channel": "phone"}
    record = AuditLog.objects.get(action="case.rate_by_phone", object_id=str(case.pk))
    assert record.actor == agent
    assert record.after == {
        "customer_rating": 3,
        "customer_feedback": "上门晚了半小时",
        "channel": "phone",
    }
    # one rating per case, whichever way it came
    with pytest.raises(Conflict):
        case_rate(actor=customers["alice"].user, case=case, rating=5)
    with pytest.raises(Conflict):
        case_rate_by_phone(actor=users["supervisor"], case=case, rating=5)
    assert Case.objects.get(pk=case.pk).customer_rating == 3


def test_a_portal_rating_is_marked_as_given_in_the_portal(users, customers, cases):
    case = _resolve(users, cases["alice_a"])
    case = case_rate(actor=customers["alice"].user, case=case, rating=5)
    assert (case.rating_channel, case.rating_recorded_by) == ("portal", None)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_staff_rating_page(client, users, cases, language):
    case = _resolve(users, cases["alice_a"])
    client.force_login(users["agent"])
    detail = client.get(reverse("cases:case_detail", args=[case.number])).content.decode()
    assert 'data-testid="record-phone-rating"' in detail
    url = reverse("cases:case_rating", args=[case.number])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert page.status_code == 200
    title = "登记电话评价" if language == "zh-hans" else "Record a rating given by phone"
    assert title in page.content.decode()
    bad = client.post(url, {"rating": "9"})
    assert bad.status_code == 422 and Case.objects.get(pk=case.pk).customer_rating is None
    done = client.post(url, {"rating": "4", "feedback": "满意"})
    assert done.status_code == 302
    detail = client.get(reverse("cases:case_detail", args=[case.number])).content.decode()
    assert 'data-testid="rating-by-phone"' in detail
    assert 'data-testid="record-phone-rating"' not in detail
    again = client.post(url, {"rating": "1"})
    assert again.status_code == 409
    assert Case.objects.get(pk=case.pk).customer_rating == 4


def test_no_rating_before_the_case_is_resolved(client, users, cases):
    client.force_login(users["agent"])
    url = reverse("cases:case_rating", args=[cases["alice_a"].number])
    assert 'data-testid="not-ratable"' in client.get(url).content.decode()
    assert client.post(url, {"rating": "5"}).status_code == 409
    detail = client.get(reverse("cases:case_detail", args=[cases["alice_a"].number]))
    assert 'data-testid="record-phone-rating"' not in detail.content.decode()


def test_the_api_says_how_the_rating_was_given(client, users, cases):
    case = _resolve(users, cases["alice_a"])
    client.force_login(users["agent"])
    assert client.get(f"/api/v1/cases/{case.number}").json()["rating_channel"] == ""
    case_rate_by_phone(actor=users["agent"], case=case, rating=5)
    body = client.get(f"/api/v1/cases/{case.number}").json()
    assert (body["customer_rating"], body["rating_channel"]) == (5, "phone")
