from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("signup/", views.signup, name="signup"),
    path("new/", views.case_new, name="case_new"),
    path("cases/<str:number>/", views.case_detail, name="case_detail"),
    path("cases/<str:number>/reply/", views.case_reply, name="case_reply"),
    path("cases/<str:number>/confirm/", views.case_confirm, name="case_confirm"),
    path("cases/<str:number>/rate/", views.case_rate, name="case_rate"),
]
