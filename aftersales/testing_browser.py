"""Pytest plugin for the browser tests: real headless Chromium against a live server.

Registered from ``aftersales/conftest.py`` (``pytest_plugins``) so every app's tests can use it.
Debian's ``chromium`` is used as installed (no ``playwright install``); the live server is
pytest-django's, and a test that uses it runs with ``transactional_db`` so the server thread
sees the rows the test writes. Screenshots go to ``test-artifacts/screenshots/`` (git-ignored).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

# pytest-playwright's sync API keeps an event loop running in the test thread; without this
# Django refuses ORM calls from it ("You cannot call this from an async context").
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1366, "height": 900}
SCREENSHOT_DIR = Path(__file__).resolve().parent.parent / "test-artifacts" / "screenshots"
# axe-core comes from npm (a development dependency: ``npm ci`` installs it with the assets).
AXE_SCRIPT = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
AXE_SERIOUS = ("serious", "critical")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip browser tests on a developer machine without Chromium; in CI a missing browser is
    a failed install step, so there the tests run and fail loudly instead."""
    if Path(CHROMIUM).exists() or os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        return
    skip = pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM}")
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def live_url(live_server: Any, transactional_db: None) -> str:
    """The live server's address; the test's data is committed, so the server sees it."""
    return live_server.url


@pytest.fixture
def browser_page(new_context: Callable[..., Any], live_url: str) -> Callable[..., Any]:
    """Open a page in a fresh context (own cookies) that asks for Chinese, like a user in China.

    ``browser_page(phone=True)`` gives a 375 px wide phone screen. CSP violations reported by
    the browser are collected on ``page.csp_errors``. ``bypass_csp=True`` lets
    :func:`axe_violations` inject axe-core; use it only for that check.
    """

    def _open(*, phone: bool = False, language: str = "zh-CN", bypass_csp: bool = False) -> Any:
        context = new_context(
            base_url=live_url,
            locale=language,
            extra_http_headers={"Accept-Language": f"{language},zh;q=0.9"},
            viewport=PHONE if phone else DESKTOP,
            is_mobile=phone,
            has_touch=phone,
            # only for the accessibility check, which injects axe-core into the page
            bypass_csp=bypass_csp,
        )
        context.set_default_timeout(15_000)
        page = context.new_page()
        page.csp_errors = []

        def _console(msg: Any) -> None:
            if msg.type == "error" and "Content Security Policy" in msg.text:
                where = (msg.location or {}).get("url", "")
                page.csp_errors.append(f"{page.url} ({where}): {msg.text[:200]}")

        page.on("console", _console)
        return page

    return _open


def login_through_form(page: Any, username: str, password: str) -> None:
    """Sign in through the real login page, as a person would."""
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("form:has(#id_password) button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


@pytest.fixture
def browser_login() -> Callable[[Any, str, str], None]:
    return login_through_form


@pytest.fixture
def screenshot() -> Callable[..., Path]:
    """``screenshot(page, "03-portal-detail")`` saves a full-page PNG and returns its path."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)

    def _shot(page: Any, name: str, *, full_page: bool = True) -> Path:
        safe = re.sub(r"[^\w.-]+", "-", name)
        path = SCREENSHOT_DIR / f"{safe}.png"
        # caret="initial": hiding the caret leaves style="" on every input, which htmx then
        # copies while settling a swap and the CSP (rightly) reports.
        page.screenshot(path=str(path), full_page=full_page, caret="initial")
        return path

    return _shot


_AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({
      target: n.target.join(" "), html: n.html.slice(0, 160),
      summary: (n.failureSummary || "").replace(/\\s+/g, " ").slice(0, 300),
    })),
  }));
}"""


def axe_violations(page: Any, *, impacts: tuple[str, ...] = AXE_SERIOUS) -> list[dict]:
    """Run axe-core on the page as shown and return its violations of ``impacts``.

    The page's context must have been opened with ``bypass_csp=True`` (the CSP rightly refuses
    an injected script). axe is read from ``node_modules`` (``npm ci``)."""
    if not AXE_SCRIPT.exists():
        pytest.fail(f"axe-core is missing at {AXE_SCRIPT}: run `npm ci` (make assets)")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_SCRIPT))
    found = page.evaluate(_AXE_RUN)
    return [v for v in found if v["impact"] in impacts]


def axe_report(where: str, violations: list[dict]) -> str:
    """The violations of one page as readable lines: rule, impact, help, and each element with
    what axe says is wrong with it."""
    lines = [f"{where}: {len(violations)} violation(s)"]
    for v in violations:
        lines.append(f"  [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:10]:
            lines.append(f"      {node['target']}  {node['html']}")
            if node["summary"]:
                lines.append(f"        {node['summary']}")
        if len(v["nodes"]) > 10:
            lines.append(f"      … and {len(v['nodes']) - 10} more")
    return "\n".join(lines)
