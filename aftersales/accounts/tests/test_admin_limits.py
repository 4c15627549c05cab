"""Administrators stay inside the role table (R16.2): in the administration screens an
administrator who is not a superuser gives people roles, but cannot make anyone a superuser,
grant raw permissions or other groups, or change a superuser's account; passwords they set and
roles they change are audited."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission

from aftersales.accounts.models import User
from aftersales.accounts.roles import Role
from aftersales.conftest import make_portal_customer, make_user
from aftersales.core.models import AuditLog

pytestmark = pytest.mark.django_db


def _change_form(user: User, **overrides) -> dict:
    """What the admin's change form posts for ``user`` as it stands, with ``overrides``."""
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "groups": [str(g.pk) for g in user.groups.all()],
        "display_name": user.display_name,
        "phone": user.phone,
        "department": "",
        "service_center": "",
        "preferred_language": user.preferred_language,
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "last_login_0": "",
        "last_login_1": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def admin_client(client, users):
    client.force_login(users["administrator"])
    return client


@pytest.fixture
def customer_user(db):
    return make_portal_customer("wangwu", "王五", "13900001111").user


def test_an_administrator_cannot_make_a_customer_a_superuser(admin_client, customer_user):
    everything = Permission.objects.get(codename="view_all_cases")
    response = admin_client.post(
        f"/admin/accounts/user/{customer_user.pk}/change/",
        _change_form(
            customer_user,
            is_superuser="on",
            is_staff="on",
            user_permissions=[str(everything.pk)],
        ),
    )
    assert response.status_code == 302, response.content[:2000]
    customer_user.refresh_from_db()
    assert not customer_user.is_superuser
    assert not customer_user.is_staff
    assert not customer_user.user_permissions.exists()
    assert not User.objects.get(pk=customer_user.pk).has_perm("cases.view_all_cases")


def test_the_change_form_shows_superuser_and_permissions_read_only(admin_client, customer_user):
    page = admin_client.get(f"/admin/accounts/user/{customer_user.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="is_superuser"' not in html
    assert 'name="user_permissions"' not in html
    assert 'name="is_staff"' not in html
    assert 'name="groups"' in html


def test_an_administrator_gives_only_role_groups(admin_client, customer_user):
    backdoor = Group.objects.create(name="backdoor")
    backdoor.permissions.add(Permission.objects.get(codename="view_all_cases"))
    agent = Group.objects.get(name=str(Role.AGENT))
    response = admin_client.post(
        f"/admin/accounts/user/{customer_user.pk}/change/",
        _change_form(customer_user, groups=[str(agent.pk), str(backdoor.pk)]),
    )
    assert response.status_code == 200  # the form refuses a group outside the role table
    assert not customer_user.groups.filter(pk=backdoor.pk).exists()
    assert not customer_user.groups.filter(pk=agent.pk).exists()


def test_a_role_change_is_audited_and_admin_site_access_follows_the_role(
    admin_client, users, customer_user
):
    agent = make_user("zhaoliu", Role.AGENT)
    administrator = Group.objects.get(name=str(Role.ADMINISTRATOR))
    response = admin_client.post(
        f"/admin/accounts/user/{agent.pk}/change/",
        _change_form(agent, groups=[str(administrator.pk)]),
    )
    assert response.status_code == 302
    agent.refresh_from_db()
    assert agent.is_staff and not agent.is_superuser
    record = AuditLog.objects.get(action="user.roles", object_id=str(agent.pk))
    assert record.actor == users["administrator"]
    assert record.before == {"roles": ["agent"]}
    assert record.after == {"roles": ["administrator"]}
    # and back: the agent role takes admin site access away again
    agent_group = Group.objects.get(name=str(Role.AGENT))
    admin_client.post(
        f"/admin/accounts/user/{agent.pk}/change/",
        _change_form(agent, groups=[str(agent_group.pk)]),
    )
    agent.refresh_from_db()
    assert not agent.is_staff


def test_an_administrator_cannot_change_a_superuser(admin_client):
    root = User.objects.create_superuser("root", "root@example.com", "pw-Root-12345")
    form = admin_client.get(f"/admin/accounts/user/{root.pk}/change/")
    assert form.status_code == 200 and 'name="email"' not in form.content.decode()  # view only
    response = admin_client.post(
        f"/admin/accounts/user/{root.pk}/change/", _change_form(root, email="evil@example.com")
    )
    assert response.status_code == 403
    password = admin_client.post(
        f"/admin/accounts/user/{root.pk}/password/",
        {"password1": "Taken-Over-987", "password2": "Taken-Over-987", "usable_password": "true"},
    )
    assert password.status_code == 403
    root.refresh_from_db()
    assert root.email == "root@example.com" and root.check_password("pw-Root-12345")


def test_a_password_set_by_an_administrator_is_audited(admin_client, users):
    agent = users["agent"]
    response = admin_client.post(
        f"/admin/accounts/user/{agent.pk}/password/",
        {"password1": "New-Secret-4711", "password2": "New-Secret-4711", "usable_password": "true"},
    )
    assert response.status_code == 302
    agent.refresh_from_db()
    assert agent.check_password("New-Secret-4711")
    record = AuditLog.objects.get(action="user.password_set", object_id=str(agent.pk))
    assert record.actor == users["administrator"]
    assert "New-Secret-4711" not in str(record.after) and "New-Secret" not in str(record.before)


def test_a_superuser_still_can(client, customer_user):
    root = User.objects.create_superuser("root", "root@example.com", "pw-Root-12345")
    client.force_login(root)
    response = client.post(
        f"/admin/accounts/user/{customer_user.pk}/change/",
        _change_form(customer_user, is_superuser="on", is_staff="on"),
    )
    assert response.status_code == 302
    customer_user.refresh_from_db()
    assert customer_user.is_superuser and customer_user.is_staff
