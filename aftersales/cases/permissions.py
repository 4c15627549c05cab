"""Who may act on a case they can already see. Views and API ask these; services enforce
the rules that do not depend on the screen (transition table, ownership)."""

from __future__ import annotations

from aftersales.accounts.models import User

from .models import Case


def is_case_owner(user: User, case: Case) -> bool:
    return bool(user.is_authenticated and case.customer.user_id == user.pk)


def can_create(user: User) -> bool:
    return user.is_authenticated and (user.has_perm("cases.add_case") or hasattr(user, "customer"))


def can_reply(user: User, case: Case) -> bool:
    return user.has_perm("cases.reply_case") or is_case_owner(user, case)


def can_note(user: User) -> bool:
    return user.has_perm("cases.note_case")


def can_transition(user: User, case: Case) -> bool:
    return user.has_perm("cases.transition_case") or is_case_owner(user, case)


def can_assign(user: User) -> bool:
    return user.has_perm("cases.assign_case")


def can_update(user: User) -> bool:
    return user.has_perm("cases.change_case")


def can_attach(user: User, case: Case) -> bool:
    return can_reply(user, case)
