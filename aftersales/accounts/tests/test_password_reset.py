"""Password reset by e-mail for staff and portal customers: the page never tells whether an
address has an account, requests are rate limited per address and per client, the mail is in
the person's language, and the new password is audited."""

from __future__ import annotations

import difflib
import re

import pytest
from django.core import mail

from aftersales.core.models import AuditLog

pytestmark = pytest.mark.django_db

NEW = "Nw-Passw0rd-2026!"


def _ask(client, email: str, **meta):
    return client.post("/accounts/password/reset/", {"email": email}, **meta)


def _without_tokens(html: str) -> str:
    """The page without what differs on every answer (CSP nonce, CSRF token)."""
    return re.sub(r'nonce="[^"]*"|[A-Za-z0-9+/=_-]{20,}', "", html)


def _link(message) -> str:
    match = re.search(r"https?://[^/\s]+(/accounts/password/reset/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_a_customer_sets_a_new_password_with_the_mailed_link(client, customers):
    alice = customers["alice"].user
    alice.preferred_language = "en"
    alice.save()
    response = _ask(client, "ALICE@example.cn")  # case does not matter
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/sent/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.cn"]
    assert "Set a new password" in message.subject  # her language, not the page's
    assert "alice" in message.body
    link = _link(message)
    form = client.get(link, follow=True)
    assert form.status_code == 200 and 'data-testid="reset-save"' in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW}, follow=True
    )
    assert 'data-testid="reset-complete"' in done.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(NEW)
    assert AuditLog.objects.filter(action="user.password_reset", object_id=str(alice.pk)).exists()
    # the link works once
    again = client.get(link, follow=True)
    assert 'data-testid="reset-invalid"' in again.content.decode()
    assert (
        client.post("/accounts/login/", {"username": "alice", "password": NEW}).status_code == 302
    )


def test_staff_reset_too_in_chinese(client, users):
    agent = users["agent"]
    agent.email = "agent@example.cn"
    agent.preferred_language = "zh-hans"
    agent.save()
    assert _ask(client, "agent@example.cn").status_code == 302
    assert len(mail.outbox) == 1 and "设置新密码" in mail.outbox[0].subject
    assert "/accounts/password/reset/" in mail.outbox[0].body


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, customers):
    known = _ask(client, "alice@example.cn")
    unknown = _ask(client, "nobody@example.cn")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    page_known = _without_tokens(client.get(known["Location"]).content.decode())
    page_unknown = _without_tokens(client.get(unknown["Location"]).content.decode())
    assert page_known == page_unknown, "\n".join(
        difflib.unified_diff(page_known.splitlines(), page_unknown.splitlines(), lineterm="")
    )
    assert [m.to for m in mail.outbox] == [["alice@example.cn"]]


def test_requests_are_limited_per_address_silently(client, customers, settings):
    settings.PASSWORD_RESET_PER_EMAIL = 3
    answers = [_ask(client, "alice@example.cn") for _ in range(5)]
    assert {a.status_code for a in answers} == {302}  # the fifth looks like the first
    assert len(mail.outbox) == 3


def test_requests_are_limited_per_client_address(client, customers, settings):
    settings.PASSWORD_RESET_PER_CLIENT = 4
    settings.TRUSTED_PROXIES = ["10.0.0.2"]
    sprayer = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    for n in range(4):
        assert _ask(client, f"guess{n}@example.cn", **sprayer).status_code == 302
    refused = _ask(client, "alice@example.cn", **sprayer)
    assert refused.status_code == 429
    assert 'data-testid="reset-error"' in refused.content.decode()
    assert mail.outbox == []
    # someone else behind the same proxy is not concerned
    other = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    assert _ask(client, "alice@example.cn", **other).status_code == 302
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("language", "words"),
    [("zh-hans", ["忘记密码", "发送链接"]), ("en", ["Forgot your password?", "Send the link"])],
)
def test_the_pages_speak_both_languages(client, language, words):
    client.cookies["django_language"] = language
    body = client.get("/accounts/password/reset/").content.decode()
    for word in words:
        assert word in body
    login = client.get("/accounts/login/").content.decode()
    assert 'href="/accounts/password/reset/"' in login
