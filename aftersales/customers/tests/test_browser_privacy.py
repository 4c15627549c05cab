"""In headless Chromium: an agent edits a customer's address without ever seeing the street
whole, a supervisor edits the contact, a stale form is refused, a rating given by phone is
recorded, and the administrator finds every look at the customer in the personal data access
log. Screenshots at 1366 px and 375 px, in Chinese and English; axe-core finds no serious or
critical violation on the new pages."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from aftersales.customers.models import Address, PersonalDataAccess
from aftersales.customers.services import address_add
from aftersales.testing_browser import axe_report, axe_violations

pytestmark = pytest.mark.browser

PASSWORD = "pw-Test-12345"
STREET = "张江路 100 号 3 栋 502"


def _resolved(users, case):
    from aftersales.cases.services import case_transition

    case = case_transition(actor=users["agent"], case=case, to_status="in_progress")
    return case_transition(actor=users["agent"], case=case, to_status="resolved", reason="已修好")


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_edit_rate_and_read_the_access_log(
    transactional_db,
    live_url,
    browser_page,
    browser_login,
    screenshot,
    users,
    customers,
    cases,
    language,
):
    zh = language == "zh-CN"
    alice = customers["alice"]
    address = address_add(
        actor=None, customer=alice, province="上海市", district="浦东新区", street=STREET
    )
    case = _resolved(users, cases["alice_a"])

    # the agent: the street is masked on the page and never put into the form
    for phone in (False, True):
        page = browser_page(language=language, phone=phone, bypass_csp=True)
        browser_login(page, "agent", PASSWORD)
        page.goto(f"/customers/{alice.pk}/")
        expect(page.get_by_test_id("address-text")).to_have_text("上海市浦东新区张江****")
        page.get_by_test_id("edit-address").click()
        expect(page.locator("#id_street")).to_have_value("")
        assert STREET not in page.content()
        assert axe_violations(page) == [], axe_report("address edit", axe_violations(page))
        size = "375" if phone else "1366"
        screenshot(page, f"customer-address-edit-agent-{language}-{size}")
        if not phone:
            page.fill("#id_label", "家" if zh else "Home")
            page.get_by_test_id("edit-save").click()
            expect(page).to_have_url(f"{live_url}/customers/{alice.pk}/")
        page.context.close()
    address.refresh_from_db()
    assert address.street == STREET and address.version == 2

    # the supervisor: a stale contact form is refused and changes nothing
    page = browser_page(language=language, bypass_csp=True)
    browser_login(page, "supervisor", PASSWORD)
    contact = alice.contacts.get()
    page.goto(f"/customers/contacts/{contact.pk}/edit/")
    expect(page.locator("#id_phone")).to_have_value("+8613812345678")
    from aftersales.customers.services import contact_update

    contact_update(actor=users["agent"], contact=contact, expected_version=1, name="张真人")
    page.fill("#id_phone", "139 0000 1234")
    page.get_by_test_id("edit-save").click()
    expect(page.get_by_test_id("edit-conflict")).to_be_visible()
    expect(page.locator("#id_name")).to_have_value("张真人")
    screenshot(page, f"contact-edit-conflict-{language}-1366")
    contact.refresh_from_db()
    assert contact.phone == "+8613812345678"

    # a rating given by phone, recorded from the case page
    page.goto(f"/cases/{case.number}/")
    page.get_by_test_id("record-phone-rating").click()
    page.locator("input[name=rating][value='4']").check()
    page.fill("#id_feedback", "师傅很准时")
    assert axe_violations(page) == [], axe_report("phone rating", axe_violations(page))
    screenshot(page, f"case-phone-rating-{language}-1366")
    page.get_by_test_id("phone-rating-save").click()
    expect(page.get_by_test_id("rating-by-phone")).to_be_visible()
    page.context.close()

    # the administrator reads who looked at Alice
    for phone in (False, True):
        page = browser_page(language=language, phone=phone, bypass_csp=True)
        browser_login(page, "administrator", PASSWORD)
        page.goto("/customers/access-log/")
        page.fill("#id_customer", "张三丰")
        page.get_by_test_id("access-apply").click()
        rows = page.get_by_test_id("access-row")
        expect(rows.first).to_be_visible()
        assert rows.count() == PersonalDataAccess.objects.filter(customer=alice).count()
        assert axe_violations(page) == [], axe_report("access log", axe_violations(page))
        screenshot(page, f"access-log-{language}-{'375' if phone else '1366'}")
        page.context.close()
    kinds = set(PersonalDataAccess.objects.filter(customer=alice).values_list("kind", flat=True))
    assert "page" in kinds
    assert Address.objects.get(pk=address.pk).label in ("家", "Home")
