"""The screens changed to speak in words, as a supervisor sees them in Chromium at 1366 px and
375 px, in Chinese and English: the SLA policies (conditions, durations, escalations), a work
order's history and the audit log's changes. Screenshots go to ``test-artifacts/screenshots``."""

from __future__ import annotations

import pytest
from django.test import override_settings

from aftersales.tests_permissions.conftest import _build

from .conftest import _enrich

pytestmark = pytest.mark.browser

PASSWORD = "pw-Test-12345"

# What each page must say in each language, and a code it must not show.
PAGES = [
    ("sla", "/sla/", {"zh-CN": "超期 4 个工作小时", "en": "4 working hours past due"}, "4wh"),
    (
        "workorder",
        "/workorders/{workorder}/",
        {"zh-CN": "已出发", "en": "On the way"},
        "on_the_way",
    ),
    ("audit", "/audit/", {"zh-CN": "库存", "en": "Stock"}, "{'"),
]


@override_settings(SLA_SEED_DEFAULTS=False)
def test_changed_screens_read_as_words(browser_page, browser_login, screenshot, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    built = _build()
    _enrich(built)
    for language in ("zh-CN", "en"):
        for phone in (False, True):
            page = browser_page(phone=phone, language=language)
            browser_login(page, "supervisor", PASSWORD)
            for name, path, says, code in PAGES:
                page.goto(path.format(**built["mine"]))
                for summary in page.locator("details > summary").all()[:5]:
                    if summary.is_visible():
                        summary.click()
                text = page.locator("main").inner_text()
                assert says[language] in text, f"{name} ({language}) does not say {says[language]}"
                assert code not in text, f"{name} ({language}) shows {code}"
                width = "375" if phone else "1366"
                screenshot(page, f"screen-words-{name}-{language}-{width}")
            page.context.close()
