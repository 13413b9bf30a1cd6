"""Administration of the organisation: users with their role, team and partner; teams,
regions, channel partners, tags, products and campaigns. Customer data is edited through
the product's own pages, which apply the visibility rules and the services' invariants."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME, get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from kehu.core.models import AuditEvent, Partner, Profile, Region, Team
from kehu.customers.models import Tag
from kehu.sales.models import Campaign, Product

User = get_user_model()


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = ["role", "team", "partner", "language"]

    def has_changed(self) -> bool:
        # A new user's profile is saved even when the role was left at its default: the
        # profile is created with the user, never later as a side effect of something else.
        return self.instance.pk is None or super().has_changed()


class ProfileInline(admin.StackedInline):
    model = Profile
    form = ProfileForm
    can_delete = False
    fk_name = "user"
    min_num = 1
    max_num = 1


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


def _login_via_kehu(request: HttpRequest, extra_context=None) -> HttpResponse:
    """The admin signs in through Kehu's own page, which throttles and asks for the second
    step; the admin's page would sign in on the password alone."""
    if request.user.is_authenticated:
        # Signed in but not staff: sending them to sign in again would loop.
        raise PermissionDenied
    target = request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index")
    return redirect_to_login(target, reverse("login"))


admin.site.login = _login_via_kehu  # type: ignore[method-assign]

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
