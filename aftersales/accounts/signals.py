"""Keep the role groups in step with the role table after every ``migrate``.

This is set-up plumbing, not a business rule, so a post-migrate hook is the right place.
It acts once per migrate, after the last app has created its permissions.
"""

from __future__ import annotations

from django.apps import apps

from aftersales.core.middleware import idle_clock_start


def sync_roles_after_migrate(sender, **kwargs) -> None:
    last = [a for a in apps.get_app_configs() if a.models_module is not None][-1]
    if sender is not last:
        return
    from .services import roles_sync

    roles_sync()


def start_idle_clock(sender, request, user, **kwargs) -> None:
    """At sign-in: the idle timeout of this user (staff or customer) starts counting."""
    if request is not None:
        idle_clock_start(request, user)
