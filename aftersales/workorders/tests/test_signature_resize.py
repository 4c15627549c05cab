"""The customer's signature survives the phone changing size: a 60 px shorter viewport (the
address bar sliding in) and a rotation from portrait to landscape and back redraw the strokes
instead of wiping the pad, and the PNG that is stored carries the ink."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from aftersales.workorders.models import WorkOrder

from .conftest import work_until_in_progress

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PASSWORD = "pw-Test-12345"


def ink_pixels(png: bytes) -> int:
    with Image.open(io.BytesIO(png)) as img:
        rgba = img.convert("RGBA")
    data = rgba.tobytes()
    return sum(
        1
        for i in range(0, len(data), 4)
        if data[i + 3] > 128 and data[i] + data[i + 1] + data[i + 2] < 300
    )


def canvas_ink(page) -> int:
    """Dark, opaque pixels on the signature pad as the browser shows it."""
    return page.evaluate(
        """() => {
          const c = document.querySelector('[data-testid="signature-pad"]');
          const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
          let n = 0;
          for (let i = 0; i < d.length; i += 4) {
            if (d[i + 3] > 128 && d[i] + d[i + 1] + d[i + 2] < 300) n++;
          }
          return n;
        }"""
    )


def test_signature_kept_across_resize_and_rotation(
    transactional_db,
    live_url,
    browser_page,
    browser_login,
    screenshot,
    users,
    techs,
    order,
    visit_day,
):
    order = work_until_in_progress(order, users["dispatcher"], techs["wang"], visit_day)
    phone = browser_page(phone=True)
    browser_login(phone, "technician", PASSWORD)
    phone.goto(f"/workorders/my/{order.number}/")
    pad = phone.get_by_test_id("signature-pad")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    phone.mouse.move(box["x"] + 20, box["y"] + box["height"] * 0.7)
    phone.mouse.down()
    for fx, fy in ((0.3, 0.2), (0.45, 0.75), (0.6, 0.25), (0.85, 0.6)):
        phone.mouse.move(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy, steps=8)
    phone.mouse.up()
    drawn = canvas_ink(phone)
    assert drawn > 200

    # the address bar slides in: the viewport is 60 px shorter
    phone.set_viewport_size({"width": 375, "height": 812 - 60})
    phone.wait_for_timeout(300)
    assert canvas_ink(phone) == drawn
    # the phone is turned: landscape, wider pad, the signature is redrawn, not wiped
    phone.set_viewport_size({"width": 812, "height": 375})
    phone.wait_for_timeout(300)
    assert (
        phone.evaluate("document.querySelector('[data-testid=\"signature-pad\"]').offsetWidth")
        > box["width"]
    )
    assert canvas_ink(phone) > drawn * 0.5
    pad.scroll_into_view_if_needed()
    screenshot(phone, "wo-signature-landscape-812", full_page=False)
    # and back to portrait
    phone.set_viewport_size({"width": 375, "height": 812})
    phone.wait_for_timeout(300)
    assert canvas_ink(phone) > drawn * 0.3

    phone.get_by_test_id("signer-name").fill("张三丰")
    with phone.expect_navigation():
        phone.get_by_test_id("signature-save").click()
    expect(phone.get_by_test_id("signed")).to_contain_text("张三丰")
    assert re.search(rf"/workorders/my/{order.number}/", phone.url)
    order = WorkOrder.objects.get(pk=order.pk)
    assert order.signed_at is not None
    with order.signature.open("rb") as fh:
        stored = fh.read()
    assert ink_pixels(stored) > 100
    assert phone.csp_errors == []
