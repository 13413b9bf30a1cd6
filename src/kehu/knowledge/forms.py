"""The article form of the pages (the API has its schema; the services check the rest)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kehu.knowledge.models import Article, Category


class ArticleForm(forms.Form):
    title_zh = forms.CharField(label=_("Title (Chinese)"), max_length=200, required=False)
    body_zh = forms.CharField(
        label=_("Text (Chinese)"), widget=forms.Textarea(attrs={"rows": 10}), required=False,
        max_length=50_000,
    )  # fmt: skip
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    body_en = forms.CharField(
        label=_("Text (English)"), widget=forms.Textarea(attrs={"rows": 10}), required=False,
        max_length=50_000,
    )  # fmt: skip
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.all(), required=False
    )
    visibility = forms.ChoiceField(
        label=_("Visibility"), choices=Article.Visibility.choices, initial="internal"
    )
    status = forms.ChoiceField(label=_("Status"), choices=Article.Status.choices, initial="draft")

    def clean(self):
        data = super().clean()
        if not (data.get("title_zh") or "").strip() and not (data.get("title_en") or "").strip():
            message = _("Give the article a title in Chinese or in English.")
            self.add_error("title_zh", message)
            self.add_error("title_en", message)
        return data
