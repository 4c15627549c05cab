from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from aftersales.core.admin import AuditedAdmin, ReadOnlyAdmin

from .models import ApiKey, Department, ServiceCenter, Team, User


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (
            _("Organisation"),
            {
                "fields": (
                    "display_name",
                    "phone",
                    "department",
                    "service_center",
                    "preferred_language",
                )
            },
        ),
    )
    list_display = ["username", "display_name", "email", "department", "is_active"]
    list_filter = ["groups", "department", "is_active", "is_integration"]


@admin.register(Department)
class DepartmentAdmin(AuditedAdmin):
    list_display = ["code", "name", "parent", "head"]


@admin.register(Team)
class TeamAdmin(AuditedAdmin):
    list_display = ["code", "name", "department", "lead"]
    filter_horizontal = ["members"]


@admin.register(ServiceCenter)
class ServiceCenterAdmin(AuditedAdmin):
    list_display = ["code", "name", "address", "is_active"]


@admin.register(ApiKey)
class ApiKeyAdmin(ReadOnlyAdmin):
    list_display = ["name", "prefix", "role", "created_at", "last_used_at", "revoked_at"]
    exclude = ["hashed_key"]
