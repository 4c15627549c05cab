"""A customer who forgot the password sets a new one from the mailed link, in a real browser,
on a phone and a desktop, in Chinese and English; axe finds nothing serious on the pages."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from aftersales.testing_browser import axe_report, axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    ("language", "phone"), [("zh-CN", True), ("en", False), ("zh-CN", False), ("en", True)]
)
def test_forgot_password_to_signed_in(browser_page, customers, screenshot, language, phone):
    alice = customers["alice"].user
    alice.preferred_language = "en" if language == "en" else "zh-hans"
    alice.save()
    tag = f"reset-{language}-{'375' if phone else '1366'}"
    page = browser_page(phone=phone, language=language, bypass_csp=True)
    page.goto("/accounts/login/")
    page.get_by_test_id("forgot-password").click()
    page.wait_for_url("**/accounts/password/reset/")
    assert axe_violations(page) == [], axe_report("reset form", axe_violations(page))
    screenshot(page, f"{tag}-1-form")
    page.fill("#id_email", "alice@example.cn")
    page.get_by_test_id("reset-send").click()
    page.get_by_test_id("reset-sent").wait_for()
    screenshot(page, f"{tag}-2-sent")

    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", mail.outbox[0].body)
    page.goto(link.group(1))
    page.get_by_test_id("reset-save").wait_for()
    assert axe_violations(page) == [], axe_report("new password", axe_violations(page))
    screenshot(page, f"{tag}-3-new-password")
    page.fill("#id_new_password1", "Nw-Passw0rd-2026!")
    page.fill("#id_new_password2", "Nw-Passw0rd-2026!")
    page.get_by_test_id("reset-save").click()
    page.get_by_test_id("reset-complete").wait_for()
    screenshot(page, f"{tag}-4-done")

    page.goto("/accounts/login/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", "Nw-Passw0rd-2026!")
    page.locator("form:has(#id_password) button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    assert "/portal/" in page.url
