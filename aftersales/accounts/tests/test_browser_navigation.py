"""The navigation bar in headless Chromium, every role, Chinese and English: one line at
1366 px with Sign out in view, a menu behind the toggler at 375 px that opens and fits, the
landing page of each role, and the page shown marked ``aria-current="page"``.

Screenshots of every role's home and menu (1366 px; 375 px closed and open) are saved in
``test-artifacts/screenshots/nav-*``."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from aftersales.accounts.models import User

from .test_navigation import LANDING

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PASSWORD = "pw-Test-12345"

# Display names as long as the demo's: the bar must hold a real person's name.
NAMES = {
    "administrator": "系统管理员 王磊",
    "supervisor": "售后主管 李娜",
    "agent": "服务专员 陈晓",
    "dispatcher": "派工调度员 刘强",
    "technician": "维修技师 赵刚",
    "complaint_officer": "投诉专员 孙丽",
    "parts_keeper": "备件管理员 周平",
    "auditor": "质量监督员 吴敏",
}
DESKTOP_WIDTH, PHONE_WIDTH = 1366, 375


def _name_people(users) -> None:
    for username, name in NAMES.items():
        User.objects.filter(pk=users[username].pk).update(display_name=name)


def _page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def _assert_fits_in_one_line(page, where: str) -> None:
    bar = page.get_by_test_id("navbar")
    height = bar.bounding_box()["height"]
    assert height <= 64, f"{where}: the navigation bar wraps ({height:.0f} px high)"
    sign_out = bar.get_by_test_id("sign-out")
    expect(sign_out).to_be_visible()
    box = sign_out.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= DESKTOP_WIDTH, (
        f"{where}: Sign out is outside the screen ({box})"
    )
    assert _page_width(page) <= DESKTOP_WIDTH, f"{where}: the page is wider than the screen"


@pytest.mark.parametrize("language", ["en", "zh-CN"])
def test_the_administrators_sign_out_is_in_view_at_1366_px(
    live_url, browser_page, browser_login, users, language
):
    _name_people(users)
    page = browser_page(language=language)
    browser_login(page, "administrator", PASSWORD)
    _assert_fits_in_one_line(page, f"administrator {language}")
    page.get_by_test_id("sign-out").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_every_role_lands_on_its_work_and_its_menu_fits_at_1366_and_375_px(
    live_url, browser_page, browser_login, screenshot, users, customers, language
):
    _name_people(users)
    lang = "zh" if language.startswith("zh") else "en"
    for username, landing in [*LANDING.items(), ("alice", "portal:case_list")]:
        page = browser_page(language=language)
        browser_login(page, username, PASSWORD)
        assert page.url == f"{live_url}{reverse(landing)}", f"{username} landed on {page.url}"
        where = f"{username} {language}"
        if username != "alice":
            _assert_fits_in_one_line(page, where)
            current = page.get_by_test_id("navbar").locator('[aria-current="page"]')
            expect(current).to_have_count(1)
            expect(current).to_have_attribute("href", reverse(landing))
        screenshot(page, f"nav-{username}-{lang}-1366", full_page=False)

        page.set_viewport_size({"width": PHONE_WIDTH, "height": 812})
        assert _page_width(page) <= PHONE_WIDTH, f"{where}: wider than a phone"
        screenshot(page, f"nav-{username}-{lang}-375", full_page=False)
        if username == "alice":  # the portal's own bar: no menu to open
            expect(page.get_by_test_id("sign-out")).to_be_visible()
        else:
            expect(page.get_by_test_id("sign-out")).to_be_hidden()
            page.get_by_test_id("nav-toggle").click()
            expect(page.get_by_test_id("sign-out")).to_be_visible()
            expect(page.locator("#mainnav")).to_have_class(re.compile(r"\bshow\b"))
            groups = page.get_by_test_id("main-menu").locator("[data-testid^=nav-group-]")
            if groups.count():
                groups.first.click()  # a group opens inside the folded menu
                expect(page.locator(".dropdown-menu.show").first).to_be_visible()
            assert _page_width(page) <= PHONE_WIDTH, f"{where}: open menu wider than a phone"
            screenshot(page, f"nav-{username}-{lang}-375-open")
        page.context.close()


def test_the_current_page_moves_with_the_menu(live_url, browser_page, browser_login, users):
    page = browser_page(language="en")
    browser_login(page, "supervisor", PASSWORD)
    bar = page.get_by_test_id("navbar")
    page.get_by_test_id("nav-group-reports").click()
    bar.get_by_test_id("nav-sla-report").click()
    page.wait_for_url(re.compile(r"/routing/reports/sla/$"))
    current = bar.locator('[aria-current="page"]')
    expect(current).to_have_count(1)
    expect(current).to_have_attribute("href", reverse("routing:sla_report"))
    expect(page.get_by_test_id("nav-group-reports")).to_have_class(re.compile(r"\bactive\b"))
    expect(page.get_by_test_id("nav-group-cases")).not_to_have_class(re.compile(r"\bactive\b"))
