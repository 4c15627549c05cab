"""Working calendars in the admin, read-only: calendars and their days are edited on their
own screens, which keep versions and recompile working time."""

from django.contrib import admin

from aftersales.core.admin import ReadOnlyAdmin

from .models import CalendarDay, WorkingCalendar


@admin.register(WorkingCalendar)
class WorkingCalendarAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "owner_kind", "service_center", "team", "is_default"]
    list_filter = ["owner_kind", "is_default"]
    list_select_related = ["service_center", "team"]
    search_fields = ["code", "name"]


@admin.register(CalendarDay)
class CalendarDayAdmin(ReadOnlyAdmin):
    list_display = ["calendar", "date", "kind", "name", "source"]
    list_filter = ["kind", "source", "calendar"]
    list_select_related = ["calendar"]
    date_hierarchy = "date"
