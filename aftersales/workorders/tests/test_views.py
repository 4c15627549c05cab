"""The HTML screens: each page as the roles that use it and as roles that may not, and the
forms that call the services (opening an order, assignment with conflicts, review)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from aftersales.workorders import services
from aftersales.workorders.choices import Status

from .conftest import at, work_until_in_progress

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_dispatcher_pages(order, users, techs, centers):
    c = client_for(users["dispatcher"])
    for name, args in [
        ("workorders:order_list", []),
        ("workorders:order_detail", [order.number]),
        ("workorders:board", []),
        ("workorders:followup_list", []),
        ("workorders:skills", []),
        ("workorders:coverage", []),
    ]:
        response = c.get(reverse(name, args=args))
        assert response.status_code == 200, name
    page = c.get(reverse("workorders:order_detail", args=[order.number])).content.decode()
    # the suggestions are on the order page, the certified technician first
    assert page.index("王师傅") < page.index("赵师傅")
    assert c.get(reverse("workorders:board") + "?week=1").status_code == 200


def test_roles_without_the_right_get_403_or_404(order, users, techs, customers):
    assert (
        client_for(users["parts_keeper"]).get(reverse("workorders:order_list")).status_code == 403
    )
    assert client_for(techs["qian"]).get(reverse("workorders:board")).status_code == 403
    # another technician's order does not exist for them
    detail = reverse("workorders:my_job", args=[order.number])
    assert client_for(techs["qian"]).get(detail).status_code == 404
    alice = client_for(customers["alice"].user)
    assert alice.get(reverse("workorders:order_detail", args=[order.number])).status_code == 403
    anonymous = Client().get(reverse("workorders:order_list"))
    assert anonymous.status_code == 302


def test_open_an_order_from_the_case_page(users, cases, techs):
    c = client_for(users["agent"])
    case = cases["alice_a"]
    page = c.get(reverse("cases:case_detail", args=[case.number])).content.decode()
    assert reverse("workorders:case_panel", args=[case.number]) in page
    panel = c.get(reverse("workorders:case_panel", args=[case.number])).content.decode()
    assert 'data-testid="create-work-order"' in panel
    url = reverse("workorders:order_new") + f"?case={case.number}"
    assert c.get(url).status_code == 200
    response = c.post(
        url,
        {
            "request": "空调不制冷，需上门检查",
            "contact_name": "张三丰",
            "contact_phone": "13812345678",
            "address": "上海市浦东新区张江路 200 号",
            "latitude": "31.21",
            "longitude": "121.59",
            "urgency": "urgent",
            "required_skills": ["aircon"],
            "required_certificate": "refrigeration",
        },
    )
    assert response.status_code == 302
    order = case.work_orders.get()
    assert order.required_skills == ["aircon"] and order.service_center.code == "sh-01"
    bad = c.post(url, {"request": "x", "urgency": "urgent", "latitude": "200"})
    assert bad.status_code == 422 and case.work_orders.count() == 1


def test_assignment_form_asks_to_confirm_conflicts(order, users, techs, visit_day):
    c = client_for(users["dispatcher"])
    url = reverse("workorders:order_assign", args=[order.number])
    evening = {
        "technician": techs["wang"].pk,
        "start": at(visit_day, 19).strftime("%Y-%m-%dT%H:%M"),
        "end": at(visit_day, 21).strftime("%Y-%m-%dT%H:%M"),
        "version": order.version,
    }
    response = c.post(url, evening)
    assert response.status_code == 409
    assert 'data-testid="confirm-conflicts"' in response.content.decode()
    order.refresh_from_db()
    assert order.technician is None
    response = c.post(url, {**evening, "confirm": "on"})
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.technician == techs["wang"] and order.status == Status.DISPATCHED
    board = c.get(reverse("workorders:board") + f"?day={visit_day.isoformat()}").content.decode()
    assert f'href="/workorders/{order.number}/">19:00–21:00 {order.number}' in board
    week = c.get(reverse("workorders:board") + f"?day={visit_day.isoformat()}&week=1")
    assert order.number in week.content.decode()


def test_technician_phone_pages(order, users, techs, visit_day):
    wang = techs["wang"]
    order = services.workorder_assign(
        actor=users["dispatcher"],
        order=order,
        technician=wang,
        start=at(visit_day, 10),
        end=at(visit_day, 12),
        expected_version=order.version,
    )
    c = client_for(wang)
    jobs = c.get(reverse("workorders:my_jobs"))
    assert jobs.status_code == 200 and order.number in jobs.content.decode()
    page = c.get(reverse("workorders:my_job", args=[order.number])).content.decode()
    assert 'data-testid="step-accept"' in page
    assert 'data-testid="phone-masked"' in page  # not the visit day yet: no tap to call
    assert "138****5678" in page and "13812345678" not in page
    # the technician lands on the phone page from the order list
    assert c.get(reverse("workorders:order_list")).url == reverse("workorders:my_jobs")


def test_portal_shows_status_and_the_approved_report(order, users, techs, visit_day, customers):
    from .test_services import _completed

    order = _completed(order, users, techs, visit_day)
    alice = client_for(customers["alice"].user)
    page = alice.get(reverse("portal:case_detail", args=[order.case.number])).content.decode()
    assert order.number in page and 'data-testid="portal-report-pdf"' not in page
    assert alice.get(reverse("workorders:report_pdf", args=[order.number])).status_code == 404
    services.workorder_review(actor=users["supervisor"], order=order, approve=True)
    page = alice.get(reverse("portal:case_detail", args=[order.case.number])).content.decode()
    assert 'data-testid="portal-report-pdf"' in page
    assert alice.get(reverse("workorders:report", args=[order.number])).status_code == 200
    bob = client_for(customers["bob"].user)
    assert bob.get(reverse("workorders:report_pdf", args=[order.number])).status_code == 404
    photo = order.photos.first()
    assert photo is None or bob.get(reverse("workorders:photo", args=[photo.pk])).status_code == 404
    assert bob.get(reverse("workorders:signature", args=[order.number])).status_code == 404
    assert alice.get(reverse("workorders:signature", args=[order.number])).status_code == 200


def test_follow_up_form_records_and_refuses_the_technician(
    order, users, techs, visit_day, settings
):
    from .test_services import _completed

    order = _completed(order, users, techs, visit_day)
    follow_up = order.follow_up
    settings.WORKORDER_FOLLOWUP_DAYS = 0
    c = client_for(users["supervisor"])
    url = reverse("workorders:followup_record", args=[follow_up.pk])
    assert c.get(url).status_code == 200
    response = c.post(url, {"reached": "0", "version": follow_up.version})
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.attempts == 1


def test_work_in_progress_page_has_the_field_forms(order, users, techs, visit_day):
    wang = techs["wang"]
    order = work_until_in_progress(order, users["dispatcher"], wang, visit_day)
    page = client_for(wang).get(reverse("workorders:my_job", args=[order.number])).content.decode()
    for testid in ("record-save", "part-add", "photo-before-input", "signature-pad", "complete"):
        assert f'data-testid="{testid}"' in page
