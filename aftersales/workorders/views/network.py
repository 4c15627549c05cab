"""Staff skills and certificates (R13.2) and service-center coverage (R14)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from aftersales.accounts.models import User
from aftersales.accounts.roles import Role
from aftersales.core.access import staff_required
from aftersales.core.errors import DomainError
from aftersales.core.forms import add_domain_error

from .. import coverage, staff
from ..dispatch import open_load, technicians
from ..forms import (
    CertificateForm,
    SkillForm,
    SkillRemoveForm,
    TrainingForm,
)

FORMS = {
    "certificate": CertificateForm,
    "skill": SkillForm,
    "skill_remove": SkillRemoveForm,
    "training": TrainingForm,
}
DONE = {
    "certificate": gettext_lazy("The certificate was added."),
    "skill": gettext_lazy("The skill was granted."),
    "skill_remove": gettext_lazy("The skill was removed."),
    "training": gettext_lazy("The training record was added."),
}


def _skills_write(actor: User, action: str, holder: User, data: dict) -> None:
    """Call the staff service the submitted form stands for."""
    if action == "skill":
        staff.skill_grant(actor=actor, user=holder, skill=data["skill"], level=data["level"])
    elif action == "skill_remove":
        staff.skill_remove(actor=actor, user=holder, skill=data["skill"])
    elif action == "training":
        staff.training_add(
            actor=actor,
            user=holder,
            title=data["title"],
            trained_on=data["trained_on"],
            hours=data["hours"],
            result=data["result"],
        )
    else:
        staff.certificate_add(
            actor=actor,
            user=holder,
            cert_type=data["cert_type"],
            level=data["level"],
            number=data["number"],
            issued_on=data["issued_on"],
            expires_on=data["expires_on"],
        )


@staff_required("workorders.manage_skills")
@require_http_methods(["GET", "POST"])
def skills(request: HttpRequest) -> HttpResponse:
    """Technicians' skills, certificates and training (R13.2), with the forms that grant or
    remove a skill and add a certificate or a training record; each goes through a staff
    service that writes the audit record."""
    action = request.POST.get("action", "certificate") if request.method == "POST" else ""
    if request.method == "POST" and action not in FORMS:
        action = "certificate"
    forms_by = {
        name: cls(
            request.POST if name == action else None, prefix=None if name == "certificate" else name
        )
        for name, cls in FORMS.items()
    }
    status = 200
    if request.method == "POST":
        form = forms_by[action]
        if form.is_valid():
            data = form.cleaned_data
            holder = get_object_or_404(User, pk=data["technician"], groups__name=Role.TECHNICIAN)
            try:
                _skills_write(request.user, action, holder, data)
            except DomainError as exc:
                add_domain_error(form, exc)
                status = 422
            else:
                messages.success(request, str(DONE[action]))
                return redirect("workorders:skills")
        else:
            status = 422
    techs = technicians()
    ids = [t.pk for t in techs]
    from ..models import Certificate, TechnicianSkill, TrainingRecord

    skills_by: dict[int, list] = {}
    for row in TechnicianSkill.objects.filter(user_id__in=ids).select_related("skill"):
        skills_by.setdefault(row.user_id, []).append(row)
    certs_by: dict[int, list] = {}
    for cert in Certificate.objects.filter(user_id__in=ids):
        certs_by.setdefault(cert.user_id, []).append(cert)
    trainings_by: dict[int, list] = {}
    for tr in TrainingRecord.objects.filter(user_id__in=ids):
        trainings_by.setdefault(tr.user_id, []).append(tr)
    load = open_load()
    rows = [
        {
            "tech": t,
            "skills": skills_by.get(t.pk, []),
            "certificates": certs_by.get(t.pk, []),
            "trainings": trainings_by.get(t.pk, [])[:3],
            "load": load.get(t.pk, 0),
        }
        for t in techs
    ]
    return render(
        request,
        "workorders/skills.html",
        {
            "rows": rows,
            "expiring": staff.certificates_expiring(),
            "form": forms_by["certificate"],
            "skill_form": forms_by["skill"],
            "skill_remove_form": forms_by["skill_remove"],
            "training_form": forms_by["training"],
            "action": action,
        },
        status=status,
    )


@staff_required("workorders.dispatch_workorder")
@require_GET
def coverage_page(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "workorders/coverage.html",
        {"centers": coverage.center_load(), "gaps": coverage.uncovered_orders()},
    )
