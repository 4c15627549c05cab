from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CalendarsConfig(AppConfig):
    name = "aftersales.calendars"
    label = "calendars"
    verbose_name = _("Working calendars")

    def ready(self) -> None:
        from .signals import seed_after_migrate

        post_migrate.connect(seed_after_migrate, dispatch_uid="calendars_seed_default")
