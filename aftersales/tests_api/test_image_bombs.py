"""Image bombs: a PNG of some sixty bytes that claims 50,000 × 50,000 pixels is refused with a
4xx and a message in the user's language at every place the product accepts an image (case
attachments through the API and the page, the portal's new request and reply, work-order photos
and the signature, a part's picture, inspection photos), never decoded and never a 500."""

from __future__ import annotations

import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from aftersales.cases.models import Attachment
from aftersales.core.errors import InvalidInput
from aftersales.core.images import check_image
from aftersales.core.testing import image_bytes
from aftersales.purchasing.models import InspectionPhoto, PurchaseOrder, Receipt
from aftersales.purchasing.tests.conftest import parts, promised, suppliers, today, warehouse  # noqa: F401
from aftersales.workorders.models import WorkOrder, WorkOrderPhoto
from aftersales.workorders.tests.conftest import (  # noqa: F401
    centers,
    order,
    techs,
    visit_day,
    work_until_in_progress,
)

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
ZH_MESSAGE = "像素"  # the refusal names the limit in megapixels (百万像素)


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def bomb_png(width: int = 50_000, height: int = 50_000) -> bytes:
    """A tiny PNG whose header claims ``width`` × ``height`` one-bit pixels."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b""))
        + _chunk(b"IEND", b"")
    )


def bomb(name: str = "bomb.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, bomb_png(), content_type="image/png")


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_the_bomb_is_tiny():
    assert len(bomb_png()) < 70


@pytest.mark.parametrize(
    ("size", "code"),
    [((50_000, 50_000), "image_too_large"), ((9000, 5000), "image_too_large")],
)
def test_the_validator_refuses_from_the_header(size, code):
    # 9000 × 5000 is 45 megapixels: above the limit, below Pillow's own bomb error
    with pytest.raises(InvalidInput) as info:
        check_image(bomb_png(*size), name="x.png")
    assert info.value.code == code
    assert info.value.detail["max_pixels"] == 40_000_000


def test_a_normal_image_and_the_limit_as_a_setting(settings):
    assert check_image(image_bytes("PNG", size=(64, 48))) == (64, 48)
    settings.IMAGE_MAX_PIXELS = 1000
    with pytest.raises(InvalidInput) as info:
        check_image(image_bytes("PNG", size=(64, 48)), name="p.png")
    assert info.value.code == "image_too_large"


def test_case_attachments_api(users, cases, customers):
    case = cases["alice_a"]
    for user in (users["agent"], customers["alice"].user):
        r = client_for(user).post(
            f"/api/v1/cases/{case.number}/attachments", {"files": [bomb()]}, **EN
        )
        assert r.status_code == 422, r.content
        assert r.json()["code"] == "image_too_large"
        assert "megapixels" in r.json()["message"] and "bomb.png" in r.json()["message"]
    assert not Attachment.objects.exists()


def test_case_attachment_page(users, cases):
    case = cases["alice_a"]
    r = client_for(users["agent"]).post(
        reverse("cases:attachment_upload", args=[case.number]),
        {"files": [bomb()], "is_public": "on"},
        headers={"HX-Request": "true"},
        **ZH,
    )
    assert r.status_code == 422
    assert ZH_MESSAGE in r.content.decode()
    assert not Attachment.objects.exists()


def test_portal_new_request_and_reply(customers, cases):
    alice = customers["alice"]
    c = client_for(alice.user)
    r = c.post(
        reverse("portal:case_new"),
        {
            "case_type": "repair_request",
            "asset": alice.assets.get().pk,
            "title": "空调不制冷",
            "description": "开机半小时还是热风。",
            "files": [bomb()],
        },
        **ZH,
    )
    assert 400 <= r.status_code < 500
    assert ZH_MESSAGE in r.content.decode()
    r = c.post(
        reverse("portal:case_reply", args=[cases["alice_a"].number]),
        {"body": "照片在这里", "files": [bomb()]},
        HTTP_HX_REQUEST="true",
        **ZH,
    )
    assert 400 <= r.status_code < 500
    assert ZH_MESSAGE in r.content.decode()
    assert not Attachment.objects.exists()


def test_work_order_photo_and_signature_api(order, users, techs, visit_day):  # noqa: F811
    order = work_until_in_progress(order, users["dispatcher"], techs["wang"], visit_day)
    c = client_for(techs["wang"])
    base = f"/api/v1/workorders/{order.number}"
    r = c.post(base + "/photos", {"kind": "before", "file": bomb()}, **ZH)
    assert r.status_code == 422 and r.json()["code"] == "image_too_large"
    assert ZH_MESSAGE in r.json()["message"]
    assert not WorkOrderPhoto.objects.exists()
    r = c.post(
        base + "/signature",
        {"file": bomb("signature.png"), "signer_name": "张三丰", "amount_seen": "0.00"},
        **ZH,
    )
    assert r.status_code == 422 and r.json()["code"] == "image_too_large"
    assert WorkOrder.objects.get(pk=order.pk).signed_at is None
    # a signature has a tighter limit than a photo: reading its ink decodes every pixel
    tall = SimpleUploadedFile("signature.png", bomb_png(3000, 3000), content_type="image/png")
    r = c.post(
        base + "/signature",
        {"file": tall, "signer_name": "张三丰", "amount_seen": "0.00"},
        **EN,
    )
    assert r.status_code == 422 and r.json()["code"] == "image_too_large"
    assert "at most 8 megapixels" in r.json()["message"]


def test_part_picture(users):
    r = client_for(users["parts_keeper"]).post(
        reverse("parts:part_create"),
        {
            "code": "REMOTE-KT",
            "name": "空调遥控器",
            "unit": "pcs",
            "stock_class": "common",
            "standard_cost": "15.00",
            "list_price": "39.00",
            "active": "on",
            "image": bomb(),
        },
        **ZH,
    )
    assert r.status_code == 422
    assert ZH_MESSAGE in r.content.decode()


def test_inspection_photo(users, parts, suppliers, warehouse, promised):  # noqa: F811
    keeper = client_for(users["parts_keeper"])
    keeper.post(
        reverse("purchasing:order_create"),
        {
            "supplier": suppliers["hualeng"].pk,
            "promised_date": str(promised),
            "part_0": "YSJ-1.5P",
            "quantity_0": "4",
            "unit_price_0": "760",
        },
    )
    po = PurchaseOrder.objects.get()
    keeper.post(
        reverse("purchasing:order_transition", args=[po.pk]), {"to_status": "ordered", "version": 1}
    )
    line = po.lines.get()
    keeper.post(
        reverse("purchasing:receipt_create", args=[po.pk]),
        {"location": warehouse.pk, "version": 2, f"qty_{line.pk}": "4", f"lot_{line.pk}": "A1"},
    )
    receipt_line = Receipt.objects.get().lines.get()
    r = keeper.post(
        reverse("purchasing:inspection_record", args=[receipt_line.pk]),
        {"accepted": "3", "rejected": "1", "defect_description": "铭牌错误", "photos": bomb()},
        **ZH,
    )
    assert 400 <= r.status_code < 500
    assert ZH_MESSAGE in r.content.decode()
    r = keeper.post(
        f"/api/v1/purchasing/receipt-lines/{receipt_line.pk}/inspection",
        data={
            "accepted": "3",
            "rejected": "1",
            "defect_description": "铭牌错误",
            "photos": [bomb()],
        },
        **EN,
    )
    assert r.status_code == 422 and r.json()["code"] == "image_too_large"
    assert not InspectionPhoto.objects.exists()
