"""Work-order reference data in the admin: the skills catalog is kept here (audited); the
technicians' skills, certificates and training are kept on the skills page and only shown."""

from django.contrib import admin

from aftersales.core.admin import AuditedAdmin, ReadOnlyAdmin

from .models import Certificate, Skill, TechnicianSkill, TrainingRecord


@admin.register(Skill)
class SkillAdmin(AuditedAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(TechnicianSkill)
class TechnicianSkillAdmin(ReadOnlyAdmin):
    list_display = ["user", "skill", "level"]
    list_filter = ["skill"]
    list_select_related = ["user", "skill"]


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ["user", "cert_type", "level", "number", "issued_on", "expires_on"]
    list_filter = ["cert_type"]
    list_select_related = ["user"]
    date_hierarchy = "expires_on"


@admin.register(TrainingRecord)
class TrainingRecordAdmin(ReadOnlyAdmin):
    list_display = ["user", "title", "trained_on", "hours", "result"]
    list_select_related = ["user"]
    search_fields = ["title"]
