"""Sign-in lockout that cannot be aimed at someone else: the user name is locked together with
the address that failed, an address on its own at a higher limit, and behind a trusted proxy
the address is the client's from X-Forwarded-For (from nobody else)."""

from __future__ import annotations

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

GOOD = "pw-Test-12345"
PROXY = "10.0.0.2"


def _login(client, username: str, password: str, **meta: str):
    return client.post("/accounts/login/", {"username": username, "password": password}, **meta)


def test_an_attacker_behind_the_proxy_cannot_lock_the_victim_out(client, users, settings):
    settings.TRUSTED_PROXIES = [PROXY]
    attacker = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    victim = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    for _ in range(settings.AXES_FAILURE_LIMIT + 3):
        _login(client, "agent", "wrong", **attacker)
    # the attacker's address is locked for this user name …
    locked = _login(client, "agent", GOOD, **attacker)
    assert locked.status_code == 429
    assert "该设备或网络的登录已暂停" in locked.content.decode()
    # … the agent at their own desk signs in
    response = _login(client, "agent", GOOD, **victim)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(users["agent"].pk)


def test_a_forged_forwarded_header_from_outside_changes_nothing(client, users, settings):
    settings.TRUSTED_PROXIES = [PROXY]
    for n in range(settings.AXES_FAILURE_LIMIT):
        # not from the proxy: a new X-Forwarded-For each time does not make a new address
        _login(
            client, "agent", "wrong", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"1.1.1.{n}"
        )
    response = _login(
        client, "agent", GOOD, REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="1.1.1.200"
    )
    assert response.status_code == 429


def test_one_address_trying_many_user_names_is_locked_at_its_own_limit(client, users, settings):
    settings.TRUSTED_PROXIES = [PROXY]
    settings.AXES_IP_FAILURE_LIMIT = 8
    spray = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.50"}
    names = ["agent", "dispatcher", "supervisor", "auditor"]
    for n in range(settings.AXES_IP_FAILURE_LIMIT - 1):  # two per name: no pair is locked
        _login(client, names[n % len(names)], "wrong", **spray)
    assert _login(client, "technician", GOOD, **spray).status_code == 302  # below the limit
    client.logout()
    # the sign-in did not wipe the address's count: one more failure reaches the limit
    _login(client, "auditor", "wrong", **spray)
    assert _login(client, "technician", GOOD, **spray).status_code == 429
    # another address is not concerned
    other = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    assert _login(client, "technician", GOOD, **other).status_code == 302


def test_the_pair_limit_is_lower_than_the_address_limit():
    assert settings.AXES_FAILURE_LIMIT < settings.AXES_IP_FAILURE_LIMIT
    assert ["username", "ip_address"] in settings.AXES_LOCKOUT_PARAMETERS
    assert "username" not in settings.AXES_LOCKOUT_PARAMETERS  # never the name alone
