"""End to end in headless Chromium, Chinese UI: a customer reports a fault with a photo on the
portal, an agent answers it from the queue and moves it on, the customer sees the answer and the
new status, the e-mails went out through the outbox, and the customer confirms the result (R1.6).
"""

from __future__ import annotations

import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from aftersales.cases.choices import Priority, Status
from aftersales.cases.models import Case
from aftersales.core.testing import image_bytes
from aftersales.notifications.models import Notification

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TITLE = "空调不制冷"
REPLY = "您好，师傅明天上午 9 点上门检查空调，请家里留人。"
FIXTURE_PASSWORD = "pw-Test-12345"  # what aftersales.conftest gives its users


def zh(status: str) -> str:
    """The status label a Chinese user sees (English until the catalog is compiled)."""
    with translation.override("zh-hans"):
        return str(Status(status).label)


def assert_fits_phone(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"page is {width}px wide on a 375px screen"


def test_customer_request_answered_by_agent(
    transactional_db, live_url, browser_page, browser_login, screenshot, users, product_model
):
    # --- the customer opens an account on their phone ------------------------------------
    customer = browser_page(phone=True)
    customer.goto("/portal/signup/")
    expect(customer.locator("html")).to_have_attribute("lang", "zh-CN")
    customer.fill("#id_name", "王小明")
    customer.fill("#id_phone", "139 1234 5678")
    customer.fill("#id_email", "xiaoming@example.cn")
    customer.fill("#id_username", "xiaoming")
    customer.fill("#id_password1", "Kongtiao-2026-xyz")
    customer.fill("#id_password2", "Kongtiao-2026-xyz")
    customer.check("#id_consent_privacy")
    screenshot(customer, "01-portal-signup-375")
    assert_fits_phone(customer)
    customer.get_by_test_id("signup-submit").click()
    customer.wait_for_url(re.compile(r"/portal/$"))

    # --- and reports the fault with a photo, registering the air conditioner on the way ---
    customer.get_by_test_id("nav-new-request").click()
    form = customer.locator('form[data-testid="portal-new-form"]')
    expect(form).to_have_attribute("enctype", "multipart/form-data")
    form.locator('select[name="case_type"]').select_option("repair_request")
    form.locator('[data-testid="register-product"] > summary').click()
    form.locator('select[name="product_model"]').select_option(str(product_model.pk))
    form.locator('input[name="serial_number"]').fill("KFR35-2026-0815")
    form.locator('input[name="purchase_date"]').fill("2026-05-01")
    form.locator('input[name="title"]').fill(TITLE)
    form.locator('textarea[name="description"]').fill("开机半小时还是出热风，室外机不转。")
    photo = image_bytes("PNG", size=(640, 480), color=(40, 140, 210))
    form.locator('input[name="files"]').set_input_files(
        files=[{"name": "空调.png", "mimeType": "image/png", "buffer": photo}]
    )
    expect(form.locator(".portal-previews img")).to_have_count(1)
    screenshot(customer, "02-portal-new-request-375")
    assert_fits_phone(customer)
    form.get_by_test_id("portal-new-submit").click()
    customer.wait_for_url(re.compile(r"/portal/cases/SC-\d{4}-\d+/$"))
    number = customer.get_by_test_id("case-number").inner_text().strip()
    expect(customer.get_by_test_id("case-title")).to_have_text(TITLE)
    expect(customer.get_by_test_id("case-status")).to_have_text(zh(Status.NEW))
    expect(customer.get_by_test_id("timeline")).to_contain_text("开机半小时还是出热风")
    screenshot(customer, "03-portal-request-submitted-375")
    assert_fits_phone(customer)

    case = Case.objects.get(number=number)
    assert case.channel == "portal" and case.title == TITLE
    assert case.asset.serial_number == "KFR35-2026-0815"
    assert case.attachments.get().content_type == "image/png"

    # --- an agent signs in, finds it in the queue and answers --------------------------------
    agent = browser_page()
    browser_login(agent, users["agent"].username, FIXTURE_PASSWORD)
    agent.goto("/cases/")
    expect(agent.locator("html")).to_have_attribute("lang", "zh-CN")
    row = agent.locator(f'tr[data-testid="case-row"][data-number="{number}"]')
    expect(row).to_contain_text(TITLE)
    screenshot(agent, "04-staff-queue")
    row.locator('a[data-testid="case-link"]').click()
    agent.wait_for_url(re.compile(rf"/cases/{number}/$"))
    expect(agent.get_by_test_id("case-status")).to_have_text(re.compile(zh(Status.NEW)))
    screenshot(agent, "05-staff-case-detail")

    # the edit panel fetches its form when opened; saving it updates the header in place
    expect(agent.get_by_test_id("edit-form")).to_have_count(0)
    agent.get_by_test_id("edit-details").locator("summary").click()
    edit = agent.locator('form[data-testid="edit-form"]')
    expect(edit.locator('select[name="priority"]')).to_be_visible()
    edit.locator('select[name="priority"]').select_option("high")
    edit.get_by_test_id("edit-submit").click()
    with translation.override("zh-hans"):
        high = str(Priority.HIGH.label)
    expect(agent.get_by_test_id("case-priority")).to_have_text(high)

    reply = agent.locator('form[data-testid="reply-form"]')
    reply.locator('textarea[name="body"]').fill(REPLY)
    reply.get_by_test_id("reply-submit").click()
    expect(agent.get_by_test_id("timeline")).to_contain_text(REPLY)

    for step in (Status.ACCEPTED, Status.IN_PROGRESS, Status.RESOLVED):
        agent.locator(f'button[data-testid="transition-{step}"]').first.click()
        expect(agent.get_by_test_id("case-status")).to_have_text(re.compile(zh(step)))
    screenshot(agent, "06-staff-case-resolved")

    # --- the customer sees the answer and the new status ------------------------------------
    customer.get_by_test_id("nav-my-requests").click()
    row = customer.locator(f'[data-testid="portal-case-row"][data-number="{number}"]')
    expect(row.get_by_test_id("portal-case-status")).to_have_text(zh(Status.RESOLVED))
    screenshot(customer, "07-portal-my-requests-375")
    assert_fits_phone(customer)
    row.get_by_test_id("portal-case-link").click()
    expect(customer.get_by_test_id("case-status")).to_have_text(zh(Status.RESOLVED))
    expect(customer.get_by_test_id("staff-reply")).to_have_text(REPLY)
    expect(customer.get_by_test_id("confirm-resolved")).to_be_visible()
    expect(customer.get_by_test_id("reopen")).to_be_visible()
    screenshot(customer, "08-portal-answer-and-status-375")
    assert_fits_phone(customer)
    customer.set_viewport_size({"width": 1280, "height": 900})
    screenshot(customer, "09-portal-answer-and-status-desktop")
    customer.set_viewport_size({"width": 375, "height": 812})

    # --- every step was e-mailed to the customer through the outbox ------------------------
    sent = Notification.objects.filter(case=case, state="sent")
    assert {"case_created", "case_reply", "case_status"} <= set(
        sent.values_list("template", flat=True)
    )
    assert set(sent.values_list("recipient", flat=True)) == {"xiaoming@example.cn"}

    # --- the customer confirms the problem is solved ----------------------------------------
    customer.get_by_test_id("confirm-resolved").click()
    expect(customer.get_by_test_id("case-status")).to_have_text(zh(Status.CLOSED))
    expect(customer.get_by_test_id("portal-reply-form")).to_have_count(0)
    screenshot(customer, "10-portal-confirmed-375")
    case.refresh_from_db()
    assert case.status == Status.CLOSED
    assert case.events.filter(kind="status_changed").last().actor.username == "xiaoming"
    assert customer.csp_errors == [], customer.csp_errors
    assert agent.csp_errors == [], agent.csp_errors


def test_customer_replies_in_place_and_reopens(
    transactional_db, live_url, browser_page, browser_login, screenshot, users, customers
):
    """The portal on its own: htmx reply without a reload, and "not solved" with a reason."""
    from aftersales.cases.services import case_reply, case_transition
    from aftersales.conftest import make_case

    alice = customers["alice"]
    agent = users["agent"]
    case = make_case(alice, actor=alice.user, channel="portal")
    case = case_transition(actor=agent, case=case, to_status=Status.IN_PROGRESS)
    case_reply(actor=agent, case=case, body="已更换电容，请试用。")
    case = case_transition(actor=agent, case=case, to_status=Status.RESOLVED)

    page = browser_page(phone=True)
    browser_login(page, "alice", FIXTURE_PASSWORD)
    page.wait_for_url(re.compile(r"/portal/$"))
    page.locator(f'[data-testid="portal-case-row"][data-number="{case.number}"]').get_by_test_id(
        "portal-case-link"
    ).click()
    expect(page.get_by_test_id("staff-reply")).to_have_text("已更换电容，请试用。")

    page.evaluate("window.__sameDocument = true")
    form = page.get_by_test_id("portal-reply-form")
    form.locator('textarea[name="body"]').fill("试了一下午，还是不凉。")
    form.get_by_test_id("portal-reply-submit").click()
    expect(page.get_by_test_id("timeline")).to_contain_text("试了一下午，还是不凉。")
    assert page.evaluate("window.__sameDocument === true"), "the reply reloaded the page"
    expect(page.get_by_test_id("portal-reply-form").locator("textarea")).to_have_value("")

    confirm = page.get_by_test_id("confirm-form-in_progress")
    confirm.locator('textarea[name="reason"]').fill("还是不制冷")
    screenshot(page, "11-portal-not-solved-375")
    assert_fits_phone(page)
    confirm.get_by_test_id("reopen").click()
    expect(page.get_by_test_id("case-status")).to_have_text(zh(Status.IN_PROGRESS))
    expect(page.get_by_test_id("timeline")).to_contain_text("还是不制冷")
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS
    assert page.csp_errors == [], page.csp_errors
