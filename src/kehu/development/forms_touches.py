"""Forms of the touch pages (kehu.development.views_touches); the services check the values."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kehu.development.greetings import festival_choices
from kehu.development.models import SpecialDate, TouchTask


class MailingForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("{name} is replaced by each recipient's name."),
    )


class TaskForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (TouchTask.Kind.VISIT, _("Visit")),
            (TouchTask.Kind.INVITATION, _("Invitation")),
        ],
    )
    title = forms.CharField(label=_("What"), max_length=200)
    due_on = forms.DateField(label=_("Due"), widget=forms.DateInput(attrs={"type": "date"}))
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SpecialDateForm(forms.Form):
    label = forms.CharField(label=_("Occasion"), max_length=100)
    calendar = forms.ChoiceField(label=_("Calendar"), choices=SpecialDate.Calendar.choices)
    month = forms.IntegerField(label=_("Month"), required=False, min_value=1, max_value=12)
    day = forms.IntegerField(label=_("Day of month"), required=False, min_value=1, max_value=31)
    festival = forms.ChoiceField(label=_("Festival"), required=False, choices=[])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["festival"].choices = [("", "—"), *festival_choices()]  # type: ignore[attr-defined]


class DoneForm(forms.Form):
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
