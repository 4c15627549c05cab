"""End to end in headless Chromium, Chinese UI, the technician on a 375 px phone (issue 5):
the dispatcher assigns the order to the top suggested technician; the technician checks in,
records the repair, adds a part and two photos, the customer signs on the screen and the
technician completes; the supervisor approves the report, whose PDF carries the Chinese field
names, the part and the signature; three days later (controlled clock) the follow-up is due and
a dissatisfied answer opens a complaint linked to the order."""

from __future__ import annotations

import datetime as dt
import re
from unittest import mock

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from aftersales.core.testing import image_bytes
from aftersales.workorders.choices import Status
from aftersales.workorders.models import FollowUp, WorkOrder

from .test_api import pdf_text_and_images

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PASSWORD = "pw-Test-12345"


def zh(status: str) -> str:
    with translation.override("zh-hans"):
        return str(Status(status).label)


def fits_phone(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"page is {width}px wide on a 375px screen"


def test_dispatch_field_work_report_and_follow_up(
    transactional_db,
    live_url,
    browser_page,
    browser_login,
    screenshot,
    users,
    techs,
    van_stock,
    order,
    tmp_path,
):
    # --- the dispatcher assigns the order to the top suggested technician -------------------
    dispatcher = browser_page()
    browser_login(dispatcher, "dispatcher", PASSWORD)
    dispatcher.goto(f"/workorders/{order.number}/")
    first = dispatcher.get_by_test_id("suggestion").first
    expect(first).to_contain_text("王师傅")
    screenshot(dispatcher, "wo-01-dispatcher-suggestions")
    dispatcher.get_by_test_id("pick-1").click()
    dispatcher.wait_for_url(re.compile(rf"/workorders/{order.number}/$"))
    expect(dispatcher.get_by_test_id("order-technician")).to_have_text("王师傅")
    expect(dispatcher.get_by_test_id("order-status")).to_have_text(zh(Status.DISPATCHED))

    # --- the technician works the job on the phone -----------------------------------------
    phone = browser_page(phone=True)
    browser_login(phone, "technician", PASSWORD)
    phone.goto("/workorders/my/")
    expect(phone.get_by_test_id("my-job")).to_have_count(1)
    fits_phone(phone)
    screenshot(phone, "wo-02-phone-my-jobs-375")
    phone.get_by_test_id("my-job").click()
    phone.wait_for_url(re.compile(rf"/workorders/my/{order.number}/$"))
    expect(phone.get_by_test_id("phone-masked")).to_contain_text("138****5678")

    def step(testid: str, status: str) -> None:
        with phone.expect_navigation():
            phone.get_by_test_id(testid).click()
        expect(phone.get_by_test_id("job-status")).to_have_text(zh(status))

    step("step-accept", Status.ACCEPTED)
    step("step-depart", Status.ON_THE_WAY)
    step("step-check-in", Status.ON_SITE)
    step("step-start", Status.IN_PROGRESS)

    phone.fill("#rec-findings", "压缩机不启动，启动电容鼓包")
    phone.fill("#rec-cause", "启动电容老化失效")
    phone.fill("#rec-details", "更换压缩机启动电容，试机制冷正常")
    phone.fill("#rec-result", "已修复")
    phone.fill("#rec-labour", "60")
    with phone.expect_navigation():
        phone.get_by_test_id("record-save").click()

    phone.get_by_test_id("part-code").fill("CAP-35UF")
    phone.get_by_test_id("part-batch").fill("L2026-11")
    with phone.expect_navigation():
        phone.get_by_test_id("part-add").click()
    expect(phone.get_by_test_id("line").filter(has_text="CAP-35UF")).to_have_count(1)
    # the job page loads the batches used (purchasing's fragment, htmx): the lot just issued
    expect(phone.get_by_test_id("work-order-batches")).to_contain_text("L2026-11")

    for kind, color in (("before", (190, 60, 40)), ("after", (40, 170, 80))):
        with phone.expect_navigation():
            phone.get_by_test_id(f"photo-{kind}-input").set_input_files(
                files=[
                    {
                        "name": f"{kind}.jpg",
                        "mimeType": "image/jpeg",
                        "buffer": image_bytes("JPEG", size=(640, 480), color=color),
                    }
                ]
            )
        expect(phone.get_by_test_id(f"photo-{kind}")).to_have_count(1)

    # the customer sees the amount, then signs with a finger on the screen
    expect(phone.get_by_test_id("chargeable")).to_have_text("¥0.00")  # in warranty
    pad = phone.get_by_test_id("signature-pad")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    phone.mouse.move(box["x"] + 20, box["y"] + box["height"] * 0.7)
    phone.mouse.down()
    for fx, fy in ((0.3, 0.2), (0.45, 0.75), (0.6, 0.25), (0.85, 0.6)):
        phone.mouse.move(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy, steps=8)
    phone.mouse.up()
    phone.get_by_test_id("signer-name").fill("张三丰")
    with phone.expect_navigation():
        phone.get_by_test_id("signature-save").click()
    expect(phone.get_by_test_id("signed")).to_contain_text("张三丰")
    fits_phone(phone)
    screenshot(phone, "wo-03-phone-signed-375")
    phone.select_option("#rating", "5")
    with phone.expect_navigation():
        phone.get_by_test_id("complete").click()
    expect(phone.get_by_test_id("job-status")).to_have_text(zh(Status.SIGNED_OFF))
    assert phone.csp_errors == []

    # --- the supervisor approves the report and downloads the PDF ---------------------------
    supervisor = browser_page()
    browser_login(supervisor, "supervisor", PASSWORD)
    supervisor.goto(f"/workorders/{order.number}/")
    expect(supervisor.get_by_test_id("work-order-batches")).to_contain_text("L2026-11")
    supervisor.check('input[name="approve"][value="1"]')
    supervisor.get_by_test_id("review-submit").click()
    supervisor.wait_for_url(re.compile(rf"/workorders/{order.number}/$"))
    expect(supervisor.get_by_test_id("order-status")).to_have_text(zh(Status.REVIEWED))
    with supervisor.expect_download() as download_info:
        supervisor.get_by_test_id("report-pdf").first.click()
    pdf_path = tmp_path / "downloaded.pdf"
    download_info.value.save_as(pdf_path)
    text, images = pdf_text_and_images(pdf_path.read_bytes(), tmp_path)
    for caption in ("产品维修报告单", "客户", "型号", "购买日期", "保修期", "故障描述", "主管审核"):
        assert caption in text, caption
    assert "CAP-35UF" in text and "35μF 450V" in text and "张三丰" in text
    assert images >= 3  # two photos and the signature
    assert supervisor.csp_errors == []

    # --- three days later the follow-up is due; the customer is dissatisfied ------------------
    supervisor.goto("/workorders/followups/")
    expect(supervisor.get_by_test_id("followup-row")).to_have_count(0)
    later = timezone.now() + dt.timedelta(days=3, minutes=5)
    with mock.patch("django.utils.timezone.now", return_value=later):
        supervisor.goto("/workorders/followups/")
        expect(supervisor.get_by_test_id("followup-row")).to_have_count(1)
        supervisor.get_by_test_id("followup-call").click()
        supervisor.check('input[name="reached"][value="1"]')
        from aftersales.workorders.followups import DIMENSIONS

        for code in DIMENSIONS:
            level = "2" if code == "service_attitude" else "4"
            supervisor.get_by_test_id(f"score_{code}-{level}").check()
        supervisor.fill("#id_comments", "师傅态度不好")
        screenshot(supervisor, "wo-04-follow-up-form")
        supervisor.get_by_test_id("followup-save").click()
        supervisor.wait_for_url(re.compile(r"/workorders/followups/$"))
    follow_up = FollowUp.objects.select_related("complaint_case").get(work_order=order)
    complaint = follow_up.complaint_case
    assert complaint is not None and complaint.case_type == "complaint"
    assert order.number in complaint.title
    expect(supervisor.locator("main")).to_contain_text(complaint.number)
    assert WorkOrder.objects.get(pk=order.pk).status == Status.CLOSED  # reviewed and followed up
