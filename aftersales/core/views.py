from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send each person to where their work is."""
    if getattr(request.user, "is_staff_member", False):
        return redirect("cases:queue")
    return redirect("portal:case_list")


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError
