"""Every write to a case goes through here (style rules 1, 3, 4).

Each service is atomic, takes the acting user, writes a timeline event and an audit record,
and defers notifications until the transaction commits. Changes to a case's own fields are
conditional updates on the version the caller saw, so two editors never overwrite each other
silently: the second gets :class:`VersionConflict`.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftersales.accounts.models import Team, User
from aftersales.core.actors import actor_or_none
from aftersales.core.audit import audit_record, diff, model_snapshot
from aftersales.core.errors import Conflict, InvalidInput, TransitionNotAllowed
from aftersales.core.versions import require_version, versioned_update
from aftersales.customers.models import Asset, Contact, Customer

from . import events, hooks, notify
from .attachments import sniff_upload
from .choices import PRIORITY_RANK, CaseType, Channel, EventKind, Priority, Severity, Status
from .models import Attachment, Case, CaseCategory, CaseEvent, IdempotencyKey
from .numbering import case_number_next
from .schemas import validate_extra
from .transitions import CUSTOMER, STAFF, SYSTEM, allowed_steps, initial_status, machine_for

AUDIT_FIELDS = [
    "number",
    "case_type",
    "channel",
    "category",
    "priority",
    "severity",
    "status",
    "title",
    "description",
    "customer_demand",
    "resolution",
    "customer",
    "contact",
    "asset",
    "team",
    "assignee",
    "extra",
    "version",
]


def _choice(value: Any, choices: Any, field: str) -> str:
    if value not in choices.values:
        raise InvalidInput(
            _("Unknown value “%(value)s” for %(field)s.") % {"value": value, "field": field},
            code="invalid_choice",
            detail={"field": field, "allowed": list(choices.values)},
        )
    return value


def actor_side(actor: User | None) -> str:
    """Whether the actor acts as staff or as a customer in the transition table."""
    if actor is None:
        return SYSTEM
    if getattr(actor, "is_staff_member", False):
        return STAFF
    return CUSTOMER


def _save_attachments(
    *,
    actor: User | None,
    case: Case,
    event: CaseEvent | None,
    files: list[UploadedFile],
    public: bool,
) -> list[Attachment]:
    if len(files) > settings.ATTACHMENT_MAX_FILES:
        raise InvalidInput(
            _("Send at most %(n)s files at a time.") % {"n": settings.ATTACHMENT_MAX_FILES},
            code="too_many_files",
        )
    if case.attachments.count() + len(files) > settings.ATTACHMENT_MAX_PER_CASE:
        raise InvalidInput(
            _("This case already holds the most files it may have (%(n)s).")
            % {"n": settings.ATTACHMENT_MAX_PER_CASE},
            code="too_many_files",
        )
    checked = [(f, *sniff_upload(f)) for f in files]  # refuse all before storing any
    saved = []
    for upload, content_type, ext in checked:
        att = Attachment(
            case=case,
            event=event,
            original_name=(upload.name or "file")[:200],
            content_type=content_type,
            size=upload.size or 0,
            is_public=public,
            uploaded_by=actor_or_none(actor),
        )

        att.file.save(f"{uuid.uuid4().hex}.{ext}", upload, save=False)
        att.save()
        saved.append(att)
        audit_record(
            actor=actor,
            action="attachment.create",
            obj=att,
            after={"case": case.number, "name": att.original_name, "type": content_type},
        )
    return saved


def _check_assignment(team: Team | None, assignee: User | None) -> None:
    """Cases go to staff, and to a member of the team when both are named."""
    if assignee is None:
        return
    if not assignee.is_staff_member or not assignee.has_perm("cases.view_case"):
        raise InvalidInput(_("Cases can only be assigned to staff."), code="assignee_invalid")
    if team is not None and not team.members.filter(pk=assignee.pk).exists():
        raise InvalidInput(
            _("%(user)s is not a member of %(team)s.") % {"user": assignee, "team": team},
            code="assignee_not_in_team",
        )


@transaction.atomic
def case_create(
    *,
    actor: User | None,
    customer: Customer,
    case_type: str,
    channel: str,
    title: str = "",
    description: str = "",
    customer_demand: str = "",
    priority: str | None = None,
    severity: str = Severity.GENERAL,
    category: CaseCategory | None = None,
    asset: Asset | None = None,
    contact: Contact | None = None,
    team: Team | None = None,
    assignee: User | None = None,
    extra: dict[str, Any] | None = None,
    files: list[UploadedFile] | None = None,
) -> Case:
    """Register a new case of any type (R1.1–R1.3) and tell the customer it was received.

    A team or priority left unset (``None``) is decided by the routing rules (R1.4), which may
    also assign an agent of the team; the decision is written on the timeline."""
    _choice(case_type, CaseType, "case_type")
    _choice(channel, Channel, "channel")
    if priority is not None:
        _choice(priority, Priority, "priority")
    _choice(severity, Severity, "severity")
    title = (title or "").strip()
    description = (description or "").strip()
    if not title:
        title = description.splitlines()[0][:60] if description else ""
    if not title:
        raise InvalidInput(_("Describe the problem."), code="title_required")
    if asset is not None and asset.customer_id != customer.pk:
        raise InvalidInput(
            _("This product does not belong to the customer."), code="asset_mismatch"
        )
    if contact is not None and contact.customer_id != customer.pk:
        raise InvalidInput(
            _("This contact does not belong to the customer."), code="contact_mismatch"
        )
    if contact is None:
        contact = customer.contacts.order_by("-is_primary", "id").first()
    if category is not None and category.case_type and category.case_type != case_type:
        raise InvalidInput(
            _("This category belongs to another type of case."), code="category_mismatch"
        )
    _check_assignment(team, assignee)
    clean_extra = validate_extra(case_type, extra)
    routing = hooks.route_new_case.ask(
        hooks.NewCaseRequest(
            case_type=case_type,
            category=category,
            asset=asset,
            customer=customer,
            title=title,
            description=description,
            team=team,
            assignee=assignee,
            priority=priority,
        )
    )
    if routing is not None:
        team, assignee, priority = routing.team, assignee or routing.assignee, routing.priority
    priority = priority or Priority.NORMAL
    now = timezone.now()
    case = Case.objects.create(
        number=case_number_next(timezone.localtime(now).year),
        case_type=case_type,
        channel=channel,
        category=category,
        priority=priority,
        severity=severity,
        status=initial_status(case_type),
        status_changed_at=now,
        title=title[:200],
        description=description,
        customer_demand=customer_demand[:500],
        customer=customer,
        contact=contact,
        asset=asset,
        team=team,
        assignee=assignee,
        extra=clean_extra,
        created_by=actor_or_none(actor),
    )
    event = events.case_opened(case=case, actor=actor, channel=channel, case_type=case_type)
    if files:
        atts = _save_attachments(actor=actor, case=case, event=event, files=files, public=True)
        for att in atts:
            events.case_attachment_added(case=case, actor=actor, attachment=att, public=True)
    audit_record(
        actor=actor, action="case.create", obj=case, after=model_snapshot(case, AUDIT_FIELDS)
    )
    hooks.case_opened.run(hooks.CaseOpened(case=case, actor=actor, now=now, routing=routing))
    notify.customer_case_created(case)
    if assignee is not None and assignee.pk != getattr(actor, "pk", None):
        notify.staff_case_assigned(case)
    return case


def case_create_idempotent(
    *, actor: User, idempotency_key: str | None, **kwargs: Any
) -> tuple[Case, bool]:
    """Create a case unless ``actor`` already created one with this key; then return that one.

    Returns ``(case, created)``. Two concurrent requests with one key create one case: the
    loser's insert of the key fails on the unique constraint and it returns the winner's case.
    """
    key = (idempotency_key or "").strip()[:100]
    if not key:
        return case_create(actor=actor, **kwargs), True
    fingerprint = _request_fingerprint(kwargs)

    def replay(existing: IdempotencyKey) -> tuple[Case, bool]:
        if existing.fingerprint and existing.fingerprint != fingerprint:
            raise InvalidInput(
                _("This Idempotency-Key was already used for a different request."),
                code="idempotency_key_reused",
            )
        return existing.case, False

    existing = IdempotencyKey.objects.filter(user=actor, key=key).select_related("case").first()
    if existing is not None:
        return replay(existing)
    try:
        with transaction.atomic():
            case = case_create(actor=actor, **kwargs)
            IdempotencyKey.objects.create(user=actor, key=key, case=case, fingerprint=fingerprint)
    except IntegrityError:
        existing = IdempotencyKey.objects.filter(user=actor, key=key).select_related("case").first()
        if existing is None:
            raise
        return replay(existing)
    return case, True


def _request_fingerprint(kwargs: dict[str, Any]) -> str:
    """A digest of what was asked for, so a key reused for another request is caught."""
    import hashlib
    import json

    plain = {
        k: (getattr(v, "pk", v) if not isinstance(v, list) else len(v))
        for k, v in sorted(kwargs.items())
    }
    raw = json.dumps(plain, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(raw.encode()).hexdigest()


CASE_CHANGED = gettext_lazy(
    "Someone else changed this case in the meantime. Reload it and try again."
)


def _conditional_update(case: Case, expected_version: int | None, **values: Any) -> Case:
    """Apply ``values`` only if nobody changed the case since ``expected_version``."""
    versioned_update(case, expected_version, CASE_CHANGED, **values)
    return case


@transaction.atomic
def case_update(
    *, actor: User, case: Case, expected_version: int | None, changes: dict[str, Any]
) -> Case:
    """Change the case's own fields (classification, description, product)."""
    allowed = {
        "title",
        "description",
        "customer_demand",
        "resolution",
        "priority",
        "severity",
        "category",
        "extra",
        "asset",
        "channel",
    }
    unknown = set(changes) - allowed
    if unknown:
        raise InvalidInput(
            _("These fields cannot be changed here: %s") % ", ".join(sorted(unknown)),
            code="field_not_editable",
        )
    require_version(case, expected_version, CASE_CHANGED)
    values: dict[str, Any] = {}
    for field, value in changes.items():
        if field == "priority":
            values["priority"] = _choice(value, Priority, "priority")
            values["priority_rank"] = PRIORITY_RANK[value]
        elif field == "severity":
            values["severity"] = _choice(value, Severity, "severity")
        elif field == "channel":
            values["channel"] = _choice(value, Channel, "channel")
        elif field == "extra":
            values["extra"] = validate_extra(case.case_type, value)
        elif field == "asset":
            if value is not None and value.customer_id != case.customer_id:
                raise InvalidInput(
                    _("This product does not belong to the customer."), code="asset_mismatch"
                )
            values["asset"] = value
        elif field == "category":
            if value is not None and value.case_type and value.case_type != case.case_type:
                raise InvalidInput(
                    _("This category belongs to another type of case."), code="category_mismatch"
                )
            values["category"] = value
        elif field == "title":
            if not (value or "").strip():
                raise InvalidInput(_("Describe the problem."), code="title_required")
            values["title"] = value.strip()[:200]
        else:
            values[field] = value
    before = model_snapshot(case, AUDIT_FIELDS)
    attnames = {f.name: f.attname for f in Case._meta.concrete_fields}
    current = {k: getattr(case, attnames[k]) for k in values}
    wanted = {k: getattr(v, "pk", v) for k, v in values.items()}
    if current == wanted:
        return case  # nothing to change: no new version, no event
    case = _conditional_update(case, expected_version, **values)
    b, a = diff(before, model_snapshot(case, AUDIT_FIELDS))
    a.pop("version", None)
    b.pop("version", None)
    if a:
        events.case_details_changed(case=case, actor=actor, before=b, after=a)
        audit_record(actor=actor, action="case.update", obj=case, before=b, after=a)
        hooks.details_changed.run(
            hooks.DetailsChanged(case=case, actor=actor, changed=frozenset(a))
        )
    return case


@transaction.atomic
def case_transition(
    *,
    actor: User | None,
    case: Case,
    to_status: str,
    reason: str = "",
    expected_version: int | None = None,
    side: str | None = None,
) -> Case:
    """Move a case to another status, if the type's table allows it for this actor."""
    side = side or actor_side(actor)
    if to_status not in Status.values:
        raise InvalidInput(
            _("Unknown value “%(value)s” for %(field)s.") % {"value": to_status, "field": "status"},
            code="invalid_choice",
            detail={"field": "status", "allowed": list(Status.values)},
        )
    require_version(case, expected_version, CASE_CHANGED)
    step = machine_for(case.case_type).check(case.status, to_status, side)
    reason = (reason or "").strip()
    if step.reason_required and not reason:
        raise InvalidInput(_("Give a reason for this change."), code="reason_required")
    now = timezone.now()
    from_status = case.status
    values: dict[str, Any] = {"status": to_status, "status_changed_at": now}
    if to_status == Status.RESOLVED:
        values["resolved_at"] = now
        if reason:
            values["resolution"] = reason  # what was done, in the words the customer reads
    if to_status in (Status.CLOSED, Status.CANCELLED):
        values["closed_at"] = now
    reopened = from_status in (Status.CLOSED, Status.RESOLVED) and to_status not in (
        Status.CLOSED,
        Status.CANCELLED,
    )
    if reopened:
        values["closed_at"] = None
        values["resolved_at"] = None
    case = _conditional_update(case, expected_version, **values)
    events.case_status_changed(
        case=case, actor=actor, from_status=from_status, to_status=to_status, reason=reason
    )
    audit_record(
        actor=actor,
        action="case.transition",
        obj=case,
        before={"status": from_status},
        after={"status": to_status},
        reason=reason,
    )
    hooks.status_changed.run(
        hooks.StatusChanged(
            case=case, actor=actor, from_status=from_status, to_status=to_status, now=now
        )
    )
    # The life cycle's two ends get hooks of their own (a survey falls due when a case
    # closes, and is withdrawn when it is reopened), run after the status consumers.
    if to_status in (Status.CLOSED, Status.CANCELLED) and from_status not in (
        Status.CLOSED,
        Status.CANCELLED,
    ):
        hooks.closed.run(
            hooks.Closed(case=case, actor=actor, status=to_status, reason=reason, now=now)
        )
    elif reopened:
        hooks.reopened.run(
            hooks.Reopened(case=case, actor=actor, from_status=from_status, reason=reason, now=now)
        )
    notify.customer_status_changed(case, from_status)
    return case


@transaction.atomic
def case_assign(
    *,
    actor: User,
    case: Case,
    team: Team | None,
    assignee: User | None,
    expected_version: int | None = None,
) -> Case:
    """Give the case to a team and/or a person; both may be cleared."""
    require_version(case, expected_version, CASE_CHANGED)
    _check_assignment(team, assignee)
    before = {"team": case.team_id, "assignee": case.assignee_id}
    if before == {"team": getattr(team, "pk", None), "assignee": getattr(assignee, "pk", None)}:
        return case
    case = _conditional_update(case, expected_version, team=team, assignee=assignee)
    after = {"team": case.team_id, "assignee": case.assignee_id}
    events.case_assigned(case=case, actor=actor, before=before, team=team, assignee=assignee)
    audit_record(actor=actor, action="case.assign", obj=case, before=before, after=after)
    hooks.assigned.run(
        hooks.Assigned(
            case=case,
            actor=actor,
            team_before=before["team"],
            assignee_before=before["assignee"],
        )
    )
    if assignee is not None and assignee.pk not in (before["assignee"], actor.pk):
        notify.staff_case_assigned(case)  # nobody is mailed about taking a case themselves
    return case


@transaction.atomic
def case_reply(
    *, actor: User, case: Case, body: str, files: list[UploadedFile] | None = None
) -> CaseEvent:
    """A public message on the case: from staff to the customer, or from the customer."""
    body = (body or "").strip()
    if not body and not files:
        raise InvalidInput(_("Write a message."), code="body_required")
    side = actor_side(actor)
    if case.status in (Status.CLOSED, Status.CANCELLED) and side == CUSTOMER:
        raise TransitionNotAllowed(
            _("This case is closed. Open a new request instead."), code="case_closed"
        )
    kind = EventKind.CUSTOMER_REPLY if side == CUSTOMER else EventKind.PUBLIC_REPLY
    event = events.case_replied(case=case, actor=actor, body=body, by_customer=side == CUSTOMER)
    if files:
        _save_attachments(actor=actor, case=case, event=event, files=files, public=True)
    now = timezone.now()
    if side == STAFF and case.first_response_at is None:
        Case.objects.filter(pk=case.pk, first_response_at__isnull=True).update(
            first_response_at=now
        )
    Case.objects.filter(pk=case.pk).update(updated_at=now)
    audit_record(
        actor=actor,
        action="case.reply",
        obj=case,
        after={"event": event.pk, "kind": kind, "attachments": len(files or [])},
    )
    case.refresh_from_db()
    hooks.replied.run(
        hooks.Replied(case=case, actor=actor, event=event, by_staff=side == STAFF, now=now)
    )
    if side == CUSTOMER and case.status == Status.WAITING_CUSTOMER:
        steps = allowed_steps(case.case_type, case.status, SYSTEM)
        if steps:
            case_transition(actor=None, case=case, to_status=steps[0].to, side=SYSTEM)
    if side == STAFF:
        notify.customer_reply(case, event)
    elif case.assignee_id and case.assignee_id != getattr(actor, "pk", None):
        notify.staff_customer_replied(case, event)
    return event


@transaction.atomic
def case_note(
    *, actor: User, case: Case, body: str, files: list[UploadedFile] | None = None
) -> CaseEvent:
    """An internal note that the customer never sees."""
    body = (body or "").strip()
    if not body and not files:
        raise InvalidInput(_("Write a note."), code="body_required")
    event = events.case_noted(case=case, actor=actor, body=body)
    if files:
        _save_attachments(actor=actor, case=case, event=event, files=files, public=False)
    audit_record(actor=actor, action="case.note", obj=case, after={"event": event.pk})
    hooks.noted.run(hooks.Noted(case=case, actor=actor, event=event))
    return event


@transaction.atomic
def attachment_add(
    *, actor: User, case: Case, files: list[UploadedFile], public: bool = True
) -> list[Attachment]:
    """Attach files to a case outside a message; customers' files are always public."""
    if not files:
        raise InvalidInput(_("Choose a file."), code="file_required")
    if actor_side(actor) == CUSTOMER:
        public = True
    atts = _save_attachments(actor=actor, case=case, event=None, files=files, public=public)
    for att in atts:
        events.case_attachment_added(case=case, actor=actor, attachment=att, public=public)
    return atts


RATABLE = {Status.RESOLVED, Status.CLOSED}


RATING_PORTAL = "portal"
RATING_PHONE = "phone"


@transaction.atomic
def case_rate(*, actor: User, case: Case, rating: int, feedback: str = "") -> Case:
    """The customer rates the service once the case is resolved or closed (R1.3 售后服务登记表:
    the customer's rating). One rating per case; a second attempt is a conflict."""
    if actor_side(actor) != CUSTOMER or case.customer.user_id != actor.pk:
        raise TransitionNotAllowed(
            _("Only the customer can rate the service."), code="not_customer"
        )
    return _rate(actor=actor, case=case, rating=rating, feedback=feedback, channel=RATING_PORTAL)


@transaction.atomic
def case_rate_by_phone(*, actor: User, case: Case, rating: int, feedback: str = "") -> Case:
    """Staff record the rating a customer gives on the phone (R1.3: the return call asks for
    it): the same one rating per case as in the portal, marked as given by phone and recorded
    by ``actor``."""
    if actor_side(actor) == CUSTOMER or not actor.has_perm("cases.reply_case"):
        raise TransitionNotAllowed(
            _("Only staff who talk to customers can record a rating given by phone."),
            code="not_staff",
        )
    return _rate(actor=actor, case=case, rating=rating, feedback=feedback, channel=RATING_PHONE)


def _rate(*, actor: User, case: Case, rating: int, feedback: str, channel: str) -> Case:
    if not isinstance(rating, int) or isinstance(rating, bool) or not 1 <= rating <= 5:
        raise InvalidInput(_("Choose a rating from 1 to 5."), code="rating_invalid")
    if case.status not in RATABLE:
        raise TransitionNotAllowed(
            _("A case can be rated once it is resolved."), code="not_ratable"
        )
    feedback = (feedback or "").strip()[:2000]
    now = timezone.now()
    recorder = actor if channel == RATING_PHONE else None
    updated = Case.objects.filter(pk=case.pk, customer_rating__isnull=True).update(
        customer_rating=rating,
        customer_feedback=feedback,
        rated_at=now,
        rating_channel=channel,
        rating_recorded_by=recorder,
        updated_at=now,
    )
    if not updated:
        raise Conflict(_("This case has already been rated."), code="already_rated")
    case.refresh_from_db()
    events.case_rated(case=case, actor=actor, rating=rating, feedback=feedback, channel=channel)
    hooks.rated.run(hooks.Rated(case=case, actor=actor, rating=rating))
    audit_record(
        actor=actor,
        action="case.rate" if channel == RATING_PORTAL else "case.rate_by_phone",
        obj=case,
        after={"customer_rating": rating, "customer_feedback": feedback, "channel": channel},
    )
    return case
