"""Roles, API keys, password hashing and sign-in lockout."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.models import Group

from aftersales.accounts.roles import ROLE_PERMISSIONS, Role
from aftersales.accounts.services import apikey_authenticate, apikey_create, apikey_revoke

pytestmark = pytest.mark.django_db


def test_every_role_is_a_group_with_its_permissions():
    for role, perms in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=str(role))
        held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert set(perms) <= held, role


def test_argon2_is_the_production_hasher():
    production = [h for h in settings.PASSWORD_HASHERS if "MD5" not in h]
    assert production[0].endswith("Argon2PasswordHasher")


def test_api_key_is_stored_hashed_and_can_be_revoked(users):
    key, plain = apikey_create(actor=users["administrator"], name="小程序", role=Role.AGENT)
    assert plain.split(".")[1] not in key.hashed_key
    user = apikey_authenticate(plain)
    assert user is not None and user.has_role(Role.AGENT) and user.is_integration
    assert apikey_authenticate(plain + "x") is None
    assert apikey_authenticate("nonsense") is None
    apikey_revoke(actor=users["administrator"], key=key)
    assert apikey_authenticate(plain) is None


def test_repeated_failed_logins_lock_the_account(client, users):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "agent", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "agent", "password": "pw-Test-12345"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_login_works_with_the_right_password(client, users):
    response = client.post("/accounts/login/", {"username": "agent", "password": "pw-Test-12345"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(users["agent"].pk)


def test_api_key_permissions_are_remembered_briefly(users, django_assert_num_queries, monkeypatch):
    from aftersales.accounts import role_cache

    _key, plain = apikey_create(actor=users["administrator"], name="商城", role=Role.AGENT)
    first = apikey_authenticate(plain)
    assert first.has_perm("cases.add_case") and not first.has_perm("core.browse_auditlog")
    with django_assert_num_queries(1):  # the key itself, checked on every call
        again = apikey_authenticate(plain)
        assert again.has_perm("cases.add_case") and again.is_staff_member
    # once the time is up, a changed role is seen
    Group.objects.get(name="agent").permissions.clear()
    monkeypatch.setattr(role_cache, "TTL", 0.0)
    role_cache.clear()
    assert not apikey_authenticate(plain).has_perm("cases.add_case")


def test_apikey_command_creates_lists_and_revokes(db, capsys):
    from django.core.management import call_command

    call_command("apikey", "create", "--name", "商城对接", "--role", "agent")
    plain = capsys.readouterr().out.split(": ", 1)[1].splitlines()[0].strip()
    assert apikey_authenticate(plain) is not None
    call_command("apikey", "list")
    assert "商城对接" in capsys.readouterr().out
    call_command("apikey", "revoke", plain.split(".")[0])
    assert apikey_authenticate(plain) is None
