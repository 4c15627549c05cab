from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "aftersales.cases"
    label = "cases"
    verbose_name = _("Service cases")

    def ready(self) -> None:
        from . import notification_hooks

        notification_hooks.register()
