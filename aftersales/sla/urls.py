from django.urls import path

from . import views

app_name = "sla"
urlpatterns = [
    path("", views.policy_list, name="policy_list"),
    path("policies/new/", views.policy_edit, name="policy_new"),
    path("policies/<int:pk>/", views.policy_edit, name="policy_edit"),
]
