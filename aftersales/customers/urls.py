from django.urls import path

from . import views

app_name = "customers"
urlpatterns = [
    path("", views.customer_list, name="customer_list"),
    path("<int:pk>/", views.customer_detail, name="customer_detail"),
    path("<int:pk>/assets/new/", views.asset_create, name="asset_create"),
    path("contacts/<int:pk>/reveal/", views.contact_reveal, name="contact_reveal"),
]
