"""axe-core in headless Chromium on the key page of every role, on the demo data, in Chinese and
English: no serious or critical violation (contrast, names of controls, landmarks …).

Each role signs in through the login page in a context that lets axe-core be injected
(``bypass_csp``, only here); the pages are the ones a person of that role works on every day.
A failure lists every violation with the elements axe found and what is wrong with them."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from aftersales.cases.models import Case
from aftersales.demo.accounts import DEMO_PASSWORD
from aftersales.purchasing.models import PurchaseOrder
from aftersales.testing_browser import axe_report, axe_violations, login_through_form
from aftersales.workorders.models import WorkOrder

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _key_pages() -> dict[str, list[str]]:
    """Sign-in → the pages to check, from the demo data just loaded."""
    agent_case = Case.objects.filter(team__members__username="agent").order_by("id").first()
    assert agent_case is not None, "the demo gives the agent's team cases"
    job = WorkOrder.objects.filter(technician__username="technician").order_by("id").first()
    order = WorkOrder.objects.order_by("id").first()
    portal_case = Case.objects.filter(customer__user__username="customer").order_by("id").first()
    purchase = PurchaseOrder.objects.order_by("id").first()
    assert job and order and portal_case and purchase, "the demo has every kind of record"
    return {
        "": ["/accounts/login/"],
        "agent": [
            "/cases/",
            f"/cases/{agent_case.number}/",
            "/cases/intake/",
            f"/customers/{agent_case.customer_id}/",
        ],
        "complaints": ["/cases/"],
        "dispatcher": ["/workorders/board/", f"/workorders/{order.number}/"],
        "technician": ["/workorders/my/", f"/workorders/my/{job.number}/"],
        "customer": ["/portal/", "/portal/new/", f"/portal/cases/{portal_case.number}/"],
        "parts": ["/parts/", f"/purchasing/orders/{purchase.pk}/"],
        "supervisor": ["/routing/reports/sla/"],
        "auditor": ["/audit/"],
        "admin": ["/settings/"],
    }


def test_key_pages_of_every_role_have_no_serious_accessibility_violations(live_url, browser_page):
    call_command("demo_load", "--small", stdout=io.StringIO())
    checked, failures = [], []
    for language in ("zh-CN", "en"):
        for username, paths in _key_pages().items():
            page = browser_page(language=language, bypass_csp=True)
            if username:
                login_through_form(page, username, DEMO_PASSWORD)
            for path in paths:
                where = f"{language} {username or 'anonymous'} {path}"
                response = page.goto(path)
                assert response is not None and response.ok, where
                page.wait_for_load_state("networkidle")
                violations = axe_violations(page)
                checked.append(where)
                if violations:
                    failures.append(axe_report(where, violations))
            page.context.close()
    assert len(checked) == 2 * 18
    assert not failures, "axe-core found serious or critical violations:\n" + "\n".join(failures)
