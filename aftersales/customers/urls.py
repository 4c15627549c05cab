from django.urls import path

from . import access_views, edit_views, views

app_name = "customers"
urlpatterns = [
    path("", views.customer_list, name="customer_list"),
    path("<int:pk>/", views.customer_detail, name="customer_detail"),
    path("<int:pk>/assets/new/", views.asset_create, name="asset_create"),
    path("contacts/<int:pk>/reveal/", views.contact_reveal, name="contact_reveal"),
    path("<int:pk>/edit/", edit_views.customer_edit, name="customer_edit"),
    path("contacts/<int:pk>/edit/", edit_views.contact_edit, name="contact_edit"),
    path("addresses/<int:pk>/edit/", edit_views.address_edit, name="address_edit"),
    path("access-log/", access_views.access_log, name="access_log"),
]
