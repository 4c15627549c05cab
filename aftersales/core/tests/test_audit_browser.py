"""The audit log in a real browser, as a supervisor searches it on a desk and on a phone, in
Chinese and English: by a person, by an action's name, by a number; the system's records shown
only when asked; pages back and forth; the Excel export of what was found."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from aftersales.core.audit import audit_record
from aftersales.core.models import AuditLog

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PASSWORD = "pw-Test-12345"


def fits(page, width: int) -> None:
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"page is {scroll}px wide on a {width}px screen"


@pytest.mark.parametrize(("language", "dispatched"), [("zh-CN", "派工"), ("en", "dispatched")])
def test_supervisor_searches_pages_and_exports(
    transactional_db, live_url, browser_page, browser_login, screenshot, users, cases,
    language, dispatched,
):  # fmt: skip
    dispatcher, agent = users["dispatcher"], users["agent"]
    dispatcher.display_name = "李调度"
    dispatcher.save(update_fields=["display_name"])
    case = cases["alice_a"]
    AuditLog.objects.bulk_create(
        AuditLog(actor=agent, actor_label="agent", action="case.update", object_type="cases.case",
                 object_id=str(case.pk), object_ref=case.number, object_repr=f"{case.number} {i}")
        for i in range(60)
    )  # fmt: skip
    audit_record(actor=dispatcher, action="workorder.assign", obj=case, after={"x": 1})
    audit_record(actor=None, action="sla.recompute", obj=case, after={"due": "later"})
    lang = "zh" if language.startswith("zh") else "en"

    desk = browser_page(language=language)
    browser_login(desk, "supervisor", PASSWORD)
    desk.goto("/audit/")
    expect(desk.get_by_test_id("audit-row")).to_have_count(50)
    expect(desk.locator('[data-action="sla.recompute"]')).to_have_count(0)
    screenshot(desk, f"audit-1366-{lang}", full_page=False)
    fits(desk, 1366)
    # pages: next, then back
    desk.get_by_test_id("next-page").click()
    expect(desk.get_by_test_id("previous-page")).to_be_visible()
    desk.get_by_test_id("previous-page").click()
    expect(desk.get_by_test_id("previous-page")).to_have_count(0)
    expect(desk.get_by_test_id("audit-row")).to_have_count(50)
    # the action by its name
    desk.fill("#id_action", dispatched)
    desk.get_by_test_id("audit-apply").click()
    expect(desk.get_by_test_id("audit-row")).to_have_count(1)
    expect(desk.locator('[data-action="workorder.assign"]')).to_contain_text("李调度")
    # the number, with the system's records
    desk.fill("#id_action", "")
    desk.fill("#id_number", case.number)
    desk.get_by_test_id("audit-system").check()
    desk.get_by_test_id("audit-apply").click()
    desk.wait_for_url("**system=on**")
    expect(desk.locator('[data-action="sla.recompute"]')).to_have_count(1)
    total = AuditLog.objects.filter(object_ref=case.number).count()
    expect(desk.get_by_test_id("audit-total")).to_contain_text(str(total))
    screenshot(desk, f"audit-search-1366-{lang}", full_page=False)
    with desk.expect_download() as info:
        desk.get_by_test_id("audit-export").click()
    with open(info.value.path(), "rb") as fh:
        book = load_workbook(io.BytesIO(fh.read()))
    assert book.active.max_row == min(total, 10_000) + 1
    assert desk.csp_errors == []

    phone = browser_page(phone=True, language=language)
    browser_login(phone, "auditor", PASSWORD)
    phone.goto("/audit/?actor=%E6%9D%8E%E8%B0%83%E5%BA%A6")  # 李调度
    expect(phone.get_by_test_id("audit-row")).to_have_count(1)
    fits(phone, 375)
    screenshot(phone, f"audit-375-{lang}")
    assert phone.csp_errors == []
