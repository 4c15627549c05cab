"""Password reset by e-mail for staff and portal customers (R16.3).

The request page answers the same whether or not the address belongs to an account, and takes
the same time: the link is made and mailed by the background worker. Requests are rate limited
per address (silently: the answer stays the same) and per client address (HTTP 429). The link
carries Django's signed one-time token and never lands in the database (hence Django's mail
backend, not the notification outbox, whose bodies staff can read). Setting a new password is
audited and clears the user's other sessions."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftersales.core.audit import audit_record
from aftersales.core.ratelimit import rate_limit_hit
from aftersales.core.request_context import client_address

WINDOW = 3600  # seconds: the limits count per hour


class ResetRequestForm(PasswordResetForm):
    email = forms.EmailField(
        label=gettext_lazy("E-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        """In the language the person reads."""
        language = getattr(context["user"], "preferred_language", "") or settings.LANGUAGE_CODE
        with translation.override(language):
            super().send_mail(
                subject_template_name,
                email_template_name,
                context,
                from_email,
                to_email,
                html_email_template_name,
            )


def password_reset_send(*, email: str) -> None:
    """Mail a set-password link to every active account with this address (none: nothing)."""
    form = ResetRequestForm({"email": email})
    if not form.is_valid():
        return
    site = urlsplit(settings.SITE_URL)
    form.save(
        domain_override=site.netloc,
        use_https=site.scheme == "https",
        subject_template_name="accounts/password_reset_subject.txt",
        email_template_name="accounts/password_reset_email.txt",
        extra_email_context={"site_url": settings.SITE_URL.rstrip("/")},
    )


class ResetRequestView(auth_views.PasswordResetView):
    form_class = ResetRequestForm
    template_name = "accounts/password_reset_form.html"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: ResetRequestForm) -> HttpResponse:
        address = client_address(self.request) or "-"
        if rate_limit_hit(
            "password-reset-client",
            address,
            limit=settings.PASSWORD_RESET_PER_CLIENT,
            window=WINDOW,
        ):
            form.add_error(None, _("Too many requests from your network. Try again in an hour."))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        email = form.cleaned_data["email"]
        if not rate_limit_hit(
            "password-reset-email", email, limit=settings.PASSWORD_RESET_PER_EMAIL, window=WINDOW
        ):
            from .tasks import send_password_reset

            send_password_reset(email)
        # the same answer whether the address is known, unknown or asked too often
        return HttpResponseRedirect(self.get_success_url())


class ResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    @transaction.atomic
    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        audit_record(
            actor=form.user,
            action="user.password_reset",
            obj=form.user,
            reason=_("Set with the link sent by e-mail"),
        )
        return response
