"""The administration screens for people and the organisation.

Administrators who are not superusers stay inside the role table (R16.2): they give people roles
(the role groups) but cannot make anyone a superuser, grant raw permissions, open the admin site
(``is_staff`` follows the administrator role) or edit a superuser; every password they set and
every role they change is audited.
"""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from aftersales.core import geocoding
from aftersales.core.admin import AuditedAdmin, ReadOnlyAdmin
from aftersales.core.audit import audit_record

from .models import ApiKey, Department, ServiceCenter, Team, User
from .roles import Role

# What only a superuser may change on a person: it reaches past the role table.
SUPERUSER_ONLY_FIELDS = ("is_superuser", "is_staff", "user_permissions")


def role_group_names() -> list[str]:
    return [str(role) for role in Role]


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

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += [f for f in SUPERUSER_ONLY_FIELDS if f not in fields]
        return fields

    def has_change_permission(self, request, obj=None):
        """A superuser's account (its password included) is changed by superusers only."""
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and not request.user.is_superuser:
            kwargs["queryset"] = Group.objects.filter(name__in=role_group_names())
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change):
        """Roles are groups: a change of them is audited, and for an administrator who is not
        a superuser only role groups can be given and ``is_staff`` follows the administrator
        role, as :func:`aftersales.accounts.services.user_create` sets it."""
        user = form.instance
        before = sorted(user.groups.values_list("name", flat=True)) if change else []
        if not request.user.is_superuser and "groups" in form.cleaned_data:
            kept = [g for g in user.groups.all() if g.name not in role_group_names()]
            form.cleaned_data["groups"] = [*form.cleaned_data["groups"], *kept]
        super().save_related(request, form, formsets, change)
        after = sorted(user.groups.values_list("name", flat=True))
        if not request.user.is_superuser:
            staff = str(Role.ADMINISTRATOR) in after
            if user.is_staff != staff:
                User.objects.filter(pk=user.pk).update(is_staff=staff)
                audit_record(
                    actor=request.user,
                    action="user.update",
                    obj=user,
                    before={"is_staff": user.is_staff},
                    after={"is_staff": staff},
                )
                user.is_staff = staff
        if before != after:
            audit_record(
                actor=request.user,
                action="user.roles",
                obj=user,
                before={"roles": before},
                after={"roles": after},
            )

    def user_change_password(self, request, id, form_url=""):
        """Setting someone's password here is audited: who set whose, and when."""
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:
                user = self.get_object(request, unquote(id))
                if user is not None:
                    audit_record(
                        actor=request.user,
                        action="user.password_set",
                        obj=user,
                        after={"usable_password": user.has_usable_password()},
                    )
        return response


@admin.register(Department)
class DepartmentAdmin(AuditedAdmin):
    list_display = ["code", "name", "parent", "head"]


@admin.register(Team)
class TeamAdmin(AuditedAdmin):
    list_display = ["code", "name", "department", "lead"]
    filter_horizontal = ["members"]


@admin.register(ServiceCenter)
class ServiceCenterAdmin(AuditedAdmin):
    list_display = ["code", "name", "address", "geo_precision", "is_active"]
    readonly_fields = ["geo_precision", "geo_source"]

    def save_model(self, request, obj, form, change):
        # typed coordinates are kept; otherwise the address is located (docs/geocoding.md)
        geocoding.locate_after_edit(obj, created=not change, changed=form.changed_data)
        super().save_model(request, obj, form, change)
        geocoding.refine_later(obj)


@admin.register(ApiKey)
class ApiKeyAdmin(ReadOnlyAdmin):
    list_display = ["name", "prefix", "role", "created_at", "last_used_at", "revoked_at"]
    exclude = ["hashed_key"]
