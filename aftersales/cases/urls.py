from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("intake/", views.intake, name="intake"),
    path("intake/lookup/", views.intake_lookup, name="intake_lookup"),
    path("intake/related/", views.intake_related, name="intake_related"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("<str:number>/", views.case_detail, name="case_detail"),
    path("<str:number>/reply/", views.case_reply, name="case_reply"),
    path("<str:number>/note/", views.case_note, name="case_note"),
    path("<str:number>/transition/", views.case_transition, name="case_transition"),
    path("<str:number>/assign/", views.case_assign, name="case_assign"),
    path("<str:number>/edit/", views.case_edit, name="case_edit"),
    path("<str:number>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("<str:number>/rating/", views.case_rating, name="case_rating"),
]
