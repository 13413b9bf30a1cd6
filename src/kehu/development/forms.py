"""Forms of the development pages and the public web-to-lead form. Contact data is checked
by the services (the customers' validators); the forms check shape and required fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kehu.development.models import Answer, Grade, Lead, LeadTouch
from kehu.development.services import clean_contact


class ContactChecked(forms.Form):
    """Phone and e-mail through the customers' validators, errors on their own fields."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        contact = {k: data[k] for k in ("phone", "email") if data.get(k)}
        try:
            data.update(clean_contact(contact))
        except ValidationError as exc:
            for field, errors in exc.error_dict.items():
                self.add_error(field, errors)
        return data


class LeadForm(ContactChecked):
    kind = forms.ChoiceField(label=_("Kind"), choices=Lead.Kind.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    company = forms.CharField(label=_("Company"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=64, required=False)
    email = forms.CharField(label=_("Email"), max_length=254, required=False)
    city = forms.CharField(label=_("City"), max_length=50, required=False)
    source = forms.ChoiceField(label=_("Source"), choices=Lead.Source.choices)
    referred_by = forms.IntegerField(
        label=_("Referred by (customer number)"), required=False, min_value=1, max_value=2**62
    )
    grade = forms.ChoiceField(label=_("Potential grade"), choices=Grade.choices, initial="C")
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ManForm(forms.Form):
    money = forms.ChoiceField(label=_("Money"), choices=Answer.choices)
    money_note = forms.CharField(
        label=_("Note"),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Note")}),
    )
    authority = forms.ChoiceField(label=_("Authority"), choices=Answer.choices)
    authority_note = forms.CharField(
        label=_("Note"),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Note")}),
    )
    need = forms.ChoiceField(label=_("Need"), choices=Answer.choices)
    need_note = forms.CharField(
        label=_("Note"),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Note")}),
    )


class GradeForm(forms.Form):
    grade = forms.ChoiceField(label=_("New grade"), choices=Grade.choices)
    reason = forms.CharField(label=_("Reason"), max_length=255)


class TouchForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=LeadTouch.Kind.choices)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class DisqualifyForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=255)


class WebLeadForm(ContactChecked):
    """The public form. ``website`` is the honeypot: hidden from people, filled by bots."""

    name = forms.CharField(label=_("Your name"), max_length=200)
    company = forms.CharField(label=_("Company"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=64, required=False)
    email = forms.CharField(label=_("Email"), max_length=254, required=False)
    city = forms.CharField(label=_("City"), max_length=50, required=False)
    message = forms.CharField(
        label=_("How can we help?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,
    )
    website = forms.CharField(label=_("Leave this empty"), max_length=200, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        missing = not data.get("phone") and not data.get("email")
        if missing and not self.has_error("phone") and not self.has_error("email"):
            self.add_error("phone", _("Give a phone number or an e-mail address."))
        return data

    @property
    def is_spam(self) -> bool:
        return bool((self.data.get("website") or "").strip())
