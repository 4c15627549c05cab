"""In headless Chromium: the dispatcher sees how far each suggested technician is from a
Shanghai job that nobody typed coordinates for, on a desktop and on a phone, in Chinese and in
English; the Beijing technician is listed last and marked as out of reach."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .test_geo_dispatch import beijing_tech, shanghai_order  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser]
PASSWORD = "pw-Test-12345"


@pytest.mark.parametrize(
    ("language", "about", "far"),
    [
        ("zh-CN", r"约 \d+\.\d 公里", "距离超过 100 公里"),
        ("en", r"about \d+\.\d km", "more than 100 km"),
    ],
)
def test_distances_on_the_suggestion_list(
    transactional_db,
    live_url,
    browser_page,
    browser_login,
    screenshot,
    users,
    shanghai_order,  # noqa: F811
    beijing_tech,  # noqa: F811
    language,
    about,
    far,
):
    for phone in (False, True):
        page = browser_page(phone=phone, language=language)
        browser_login(page, "dispatcher", PASSWORD)
        page.goto(f"/workorders/{shanghai_order.number}/")
        rows = page.get_by_test_id("suggestion")
        expect(rows.first).to_be_visible()
        expect(rows.first.get_by_test_id("distance")).to_have_text(re.compile(about))
        last = rows.last
        expect(last).to_contain_text("何师傅")
        expect(last.get_by_test_id("distance")).to_have_text(re.compile(r"\b1\d{3} "))
        expect(last).to_contain_text(far)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= (375 if phone else 1366), f"{width}px wide"
        page.get_by_test_id("suggestions").scroll_into_view_if_needed()
        screenshot(page, f"geo-suggestions-{language}-{'375' if phone else '1366'}")
        assert page.csp_errors == []
        page.context.close()
