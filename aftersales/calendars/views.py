"""Screens for working calendars (R2.2): list, a calendar's weekly hours and year of overrides,
override days, imports and a "try it" form. Supervisors read and try; administrators edit."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aftersales.core.access import staff_required
from aftersales.core.errors import DomainError, InvalidInput
from aftersales.core.forms import add_domain_error

from . import chinese_days, selectors, services
from .forms import (
    AbsenceForm,
    CalendarForm,
    DayForm,
    ImportCsvForm,
    ImportPackageForm,
    TryAddForm,
    TryBetweenForm,
    WeeklyForm,
)
from .intervals import format_intervals
from .models import CalendarDay, StaffAbsence, WorkingCalendar

VIEW = "calendars.view_workingcalendar"
MANAGE = "calendars.manage_calendar"


def _calendar(code: str) -> WorkingCalendar:
    try:
        return selectors.calendar_by_code(code)
    except InvalidInput as exc:
        raise Http404(str(exc.message)) from exc


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    return min(max(year, services.MIN_YEAR), services.MAX_YEAR)


def _version(form) -> int | None:
    return form.cleaned_data.get("version") or None


def _warning(request: HttpRequest) -> dict:
    if not request.user.has_perm(MANAGE):
        return {}
    year, missing = selectors.missing_next_year()
    return {"missing_year": year, "missing_calendars": missing}


@staff_required(VIEW)
@require_http_methods(["GET", "POST"])
def calendar_list(request: HttpRequest) -> HttpResponse:
    """Every calendar, what it belongs to and the years it knows; administrators add one."""
    form = CalendarForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm(MANAGE):
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                calendar = services.calendar_create(
                    actor=request.user,
                    code=data["code"],
                    name=data["name"],
                    owner_kind=data["owner_kind"],
                    service_center=data["service_center"],
                    team=data["team"],
                    tz=data["timezone"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("Calendar “%s” created.") % calendar.name)
                return redirect("calendars:calendar_detail", code=calendar.code)
    calendars = list(selectors.calendar_list())
    years = selectors.known_years_map(calendars)
    rows = [(c, years[c.pk]) for c in calendars]
    context = {"rows": rows, "form": form, "can_manage": request.user.has_perm(MANAGE)}
    status = 422 if form.errors else 200
    return render(
        request, "calendars/calendar_list.html", context | _warning(request), status=status
    )


def _detail_context(request: HttpRequest, calendar: WorkingCalendar, year: int, **extra) -> dict:
    weekly = selectors.weekly_rows(calendar)
    initial = {f"day_{row['weekday']}": row["text"] for row in weekly}
    return {
        "calendar": calendar,
        "year": year,
        "years": selectors.known_years(calendar),
        "weekly": weekly,
        "weekly_form": extra.pop("weekly_form", None)
        or WeeklyForm(initial={**initial, "version": calendar.version}),
        "months": selectors.calendar_year_view(calendar, year),
        "days": selectors.day_overrides(calendar, year),
        "inherited_days": (
            selectors.day_overrides(calendar.holidays_from, year)
            if calendar.holidays_from_id
            else []
        ),
        "day_form": extra.pop("day_form", None) or DayForm(initial={"version": calendar.version}),
        "add_form": TryAddForm(),
        "between_form": TryBetweenForm(),
        "can_manage": request.user.has_perm(MANAGE),
        **_warning(request),
        **extra,
    }


@staff_required(VIEW)
@require_GET
def calendar_detail(request: HttpRequest, code: str) -> HttpResponse:
    """Weekly hours, the year view of overrides, the overrides themselves and "try it"."""
    calendar = _calendar(code)
    context = _detail_context(request, calendar, _year(request))
    return render(request, "calendars/calendar_detail.html", context)


@staff_required(VIEW, MANAGE)
@require_POST
def weekly_edit(request: HttpRequest, code: str) -> HttpResponse:
    calendar = _calendar(code)
    form = WeeklyForm(request.POST)
    if form.is_valid():
        try:
            services.calendar_set_weekly(
                actor=request.user,
                calendar=calendar,
                weekly=form.weekly(),
                expected_version=_version(form),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Weekly working hours saved."))
            return redirect("calendars:calendar_detail", code=calendar.code)
    context = _detail_context(request, calendar, _year(request), weekly_form=form)
    return render(request, "calendars/calendar_detail.html", context, status=422)


@staff_required(VIEW, MANAGE)
@require_http_methods(["GET", "POST"])
def day_edit(request: HttpRequest, code: str) -> HttpResponse:
    """Add or change the override of a date (``?date=`` picks an existing one)."""
    calendar = _calendar(code)
    day = None
    if request.method == "GET":
        initial = {"version": calendar.version}
        if request.GET.get("date"):
            try:
                when = dt.date.fromisoformat(request.GET["date"])
            except ValueError:
                when = None
            day = CalendarDay.objects.filter(calendar=calendar, date=when).first() if when else None
            initial["date"] = when
            if day is not None:
                initial |= {
                    "kind": day.kind,
                    "name": day.name,
                    "intervals": format_intervals(day.intervals),
                }
        form = DayForm(initial=initial)
        return render(
            request, "calendars/day_edit.html", {"calendar": calendar, "form": form, "day": day}
        )
    form = DayForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.calendar_day_set(
                actor=request.user,
                calendar=calendar,
                date=data["date"],
                kind=data["kind"],
                name=data["name"],
                intervals=data["intervals"],
                expected_version=_version(form),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("%s saved.") % data["date"].isoformat())
            url = f"{calendar_url(calendar)}?year={data['date'].year}"
            return redirect(url)
    context = {"calendar": calendar, "form": form, "day": day}
    return render(request, "calendars/day_edit.html", context, status=422)


def calendar_url(calendar: WorkingCalendar) -> str:
    return reverse("calendars:calendar_detail", kwargs={"code": calendar.code})


@staff_required(VIEW, MANAGE)
@require_POST
def day_delete(request: HttpRequest, code: str) -> HttpResponse:
    calendar = _calendar(code)
    try:
        when = dt.date.fromisoformat(request.POST.get("date", ""))
        version = int(request.POST.get("version") or 0) or None
        services.calendar_day_delete(
            actor=request.user, calendar=calendar, date=when, expected_version=version
        )
    except ValueError:
        messages.error(request, _("The date is not valid."))
        return redirect(calendar_url(calendar))
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect(calendar_url(calendar))
    messages.success(request, _("The override of %s was removed.") % when.isoformat())
    return redirect(f"{calendar_url(calendar)}?year={when.year}")


@staff_required(VIEW, MANAGE)
@require_POST
def year_mark(request: HttpRequest, code: str) -> HttpResponse:
    """Declare a year complete (known) or unknown again."""
    calendar = _calendar(code)
    try:
        year = int(request.POST.get("year", ""))
        if request.POST.get("action") == "unmark":
            services.calendar_year_unmark(actor=request.user, calendar=calendar, year=year)
            messages.success(request, _("%s is no longer a known year.") % year)
        else:
            services.calendar_year_mark(actor=request.user, calendar=calendar, year=year)
            messages.success(request, _("%s is now a known year.") % year)
    except ValueError:
        messages.error(request, _("The year is not valid."))
        return redirect(calendar_url(calendar))
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect(calendar_url(calendar))
    return redirect(f"{calendar_url(calendar)}?year={year}")


@staff_required(VIEW)
@require_POST
def try_add(request: HttpRequest, code: str) -> HttpResponse:
    """The deadline a duration after an instant — the command line's answer, on the page."""
    calendar = _calendar(code)
    form = TryAddForm(request.POST)
    answer = None
    if form.is_valid():
        try:
            answer = selectors.worktime_add(
                calendar, form.cleaned_data["start"], form.cleaned_data["duration"], estimate=True
            )
        except DomainError as exc:
            add_domain_error(form, exc if exc.detail else InvalidInput(exc.message))
    context = {
        "calendar": calendar,
        "form": form,
        "answer": answer,
        "warning": selectors.estimate_warning(calendar) if answer and answer.estimated else "",
    }
    status = 200 if answer else 422
    if request.htmx:
        return render(request, "calendars/partials/_try_add.html", context, status=status)
    return render(request, "calendars/try_result.html", context, status=status)


@staff_required(VIEW)
@require_POST
def try_between(request: HttpRequest, code: str) -> HttpResponse:
    calendar = _calendar(code)
    form = TryBetweenForm(request.POST)
    delta = None
    if form.is_valid():
        try:
            delta = selectors.worktime_between(
                calendar, form.cleaned_data["start"], form.cleaned_data["end"]
            )
        except DomainError as exc:
            field = (exc.detail or {}).get("field") if isinstance(exc.detail, dict) else None
            form.add_error({"from": "start", "to": "end"}.get(field), str(exc.message))
    context = {
        "calendar": calendar,
        "between_form": form,
        "delta": delta,
        "minutes": selectors.working_minutes(delta) if delta is not None else None,
        "text": selectors.working_duration_text(delta) if delta is not None else "",
    }
    status = 200 if delta is not None else 422
    if request.htmx:
        return render(request, "calendars/partials/_try_between.html", context, status=status)
    return render(request, "calendars/try_result.html", context, status=status)


@staff_required(VIEW, MANAGE)
@require_http_methods(["GET", "POST"])
def calendar_import(request: HttpRequest, code: str) -> HttpResponse:
    """Import a year from the chinesecalendar package or a CSV file, with a dry run first."""
    calendar = _calendar(code)
    package_form = ImportPackageForm(
        request.POST if request.POST.get("source") == "package" else None,
        initial={"year": timezone.localdate().year + 1, "dry_run": True},
    )
    csv_form = ImportCsvForm(
        request.POST if request.POST.get("source") == "csv" else None,
        request.FILES or None,
        initial={"dry_run": True, "complete_years": True},
    )
    report, content, status = None, "", 200
    if request.method == "POST":
        form = package_form if request.POST.get("source") == "package" else csv_form
        if form.is_valid():
            data = form.cleaned_data
            try:
                if form is package_form:
                    report = services.calendar_import_package(
                        actor=request.user,
                        calendar=calendar,
                        year=data["year"],
                        dry_run=data["dry_run"],
                    )
                else:
                    # decoded once, and sent back with the dry run's report for the real run
                    content = services.decode_csv(data["content"])
                    report = services.calendar_import_csv(
                        actor=request.user,
                        calendar=calendar,
                        content=content,
                        dry_run=data["dry_run"],
                        complete_years=data["complete_years"],
                    )
            except DomainError as exc:
                add_domain_error(form, exc)
        if report is None or not report.ok:
            status = 422
        elif not report.dry_run:
            messages.success(
                request,
                _("Imported: %(new)s new, %(changed)s changed, %(same)s unchanged days.")
                % {
                    "new": report.count("create"),
                    "changed": report.count("update"),
                    "same": report.count("unchanged"),
                },
            )
            year = report.years[0] if report.years else timezone.localdate().year
            return redirect(f"{calendar_url(calendar)}?year={year}")
    context = {
        "calendar": calendar,
        "package_form": package_form,
        "csv_form": csv_form,
        "report": report,
        "counts": {k: report.count(k) for k in ("create", "update", "unchanged")} if report else {},
        "content": content,
        "package_years": sorted(chinese_days.package_years()),
        "package_version": chinese_days.package_version(),
        "source": request.POST.get("source", ""),
    }
    return render(request, "calendars/calendar_import.html", context, status=status)


ABSENCE_VIEW = "calendars.view_staffabsence"
ABSENCE_ADD = "calendars.add_staffabsence"
ABSENCE_DELETE = "calendars.delete_staffabsence"


@staff_required(ABSENCE_VIEW)
@require_http_methods(["GET", "POST"])
def absence_list(request: HttpRequest) -> HttpResponse:
    """Who is away now or later (leave, training); routing and dispatch skip them."""
    form = AbsenceForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm(ABSENCE_ADD):
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.staff_absence_create(
                    actor=request.user,
                    user=data["user"],
                    start=data["start"],
                    end=data["end"],
                    reason=data["reason"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("Absence of %s recorded.") % data["user"])
                return redirect("calendars:absence_list")
    context = {
        "absences": selectors.absence_list(),
        "form": form,
        "can_add": request.user.has_perm(ABSENCE_ADD),
        "can_delete": request.user.has_perm(ABSENCE_DELETE),
    }
    return render(
        request, "calendars/absence_list.html", context, status=422 if form.errors else 200
    )


@staff_required(ABSENCE_VIEW, ABSENCE_DELETE)
@require_POST
def absence_delete(request: HttpRequest, pk: int) -> HttpResponse:
    absence = StaffAbsence.objects.filter(pk=pk).first()
    if absence is None:
        raise Http404
    services.staff_absence_delete(actor=request.user, absence=absence)
    messages.success(request, _("Absence removed."))
    return redirect("calendars:absence_list")
