from django.urls import path

from . import views

app_name = "workorders"
urlpatterns = [
    path("", views.order_list, name="order_list"),
    path("new/", views.order_new, name="order_new"),
    path("board/", views.board, name="board"),
    path("my/", views.my_jobs, name="my_jobs"),
    path("my/<str:number>/", views.my_job, name="my_job"),
    path("followups/", views.followup_list, name="followup_list"),
    path("followups/<int:pk>/", views.followup_record, name="followup_record"),
    path("survey/<str:token>/", views.survey, name="survey"),
    path("staff/", views.skills, name="skills"),
    path("coverage/", views.coverage_page, name="coverage"),
    path("case-panel/<str:case_number>/", views.case_panel, name="case_panel"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("<str:number>/", views.order_detail, name="order_detail"),
    path("<str:number>/suggestions/", views.suggestions, name="suggestions"),
    path("<str:number>/assign/", views.order_assign, name="order_assign"),
    path("<str:number>/review/", views.order_review, name="order_review"),
    path("<str:number>/cancel/", views.order_cancel, name="order_cancel"),
    path("<str:number>/signature/", views.signature, name="signature"),
    path("<str:number>/report/", views.report, name="report"),
    path("<str:number>/report.pdf", views.report_pdf, name="report_pdf"),
]
