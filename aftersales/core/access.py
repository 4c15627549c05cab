"""Who may open the staff screens at all (style rule 5, first gate).

Object-level visibility stays in the selectors (404 for missing or hidden); this gate answers
the coarser question "is this a staff member holding the role's permission?" so that customers
and roles without the right get a clean 403 before any data is read.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse


def is_staff_user(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False) and getattr(user, "is_staff_member", False)
    )


def staff_required(*perms: str) -> Callable:
    """Login (redirect) → staff member (else 403) → every permission in ``perms`` (else 403)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            user = request.user
            if not is_staff_user(user):
                raise PermissionDenied
            if perms and not user.has_perms(perms):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(wrapper)

    return decorator
