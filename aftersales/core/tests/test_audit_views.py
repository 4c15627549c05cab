"""The audit log screen (R16.2): who may browse it, filters, keyset pages, read-only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from aftersales.core.audit import audit_record
from aftersales.core.models import AuditLog

pytestmark = pytest.mark.django_db

URL = "core:audit_log"


def who(users, customers, role: str):
    if role == "anon":
        return None
    if role == "customer":
        return customers["alice"].user
    return users[role]


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anon", "login"),
        ("customer", 403),
        ("agent", 403),
        ("technician", 403),
        ("parts_keeper", 403),
        ("dispatcher", 403),
        ("supervisor", 200),
        ("auditor", 200),
        ("administrator", 200),
    ],
)
def test_audit_log_permission_matrix(client, users, customers, role, expected):
    user = who(users, customers, role)
    if user is not None:
        client.force_login(user)
    response = client.get(reverse(URL))
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
        return
    assert response.status_code == expected
    body = response.content.decode()
    if expected == 200:
        assert 'data-testid="audit-row"' in body and "user.create" in body
    else:
        assert "user.create" not in body


def test_audit_log_is_read_only(client, users):
    client.force_login(users["supervisor"])
    count = AuditLog.objects.count()
    for method in (client.post, client.put, client.delete):
        assert method(reverse(URL)).status_code == 405
    assert AuditLog.objects.count() == count


def test_audit_log_filters(client, users, customers):
    supervisor = users["supervisor"]
    client.force_login(supervisor)
    contact = customers["alice"].contacts.get()
    audit_record(actor=supervisor, action="personal_data.reveal", obj=contact, object_repr="张*丰")
    url = reverse(URL)
    html = client.get(url, {"action": "personal_data."}).content.decode()
    assert html.count('data-testid="audit-row"') == 1 and "personal_data.reveal" in html
    html = client.get(url, {"object_type": "customers.customer", "system": "on"}).content.decode()
    assert html.count('data-testid="audit-row"') == 2  # alice and bob
    assert 'data-action="user.create"' not in html
    html = client.get(url, {"actor": "supervisor"}).content.decode()
    assert html.count('data-testid="audit-row"') == 1
    today = timezone.localdate()
    html = client.get(
        url, {"date_from": today.isoformat(), "date_to": today.isoformat(), "system": "on"}
    ).content
    assert html.decode().count('data-testid="audit-row"') == min(AuditLog.objects.count(), 50)
    yesterday = (today - dt.timedelta(days=1)).isoformat()
    html = client.get(url, {"date_to": yesterday}).content.decode()
    assert 'data-testid="audit-empty"' in html


def test_audit_log_bad_filters_are_422(client, users):
    client.force_login(users["auditor"])
    today = timezone.localdate()
    response = client.get(
        reverse(URL),
        {"date_from": today.isoformat(), "date_to": (today - dt.timedelta(days=3)).isoformat()},
    )
    assert response.status_code == 422
    assert 'data-testid="filter-errors"' in response.content.decode()
    assert client.get(reverse(URL), {"cursor": "%%%"}).status_code == 422


def test_audit_log_keyset_pages_and_htmx(client, users):
    auditor = users["auditor"]
    for i in range(1, 61):
        audit_record(actor=auditor, action="test.page", object_type="x", object_id=i)
    client.force_login(auditor)
    url = reverse(URL)
    first = client.get(url, {"action": "test.page"}).content.decode()
    assert first.count('data-testid="audit-row"') == 50
    assert 'data-testid="first-page"' not in first
    href = first.split('data-testid="next-page" href="')[1].split('"')[0].replace("&amp;", "&")
    second = client.get(
        url + href, headers={"HX-Request": "true", "HX-Target": "audit-results"}
    ).content.decode()
    assert second.lstrip().startswith('<div id="audit-results"')
    assert second.count('data-testid="audit-row"') == 10
    assert 'data-testid="next-page"' not in second and 'data-testid="first-page"' in second
    assert "x #1<" in second and "x #60<" not in second and "x #11<" not in second


def test_audit_log_query_count_is_constant(client, users, django_assert_max_num_queries):
    auditor = users["auditor"]
    client.force_login(auditor)
    url = reverse(URL)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    few = len(ctx.captured_queries)
    for i in range(40):
        audit_record(actor=auditor, action="test.count", object_type="x", object_id=i)
    with django_assert_max_num_queries(few):
        assert client.get(url).status_code == 200
