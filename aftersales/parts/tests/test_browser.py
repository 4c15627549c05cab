"""In headless Chromium: a parts keeper finds a part by typing (htmx), issues from the movement
form and is refused an overdraw; a technician reads their van on a phone; no CSP violations."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from aftersales.parts.models import StockLevel
from aftersales.parts.services import stock_receive, stock_transfer

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "pw-Test-12345"


def test_keeper_issues_and_technician_sees_van(
    transactional_db, live_url, browser_page, browser_login, screenshot, stock_setup, users
):
    s = stock_setup
    stock_receive(part=s["cap"], location=s["wh"], quantity=6, unit_cost="11.50", actor=s["keeper"])
    stock_transfer(part=s["cap"], source=s["wh"], target=s["van"], quantity=2, actor=s["keeper"])

    page = browser_page()
    browser_login(page, "parts_keeper", PASSWORD)
    page.goto("/parts/")
    page.get_by_test_id("part-search").fill("电容")
    expect(page.locator("[data-testid=part-row]")).to_have_count(1)
    page.locator("[data-testid=part-row] a").first.click()
    expect(page.get_by_test_id("total-on-hand")).to_have_text("6")
    page.get_by_test_id("move-buttons").get_by_role("link").nth(1).click()  # Issue
    form = page.get_by_test_id("movement-form")
    form.locator("select[name=location]").select_option("WH-SH")
    form.locator("input[name=quantity]").fill("9")
    form.locator("input[name=work_order]").fill("WO-0001")
    page.get_by_test_id("movement-save").click()
    expect(page.get_by_test_id("form-errors")).to_contain_text("CAP-35UF")
    form.locator("input[name=quantity]").fill("3")
    page.get_by_test_id("movement-save").click()
    expect(page.get_by_test_id("total-on-hand")).to_have_text("3")
    assert StockLevel.objects.get(part=s["cap"], location=s["wh"]).on_hand == 1
    screenshot(page, "parts-01-part-after-issue")

    phone = browser_page(phone=True)
    browser_login(phone, "technician", PASSWORD)
    phone.goto("/parts/van/")
    expect(phone.locator("[data-testid=stock-row][data-part=CAP-35UF]")).to_have_count(1)
    screenshot(phone, "parts-02-van-phone")
    assert page.csp_errors == [] and phone.csp_errors == []
