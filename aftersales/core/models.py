"""The audit log: who changed what, when, and what it looked like before and after.

Rows are written only by :func:`aftersales.core.audit.audit_record`; the model refuses updates
and deletes so that no screen, endpoint or admin action can rewrite history (R16.2).
"""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("audit records cannot be changed")

    def delete(self):
        raise PermissionError("audit records cannot be deleted")


class AuditLog(models.Model):
    """One audited action. Append-only by construction."""

    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("actor name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64)
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    # The number people quote (SC-…, WO-…, PO-…, a part's code), of the object or of the case or
    # order it belongs to, so the log can be searched by it through an index.
    object_ref = models.CharField(_("object number"), max_length=64, blank=True, default="")
    before = models.JSONField(_("before"), null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(_("after"), null=True, blank=True, encoder=DjangoJSONEncoder)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    objects = AuditLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit record")
        verbose_name_plural = _("audit records")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "-id"], name="audit_object_idx"),
            # The log page's searches, newest first: by number, by person, by action, and the
            # default view without the system's rows (actor empty).
            models.Index(fields=["object_ref", "-id"], name="audit_ref_idx"),
            models.Index(fields=["actor", "-id"], name="audit_actor_idx"),
            models.Index(fields=["action", "-id"], name="audit_action_idx"),
            models.Index(
                fields=["-id"], name="audit_people_idx", condition=models.Q(actor__isnull=False)
            ),
        ]
        permissions = [("browse_auditlog", _("Can browse the audit log"))]

    def __str__(self) -> str:
        return (
            f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"
        )

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("audit records cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("audit records cannot be deleted")


class DomainEvent(models.Model):
    """One thing that happened in a domain (a case opened, a work order moved, stock issued),
    written once in the transaction of the change; the single source for webhooks, chat robots
    and KPI rollups (docs/adr/0005-one-event-outbox.md).

    ``id`` is the write order, which is not the commit order: a transaction that took id 10 may
    commit after one that took id 11. Readers therefore follow ``seq``, the publication order,
    given only to committed rows by :func:`aftersales.core.domain_events.events_publish` under
    one lock, so a reader's cursor never passes a row that commits later."""

    kind = models.CharField(_("kind"), max_length=64)
    aggregate = models.CharField(_("object type"), max_length=32)
    aggregate_id = models.BigIntegerField(_("object id"))
    reference = models.CharField(_("reference"), max_length=64, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    payload = models.JSONField(_("payload"), default=dict, encoder=DjangoJSONEncoder)
    occurred_at = models.DateTimeField(_("time"), auto_now_add=True)
    seq = models.BigIntegerField(_("publication number"), null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("domain event")
        verbose_name_plural = _("domain events")
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["id"],
                name="domainevent_unpublished_idx",
                condition=models.Q(seq__isnull=True),
            ),
            models.Index(fields=["aggregate", "aggregate_id", "id"], name="domainevent_object_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.reference or self.aggregate_id}"


class EventSequence(models.Model):
    """The last publication number given out; its one row is the lock publishers queue on."""

    last_seq = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("event publication counter")
        verbose_name_plural = _("event publication counters")

    def __str__(self) -> str:
        return str(self.last_seq)


class EventCursor(models.Model):
    """How far one consumer (a webhook endpoint, a robot, a rollup) has read the events."""

    consumer = models.CharField(_("consumer"), max_length=100, unique=True)
    position = models.BigIntegerField(_("position"), default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("event cursor")
        verbose_name_plural = _("event cursors")

    def __str__(self) -> str:
        return f"{self.consumer} @ {self.position}"
