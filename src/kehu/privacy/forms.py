from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class EraseForm(forms.Form):
    """Typed confirmation: the customer's number, so that an erasure is never one click."""

    reason = forms.CharField(
        label=_("Reason or ticket of the request"),
        max_length=300,
        help_text=_("Recorded in the audit trail. Do not write the person's data here."),
    )
    confirm = forms.CharField(label=_("Type the customer number to confirm"), max_length=20)

    def __init__(self, *args: Any, customer_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.customer_id = customer_id

    def clean_confirm(self) -> str:
        value = self.cleaned_data["confirm"].strip().lstrip("#")
        if value != str(self.customer_id):
            raise forms.ValidationError(
                _("Type %(number)s to confirm.") % {"number": self.customer_id}
            )
        return value
