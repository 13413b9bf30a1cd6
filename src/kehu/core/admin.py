"""Administration of the organisation: users with their role, team and partner; teams,
regions, channel partners, tags, products and campaigns. Customer data is edited through
the product's own pages, which apply the visibility rules and the services' invariants."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from kehu.core.models import AuditEvent, Partner, Profile, Region, Team
from kehu.customers.models import Tag
from kehu.sales.models import Campaign, Product

User = get_user_model()


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    fk_name = "user"


class KehuUserAdmin(UserAdmin):
    inlines = [ProfileInline]
    list_display = ["username", "first_name", "last_name", "email", "role", "team", "is_active"]
    list_select_related = ["profile__team"]
    list_filter = ["is_active", "profile__role", "profile__team"]

    @admin.display(description="role")
    def role(self, obj) -> str:
        profile = getattr(obj, "profile", None)
        return profile.get_role_display() if profile else "—"

    @admin.display(description="team")
    def team(self, obj) -> str:
        profile = getattr(obj, "profile", None)
        return str(profile.team) if profile and profile.team else "—"


admin.site.unregister(User)
admin.site.register(User, KehuUserAdmin)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "region"]
    filter_horizontal = ["managers"]


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region", "city", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]


admin.site.register(Region)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "category"]
    list_filter = ["category"]
    search_fields = ["name"]


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["sku", "name", "category", "price", "unit_cost", "is_active"]
    search_fields = ["sku", "name"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "channel", "starts_on", "ends_on"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit trail is written by the system, never edited."""

    list_display = ["at", "user", "action", "model", "object_id", "summary"]
    list_filter = ["action", "model"]
    date_hierarchy = "at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
