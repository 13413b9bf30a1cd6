"""The knowledge base's categories are a managed list: administrators keep them here (names
in both languages and their order). Articles are written on /knowledge/, where the rules and
the services apply, so they are not editable here."""

from __future__ import annotations

from django.contrib import admin

from kehu.knowledge.models import Category


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name_zh", "name_en", "position"]
    list_editable = ["position"]
    ordering = ["position", "id"]
