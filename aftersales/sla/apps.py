from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SlaConfig(AppConfig):
    name = "aftersales.sla"
    label = "sla"
    verbose_name = _("Service levels")

    def ready(self) -> None:
        from aftersales.calendars.signals import calendar_changed

        from . import (
            case_hooks,
            tasks,  # noqa: F401  (registers the periodic sweep with Huey)
        )
        from .defaults import seed_after_migrate

        case_hooks.register()
        post_migrate.connect(seed_after_migrate, dispatch_uid="sla_seed_default")

        calendar_changed.connect(_calendar_changed, dispatch_uid="sla-calendar-changed")


def _calendar_changed(sender, calendar_id: int, **kwargs) -> None:
    """A calendar was edited (sent after commit): recompute the open clocks counting on it.
    Only queues the background job; the rules live in the service it calls."""
    from .tasks import recompute_clocks

    recompute_clocks(calendar_id=calendar_id)
