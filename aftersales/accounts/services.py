"""Writes for accounts and organisation."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone

from aftersales.core.actors import actor_or_none
from aftersales.core.audit import audit_record

from .models import ApiKey, Department, ServiceCenter, Team, User
from .role_cache import apply_cached_permissions
from .roles import ROLE_PERMISSIONS, Role


def roles_sync() -> None:
    """Create one group per role and grant it the permissions of the role table.

    Permissions an administrator added to a group by hand are kept; the table is a floor.
    """
    for role, perm_names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=str(role))
        wanted = []
        for name in perm_names:
            app_label, codename = name.split(".", 1)
            perm = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if perm is not None:
                wanted.append(perm)
        group.permissions.add(*wanted)


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    password: str | None,
    role: str,
    display_name: str = "",
    email: str = "",
    phone: str = "",
    department: Department | None = None,
    teams: list[Team] | None = None,
    service_center: ServiceCenter | None = None,
    is_integration: bool = False,
) -> User:
    """Create a user in one role; staff get ``is_staff`` only for the administrator role."""
    user = User(
        username=username,
        display_name=display_name,
        email=email,
        phone=phone,
        department=department,
        service_center=service_center,
        is_integration=is_integration,
        is_staff=role == Role.ADMINISTRATOR,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    user.groups.add(Group.objects.get_or_create(name=str(role))[0])
    if teams:
        user.teams.add(*teams)
    audit_record(
        actor=actor,
        action="user.create",
        obj=user,
        after={"username": username, "role": str(role), "integration": is_integration},
    )
    return user


def _hash_key(secret: str) -> str:
    # The key carries 256 random bits, so a fast keyed hash is as safe as a slow password
    # hash here and keeps API calls cheap.
    from django.conf import settings

    return hmac.new(settings.SECRET_KEY.encode(), secret.encode(), hashlib.sha256).hexdigest()


@transaction.atomic
def apikey_create(*, actor: User | None, name: str, role: str) -> tuple[ApiKey, str]:
    """Create an integration key bound to one role. The plain key is returned once only."""
    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    user = user_create(
        actor=actor,
        username=f"api-{prefix}",
        password=None,
        role=role,
        display_name=name,
        is_integration=True,
    )
    key = ApiKey.objects.create(
        name=name,
        prefix=prefix,
        hashed_key=_hash_key(secret),
        user=user,
        role=role,
        created_by=actor_or_none(actor),
    )
    audit_record(actor=actor, action="apikey.create", obj=key, after={"name": name, "role": role})
    return key, f"{prefix}.{secret}"


def apikey_authenticate(raw: str) -> User | None:
    """Return the user an API key acts as, or None for an unknown or revoked key."""
    prefix, _, secret = (raw or "").partition(".")
    if not prefix or not secret:
        return None
    key = (
        ApiKey.objects.select_related("user").filter(prefix=prefix, revoked_at__isnull=True).first()
    )
    if key is None or not hmac.compare_digest(key.hashed_key, _hash_key(secret)):
        return None
    if not key.user.is_active:
        return None
    apply_cached_permissions(key.user)
    now = timezone.now()
    if key.last_used_at is None or (now - key.last_used_at).total_seconds() > 60:
        # Touch at most once a minute so busy integrations do not write on every call.
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
    return key.user


@transaction.atomic
def apikey_revoke(*, actor: User, key: ApiKey) -> None:
    ApiKey.objects.filter(pk=key.pk).update(revoked_at=timezone.now())
    audit_record(actor=actor, action="apikey.revoke", obj=key)
