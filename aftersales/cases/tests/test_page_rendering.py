"""The shortcuts that make the queue and the case page cheap render what the slow way did.

* the case page's form fields written in Python (``case_ui.render_widget``) are byte for byte
  Django's widget templates, for every field of the page's forms and for awkward values;
* the queue's rows prepared in one pass carry the labels, classes, masked names and links the
  per-row filters gave;
* the navigation flags are worked out once per request and again for another user.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django import forms
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import override

from aftersales.cases.choices import CaseType, Priority
from aftersales.cases.forms import AssignForm, CaseEditForm, MessageForm, extra_form
from aftersales.cases.templatetags.case_ui import (
    bs,
    priority_class,
    priority_label,
    render_widget,
    status_class,
    status_label,
    type_label,
)
from aftersales.cases.views.queue import _queue_rows
from aftersales.conftest import make_case
from aftersales.customers.templatetags.customer_privacy import name_for
from config.context_processors import navigation

pytestmark = pytest.mark.django_db


def same_as_django(form: forms.BaseForm) -> int:
    """Every field of ``form`` rendered both ways, with and without extra classes."""
    for field in form:
        for attrs in ({}, {"class": "form-control form-control-sm is-invalid"}):
            assert str(render_widget(field, dict(attrs))) == str(
                field.as_widget(attrs=dict(attrs))
            ), field.name
    return len(form.fields)


class Awkward(forms.Form):
    text = forms.CharField(initial="他说 \"<b>好</b>\" & '走'", help_text="x")
    safe = forms.CharField(initial=mark_safe("<i>safe</i>"))
    number = forms.IntegerField(initial=1234567, localize=True)
    decimal = forms.DecimalField(initial="12.50")
    day = forms.DateField(
        initial=dt.date(2026, 3, 1), widget=forms.DateInput(attrs={"type": "date"})
    )
    when = forms.DateTimeField(initial=dt.datetime(2026, 3, 1, 8, 30))
    flag = forms.BooleanField(initial=True, required=False)
    off = forms.BooleanField(initial=False, required=False)
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True), initial="a<b")
    hidden = forms.CharField(widget=forms.HiddenInput, initial=7)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), initial="一\n<二>")
    empty_notes = forms.CharField(widget=forms.Textarea, required=False)
    choice = forms.ChoiceField(
        choices=[("", "—"), ("a", "甲 & <乙>"), ("组", [("b", "丙"), ("c", '"丁"')])],
        initial="c",
    )
    many = forms.MultipleChoiceField(choices=[("1", "一"), ("2", "二"), ("3", "三")])
    radio = forms.ChoiceField(choices=[("x", "X"), ("y", "Y")], widget=forms.RadioSelect)
    upload = forms.FileField(required=False)


def test_widgets_are_written_as_django_writes_them():
    assert same_as_django(Awkward()) == 16
    bound = Awkward(data={"text": "", "choice": "nope", "many": ["1", "3"], "number": "x"})
    assert not bound.is_valid()
    assert same_as_django(bound) == 16
    with override("zh-hans"):
        assert same_as_django(Awkward(auto_id="edit_%s", prefix="p")) == 16


def test_case_page_forms_are_written_as_django_writes_them(cases, users):
    case = cases["alice_a"]
    assert same_as_django(AssignForm(initial={"version": 1, "team": case.team_id}))
    assert same_as_django(CaseEditForm(initial=CaseEditForm.initial_for(case), case=case))
    assert same_as_django(MessageForm(auto_id="reply_%s"))
    for case_type in CaseType.values:
        assert same_as_django(extra_form(case_type)) >= 0
    invalid = CaseEditForm(data={"title": "", "priority": "nope"}, case=case)
    assert not invalid.is_valid()
    assert same_as_django(invalid)
    # the filter keeps Bootstrap's classes and marks errors
    html = str(bs(invalid["title"], "form-control"))
    assert 'class="form-control is-invalid"' in html and 'aria-invalid="true"' in html


def test_case_page_still_shows_its_forms(client, cases, users):
    client.force_login(users["supervisor"])
    case = cases["alice_a"]
    page = client.get(reverse("cases:case_detail", args=[case.number])).content.decode()
    assign = AssignForm(initial={"version": case.version, "team": case.team_id})
    assert str(assign["team"].as_widget(attrs={"class": "form-select form-select-sm"})) in page
    # the edit form is not rendered with the page: its panel fetches it when first opened
    edit_url = reverse("cases:case_edit", args=[case.number])
    assert 'data-testid="edit-form"' not in page
    assert f'hx-get="{edit_url}" hx-trigger="toggle once"' in page
    assert f'href="{edit_url}"' in page  # without JavaScript: the edit page
    panel = client.get(edit_url, headers={"HX-Request": "true"}).content.decode()
    form = CaseEditForm(initial=CaseEditForm.initial_for(case), case=case)
    assert str(form["priority"].as_widget(attrs={"class": "form-select form-select-sm"})) in panel
    assert 'data-testid="edit-form"' in panel and "<html" not in panel


def test_queue_rows_match_the_filters(customers, org, users):
    made = []
    for i in range(4):
        made.append(
            make_case(
                customers["alice" if i % 2 else "bob"],
                team=org["team_a"],
                priority=Priority.values[i % len(Priority.values)],
                case_type="repair_request" if i % 2 else "complaint",
            )
        )
    for username in ("agent", "technician", "supervisor"):
        user = users[username]
        with override("zh-hans"):
            rows = _queue_rows(made, user)
            for row, case in zip(rows, made, strict=True):
                assert row["url"] == reverse("cases:case_detail", args=[case.number])
                assert row["status_label"] == str(status_label(case.status))
                assert row["status_class"] == status_class(case.status)
                assert row["priority_label"] == str(priority_label(case.priority))
                assert row["priority_class"] == priority_class(case.priority)
                assert row["type_label"] == str(type_label(case.case_type))
                assert row["customer"] == name_for(case.customer.name, user)
                created = timezone.localtime(case.created_at)
                assert row["created"] == created.strftime("%Y-%m-%d %H:%M")
    # a role without customer access sees masked names (the filter's rule, once per page)
    masked = {r["customer"] for r in _queue_rows(made, users["technician"])}
    plain = {r["customer"] for r in _queue_rows(made, users["supervisor"])}
    assert not users["technician"].has_perm("customers.view_customer")
    assert all("*" not in name for name in plain)
    assert masked != plain and all("*" in name for name in masked)


def test_navigation_is_worked_out_once_per_request_and_user(users, django_assert_num_queries):
    request = RequestFactory().get("/")
    request.user = users["agent"]
    first = navigation(request)
    assert first["nav_can_cases"] is True
    with django_assert_num_queries(0):
        assert navigation(request) is first
    request.user = users["supervisor"]  # signed in as someone else within the request
    again = navigation(request)
    assert again is not first
    assert again["nav_can_dispatch"] == users["supervisor"].has_perm(
        "workorders.dispatch_workorder"
    )


# The queue row as the template wrote it before rows were written in Python (views/queue.py).
ROW_TEMPLATE = (
    '{% load i18n %}{% with case=row.case %}<tr data-testid="case-row" data-number="{{ '
    'case.number }}"> <td><a data-testid="case-link" href="{{ row.url }}" '
    'class="fw-semibold text-decoration-none">{{ case.number }}</a> <div '
    'class="d-sm-none"><span class="badge {{ row.status_class }}">{{ row.status_label '
    '}}</span></div></td> <td class="title"> {{ case.title }} <div class="d-sm-none small '
    'text-body-secondary">{{ row.customer }} · {{ row.priority_label }}{% if '
    'case.assignee %} · {{ case.assignee }}{% endif %}</div> </td> <td class="hide-sm">{{ '
    'row.type_label }}</td> <td class="hide-sm"><span class="badge {{ row.status_class '
    '}}" data-testid="row-status">{{ row.status_label }}</span></td> <td '
    'class="hide-sm"><span class="badge {{ row.priority_class }}">{{ row.priority_label '
    '}}</span></td> <td>{% if row.due %}<time datetime="{{ row.due_iso }}" title="{{ '
    'row.due_title }}" data-testid="due-cell" data-overdue="{{ '
    "row.overdue|yesno:'true,false' }}\" class=\"small text-nowrap{% if row.overdue %} "
    "text-danger fw-semibold{% elif row.soon %} text-warning-emphasis fw-semibold{% endif "
    '%}">{% if row.overdue %}<i class="bi bi-alarm"></i> {% blocktranslate with '
    "span=row.due_span %}{{ span }} overdue{% endblocktranslate %}{% else %}{% "
    "blocktranslate with span=row.due_span %}{{ span }} left{% endblocktranslate %}{% "
    'endif %}</time>{% else %}<span class="text-body-secondary">—</span>{% endif %}</td> '
    '<td class="hide-sm">{{ row.customer }}</td> <td class="hide-sm">{{ '
    'case.team|default:"—" }}</td> <td class="hide-sm">{{ case.assignee|default:"—" '
    '}}</td> <td class="hide-sm"><time datetime="{{ row.created_iso }}">{{ row.created '
    "}}</time></td> </tr> {% endwith %}"
)


def _squeeze(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", html)).strip()


def test_queue_row_html_is_what_the_row_template_wrote(customers, org, users):
    """Every kind of row — overdue, due soon, far off, no clock, no team or assignee, a title
    and a customer name with markup — rendered by ``_row_html`` and by the template."""
    from django.template import Context, Template

    from aftersales.cases.models import SLA_NO_DUE, Case

    evil = make_case(
        customers["alice"],
        team=None,
        title='<script>alert("x")</script> & “空调”',
        priority=Priority.URGENT,
    )
    customers["bob"].name = '李四 <b>"VIP"</b>'
    customers["bob"].save(update_fields=["name"])
    plain = make_case(customers["bob"], team=org["team_a"], assignee=users["agent"])
    now = timezone.now()
    cases = []
    for case, due in (
        (evil, now - dt.timedelta(hours=3)),
        (plain, now + dt.timedelta(minutes=20)),
        (plain, now + dt.timedelta(days=3)),
        (evil, None),
    ):
        fresh = Case.objects.select_related("customer", "team", "assignee").get(pk=case.pk)
        fresh.sla_due_at = due or SLA_NO_DUE
        cases.append(fresh)
    template = Template(ROW_TEMPLATE)
    for language in ("zh-hans", "en"):
        for username in ("agent", "technician"):
            with override(language):
                rows = _queue_rows(cases, users[username])
                assert [r["overdue"] for r in rows] == [True, False, False, False]
                assert [r["soon"] for r in rows] == [False, True, False, False]
                assert not rows[3]["due"]
                for row in rows:
                    expected = template.render(Context({"row": row}))
                    assert _squeeze(str(row["html"])) == _squeeze(expected)
    assert "<script>" not in rows[0]["html"] and "&lt;script&gt;" in rows[0]["html"]


# ``cases/partials/_form_field.html`` before it became the ``form_field`` tag (case_ui).
FIELD_TEMPLATE = (
    '{% load case_ui %}{% with widget_type=field.widget_type %}<div class="{{ '
    "wrapper_class|default:'mb-2' }}\">\n  {% if widget_type == 'checkbox' %}\n  <div "
    'class="form-check">\n    {{ field|bs:"form-check-input" }}\n    <label '
    'class="form-check-label" for="{{ field.id_for_label }}">{{ field.label '
    '}}</label>\n  </div>\n  {% else %}\n  <label class="form-label small mb-0" for="{{ '
    'field.id_for_label }}">{{ field.label }}{% if field.field.required %} <span '
    'class="text-danger" aria-hidden="true">*</span>{% endif %}</label>\n  {% if '
    "widget_type == 'select' or widget_type == 'nullbooleanselect' %}{{ "
    'field|bs:"form-select form-select-sm" }}{% else %}{{ field|bs:"form-control '
    'form-control-sm" }}{% endif %}\n  {% endif %}\n  {% for error in field.errors '
    '%}<div class="invalid-feedback d-block" data-testid="error-{{ field.name }}">{{ '
    'error }}</div>{% endfor %}\n  {% if field.help_text %}<div class="form-text">{{ '
    "field.help_text }}</div>{% endif %}\n</div>{% endwith %}\n"
)


def test_form_field_tag_is_what_the_field_template_wrote(cases):
    """Every field of the awkward form and the case page's forms, unbound, bound with errors,
    with and without a wrapper class, in both languages: the tag's markup is the template's."""
    from django.template import Context, Template

    from aftersales.cases.templatetags.case_ui import form_field

    template = Template(FIELD_TEMPLATE)
    case = cases["alice_a"]
    checked = 0
    for language in ("zh-hans", "en"):
        with override(language):
            bound = Awkward(data={"text": "", "choice": "nope", "many": ["1", "3"], "number": "x"})
            assert not bound.is_valid()
            invalid = CaseEditForm(data={"title": "", "priority": "nope"}, case=case)
            assert not invalid.is_valid()
            for form in (
                Awkward(),
                bound,
                AssignForm(initial={"version": 1, "team": case.team_id}),
                CaseEditForm(initial=CaseEditForm.initial_for(case), case=case),
                invalid,
                *(extra_form(case_type) for case_type in CaseType.values),
            ):
                for field in form:
                    for wrapper in ("", "col-6 col-md-4"):
                        expected = template.render(
                            Context({"field": field, "wrapper_class": wrapper})
                        )
                        # the same markup; only whitespace between tags may differ
                        assert _squeeze(str(form_field(field, wrapper))) == _squeeze(expected), (
                            field.name
                        )
                        checked += 1
    assert checked > 100
