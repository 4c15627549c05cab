from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoutingConfig(AppConfig):
    name = "aftersales.routing"
    label = "routing"
    verbose_name = _("Case routing")

    def ready(self) -> None:
        from . import case_hooks

        case_hooks.register()
