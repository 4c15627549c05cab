"""The customer-history rule as a matrix (docs/adr/0006-customer-history-at-the-desk.md):
what each role gets of Bob's case, which team B holds, when team A's desk serves Bob — the
list of his cases, the search, the customer page, the intake look-up — and that an internal
note of team B's stays with team B."""

from __future__ import annotations

import pytest
from django.db import transaction

from .matrix import ACTORS

pytestmark = pytest.mark.django_db

# Bob's case in the list of his cases (GET /api/v1/cases?customer=), per actor: "yes" = listed,
# "no" = an empty list, or the refusal's status.
HISTORY_LIST = {
    "anonymous": 401,
    "customer": "no",  # Alice: only her own cases, never Bob's
    "agent": "yes",  # team A's agent: Bob's whole history
    "dispatcher": "yes",
    "technician": "no",  # nothing new: their own jobs only
    "complaint_officer": "yes",
    "parts_keeper": 403,  # nothing new: no cases at all
    "supervisor": "yes",
    "auditor": "yes",
    "administrator": "yes",
}
# Found by a word of its public text (GET /api/v1/search?q=漏水&kind=case)
SEARCH = {**HISTORY_LIST, "customer": "no"}


def _get(world, actor, path):
    client = world["clients"][actor]
    with transaction.atomic():
        response = client.get(path)
        transaction.set_rollback(True)
    return response


@pytest.mark.parametrize("actor", ACTORS)
def test_the_list_of_one_customers_cases(world, actor):
    other = world["other"]
    response = _get(world, actor, f"/api/v1/cases?customer={other['customer']}&state=all")
    want = HISTORY_LIST[actor]
    if isinstance(want, int):
        assert response.status_code == want
        return
    assert response.status_code == 200
    numbers = [item["number"] for item in response.json()["items"]]
    assert (other["case"] in numbers) == (want == "yes"), numbers


@pytest.mark.parametrize("actor", ACTORS)
def test_search_finds_the_other_teams_case_by_its_public_text(world, actor):
    response = _get(world, actor, "/api/v1/search?q=漏水&kind=case")
    want = SEARCH[actor]
    if isinstance(want, int):
        assert response.status_code == want
        return
    assert response.status_code == 200
    assert (world["other"]["case"] in response.content.decode()) == (want == "yes")


@pytest.mark.parametrize("actor", ["agent", "complaint_officer"])
def test_pages_of_the_desk_show_the_other_teams_case(world, actor):
    other = world["other"]
    page = _get(world, actor, f"/customers/{other['customer']}/").content.decode()
    assert f'data-number="{other["case"]}"' in page
    lookup = _get(world, actor, "/cases/intake/lookup/?q=4321").content.decode()
    assert other["case"] in lookup
    related = _get(world, actor, f"/cases/intake/related/?customer={other['customer']}")
    assert other["case"] in related.content.decode()
    detail = _get(world, actor, f"/cases/{other['case']}/").content.decode()
    assert 'data-testid="history-only"' in detail and 'data-testid="reply-form"' not in detail


@pytest.mark.parametrize("actor", ["agent", "complaint_officer", "technician"])
def test_the_other_teams_internal_note_stays_with_it(world, actor):
    from aftersales.cases.models import Case
    from aftersales.cases.services import case_note

    other = world["other"]
    client = world["clients"][actor]
    with transaction.atomic():
        case = Case.objects.get(number=other["case"])
        case_note(actor=world["users"]["supervisor"], case=case, body="内部核查赔偿金额")
        timeline = client.get(f"/api/v1/cases/{other['case']}/timeline")
        page = client.get(f"/cases/{other['case']}/")
        found = client.get("/api/v1/search?q=赔偿金额")
        transaction.set_rollback(True)
    if actor == "technician":
        assert timeline.status_code == 404 and page.status_code == 404
    else:
        assert timeline.status_code == 200 and "内部核查" not in timeline.content.decode()
        assert page.status_code == 200 and "内部核查" not in page.content.decode()
    assert other["case"] not in found.content.decode()
