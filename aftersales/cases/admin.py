from django.contrib import admin

from aftersales.core.admin import AuditedAdmin, ReadOnlyAdmin

from .models import Case, CaseCategory


@admin.register(CaseCategory)
class CaseCategoryAdmin(AuditedAdmin):
    list_display = ["code", "name", "name_en", "case_type", "is_active"]
    list_filter = ["case_type", "is_active"]


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    """Cases change only through services (transition table, version check, audit)."""

    list_display = [
        "number",
        "title",
        "case_type",
        "status",
        "priority",
        "team",
        "assignee",
        "created_at",
    ]
    list_filter = ["case_type", "status", "priority", "channel"]
    search_fields = ["number", "title"]
    raw_id_fields = ["customer", "contact", "asset", "team", "assignee", "created_by"]
