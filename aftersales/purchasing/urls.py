from django.urls import path

from . import views

app_name = "purchasing"
urlpatterns = [
    path("", views.order_list, name="order_list"),
    path("orders/new/", views.order_create, name="order_create"),
    path("orders/from-plan/", views.orders_from_plan, name="orders_from_plan"),
    path("orders/<int:pk>/", views.order_detail, name="order_detail"),
    path("orders/<int:pk>/transition/", views.order_transition, name="order_transition"),
    path("orders/<int:pk>/receipts/", views.receipt_create, name="receipt_create"),
    path(
        "receipt-lines/<int:line_pk>/inspection/",
        views.inspection_record,
        name="inspection_record",
    ),
    path("photos/<int:pk>/", views.inspection_photo, name="inspection_photo"),
    path("returns/", views.return_list, name="return_list"),
    path("returns/<int:pk>/ship/", views.return_ship, name="return_ship"),
    path("suppliers/", views.supplier_list, name="supplier_list"),
    path("suppliers/<int:pk>/", views.supplier_detail, name="supplier_detail"),
    path("suppliers/<int:pk>/edit/", views.supplier_edit, name="supplier_edit"),
    path("suppliers/<int:pk>/prices/", views.supplier_price_add, name="supplier_price_add"),
    path("suppliers/<int:pk>/ratings/", views.supplier_rate, name="supplier_rate"),
    path("scorecard/", views.scorecard, name="scorecard"),
    path("batches/", views.batch_list, name="batch_list"),
    path("batches/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("batches/<int:pk>/defect/", views.batch_defect, name="batch_defect"),
    path("batches/<int:pk>/recall-cases/", views.batch_recall_cases, name="batch_recall_cases"),
    path(
        "work-orders/<str:number>/batches/",
        views.work_order_batches,
        name="work_order_batches",
    ),
    path("prices/", views.prices, name="prices"),
    path("prices/changes/", views.price_change_create, name="price_change_create"),
    path("prices/rules/", views.price_rule_create, name="price_rule_create"),
    path(
        "prices/changes/<int:pk>/decision/", views.price_change_decide, name="price_change_decide"
    ),
    path("figures/", views.stock_figures, name="figures"),
]
