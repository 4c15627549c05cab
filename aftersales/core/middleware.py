from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from .request_context import client_address, client_ip, from_trusted_proxy

FORWARDED_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST")


class UntrustedForwardingMiddleware:
    """Drop ``X-Forwarded-*`` headers unless the connection comes from a proxy listed in
    ``TRUSTED_PROXIES``: a client cannot claim HTTPS (``SECURE_PROXY_SSL_HEADER``) or another
    address by writing the headers itself."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not from_trusted_proxy(request):
            for name in FORWARDED_HEADERS:
                request.META.pop(name, None)
        return self.get_response(request)


class RequestContextMiddleware:
    """Remember the client address for the audit log of this request (behind a trusted proxy,
    the address it forwarded: ``core.request_context.client_address``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = client_ip.set(client_address(request))
        try:
            return self.get_response(request)
        finally:
            client_ip.reset(token)


LAST_SEEN = "_idle_last_seen"
IDLE_LIMIT = "_idle_limit"
# the session is written at most once a minute for the clock, not on every request
TOUCH_EVERY = 60


def idle_clock_start(request: HttpRequest, user) -> None:
    """Start the idle clock at sign-in (``user_logged_in``), so requests within the first
    minute write nothing to the session."""
    session = getattr(request, "session", None)
    if session is None:
        return
    staff = getattr(user, "is_staff_member", True)
    session[IDLE_LIMIT] = settings.STAFF_IDLE_TIMEOUT if staff else settings.CUSTOMER_IDLE_TIMEOUT
    session[LAST_SEEN] = int(time.time())


class IdleTimeoutMiddleware:
    """Sign a user out after a spell without requests: ``STAFF_IDLE_TIMEOUT`` seconds for
    staff, ``CUSTOMER_IDLE_TIMEOUT`` for portal customers. The next page then asks them to
    sign in again (an API call with the session answers 401).

    Cheap: the limit and the clock are set at sign-in (:func:`idle_clock_start`); the time of
    the last request lives in the session and is written back at most once a minute, so no
    request writes more than the session store does already."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and session.get(SESSION_KEY) is not None:
            now = int(time.time())
            last = session.get(LAST_SEEN)
            limit = session.get(IDLE_LIMIT)
            if last is not None and limit is not None and now - last > limit:
                logout(request)
                messages.info(
                    request,
                    _(
                        "You were signed out after %(minutes)d minutes without activity. "
                        "Please sign in again."
                    )
                    % {"minutes": limit // 60},
                )
            elif limit is None:  # a session from before the clock existed
                idle_clock_start(request, request.user)
            elif last is None or now - last >= TOUCH_EVERY:
                session[LAST_SEEN] = now
        return self.get_response(request)


class NoStoreMiddleware:
    """Pages and API answers carry personal data: no browser or proxy keeps a copy
    (``Cache-Control: no-store``), files served to a signed-in user included. Static files are
    answered before this (WhiteNoise) and keep their caching; a response that declares itself
    ``public``, or ``no-store`` already, keeps its own header."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        declared = response.get("Cache-Control", "")
        if "public" not in declared and "no-store" not in declared:
            if response.has_header("Cache-Control"):
                del response["Cache-Control"]
            add_never_cache_headers(response)
        return response
