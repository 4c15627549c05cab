from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "aftersales.accounts"
    label = "accounts"
    verbose_name = _("Accounts and organisation")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .signals import start_idle_clock, sync_roles_after_migrate

        post_migrate.connect(sync_roles_after_migrate)
        user_logged_in.connect(start_idle_clock, dispatch_uid="accounts.start_idle_clock")
