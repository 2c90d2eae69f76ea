from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.forms import AdminUserChangeForm, AdminUserCreationForm
from accounts.models import User
from kyodo.admin_base import HistoryAdmin


class RoleFilter(admin.SimpleListFilter):
    title = _("role")
    parameter_name = "role"

    def lookups(self, request, model_admin):
        from accounts.roles import Role

        return [*Role.choices, ("none", _("no role"))]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "none":
            return queryset.filter(groups__isnull=True)
        if value:
            return queryset.filter(groups__name=value)
        return queryset


@admin.register(User)
class UserAdmin(HistoryAdmin, DjangoUserAdmin):
    form = AdminUserChangeForm
    add_form = AdminUserCreationForm
    ordering = ["family_name_kana", "given_name_kana", "email"]
    list_display = [
        "email",
        "family_name",
        "given_name",
        "full_name_kana",
        "is_staff",
        "is_active",
        "date_joined",
    ]
    list_filter = [RoleFilter, "is_staff", "is_superuser", "is_active", "language"]
    search_fields = ["email", "family_name", "given_name", "family_name_kana", "given_name_kana"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            _("Name"),
            {"fields": ("family_name", "given_name", "family_name_kana", "given_name_kana")},
        ),
        (_("Contact"), {"fields": ("phone", "language")}),
        (
            _("Roles and permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (pgettext_lazy("account", "Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    readonly_fields = ["last_login", "date_joined"]

    # Roles and rights are given by superusers only: a センター職員 edits people's details but
    # can neither raise anyone's rights (their own included) nor touch an account that has
    # more rights than an ordinary user (its password included).
    PRIVILEGE_FIELDS = ("is_staff", "is_superuser", "groups", "user_permissions")

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += [f for f in self.PRIVILEGE_FIELDS if f not in fields]
        return fields

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or request.user.is_superuser:
            return True
        return not (obj.is_superuser or obj.is_staff or obj.groups.exists())

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    @admin.display(description=_("furigana"))
    def full_name_kana(self, obj):
        return obj.full_name_kana
