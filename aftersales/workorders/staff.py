"""Staff skills, certificates and training records (R13.2).

Dispatch reads them (a required certificate must be valid on the visit date); certificates
that expire within 30 days are listed and their holders and managers are told.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.accounts.models import User
from aftersales.accounts.roles import Role
from aftersales.core.audit import audit_record, model_snapshot
from aftersales.core.audit_labels import register_value_labels
from aftersales.core.errors import InvalidInput

from .choices import CertificateType
from .models import Certificate, Skill, TechnicianSkill, TrainingRecord

EXPIRY_WARNING_DAYS = 30


def _technician(user: User) -> None:
    if not user.has_role(Role.TECHNICIAN):
        raise InvalidInput(_("Skills and certificates are kept for technicians."), code="role")


@transaction.atomic
def skill_grant(*, actor: Any, user: User, skill: Skill, level: int = 1) -> TechnicianSkill:
    _technician(user)
    if not 1 <= level <= 5:
        raise InvalidInput(_("The level is from 1 to 5."), code="level_invalid")
    before = (
        TechnicianSkill.objects.select_for_update()
        .filter(user=user, skill=skill)
        .values_list("level", flat=True)
        .first()
    )
    row, _created = TechnicianSkill.objects.update_or_create(
        user=user, skill=skill, defaults={"level": level}
    )
    audit_record(
        actor=actor,
        action="staff.skill_grant",
        obj=user,
        before={"skill": skill.code, "level": before} if before is not None else None,
        after={"skill": skill.code, "level": level},
    )
    return row


@transaction.atomic
def skill_remove(*, actor: Any, user: User, skill: Skill) -> None:
    """Take a skill off a technician (dispatch stops suggesting them for orders that need it).
    The delete is conditional on the row existing, so of two removals one is recorded."""
    level = (
        TechnicianSkill.objects.filter(user=user, skill=skill)
        .values_list("level", flat=True)
        .first()
    )
    deleted, _rows = TechnicianSkill.objects.filter(user=user, skill=skill).delete()
    if not deleted:
        raise InvalidInput(
            _("%(user)s does not have the skill %(skill)s.") % {"user": user, "skill": skill.name},
            code="skill_missing",
        )
    audit_record(
        actor=actor,
        action="staff.skill_remove",
        obj=user,
        before={"skill": skill.code, "level": level},
        after=None,
    )


@transaction.atomic
def certificate_add(
    *,
    actor: Any,
    user: User,
    cert_type: str,
    issued_on: dt.date,
    expires_on: dt.date,
    level: str = "",
    number: str = "",
) -> Certificate:
    _technician(user)
    if cert_type not in CertificateType.values:
        raise InvalidInput(_("Unknown certificate type."), code="invalid_choice")
    if expires_on < issued_on:
        raise InvalidInput(_("A certificate cannot expire before it is issued."), code="dates")
    cert = Certificate.objects.create(
        user=user,
        cert_type=cert_type,
        issued_on=issued_on,
        expires_on=expires_on,
        level=level[:40],
        number=number[:60],
    )
    audit_record(
        actor=actor,
        action="staff.certificate_add",
        obj=cert,
        object_repr=f"{user} · {cert.get_cert_type_display()}",
        after=model_snapshot(cert),
    )
    return cert


@transaction.atomic
def training_add(
    *, actor: Any, user: User, title: str, trained_on: dt.date, hours: Decimal, result: str = ""
) -> TrainingRecord:
    _technician(user)
    if not title.strip():
        raise InvalidInput(_("Name the training."), code="title_required")
    if hours < 0:
        raise InvalidInput(_("Hours cannot be negative."), code="hours_invalid")
    row = TrainingRecord.objects.create(
        user=user, title=title.strip()[:200], trained_on=trained_on, hours=hours, result=result
    )
    audit_record(
        actor=actor,
        action="staff.training_add",
        obj=row,
        object_repr=f"{user} · {row.title}",
        after=model_snapshot(row),
    )
    return row


def certificates_expiring(
    *, today: dt.date | None = None, days: int = EXPIRY_WARNING_DAYS
) -> list[Certificate]:
    """Certificates still valid today that expire within ``days``."""
    today = today or timezone.localdate()
    return list(
        Certificate.objects.filter(
            expires_on__gte=today, expires_on__lte=today + dt.timedelta(days=days)
        )
        .select_related("user", "user__department__head")
        .order_by("expires_on", "id")
    )


def certificates_notify(*, today: dt.date | None = None) -> int:
    """Tell each holder about their expiring certificates, and each manager (department head,
    dispatchers) about all of them. Returns the number of messages queued."""
    from aftersales.notifications.models import Channel
    from aftersales.notifications.services import notification_queue

    expiring = certificates_expiring(today=today)
    if not expiring:
        return 0
    recipients: dict[int, tuple[User, list[Certificate]]] = {}
    for cert in expiring:
        recipients.setdefault(cert.user.pk, (cert.user, []))[1].append(cert)
        head = cert.user.department.head if cert.user.department_id else None
        if head is not None:
            recipients.setdefault(head.pk, (head, []))[1].append(cert)
    for manager in User.objects.filter(groups__name=Role.DISPATCHER, is_active=True):
        recipients.setdefault(manager.pk, (manager, []))[1].extend(expiring)
    sent = 0
    with transaction.atomic():
        for user, certs in recipients.values():
            unique = list({c.pk: c for c in certs}.values())
            notification_queue(
                channel=Channel.EMAIL,
                template="workorder_certificates",
                recipient=user.email or "",
                recipient_user=user,
                language=user.preferred_language,
                context={"user": user, "certificates": unique},
            )
            sent += 1
    return sent


def _skill_name(code: Any) -> str | None:
    return Skill.objects.filter(code=code).values_list("name", flat=True).first()


register_value_labels("skill", _skill_name)  # the audit log names a skill, not its code
