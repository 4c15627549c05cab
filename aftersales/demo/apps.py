from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo data set and the bulk generator; optional, and last in INSTALLED_APPS because
    it builds on every other app (production may leave it out with AFTERSALES_DEMO=0)."""

    name = "aftersales.demo"
    label = "demo"
    verbose_name = _("Demo data")

    def serve_banner(self) -> list[str]:
        """Lines the ``serve`` command prints after it starts: one demo sign-in per role."""
        from .accounts import DEMO_PASSWORD, DEMO_USERS

        lines = [f"Demo sign-ins (password for all: {DEMO_PASSWORD}):"]
        lines += [f"  {role:<18} {username:<12} {name}" for username, role, name, _e in DEMO_USERS]
        return lines
