"""Forms of the survey pages: a research survey with its questions (both languages)."""

from __future__ import annotations

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from kehu.surveys.models import Question, Survey


class ResearchSurveyForm(forms.ModelForm):
    class Meta:
        model = Survey
        fields = ["name_zh", "name_en", "intro_zh", "intro_en", "valid_days"]
        widgets = {"intro_zh": forms.Textarea(attrs={"rows": 2}),
                   "intro_en": forms.Textarea(attrs={"rows": 2})}  # fmt: skip

    def clean_valid_days(self) -> int:
        days = self.cleaned_data["valid_days"]
        if not 1 <= days <= 365:
            raise forms.ValidationError(_("Between 1 and 365 days."))
        return days


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=Question.Kind.choices)
    text_zh = forms.CharField(label=_("question (Chinese)"), max_length=300)
    text_en = forms.CharField(label=_("question (English)"), max_length=300)
    choices_zh = forms.CharField(
        label=_("choices (Chinese), one a line"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    choices_en = forms.CharField(
        label=_("choices (English), one a line"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    required = forms.BooleanField(label=_("required"), required=False, initial=True)

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("kind") == Question.Kind.CHOICE:
            zh = [c.strip() for c in data.get("choices_zh", "").splitlines() if c.strip()]
            en = [c.strip() for c in data.get("choices_en", "").splitlines() if c.strip()]
            if len(zh) < 2 or len(zh) != len(en):
                raise forms.ValidationError(
                    _(
                        "A choice question needs at least two choices, the same number in both languages."
                    )
                )
            data["choices"] = [{"zh": z, "en": e} for z, e in zip(zh, en, strict=True)]
        else:
            data["choices"] = []
        return data


QuestionFormSet = formset_factory(QuestionForm, extra=3, max_num=20, min_num=1, validate_min=True)
