from django.contrib import admin

from aftersales.core.admin import ReadOnlyAdmin
from aftersales.core.audit import audit_record, diff, model_snapshot

from .models import Asset, Customer, ProductModel


@admin.register(ProductModel)
class ProductModelAdmin(admin.ModelAdmin):
    """Reference data administrators keep here; every save is audited like any other write.
    Changed warranty terms apply to products registered from then on."""

    list_display = [
        "code",
        "name",
        "brand",
        "product_line",
        "warranty_months",
        "main_parts_warranty_months",
    ]
    search_fields = ["code", "name"]

    def has_delete_permission(self, request, obj=None):
        return False  # assets refer to their model

    def save_model(self, request, obj, form, change):
        before = model_snapshot(ProductModel.objects.get(pk=obj.pk)) if change else {}
        super().save_model(request, obj, form, change)
        b, a = diff(before, model_snapshot(obj))
        audit_record(
            actor=request.user,
            action="product_model.update" if change else "product_model.create",
            obj=obj,
            before=b or None,
            after=a,
        )


@admin.register(Customer)
class CustomerAdmin(ReadOnlyAdmin):
    """Customer data changes go through the product's screens, which audit them."""

    list_display = ["id", "name", "kind", "company_name", "tier", "created_at"]
    search_fields = ["name", "company_name"]


@admin.register(Asset)
class AssetAdmin(ReadOnlyAdmin):
    list_display = ["id", "product_model", "serial_number", "vin", "purchase_date", "warranty_end"]
    search_fields = ["serial_number", "vin"]
