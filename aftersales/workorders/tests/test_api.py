"""The work-order API: the technician's flow through the endpoints the phone uses, idempotent
retries, error bodies, the PDF report, and two dispatchers assigning at once."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from django.test import Client

from aftersales.core.testing import image_bytes, pdf_bytes, run_concurrently
from aftersales.workorders.choices import Status
from aftersales.workorders.models import WorkOrder, WorkOrderPhoto

from .conftest import at, signature_png

pytestmark = pytest.mark.django_db


def api(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def post(c: Client, path: str, data: dict, **headers):
    return c.post(path, json.dumps(data), content_type="application/json", headers=headers)


def base(order) -> str:
    return f"/api/v1/workorders/{order.number}"


def assign(c, order, tech, day, hour=10):
    return post(
        c,
        base(order) + "/assign",
        {
            "technician": tech.pk,
            "start": at(day, hour).isoformat(),
            "end": at(day, hour + 2).isoformat(),
            "version": order.version,
        },
    )


def test_phone_flow_through_the_api_with_an_idempotent_retry(
    order, users, techs, van_stock, visit_day
):
    dispatcher, wang = api(users["dispatcher"]), api(techs["wang"])
    suggestions = dispatcher.get(base(order) + "/suggestions").json()
    top = suggestions[0]
    assert top["technician"]["id"] == techs["wang"].pk and top["eligible"]
    assert any("公里" in r for r in top["reasons"])  # distance, in the default language
    assert not next(s for s in suggestions if s["technician"]["id"] == techs["zhao"].pk)["eligible"]
    assert assign(dispatcher, order, techs["wang"], visit_day).status_code == 200
    for action in ("accept", "depart", "check_in", "start"):
        r = post(wang, base(order) + "/steps", {"action": action}, **{"Idempotency-Key": action})
        assert r.status_code == 200, r.content
    r = post(
        wang,
        base(order) + "/record",
        {
            "findings": "压缩机不启动",
            "fault_cause": "启动电容失效",
            "repair_details": "更换启动电容",
            "result": "已修复",
            "labour_minutes": 60,
        },
    )
    assert r.status_code == 200
    part = {"part_code": "CAP-35UF", "quantity": "1", "batch": "L2026-11"}
    first = post(wang, base(order) + "/parts", part, **{"Idempotency-Key": "part-1"})
    again = post(wang, base(order) + "/parts", part, **{"Idempotency-Key": "part-1"})
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    assert WorkOrder.objects.get(pk=order.pk).lines.filter(kind="part").count() == 1  # once
    r = wang.post(
        base(order) + "/photos",
        {"kind": "before", "file": _upload("before.jpg", image_bytes("JPEG"))},
    )
    assert r.status_code == 200 and len(r.json()["photos"]) == 1
    bad = wang.post(
        base(order) + "/photos", {"kind": "after", "file": _upload("x.pdf", pdf_bytes())}
    )
    assert bad.status_code == 422 and bad.json()["code"] == "attachment_type"
    refused = post(wang, base(order) + "/complete", {"rating": 5})
    assert refused.status_code == 422 and refused.json()["code"] == "signature_required"
    owed = r.json()["totals"]["chargeable"]
    r = wang.post(
        base(order) + "/signature",
        {
            "file": _upload("signature.png", signature_png()),
            "signer_name": "张三丰",
            "amount_seen": str(owed),
        },
    )
    assert r.status_code == 200 and r.json()["signed"]
    r = post(wang, base(order) + "/complete", {"rating": 5, "comment": "满意"})
    assert r.status_code == 200 and r.json()["status"] == Status.SIGNED_OFF
    # the technician cannot review their own report; the supervisor can
    assert post(wang, base(order) + "/review", {"approve": True}).status_code == 403
    r = post(api(users["supervisor"]), base(order) + "/review", {"approve": True})
    assert r.status_code == 200 and r.json()["status"] == Status.REVIEWED


def _upload(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_technician_sees_only_their_own_and_the_number_masked(order, users, techs, visit_day):
    assign(api(users["dispatcher"]), order, techs["wang"], visit_day)
    wang, qian = api(techs["wang"]), api(techs["qian"])
    listed = wang.get("/api/v1/workorders").json()["items"]
    assert [o["number"] for o in listed] == [order.number]
    assert wang.get(base(order)).json()["contact_phone"] == "138****5678"
    assert qian.get("/api/v1/workorders").json()["items"] == []
    assert qian.get(base(order)).status_code == 404
    assert post(qian, base(order) + "/steps", {"action": "accept"}).status_code == 404
    assert api(users["dispatcher"]).get(base(order)).json()["contact_phone"] == "+8613812345678"


def test_wrong_step_answers_409_with_the_allowed_ones(order, users, techs, visit_day):
    assign(api(users["dispatcher"]), order, techs["wang"], visit_day)
    r = post(api(techs["wang"]), base(order) + "/steps", {"action": "start"})
    assert r.status_code == 409
    body = r.json()
    assert body["code"] == "transition_not_allowed" and "accepted" in body["detail"]["allowed"]


def test_report_pdf_has_the_chinese_captions_the_part_and_the_signature(
    order, users, techs, van_stock, visit_day, tmp_path
):
    from aftersales.workorders import services

    from .test_services import _completed

    wang = techs["wang"]
    order = _completed(order, users, techs, visit_day, with_part=True)
    services.workorder_review(actor=users["supervisor"], order=order, approve=True)
    r = api(users["supervisor"]).get(base(order) + "/report.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert api(wang).get(base(order) + "/report.pdf").status_code == 200
    text, images = pdf_text_and_images(r.content, tmp_path)
    for caption in (
        "产品维修报告单",
        "客户",
        "型号",
        "购买日期",
        "保修期",
        "故障描述",
        "初步原因分析",
        "主管审核",
    ):
        assert caption in text, caption
    assert "张三丰" in text and order.number in text
    assert "CAP-35UF" in text and "压缩机启动电容" in text and "L2026-11" in text
    assert images >= 3  # two photos and the signature


def pdf_text_and_images(data: bytes, tmp_path) -> tuple[str, int]:
    if not shutil.which("pdftotext") or not shutil.which("pdfimages"):
        pytest.fail(
            "poppler-utils (pdftotext, pdfimages) are needed: apt-get install poppler-utils"
        )
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(data)
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True
    ).stdout.decode()
    listing = subprocess.run(
        ["pdfimages", "-list", str(pdf)], capture_output=True, check=True
    ).stdout.decode()
    images = max(len(listing.strip().splitlines()) - 2, 0)
    return text, images


@pytest.mark.django_db(transaction=True)
def test_two_dispatchers_assigning_at_once_one_wins_one_gets_409(order, users, techs, visit_day):
    from aftersales.conftest import make_user
    from aftersales.workorders.models import Certificate

    other = make_user("dispatcher2", "dispatcher")
    Certificate.objects.create(
        user=techs["qian"],
        cert_type="refrigeration",
        issued_on=visit_day,
        expires_on=visit_day,
    )
    version = order.version
    clients = [api(users["dispatcher"]), api(other)]
    picked = [techs["wang"], techs["qian"]]

    def run(i: int) -> int:
        r = post(
            clients[i],
            base(order) + "/assign",
            {
                "technician": picked[i].pk,
                "start": at(visit_day, 10).isoformat(),
                "end": at(visit_day, 12).isoformat(),
                "version": version,
                "confirm": True,
            },
        )
        return r.status_code

    results = run_concurrently(2, run)
    assert sorted(results) == [200, 409], results
    order.refresh_from_db()
    assert order.version == version + 1
    assert order.visits.filter(cancelled=False).count() == 1
    assert order.visits.get(cancelled=False).technician == order.technician


def test_photo_too_large_is_refused(order, users, techs, visit_day, settings):
    from .conftest import work_until_in_progress
    from .test_services import noise_png

    work_until_in_progress(order, users["dispatcher"], techs["wang"], visit_day)
    settings.ATTACHMENT_MAX_BYTES = 2000
    r = api(techs["wang"]).post(
        base(order) + "/photos", {"kind": "before", "file": _upload("big.png", noise_png())}
    )
    assert r.status_code == 422 and r.json()["code"] == "attachment_too_large"
    assert not WorkOrderPhoto.objects.exists()


def test_follow_up_endpoints(order, users, techs, visit_day):
    from .test_services import ALL, _completed

    order = _completed(order, users, techs, visit_day)
    sup = api(users["supervisor"])
    assert sup.get("/api/v1/followups").json() == []  # not due for three days
    rate = sup.get("/api/v1/followups/rate?start=2020-01-01&end=2030-12-31").json()
    assert rate["completed"] == 1 and rate["done"] == 0 and rate["target"] == "0.80"
    fid = order.follow_up.pk
    r = post(sup, f"/api/v1/followups/{fid}", {"reached": True, "scores": ALL})
    assert r.status_code == 200 and r.json()["state"] == "done"
    r = post(api(techs["wang"]), f"/api/v1/followups/{fid}", {"reached": False})
    assert r.status_code == 403


def test_patch_refuses_null_for_fields_that_always_hold_a_value(order, users):
    """``{"request": null}`` is a 422 naming the field, not a database error; the order keeps
    its text and version. A nullable field (the agreed inspection time) may be cleared."""
    dispatcher = api(users["dispatcher"])
    before = WorkOrder.objects.get(pk=order.pk)
    response = dispatcher.patch(
        base(order),
        json.dumps({"version": before.version, "request": None, "address": None}),
        content_type="application/json",
    )
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == "field_required" and body["detail"]["fields"] == ["address", "request"]
    after = WorkOrder.objects.get(pk=order.pk)
    assert (after.request, after.address, after.version) == (
        before.request,
        before.address,
        before.version,
    )
    cleared = dispatcher.patch(
        base(order),
        json.dumps({"version": before.version, "inspection_at": None}),
        content_type="application/json",
    )
    assert cleared.status_code == 200, cleared.content
    assert WorkOrder.objects.get(pk=order.pk).inspection_at is None


def test_board_day_out_of_range_is_422_and_the_page_falls_back_to_today(order, users):
    """A day at the edge of the calendar used to overflow while converting the board's bounds
    to UTC (a 500 found by the fuzzer)."""
    dispatcher = api(users["dispatcher"])
    for day in ("0001-01-01", "9999-12-31"):
        response = dispatcher.get("/api/v1/workorder-board", {"day": day, "week": "true"})
        assert response.status_code == 422, response.content
        assert response.json()["code"] == "day_out_of_range"
    assert dispatcher.get("/api/v1/workorder-board", {"day": "2026-12-07"}).status_code == 200
    for day in ("0001-01-01", "2026-02-30"):
        page = dispatcher.get("/workorders/board/", {"day": day})
        assert page.status_code == 200
