"""What the matrix must cover: the API's operations as its OpenAPI schema lists them and the
site's URL patterns as the root resolver holds them."""

from __future__ import annotations

import re
from functools import cache

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

from .matrix import ADMIN

_CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")


@cache
def api_operations() -> tuple[str, ...]:
    """``"METHOD /path"`` of every operation of the API, sorted."""
    from config.api import api

    schema = api.get_openapi_schema()
    return tuple(sorted(f"{m.upper()} {p}" for p, ops in schema["paths"].items() for m in ops))


def _walk(resolver: URLResolver, prefix: str, namespace: str):
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry, route, inner)
        elif isinstance(entry, URLPattern):
            name = entry.name or route
            yield route, f"{namespace}:{name}" if namespace else name


@cache
def url_patterns() -> tuple[str, ...]:
    """The name (``namespace:name``, or the route when unnamed) of every HTML URL pattern,
    sorted: the API's operations are covered by their own rows, static and media files are no
    page, and the admin site counts as one."""
    api_paths = {op.split(" ", 1)[1] for op in api_operations()}
    skip = tuple(p.lstrip("/") for p in (settings.STATIC_URL, settings.MEDIA_URL) if p and p != "/")
    names = set()
    for route, name in _walk(get_resolver(), "", ""):
        if skip and route.startswith(skip):
            continue
        if name.startswith("admin:"):
            names.add(ADMIN)
        elif "/" + _CONVERTER.sub(r"{\1}", route) not in api_paths:
            names.add(name)
    return tuple(sorted(names))
