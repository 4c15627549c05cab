"""The parts catalog and stock locations in the admin, read-only: parts and locations change
through the parts services (versions, audit, stock ledger) on the parts screens."""

from django.contrib import admin

from aftersales.core.admin import ReadOnlyAdmin

from .models import Location, Part


@admin.register(Part)
class PartAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "specification", "unit", "list_price", "active"]
    list_filter = ["active", "stock_class", "abc_class"]
    search_fields = ["code", "name", "specification"]


@admin.register(Location)
class LocationAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "kind", "technician", "service_center", "active"]
    list_filter = ["kind", "active"]
    list_select_related = ["technician", "service_center"]
    search_fields = ["code", "name"]
