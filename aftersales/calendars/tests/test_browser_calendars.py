"""In headless Chromium: an administrator opens the company calendar, sees National Day 2026 in
the year view, asks "1 working day after 2026-09-30 18:30" in the try-it panel (htmx) and gets
2026-10-08 17:30, then the working time between two instants — with no CSP error."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FIXTURE_PASSWORD = "pw-Test-12345"  # what aftersales.conftest gives its users


def test_try_it_panel(transactional_db, live_url, browser_page, browser_login, screenshot, users):
    page = browser_page()
    browser_login(page, "administrator", FIXTURE_PASSWORD)
    page.goto(f"{live_url}/calendars/default/?year=2026")
    expect(page.locator('[data-date="2026-10-01"]')).to_have_attribute("data-kind", "holiday")
    expect(page.locator('[data-date="2026-10-10"]')).to_have_attribute(
        "data-kind", "makeup_workday"
    )
    form = page.get_by_test_id("try-add-form")
    form.locator('input[name="start"]').fill("2026-09-30T18:30")
    form.locator('input[name="duration"]').fill("1wd")
    form.locator('button[type="submit"]').click()
    expect(page.get_by_test_id("try-add-value")).to_have_text("2026-10-08T17:30:00+08:00")
    assert page.url.endswith("/calendars/default/?year=2026")  # answered in place by htmx
    form.locator('input[name="duration"]').fill("two days")
    form.locator('button[type="submit"]').click()
    expect(page.get_by_test_id("try-error")).to_contain_text("two days")
    between = page.get_by_test_id("try-between-form")
    between.locator('input[name="start"]').fill("2026-09-30T08:30")
    between.locator('input[name="end"]').fill("2026-10-08T17:30")
    between.locator('button[type="submit"]').click()
    expect(page.get_by_test_id("try-between-value")).to_have_text("15wh")
    screenshot(page, "calendars-01-try-it")
    assert page.csp_errors == []
