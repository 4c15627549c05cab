from django.urls import path

from . import landing, views

app_name = "core"
urlpatterns = [
    path("", landing.home, name="home"),
    path("settings/", landing.settings_home, name="settings"),
    path("audit/", views.audit_log, name="audit_log"),
    path("audit/export.xlsx", views.audit_export, name="audit_export"),
]
