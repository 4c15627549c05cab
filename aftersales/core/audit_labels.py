"""Names people read for the audit log's action codes; the code stays the stable key."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "case.create": _("Case created"),
    "case.update": _("Case details changed"),
    "case.transition": _("Case status changed"),
    "case.assign": _("Case assigned"),
    "case.reply": _("Reply on a case"),
    "case.note": _("Internal note"),
    "case.rate": _("Service rated by the customer"),
    "attachment.create": _("File attached"),
    "customer.create": _("Customer registered"),
    "customer.update": _("Customer changed"),
    "customer.consent": _("Consent recorded"),
    "contact.create": _("Contact added"),
    "address.create": _("Address added"),
    "asset.create": _("Product registered"),
    "asset.update": _("Product changed"),
    "personal_data.reveal": _("Phone number revealed"),
    "personal_data.search": _("Search by phone digits"),
    "user.create": _("Account created"),
    "apikey.create": _("API key created"),
    "apikey.revoke": _("API key revoked"),
}


def action_label(code: str) -> str:
    if code in ACTION_LABELS:
        return str(ACTION_LABELS[code])
    obj, _sep, verb = code.partition(".")
    if verb == "create":
        return str(_("%(object)s created") % {"object": obj})
    if verb == "update":
        return str(_("%(object)s changed") % {"object": obj})
    return code
