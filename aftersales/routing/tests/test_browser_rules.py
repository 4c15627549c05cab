"""In headless Chromium: a supervisor writes a rule, tests it on a sample case (htmx), sees the
Save button appear, changes the rule (the button goes away until tested again), saves, and
moves the rule up the list. No CSP violations on the way."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from aftersales.routing.models import RoutingRule

from .conftest import add_rule

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FIXTURE_PASSWORD = "pw-Test-12345"


def test_write_test_save_and_reorder_a_rule(
    transactional_db, live_url, browser_page, browser_login, screenshot, users, ac_team
):
    add_rule(users["supervisor"], name="冰箱", keywords="冰箱", team=ac_team["team"])
    page = browser_page()
    browser_login(page, "supervisor", FIXTURE_PASSWORD)
    page.goto("/routing/rules/new/")
    page.fill("#id_name", "空调漏水")
    page.fill("#id_keywords", "空调 漏水")
    page.select_option("#id_keyword_mode", "all")
    page.select_option("#id_team", str(ac_team["team"].pk))
    page.select_option("#id_assignment", "round_robin")
    expect(page.get_by_test_id("rule-save")).to_have_count(0)
    page.fill("#id_sample-title", "客厅空调漏水")
    page.get_by_test_id("rule-test").click()
    expect(page.get_by_test_id("test-matched")).to_contain_text("空调漏水")
    expect(page.get_by_test_id("test-team")).to_have_text("空调组")
    expect(page.get_by_test_id("test-assignee")).to_contain_text("ac_wang")
    expect(page.get_by_test_id("rule-save")).to_be_visible()
    screenshot(page, "routing-01-tested")

    page.fill("#id_keywords", "空调")  # the rule changed: test it again before saving
    expect(page.get_by_test_id("rule-save")).to_have_count(0)
    page.get_by_test_id("rule-test").click()
    page.get_by_test_id("rule-save").click()
    page.wait_for_url(re.compile(r"/routing/$"))
    assert RoutingRule.objects.get(name="空调漏水").keywords == "空调"

    rows = page.get_by_test_id("rule-row")
    expect(rows).to_have_count(2)
    expect(rows.nth(1)).to_contain_text("空调漏水")
    rows.nth(1).get_by_test_id("move-up").click()
    expect(page.get_by_test_id("rule-row").first).to_contain_text("空调漏水")
    assert list(RoutingRule.objects.values_list("name", flat=True)) == ["空调漏水", "冰箱"]
    screenshot(page, "routing-02-list")
    assert page.csp_errors == []
