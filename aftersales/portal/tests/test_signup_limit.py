"""Portal sign-up is rate limited per client address."""

from __future__ import annotations

import pytest
from django.urls import reverse

from aftersales.accounts.models import User

pytestmark = pytest.mark.django_db


def _data(n: int) -> dict:
    return {
        "name": f"客户{n}",
        "phone": f"139 1234 {5600 + n}",
        "email": f"c{n}@example.cn",
        "username": f"customer{n}",
        "password1": "pw-Test-12345",
        "password2": "pw-Test-12345",
        "consent_privacy": "on",
    }


def test_signups_from_one_address_are_limited(client, settings):
    settings.SIGNUP_PER_CLIENT = 3
    settings.TRUSTED_PROXIES = ["10.0.0.2"]
    bulk = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    for n in range(3):
        assert client.post(reverse("portal:signup"), _data(n), **bulk).status_code == 302
        client.logout()
    refused = client.post(reverse("portal:signup"), _data(3), **bulk)
    assert refused.status_code == 429
    assert not User.objects.filter(username="customer3").exists()
    assert 'value="customer3"' in refused.content.decode()  # what was typed stays
    # another customer behind the same proxy signs up
    other = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    assert client.post(reverse("portal:signup"), _data(4), **other).status_code == 302
