"""The queue and the API list filter cases with one class (style: one filter for HTML and API)."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.http import QueryDict

from aftersales.cases.api_schemas import CaseQuery
from aftersales.cases.filters import CaseFilterForm
from aftersales.cases.models import Case
from aftersales.cases.selectors import case_list


def test_api_query_parameters_are_the_filter_form_fields():
    assert set(CaseQuery.model_fields) == set(CaseFilterForm.base_fields)


@pytest.mark.django_db
def test_queue_and_api_return_the_same_cases(client, users, cases):
    agent = users["agent"]
    client.force_login(agent)
    query = {"state": "open", "sort": "priority", "case_type": "repair_request"}
    api = client.get("/api/v1/cases", query).json()["items"]
    form = CaseFilterForm(QueryDict(urlencode(query)), user=agent)
    assert form.is_valid()
    expected = list(
        form.apply(case_list(user=agent)).order_by(*form.order).values_list("number", flat=True)
    )
    assert [c["number"] for c in api] == expected
    page = client.get("/cases/", query).content.decode()
    for number in expected:
        assert f'data-number="{number}"' in page
    hidden = Case.objects.exclude(number__in=expected).values_list("number", flat=True)
    for number in hidden:
        assert f'data-number="{number}"' not in page
