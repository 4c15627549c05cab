from django.urls import path

from . import views

app_name = "calendars"
urlpatterns = [
    path("", views.calendar_list, name="calendar_list"),
    path("absences/", views.absence_list, name="absence_list"),
    path("absences/<int:pk>/delete/", views.absence_delete, name="absence_delete"),
    path("<slug:code>/", views.calendar_detail, name="calendar_detail"),
    path("<slug:code>/weekly/", views.weekly_edit, name="weekly_edit"),
    path("<slug:code>/day/", views.day_edit, name="day_edit"),
    path("<slug:code>/day/delete/", views.day_delete, name="day_delete"),
    path("<slug:code>/year/", views.year_mark, name="year_mark"),
    path("<slug:code>/import/", views.calendar_import, name="calendar_import"),
    path("<slug:code>/try/add/", views.try_add, name="try_add"),
    path("<slug:code>/try/between/", views.try_between, name="try_between"),
]
