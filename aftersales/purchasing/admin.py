"""Suppliers in the admin, read-only: they are edited on the purchasing screens on the
version the editor saw, with an audit record."""

from django.contrib import admin

from aftersales.core.admin import ReadOnlyAdmin

from .models import Supplier


@admin.register(Supplier)
class SupplierAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "tax_id", "active", "created_at"]
    list_filter = ["active"]
    search_fields = ["code", "name", "tax_id"]
