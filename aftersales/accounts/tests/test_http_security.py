"""HTTPS settings, Cache-Control on personal data, the idle timeout, and the client address
behind a trusted proxy."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import RequestFactory

from aftersales.core.middleware import IDLE_LIMIT, LAST_SEEN
from aftersales.core.request_context import client_address

SETTINGS = """
import json, config.settings as s
print(json.dumps({k: getattr(s, k, None) for k in (
    "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_HSTS_SECONDS",
    "SECURE_PROXY_SSL_HEADER")}))
"""


def _settings_with(tmp_path, **env: str) -> dict:
    full = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    for name in ("AFTERSALES_HTTPS", "HTTPS", "TRUSTED_PROXIES"):
        full.pop(name, None)
    full.update(AFTERSALES_VAR_DIR=str(tmp_path), **env)
    out = subprocess.run(
        [sys.executable, "-c", SETTINGS],
        env=full,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def test_https_setting_turns_on_redirect_hsts_and_secure_cookies(tmp_path):
    off = _settings_with(tmp_path)
    assert not off["SECURE_SSL_REDIRECT"] and not off["SESSION_COOKIE_SECURE"]
    assert not off["SECURE_HSTS_SECONDS"] and not off["CSRF_COOKIE_SECURE"]
    on = _settings_with(tmp_path, AFTERSALES_HTTPS="1")
    assert on["SECURE_SSL_REDIRECT"] and on["SESSION_COOKIE_SECURE"] and on["CSRF_COOKIE_SECURE"]
    assert on["SECURE_HSTS_SECONDS"] >= 180 * 24 * 3600
    assert on["SECURE_PROXY_SSL_HEADER"] is None  # no proxy named: its header is not believed
    proxied = _settings_with(tmp_path, AFTERSALES_HTTPS="1", TRUSTED_PROXIES="10.0.0.2")
    assert proxied["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


@pytest.mark.django_db
def test_under_https_plain_http_is_redirected_and_cookies_are_secure(client, settings, users):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.TRUSTED_PROXIES = ["127.0.0.1"]  # the test client's address stands for the proxy
    response = client.get("/accounts/login/")
    assert response.status_code == 301 and response["Location"].startswith("https://")
    response = client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response.cookies["csrftoken"]["secure"]
    response = client.post(
        "/accounts/login/",
        {"username": "agent", "password": "pw-Test-12345"},
        HTTP_X_FORWARDED_PROTO="https",
    )
    assert response.status_code == 302 and response.cookies["sessionid"]["secure"]


@pytest.mark.django_db
def test_pages_and_api_answers_are_not_stored_static_files_are(client, users, customers):
    from aftersales.accounts.roles import Role
    from aftersales.accounts.services import apikey_create

    client.force_login(users["supervisor"])
    for url in ("/cases/", f"/customers/{customers['alice'].pk}/", "/api/v1/me", "/"):
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
    _key, plain = apikey_create(actor=users["administrator"], name="商城", role=Role.AGENT)
    client.logout()
    response = client.get("/api/v1/cases", HTTP_X_API_KEY=plain)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    static = client.get("/static/css/app.css")
    assert static.status_code == 200 and "no-store" not in static.get("Cache-Control", "")


@pytest.mark.django_db
def test_staff_are_signed_out_after_the_idle_timeout(client, users, settings):
    settings.STAFF_IDLE_TIMEOUT = 30 * 60
    client.force_login(users["agent"])
    assert client.get("/cases/").status_code == 200
    session = client.session
    assert session[IDLE_LIMIT] == 30 * 60
    stamp = session[LAST_SEEN]
    # a second request within the minute writes nothing more
    assert client.get("/cases/").status_code == 200 and client.session[LAST_SEEN] == stamp
    # 29 minutes idle: still signed in, and the clock moves on
    session[LAST_SEEN] = stamp - 29 * 60
    session.save()
    assert client.get("/cases/").status_code == 200
    assert client.session[LAST_SEEN] >= stamp
    # 31 minutes idle: signed out, the next page asks to sign in again
    session = client.session
    session[LAST_SEEN] = stamp - 31 * 60
    session.save()
    response = client.get("/cases/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert "_auth_user_id" not in client.session
    assert client.get("/api/v1/me").status_code == 401


@pytest.mark.django_db
def test_portal_customers_have_a_longer_idle_timeout(client, customers, settings):
    settings.STAFF_IDLE_TIMEOUT = 30 * 60
    settings.CUSTOMER_IDLE_TIMEOUT = 24 * 3600
    client.force_login(customers["alice"].user)
    assert client.get("/portal/").status_code == 200
    session = client.session
    assert session[IDLE_LIMIT] == 24 * 3600
    session[LAST_SEEN] -= 2 * 3600
    session.save()
    assert client.get("/portal/").status_code == 200  # two hours: still in


def test_forwarded_address_is_believed_only_from_a_trusted_proxy(settings):
    rf = RequestFactory()
    settings.TRUSTED_PROXIES = []
    spoof = rf.get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert client_address(spoof) == "203.0.113.9"
    settings.TRUSTED_PROXIES = ["10.0.0.0/24", "::1"]
    assert client_address(spoof) == "203.0.113.9"  # not from the proxy: header ignored
    proxied = rf.get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7, 10.0.0.5"
    )
    # read from the right: 10.0.0.5 is another proxy, 198.51.100.7 the client; the left-most
    # entry is whatever the client wrote and is not believed
    assert client_address(proxied) == "198.51.100.7"
    assert client_address(rf.get("/", REMOTE_ADDR="10.0.0.2")) == "10.0.0.2"
    junk = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="nonsense")
    assert client_address(junk) == "10.0.0.2"


@pytest.mark.django_db
def test_only_a_trusted_proxy_may_say_the_request_came_over_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.TRUSTED_PROXIES = ["10.0.0.2"]
    # a client that reaches the app directly cannot claim HTTPS
    direct = client.get(
        "/accounts/login/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_PROTO="https"
    )
    assert direct.status_code == 301 and direct["Location"].startswith("https://")
    proxied = client.get("/accounts/login/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_PROTO="https")
    assert proxied.status_code == 200
