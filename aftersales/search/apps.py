from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "aftersales.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from . import case_hooks, customer_hooks

        case_hooks.register()
        customer_hooks.register()
