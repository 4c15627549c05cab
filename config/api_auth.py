"""Who is calling the JSON API: an integration's API key or the browser's session.

Project glue rather than ``core``: the key check lives in ``accounts``, which sits above the
kernel's base and must not be imported by it.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import APIKeyHeader

from aftersales.accounts.services import apikey_authenticate
from aftersales.core.api import ActiveSessionAuth


class ApiKeyAuth(APIKeyHeader):
    """``X-API-Key: <prefix>.<secret>``; the key acts as its integration user."""

    param_name = "X-API-Key"

    def authenticate(self, request: HttpRequest, key: str | None):
        user = apikey_authenticate(key or "")
        if user is None:
            return None
        request.user = user
        return user


AUTH = [ApiKeyAuth(), ActiveSessionAuth()]
