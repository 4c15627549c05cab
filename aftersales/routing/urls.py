from django.urls import path

from . import report_views, views

app_name = "routing"
urlpatterns = [
    path("", views.rule_list, name="rule_list"),
    path("rules/new/", views.rule_edit, name="rule_new"),
    path("rules/<int:pk>/", views.rule_edit, name="rule_edit"),
    path("rules/<int:pk>/move/", views.rule_move, name="rule_move"),
    path("rules/<int:pk>/delete/", views.rule_delete, name="rule_delete"),
    path("test/", views.rule_test, name="rule_test"),
    path("reports/sla/", report_views.sla_report, name="sla_report"),
    path("reports/sla/data/", report_views.sla_report_data, name="sla_report_data"),
    path("reports/sla/export/", report_views.sla_report_export, name="sla_report_export"),
]
