"""Working calendars (R2.2): weekly working hours, dated overrides and the years they know.

A calendar belongs to the company, a service center or a team. Public holidays and make-up
working days (调休) are entered once on the company calendar; a team's or center's calendar takes
them from there (``holidays_from``) and only keeps its own hours and local days. ``version`` is
bumped by every edit of the calendar or anything under it, so compiled calendars cached in a
process know when they are stale.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OwnerKind(models.TextChoices):
    COMPANY = "company", _("Company")
    SERVICE_CENTER = "service_center", _("Service center")
    TEAM = "team", _("Team")


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Holiday (closed)")
    MAKEUP_WORKDAY = "makeup_workday", _("Make-up working day (调休)")
    SPECIAL_HOURS = "special_hours", _("Special hours")


class Source(models.TextChoices):
    PACKAGE = "package", _("chinesecalendar package")
    CSV = "csv", _("CSV import")
    MANUAL = "manual", _("Entered by hand")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class WorkingCalendar(models.Model):
    """The working time of the company, a service center or a team; deadlines count on it."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    owner_kind = models.CharField(
        _("belongs to"), max_length=20, choices=OwnerKind.choices, default=OwnerKind.COMPANY
    )
    service_center = models.ForeignKey(
        "accounts.ServiceCenter",
        verbose_name=_("service center"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="calendars",
    )
    team = models.ForeignKey(
        "accounts.Team",
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="calendars",
    )
    holidays_from = models.ForeignKey(
        "self",
        verbose_name=_("public holidays from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="followers",
        help_text=_("Take public holidays, make-up days and known years from this calendar."),
    )
    timezone = models.CharField(_("time zone"), max_length=60, default="Asia/Shanghai")
    is_default = models.BooleanField(_("company default"), default=False)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("working calendar")
        verbose_name_plural = _("working calendars")
        ordering = ["-is_default", "code"]
        permissions = [("manage_calendar", _("Can manage working calendars"))]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(owner_kind="company", service_center__isnull=True, team__isnull=True)
                    | models.Q(
                        owner_kind="service_center",
                        service_center__isnull=False,
                        team__isnull=True,
                    )
                    | models.Q(owner_kind="team", team__isnull=False, service_center__isnull=True)
                ),
                name="calendar_owner_matches_kind",
            ),
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="calendar_one_default",
            ),
            models.UniqueConstraint(
                fields=["team"],
                condition=models.Q(team__isnull=False),
                name="calendar_one_per_team",
            ),
            models.UniqueConstraint(
                fields=["service_center"],
                condition=models.Q(service_center__isnull=False),
                name="calendar_one_per_center",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class WeeklyInterval(models.Model):
    """One working interval of a weekday, e.g. Monday 08:30–12:00; a day may have several.

    An end of 00:00 means midnight (the interval runs to the end of the day)."""

    calendar = models.ForeignKey(
        WorkingCalendar, on_delete=models.CASCADE, related_name="weekly_intervals"
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start = models.TimeField(_("start"))
    end = models.TimeField(_("end"))

    class Meta:
        verbose_name = _("weekly working interval")
        verbose_name_plural = _("weekly working intervals")
        ordering = ["calendar", "weekday", "start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")) | models.Q(end=dt.time(0)),
                name="weeklyinterval_end_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(weekday__gte=0, weekday__lte=6), name="weeklyinterval_weekday"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M}"


class CalendarDay(models.Model):
    """A dated override of the weekly hours: a holiday, a make-up working day or special hours.

    ``intervals`` is a list of ``["HH:MM", "HH:MM"]`` pairs for worked days; a make-up working day
    without intervals works the calendar's standard day (its first weekday with hours)."""

    calendar = models.ForeignKey(WorkingCalendar, on_delete=models.CASCADE, related_name="days")
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=DayKind.choices)
    name = models.CharField(_("name"), max_length=100, blank=True)
    intervals = models.JSONField(_("working hours"), default=list, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["calendar", "date"]
        constraints = [
            models.UniqueConstraint(fields=["calendar", "date"], name="calendarday_unique_date")
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.name}".strip()


class CalendarYear(models.Model):
    """A year whose holidays and make-up days are in the calendar; other years are *unknown* and
    deadlines in them are only estimated in natural time."""

    calendar = models.ForeignKey(WorkingCalendar, on_delete=models.CASCADE, related_name="years")
    year = models.PositiveSmallIntegerField(_("year"))
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["calendar", "year"]
        constraints = [
            models.UniqueConstraint(fields=["calendar", "year"], name="calendaryear_unique")
        ]

    def __str__(self) -> str:
        return str(self.year)


class StaffAbsence(models.Model):
    """A period in which a staff member is away (leave, training, sick); routing and dispatch
    skip absent people."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.CASCADE,
        related_name="absences",
    )
    start = models.DateTimeField(_("from"))
    end = models.DateTimeField(_("until"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("staff absence")
        verbose_name_plural = _("staff absences")
        ordering = ["user", "start"]
        indexes = [models.Index(fields=["user", "start", "end"], name="absence_user_period")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="staffabsence_end_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.start:%Y-%m-%d %H:%M}–{self.end:%Y-%m-%d %H:%M}"


class YearWarning(models.Model):
    """That administrators were told next year is missing; one row per year, so the daily
    check tells them once (the unique year makes two workers racing send it once too)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    calendars = models.JSONField(_("calendars"), default=list)
    notified_at = models.DateTimeField(_("notified at"), auto_now_add=True)

    class Meta:
        verbose_name = _("missing-year warning")
        verbose_name_plural = _("missing-year warnings")

    def __str__(self) -> str:
        return str(self.year)
