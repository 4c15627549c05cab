"""Refuse, before any view runs, HTML requests carrying text no database can store.

A NUL character is legal in a URL (``%00``) and in a form, but PostgreSQL refuses it in every
text parameter, so a page that looks a filter value up unchecked answered 500 there (SQLite
answered). Django's CharField refuses NUL, but views also read the path, the query string and
form values directly; this guard covers them all: the path, the query and a posted form's fields
(URL-encoded or multipart; files are the upload checks' business). A browser never sends NUL
from a form, so the plain 400 only ever meets a crafted request. The JSON API answers the same
input itself with a 422 (``core.api.InputSchema``) and is left alone here."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _

from .api import has_unstorable_text

API_PREFIX = "/api/"


def request_has_unstorable_text(request: HttpRequest) -> bool:
    if has_unstorable_text(request.path_info):
        return True
    if any(has_unstorable_text([key, *values]) for key, values in request.GET.lists()):
        return True
    if request.method == "POST":
        # the form fields, not the files; CsrfViewMiddleware reads request.POST just as early
        return any(has_unstorable_text([key, *values]) for key, values in request.POST.lists())
    return False


class RefuseUnstorableTextMiddleware:
    """400 for an HTML request whose path, query or posted form holds NUL."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(API_PREFIX) and request_has_unstorable_text(request):
            return HttpResponseBadRequest(
                _("The request contains characters that cannot be stored."),
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
