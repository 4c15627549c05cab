from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from .audit import audit_record, diff, model_snapshot
from .models import AuditLog


class AuditedAdmin(admin.ModelAdmin):
    """Reference and organisation data that administrators keep in the admin: every save
    writes an audit record like any service would (R16.2); nothing here deletes."""

    audit_exclude: tuple[str, ...] = ("password", "last_login")

    def _snapshot(self, obj) -> dict:
        data = model_snapshot(obj)
        for name in self.audit_exclude:
            data.pop(name, None)
        return data

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        before = self._snapshot(type(obj).objects.get(pk=obj.pk)) if change else {}
        super().save_model(request, obj, form, change)
        b, a = diff(before, self._snapshot(obj))
        label = obj._meta.model_name
        if change and not a:
            return
        audit_record(
            actor=request.user,
            action=f"{label}.update" if change else f"{label}.create",
            obj=obj,
            before=b or None,
            after=a,
        )


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows that only services may write: visible to administrators, never editable here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditLog)
class AuditLogAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "actor_label",
        "action",
        "object_type",
        "object_repr",
        "ip_address",
    ]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_label", "object_repr", "object_id"]
    date_hierarchy = "created_at"


# The administration screens carry the product's name, not Django's.
admin.site.site_header = _("After-sales service administration")
admin.site.site_title = _("After-sales service administration")
admin.site.index_title = _("Administration")

# Column captions of Django's own admin index that Django's Chinese catalog lacks; kept here so
# the project's catalogs translate them.
ADMIN_CAPTIONS = (
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
)
