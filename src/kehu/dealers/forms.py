from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kehu.dealers.models import Onboarding

MONEY: dict[str, Any] = {"max_digits": 16, "decimal_places": 2, "min_value": 0}


class StartForm(forms.Form):
    customer = forms.IntegerField(label=_("Company customer (id)"), min_value=1)


class CreditForm(forms.Form):
    annual_revenue = forms.DecimalField(label=_("Annual revenue (¥)"), required=False, **MONEY)
    years_in_business = forms.IntegerField(
        label=_("Years in business"), required=False, min_value=0, max_value=500
    )
    registered_capital = forms.DecimalField(
        label=_("Registered capital (¥)"), required=False, **MONEY
    )
    credit_limit = forms.DecimalField(
        label=_("Credit limit (¥), to override the suggested one"), required=False, **MONEY
    )
    credit_note = forms.CharField(
        label=_("Override note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class TermsForm(forms.Form):
    payment_terms = forms.ChoiceField(label=_("Payment terms"), choices=Onboarding.Terms.choices)


class ContractForm(forms.Form):
    contract_file = forms.FileField(label=_("Signed contract (PDF, JPEG or PNG)"))
    contract_start = forms.DateField(
        label=_("Contract start"), widget=forms.DateInput(attrs={"type": "date"})
    )
    contract_end = forms.DateField(
        label=_("Contract end"), widget=forms.DateInput(attrs={"type": "date"})
    )
    renewal_days = forms.IntegerField(
        label=_("Remind days before the end"), initial=30, min_value=0, max_value=365
    )


class RejectForm(forms.Form):
    rejection_reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class DealerUserForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), required=False)
    password = forms.CharField(label=_("Initial password"), widget=forms.PasswordInput)
