from django.urls import path, register_converter

from .views import catalog, stock


class CodeConverter:
    regex = r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(CodeConverter, "code")

app_name = "parts"
urlpatterns = [
    path("", catalog.part_list, name="part_list"),
    path("new/", catalog.part_create, name="part_create"),
    path("export.xlsx", catalog.part_export, name="part_export"),
    path("low-stock/", catalog.low_stock, name="low_stock"),
    path("purchase-plan/", catalog.purchase_plan, name="purchase_plan"),
    path("import/", stock.import_start, name="import"),
    path("import/apply/", stock.import_apply, name="import_apply"),
    path("import/opening-stock.xlsx", stock.import_template, name="import_template"),
    path("ledger/", stock.ledger, name="ledger"),
    path("locations/", stock.location_list, name="location_list"),
    path("locations/<code:code>/", stock.location_detail, name="location_detail"),
    path("van/", stock.my_van, name="my_van"),
    path("move/<slug:kind>/", stock.movement_create, name="movement_create"),
    path("reservations/<int:pk>/release/", stock.reservation_release, name="reservation_release"),
    path("<code:code>/", catalog.part_detail, name="part_detail"),
    path("<code:code>/edit/", catalog.part_edit, name="part_edit"),
]
