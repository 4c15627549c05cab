"""Where each role lands, the grouped menu the roles allow, the current page marked in it, and
the administrator's settings home."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from aftersales.accounts.roles import Role
from aftersales.conftest import make_user

PASSWORD = "pw-Test-12345"

LANDING = {
    "administrator": "core:settings",
    "supervisor": "cases:queue",
    "agent": "cases:queue",
    "dispatcher": "workorders:board",
    "technician": "workorders:my_jobs",
    "complaint_officer": "cases:queue",
    "parts_keeper": "parts:part_list",
    "auditor": "cases:queue",
}


class _Links(HTMLParser):
    """The links and menu buttons inside the main navigation bar."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0  # >0 while inside <nav data-testid="navbar">
        self.links: list[dict[str, str]] = []
        self.groups: list[dict[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "nav" and a.get("data-testid") == "navbar":
            self.depth = 1
        elif tag == "nav" and self.depth:
            self.depth += 1
        elif self.depth and tag == "a":
            self.links.append(a)
        elif self.depth and tag == "button" and a.get("data-testid", "").startswith("nav-group"):
            self.groups.append(a)

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav" and self.depth:
            self.depth -= 1


def navbar(html: str) -> _Links:
    parser = _Links()
    parser.feed(html)
    assert parser.links, "no navigation bar on the page"
    return parser


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(LANDING))
def test_each_role_lands_on_its_own_work_after_sign_in_and_at_home(role, users):
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": role, "password": PASSWORD}, follow=True
    )
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse(LANDING[role])
    again = client.get("/")
    assert again.status_code == 302 and again["Location"] == reverse(LANDING[role])
    # the landing page is in the role's menu, marked as the page shown
    current = [a for a in navbar(response.content.decode()).links if "aria-current" in a]
    assert [a["href"] for a in current] == [reverse(LANDING[role])]


@pytest.mark.django_db
def test_the_customer_lands_in_the_portal(customers):
    response = signed_in(customers["alice"].user).get("/")
    assert response["Location"] == reverse("portal:case_list")


@pytest.mark.django_db
def test_a_person_with_several_roles_lands_where_the_first_role_in_the_table_works(org):
    both = make_user("both", Role.PARTS_KEEPER)
    both.groups.add(Group.objects.get(name=Role.DISPATCHER))
    assert signed_in(both).get("/")["Location"] == reverse("workorders:board")


@pytest.mark.django_db
def test_a_role_without_screens_gets_a_welcome_page_not_a_refusal(org):
    Group.objects.create(name="trainee")
    trainee = make_user("trainee", Role.AGENT)
    trainee.groups.set([Group.objects.get(name="trainee")])
    response = signed_in(trainee).get("/", follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="role-home"' in page
    assert "parts module" not in page  # the old "coming later" text is gone


@pytest.mark.django_db
def test_menu_groups_follow_the_roles(users):
    def hrefs(user, url):
        return {a["href"] for a in navbar(signed_in(user).get(url).content.decode()).links}

    queue = reverse("cases:queue")
    sla_report = reverse("routing:sla_report")
    supervisor = hrefs(users["supervisor"], queue)
    assert {queue, reverse("cases:intake"), sla_report, reverse("core:audit_log")} <= supervisor
    assert reverse("routing:rule_list") in supervisor and reverse("sla:policy_list") in supervisor

    technician = hrefs(users["technician"], reverse("workorders:my_jobs"))
    assert reverse("workorders:my_jobs") in technician and reverse("parts:my_van") in technician
    assert reverse("workorders:board") not in technician
    assert reverse("customers:customer_list") not in technician

    keeper = hrefs(users["parts_keeper"], reverse("parts:part_list"))
    assert {reverse("parts:part_list"), reverse("purchasing:order_list")} <= keeper
    assert queue not in keeper and sla_report not in keeper

    agent = hrefs(users["agent"], queue)
    assert reverse("cases:intake") in agent and reverse("parts:part_list") not in agent
    assert reverse("core:settings") not in agent and sla_report not in agent

    admin = hrefs(users["administrator"], reverse("core:settings"))
    assert {reverse("core:settings"), reverse("admin:index"), sla_report} <= admin


@pytest.mark.django_db
def test_the_page_shown_is_marked_current_and_a_page_below_an_entry_marks_its_group(users, cases):
    client = signed_in(users["supervisor"])
    report = navbar(client.get(reverse("routing:sla_report")).content.decode())
    current = [a for a in report.links if a.get("aria-current") == "page"]
    assert [a["href"] for a in current] == [reverse("routing:sla_report")]
    assert "active" in current[0]["class"].split()
    active_groups = [g["data-testid"] for g in report.groups if "active" in g["class"].split()]
    assert active_groups == ["nav-group-reports"]

    # a case page is below the queue: the cases group is highlighted, no entry is "the page"
    case_page = navbar(
        client.get(reverse("cases:case_detail", args=[cases["alice_a"].number])).content.decode()
    )
    assert not [a for a in case_page.links if a.get("aria-current") == "page"]
    active = [a["href"] for a in case_page.links if "active" in a.get("class", "").split()]
    assert active == [reverse("cases:queue")]
    assert [g["data-testid"] for g in case_page.groups if "active" in g["class"].split()] == [
        "nav-group-cases"
    ]


@pytest.mark.django_db
def test_the_settings_home_lists_what_the_administrator_keeps(users):
    page = signed_in(users["administrator"]).get(reverse("core:settings"))
    assert page.status_code == 200
    html = page.content.decode()
    for name in (
        "admin:accounts_user_changelist",
        "admin:accounts_team_changelist",
        "admin:accounts_servicecenter_changelist",
        "routing:rule_list",
        "sla:policy_list",
        "calendars:calendar_list",
    ):
        assert f'href="{reverse(name)}"' in html, name
    assert len(re.findall('data-testid="settings-link"', html)) >= 10
    # the administration site's "view site" link leads back into the application
    assert signed_in(users["administrator"]).get("/")["Location"] == reverse("core:settings")


@pytest.mark.django_db
def test_the_settings_home_is_the_administrators(users):
    assert signed_in(users["supervisor"]).get(reverse("core:settings")).status_code == 403
    assert Client().get(reverse("core:settings")).status_code == 302
