"""In headless Chromium: an agent types 空调 in the navbar's search box, the grouped results
drop down as they type, the arrow key picks the first case and Enter opens it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from aftersales.conftest import make_case

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FIXTURE_PASSWORD = "pw-Test-12345"  # what aftersales.conftest gives its users


def test_global_search_keyboard(
    transactional_db, live_url, browser_page, browser_login, screenshot, users, customers, org
):
    # the other team's case first: on equal rank the newer one, Alice's, comes first
    other = make_case(customers["bob"], team=org["team_b"], title="空调漏水（别的组）", asset=None)
    case = make_case(customers["alice"], team=org["team_a"], title="海尔空调不制冷", asset=None)
    page = browser_page()
    browser_login(page, "agent", FIXTURE_PASSWORD)
    box = page.locator("#global-search-input")
    box.click()
    box.press_sequentially("空调", delay=50)
    items = page.get_by_test_id("search-suggest-item")
    expect(items.first).to_be_visible()
    cases = page.locator('[data-testid="search-suggest-item"][data-kind="case"]')
    # the other team's case too: the desk reads every customer's history (ADR 0006)
    expect(cases).to_have_count(2)
    expect(cases.nth(1)).to_contain_text(other.number)
    expect(page.locator('[data-testid="search-suggest-item"][data-kind="asset"]')).to_have_count(2)
    expect(items.first).to_contain_text(case.number)
    expect(items.first.locator("mark").first).to_have_text("空调")
    screenshot(page, "search-01-dropdown")
    box.press("ArrowDown")
    expect(items.first).to_have_class(re.compile(r"\bactive\b"))
    box.press("Enter")
    page.wait_for_url(re.compile(rf"/cases/{case.number}/$"))
    expect(page.get_by_test_id("case-title")).to_have_text("海尔空调不制冷")
    assert page.csp_errors == []

    # Enter without picking a result opens the full results page.
    box = page.locator("#global-search-input")
    box.fill("不制冷")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))
    expect(page.get_by_test_id("search-result").first).to_contain_text(case.number)
    screenshot(page, "search-02-results")
    assert page.csp_errors == []
