"""Post-purchase care's settings in the administration site (issue #11, D5: "a configurable
follow-up"): one row, edited through ``care.care_configure`` so the same checks and the audit
apply as from code."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin

from kehu.retention import care
from kehu.retention.models import CarePolicy


class CarePolicyForm(forms.ModelForm):
    class Meta:
        model = CarePolicy
        fields = ("enabled", "on_first", "large_amount", "steps")

    def clean_steps(self) -> Any:
        try:
            return care.clean_steps(self.cleaned_data.get("steps"))
        except forms.ValidationError as exc:
            raise forms.ValidationError(exc.message_dict.get("steps", exc.messages)) from None


@admin.register(CarePolicy)
class CarePolicyAdmin(admin.ModelAdmin):
    form = CarePolicyForm
    list_display = ("__str__", "enabled", "on_first", "large_amount")

    def has_add_permission(self, request: Any) -> bool:
        return not CarePolicy.objects.exists()  # one row

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def save_model(self, request: Any, obj: CarePolicy, form: Any, change: bool) -> None:
        data = form.cleaned_data
        saved = care.care_configure(
            by=request.user,
            enabled=data["enabled"],
            on_first=data["on_first"],
            large_amount=data["large_amount"],
            steps=data["steps"],
        )
        obj.pk = saved.pk
