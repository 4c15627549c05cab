"""In headless Chromium, the hotline's first call (docs/adr/0006-customer-history-at-the-desk.md):
team A's agent finds the caller by four digits of her phone, sees her complaint that team B
holds, registers a repair request that a routing rule sends to team B, replies on it from the
confirmation while the caller is on the line, and finds the complaint, with its team and public
thread, in the customer's history. Screenshots at 1366 px and 375 px, in Chinese and English."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from aftersales.cases.models import Case
from aftersales.cases.services import case_note, case_reply
from aftersales.conftest import make_case, make_user

pytestmark = pytest.mark.browser

FIXTURE_PASSWORD = "pw-Test-12345"  # what aftersales.conftest gives its users


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_first_call(
    transactional_db,
    live_url,
    browser_page,
    browser_login,
    screenshot,
    users,
    customers,
    org,
    language,
):
    from aftersales.accounts.roles import Role
    from aftersales.routing.services import rule_create

    alice = customers["alice"]
    agent_b = make_user("agent_b2", Role.AGENT, teams=[org["team_b"]])
    complaint = make_case(
        alice, case_type="complaint", team=org["team_b"], title="维修人员迟到两小时", asset=None
    )
    case_reply(actor=agent_b, case=complaint, body="已转投诉专员核实，今天内回复您")
    case_note(actor=agent_b, case=complaint, body="内部：师傅车辆故障")
    rule_create(
        actor=users["administrator"], name="洗衣机漏水", keywords="洗衣机 漏水", team=org["team_b"]
    )
    lang = "zh" if language == "zh-CN" else "en"

    page = browser_page(language=language)
    browser_login(page, "agent", FIXTURE_PASSWORD)

    # 1. the caller, by four digits of her phone; her open complaint shows with its team
    page.goto("/cases/intake/")
    page.get_by_test_id("intake-search").press_sequentially("5678", delay=40)
    result = page.get_by_test_id("lookup-result").first
    expect(result).to_contain_text("张三丰")
    expect(result).to_contain_text(complaint.number)
    expect(result.get_by_test_id("lookup-case-team")).to_contain_text("上门维修组")
    screenshot(page, f"first-call-{lang}-1366-01-lookup")
    result.get_by_test_id("pick-customer").click()
    page.wait_for_url(re.compile(r"/cases/intake/\?customer="))
    expect(page.get_by_test_id("duplicate-warning")).to_contain_text(complaint.number)

    # 2. a repair request; the routing rule sends it to team B
    page.locator("#id_title").fill("洗衣机漏水")
    page.locator("#id_description").fill("滚筒洗衣机底部漏水，地面有积水")
    symptom = page.locator('[name="extra-fault_symptom"]')
    if symptom.count():
        symptom.fill("漏水")
    page.get_by_test_id("intake-submit").click()
    page.wait_for_url(re.compile(r"/cases/SC-\d{4}-\d{6}/$"))
    number = page.get_by_test_id("case-number").inner_text().strip()
    case = Case.objects.get(number=number)
    assert case.team == org["team_b"] and case.created_by == users["agent"]
    expect(page.get_by_test_id("case-team")).to_contain_text("上门维修组")
    expect(page.get_by_test_id("history-only")).to_have_count(0)
    routed = "已转给" if lang == "zh" else "routed to"
    expect(page.get_by_role("alert").first).to_contain_text(routed)
    screenshot(page, f"first-call-{lang}-1366-02-confirmation")

    # 3. the reply, from the confirmation, while the caller is on the line
    page.locator("#reply_body").fill("您好，已为您登记报修，维修师傅会在两小时内联系您。")
    page.get_by_test_id("reply-submit").click()
    expect(page.get_by_test_id("timeline")).to_contain_text("维修师傅会在两小时内联系您")
    assert case.events.filter(body__startswith="您好，已为您登记报修", is_public=True).exists()

    # 4. the customer's whole history: the complaint team B holds, read-only and public
    page.get_by_test_id("customer-link").click()
    page.wait_for_url(re.compile(rf"/customers/{alice.pk}/$"))
    row = page.locator(f'[data-testid="customer-case"][data-number="{complaint.number}"]')
    expect(row).to_be_visible()
    expect(row.get_by_test_id("customer-case-team")).to_have_text("上门维修组")
    expect(page.locator(f'[data-testid="customer-case"][data-number="{number}"]')).to_be_visible()
    screenshot(page, f"first-call-{lang}-1366-03-customer")
    row.locator("a").first.click()
    page.wait_for_url(re.compile(rf"/cases/{complaint.number}/$"))
    expect(page.get_by_test_id("history-only")).to_be_visible()
    expect(page.get_by_test_id("timeline")).to_contain_text("今天内回复您")
    expect(page.get_by_test_id("timeline")).not_to_contain_text("师傅车辆故障")
    expect(page.get_by_test_id("reply-form")).to_have_count(0)
    screenshot(page, f"first-call-{lang}-1366-04-history-case")
    assert page.csp_errors == []

    # the same screens on a phone
    phone = browser_page(phone=True, language=language)
    browser_login(phone, "agent", FIXTURE_PASSWORD)
    for path, name in (
        (f"/cases/{number}/", "02-confirmation"),
        (f"/customers/{alice.pk}/", "03-customer"),
        (f"/cases/{complaint.number}/", "04-history-case"),
    ):
        phone.goto(path)
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{path}: {width} px wide on a 375 px phone"
        screenshot(phone, f"first-call-{lang}-375-{name}")
    phone.goto(f"/customers/{alice.pk}/")
    expect(
        phone.locator(f'[data-testid="customer-case"][data-number="{complaint.number}"]')
    ).to_contain_text("上门维修组")
    assert phone.csp_errors == []
