from django.contrib import admin

from aftersales.core.admin import AuditedAdmin, ReadOnlyAdmin

from .models import Asset, Customer, ProductModel


@admin.register(ProductModel)
class ProductModelAdmin(AuditedAdmin):
    """Changed warranty terms apply to products registered from then on."""

    list_display = [
        "code",
        "name",
        "brand",
        "product_line",
        "warranty_months",
        "main_parts_warranty_months",
    ]
    search_fields = ["code", "name"]


@admin.register(Customer)
class CustomerAdmin(ReadOnlyAdmin):
    """Customer data changes go through the product's screens, which audit them."""

    list_display = ["id", "name", "kind", "company_name", "tier", "created_at"]
    search_fields = ["name", "company_name"]


@admin.register(Asset)
class AssetAdmin(ReadOnlyAdmin):
    list_display = ["id", "product_model", "serial_number", "vin", "purchase_date", "warranty_end"]
    search_fields = ["serial_number", "vin"]
