"""In headless Chromium: the buyer's scorecard and stock figures draw their ECharts charts from
the JSON the pages serve, and the inspection form works, with no CSP violations."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from aftersales.parts.models import StockLevel
from aftersales.purchasing import services

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FIXTURE_PASSWORD = "pw-Test-12345"


def test_charts_and_inspection_in_the_browser(
    transactional_db,
    live_url,
    browser_page,
    browser_login,
    screenshot,
    users,
    parts,
    suppliers,
    warehouse,
):
    keeper = users["parts_keeper"]
    today = dt.date.today()
    order = services.order_create(
        actor=keeper,
        supplier=suppliers["hualeng"],
        promised_date=today + dt.timedelta(days=5),
        lines=[{"part": parts["compressor"], "quantity": 6, "unit_price": "760"}],
    )
    order = services.order_transition(actor=keeper, order=order, to_status="ordered", version=1)
    services.receipt_create(
        actor=keeper,
        order=order,
        location=warehouse,
        lines=[{"order_line": order.lines.get().pk, "quantity": 6, "lot_number": "HL-B1"}],
    )
    services.supplier_rate(actor=keeper, supplier=suppliers["hualeng"], score=4)

    page = browser_page()
    browser_login(page, "parts_keeper", FIXTURE_PASSWORD)
    page.goto(f"/purchasing/orders/{order.pk}/")
    form = page.get_by_test_id("inspection-form")
    form.locator("input[name=accepted]").fill("5")
    form.locator("input[name=rejected]").fill("1")
    form.locator("input[name=defect_description]").fill("外壳磕碰")
    form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("inspection-result")).to_contain_text("外壳磕碰")
    assert StockLevel.objects.get(part=parts["compressor"]).on_hand == 5
    screenshot(page, "purchasing-01-inspected")

    page.goto("/purchasing/scorecard/")
    expect(page.locator("#score-radar canvas")).to_have_count(1)
    expect(page.locator("#score-bar canvas")).to_have_count(1)
    expect(page.get_by_test_id("score-row").first).to_contain_text("苏州华冷配件有限公司")
    page.wait_for_timeout(1500)  # let the charts' entry animation finish for the screenshot
    screenshot(page, "purchasing-02-scorecard")

    page.goto("/purchasing/figures/")
    expect(page.locator("#turnover-chart canvas")).to_have_count(1)
    expect(page.locator("#value-chart canvas")).to_have_count(1)
    page.wait_for_timeout(1500)
    screenshot(page, "purchasing-03-figures")

    phone = browser_page(phone=True)
    browser_login(phone, "parts_keeper", FIXTURE_PASSWORD)
    phone.goto("/purchasing/scorecard/")
    expect(phone.locator("#score-radar canvas")).to_have_count(1)
    screenshot(phone, "purchasing-04-scorecard-phone")
    assert page.csp_errors == [] and phone.csp_errors == []
