"""Names people read for the audit log's codes: actions, object types, changed fields and their
values. The codes stay the stable keys in the table; only what is shown goes through here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy

ACTION_LABELS = {
    "case.create": _("Case created"),
    "case.update": _("Case details changed"),
    "case.transition": _("Case status changed"),
    "case.assign": _("Case assigned"),
    "case.route": _("Case routed"),
    "case.reply": _("Reply on a case"),
    "case.note": _("Internal note"),
    "case.rate": _("Service rated by the customer"),
    "case.rate_by_phone": _("Rating given by phone recorded"),
    "attachment.create": _("File attached"),
    "customer.create": _("Customer registered"),
    "customer.update": _("Customer changed"),
    "customer.consent": _("Consent recorded"),
    "contact.create": _("Contact added"),
    "contact.update": _("Contact changed"),
    "address.create": _("Address added"),
    "address.update": _("Address changed"),
    "asset.create": _("Product registered"),
    "asset.update": _("Product changed"),
    "personal_data.reveal": _("Phone number revealed"),
    "personal_data.search": _("Search by phone digits"),
    "audit.export": _("Audit log exported"),
    "user.create": _("Account created"),
    "user.update": _("Account changed"),
    "user.roles": _("Roles changed"),
    "user.password_set": _("Password set"),
    "user.password_reset": _("Password reset with a link sent by e-mail"),
    "apikey.create": _("API key created"),
    "apikey.revoke": _("API key revoked"),
    "workorder.create": _("Work order created"),
    "workorder.update": _("Work order changed"),
    "workorder.assign": _("Work order dispatched"),
    "workorder.transition": _("Work order status changed"),
    "workorder.check_in": _("Technician checked in on site"),
    "workorder.check_out": _("Technician checked out"),
    "workorder.record": _("Repair recorded"),
    "workorder.part_add": _("Part used on a work order"),
    "workorder.photo_add": _("Work order photo added"),
    "workorder.sign": _("Customer signed off"),
    "workorder.review_return": _("Repair report returned with comments"),
    "workorder.report_correct": _("Repair report corrected"),
    "workorder.followup": _("Follow-up recorded"),
    "workorder.followup_attempt": _("Follow-up call attempted"),
    "staff.skill_grant": _("Skill granted"),
    "staff.skill_remove": _("Skill removed"),
    "staff.certificate_add": _("Certificate added"),
    "staff.training_add": _("Training recorded"),
    "staff_absence.create": _("Absence recorded"),
    "staff_absence.delete": _("Absence removed"),
    "sla.start": _("Service-level clocks started"),
    "sla.recompute": _("Deadlines recomputed"),
    "sla.breach": _("Service-level target breached"),
    "sla.milestone": _("Milestone recorded"),
    "sla.clocks": _("Service-level clocks changed"),
    "sla.policy_pin": _("Service-level policy fixed on a case"),
    "routing.rule_create": _("Routing rule created"),
    "routing.rule_update": _("Routing rule changed"),
    "routing.rule_move": _("Routing rule moved"),
    "routing.rule_delete": _("Routing rule deleted"),
    "part.create": _("Spare part created"),
    "part.update": _("Spare part changed"),
    "part.abc_reclassify": _("ABC classes recomputed"),
    "location.create": _("Stock location created"),
    "location.update": _("Stock location changed"),
    "stock.receipt": _("Stock received"),
    "stock.issue": _("Stock issued"),
    "stock.return": _("Stock returned"),
    "stock.transfer_out": _("Stock transferred out"),
    "stock.transfer_in": _("Stock transferred in"),
    "stock.adjustment": _("Stock adjusted"),
    "stock.scrap": _("Stock scrapped"),
    "stock.reserve": _("Stock reserved"),
    "stock.release": _("Reservation released"),
    "batch.recall": _("Batch recalled"),
    "batch.mark_defective": _("Batch marked defective"),
    "supplier.create": _("Supplier created"),
    "supplier.update": _("Supplier changed"),
    "supplier.rate": _("Supplier rated"),
    "supplier.price_set": _("Supplier price set"),
    "supplier_return.ship": _("Returned to supplier"),
    "purchase_order.create": _("Purchase order created"),
    "purchase_order.transition": _("Purchase order status changed"),
    "purchase_order.receive": _("Goods received"),
    "inspection.record": _("Incoming inspection recorded"),
    "price_rule.create": _("Price rule created"),
    "price_change.request": _("Price change requested"),
    "price_change.approve": _("Price change approved"),
    "price_change.reject": _("Price change rejected"),
    "calendar.create": _("Working calendar created"),
    "calendar.update": _("Working calendar changed"),
    "calendar.weekly": _("Weekly working hours changed"),
    "calendar_day.create": _("Calendar day set"),
    "calendar_day.update": _("Calendar day changed"),
    "calendar_day.delete": _("Calendar day removed"),
    "calendar_year.mark": _("Calendar year marked complete"),
    "calendar_year.unmark": _("Calendar year mark removed"),
    "calendar_year.missing_warning": _("Calendar year missing"),
}

# What the first part of an action code (or an object type without a model) names.
OBJECT_NOUNS = {
    "case": _("Case"),
    "workorder": _("Work order"),
    "customer": _("Customer"),
    "contact": _("Contact"),
    "address": _("Address"),
    "asset": _("Product"),
    "user": _("Account"),
    "apikey": _("API key"),
    "attachment": _("Attachment"),
    "personal_data": _("Personal data"),
    "staff": _("Technician"),
    "staff_absence": _("Absence"),
    "sla": _("Service level"),
    "routing": _("Routing rule"),
    "part": pgettext_lazy("noun", "Spare part"),
    "location": _("Stock location"),
    "stock": _("Stock"),
    "batch": _("Batch"),
    "supplier": _("Supplier"),
    "supplier_return": _("Return to supplier"),
    "purchase_order": _("Purchase order"),
    "inspection": _("Incoming inspection"),
    "price_rule": _("Price rule"),
    "price_change": _("Price change"),
    "calendar": _("Working calendar"),
    "calendar_day": _("Calendar day"),
    "calendar_year": _("Calendar year"),
    "servicecenter": _("Service center"),
    "team": _("Team"),
    "department": _("Department"),
}

VERBS = {
    "create": _("%(object)s created"),
    "update": _("%(object)s changed"),
    "delete": _("%(object)s deleted"),
    "transition": _("%(object)s: status changed"),
    "geocode": _("%(object)s: location found on the map"),
    "export": _("%(object)s exported"),
    "view": _("%(object)s viewed"),
}

# Keys of audit snapshots that are no model field of the audited object.
FIELD_LABELS = {
    "on_hand": _("On hand"),
    "reserved": _("Reserved"),
    "reserved_delta": _("Change in reserved"),
    "quantity": _("Quantity"),
    "lines": _("Lines"),
    "contacts": _("Contacts"),
    "role": _("Role"),
    "roles": _("Roles"),
    "integration": _("Integration account"),
    "team": _("Team"),
    "teams": _("Teams"),
    "from": pgettext_lazy("audit", "From"),
    "to": pgettext_lazy("audit", "To"),
    "status": _("Status"),
    "skill": _("Skill"),
    "part": pgettext_lazy("noun", "Spare part"),
    "location": _("Stock location"),
    "batch": _("Batch"),
    "work_order": _("Work order"),
    "case": _("Case"),
    "number": _("Number"),
    "unit_price": _("Unit price"),
    "reason": _("Reason"),
    "note": _("Note"),
    "username": _("User name"),
    "version": _("Version"),
    "position": _("Position"),
    "direction": _("Direction"),
    "phone": _("Phone"),
    "email": _("E-mail"),
    "rating": _("Rating"),
    "deadlines": _("Deadlines"),
    "policy": _("Service-level policy"),
    "clocks": _("Clocks"),
    "type": _("Type"),
    "visit": _("Visit"),
    "level": _("Level"),
    "line": pgettext_lazy("audit", "Line"),
    "event": pgettext_lazy("audit", "Timeline entry"),
    "attachments": _("Attachments"),
    "rule": _("Routing rule"),
    "rule_name": _("Routing rule"),
    "reasons": _("Matched conditions"),
    "condition": _("Condition"),
    "value": pgettext_lazy("audit", "Value"),
    "pick": _("Assignment"),
    "assignee": _("Assignee"),
    "code": _("Code"),
    "at": _("Time"),
    "signer": _("Signed by"),
    "fields": _("Fields"),
    "kind": _("Kind"),
    "amount": _("Amount"),
    "amount_seen": _("Amount shown to the customer"),
    "photo": _("Photo"),
    "size": _("Size"),
    "details": _("Details"),
    "extra": _("Details"),
}

# Labels of values kept under a key that is no model field (``role`` → the role table's names);
# an app registers its own with :func:`register_value_labels`.
VALUE_LABELS: dict[str, Any] = {}

YES_NO = {True: _("Yes"), False: _("No")}
EMPTY = "—"


def register_field_labels(labels: dict[str, Any]) -> None:
    """Name snapshot keys that are no model field (a JSON field's inner keys, for example)."""
    FIELD_LABELS.update(labels)


def register_value_labels(key: str, choices: Any) -> None:
    """Show the values stored under ``key`` in audit records by these ``(value, label)``
    pairs (a ``TextChoices.choices`` list or a dict, added to those registered before), or by
    a function of the value that returns its label or ``None``."""
    if callable(choices):
        VALUE_LABELS[key] = choices
    else:
        known = VALUE_LABELS.get(key)
        VALUE_LABELS[key] = {**(known if isinstance(known, dict) else {}), **dict(choices)}


def _registered(key: str, value: Any) -> str | None:
    known = VALUE_LABELS.get(key)
    if known is None or isinstance(value, dict | list):
        return None
    if callable(known):
        found = known(value)
        return None if found is None else str(found)
    return str(known[value]) if value in known else None


def action_label(code: str) -> str:
    """The readable name of an audit action code, in the active language."""
    if code in ACTION_LABELS:
        return str(ACTION_LABELS[code])
    obj, _sep, verb = code.partition(".")
    noun = str(OBJECT_NOUNS.get(obj, "")) or object_label(obj, none_if_unknown=True)
    if noun and verb in VERBS:
        return str(VERBS[verb] % {"object": noun})
    if noun:
        return noun
    return code


@cache
def _model(object_type: str) -> type[models.Model] | None:
    if "." not in object_type:
        return None
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def object_label(object_type: str, *, none_if_unknown: bool = False) -> str:
    """The name of an audited object's type: its model's verbose name (``purchasing.pricechange``
    → "Price change"), or the noun of an action's object part."""
    model = _model(object_type)
    if model is not None:
        return capfirst(str(model._meta.verbose_name))
    if object_type in OBJECT_NOUNS:
        return str(OBJECT_NOUNS[object_type])
    return "" if none_if_unknown else object_type


@cache
def _fields_named(name: str) -> tuple[models.Field, ...]:
    found = []
    for model in apps.get_models():
        if not model.__module__.startswith("aftersales."):
            continue
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if isinstance(field, models.Field):  # reverse relations have no label of their own
            found.append(field)
    return tuple(found)


def _field(object_type: str, key: str) -> models.Field | None:
    model = _model(object_type)
    if model is not None:
        try:
            field = model._meta.get_field(key)
        except FieldDoesNotExist:
            field = None
        if isinstance(field, models.Field):
            return field
    if key in FIELD_LABELS:
        return None
    named = _fields_named(key)
    return named[0] if named else None


def field_label(object_type: str, key: str) -> str:
    """The label of a changed field: the audited model's field, a label kept for snapshot keys
    that are no field, or the same-named field of another model."""
    field = _field(object_type, key)
    named = field is not None and str(field.verbose_name) != key.replace("_", " ")
    if field is not None and (named or key not in FIELD_LABELS):
        return capfirst(str(field.verbose_name))
    if key in FIELD_LABELS:
        return str(FIELD_LABELS[key])
    return key


def _choice_label(field: models.Field | None, value: Any) -> str | None:
    if field is None:
        return None
    base = getattr(field, "base_field", None)  # an ArrayField of choices
    for candidate in (field, base):
        choices = getattr(candidate, "flatchoices", None) if candidate is not None else None
        for stored, label in choices or ():
            if stored == value:
                return str(label)
    return None


def _moment(value: str) -> str | None:
    if len(value) >= 19 and value[4] == "-" and "T" in value:
        parsed = parse_datetime(value)
        if parsed is not None:
            if timezone.is_aware(parsed):
                parsed = timezone.localtime(parsed)
            return formats.date_format(parsed, "Y-m-d H:i")
    if len(value) == 10 and value[4] == "-":
        day = parse_date(value)
        if day is not None:
            return formats.date_format(day, "Y-m-d")
    return None


def _related(field: models.Field | None, value: Any) -> str | None:
    if field is None or not getattr(field, "is_relation", False) or not field.related_model:
        return None
    if not isinstance(value, int | str) or value in ("", None):
        return None
    try:
        obj = field.related_model._default_manager.filter(pk=value).first()
    except (ValueError, TypeError):
        return None
    return str(obj) if obj is not None else None


def value_text(object_type: str, key: str, value: Any) -> str:
    """A stored value as a person reads it: choices by their label, yes/no, dates in local time,
    related rows by their name, lists and nested records one after another."""
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if isinstance(value, bool):
        return str(YES_NO[value])
    field = _field(object_type, key)
    if isinstance(value, list):
        return "; ".join(value_text(object_type, key, item) for item in value)
    if isinstance(value, dict):
        # a dict keyed by values, e.g. discounts by customer tier
        return ", ".join(
            f"{_registered(key, k) or field_label(object_type, k)}: {value_text(object_type, k, v)}"
            for k, v in value.items()
        )
    label = _choice_label(field, value)
    if label is None:
        label = _registered(key, value)
    if label is not None:
        return label
    related = _related(field, value)
    if related is not None:
        return related
    if isinstance(value, str):
        return _moment(value) or value
    if isinstance(value, dt.datetime | dt.date):
        shape = "Y-m-d H:i" if isinstance(value, dt.datetime) else "Y-m-d"
        return formats.date_format(value, shape)
    return str(value)


@dataclass(frozen=True)
class Change:
    label: str
    before: str | None
    after: str | None


def changes(object_type: str, before: Any, after: Any) -> list[Change]:
    """One line per field of an audit record: its label, the value before and after (``None``
    when the record has no such side, e.g. a creation has no "before")."""
    before_map = before if isinstance(before, dict) else ({} if before is None else {"": before})
    after_map = after if isinstance(after, dict) else ({} if after is None else {"": after})
    keys = list(dict.fromkeys([*before_map, *after_map]))
    rows = []
    for key in keys:
        label = field_label(object_type, key) if key else pgettext("audit", "Value")
        rows.append(
            Change(
                label=label,
                before=value_text(object_type, key, before_map[key]) if key in before_map else None,
                after=value_text(object_type, key, after_map[key]) if key in after_map else None,
            )
        )
    return rows
