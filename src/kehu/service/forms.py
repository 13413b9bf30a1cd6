"""Ticket forms: the same validation for the pages (the API has its schemas, the services
check the rest)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kehu.sales.models import Product
from kehu.service.models import Ticket


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)] if data else []


class TicketForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Ticket.Kind.choices, initial="request")
    priority = forms.ChoiceField(
        label=_("Priority"), choices=Ticket.Priority.choices, initial="normal"
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=Ticket.Channel.choices, initial="phone")
    category = forms.CharField(label=_("Category"), max_length=100, required=False)
    product = forms.ModelChoiceField(
        label=_("Product"), queryset=Product.objects.order_by("name"), required=False
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    assign_to_me = forms.BooleanField(label=_("Assign to me"), required=False, initial=True)


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Reply"), widget=forms.Textarea(attrs={"rows": 4}), max_length=20_000
    )
    waiting = forms.BooleanField(label=_("Wait for the customer's answer"), required=False)
    attachments = MultipleFileField(label=_("Attachments"))


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Internal note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=20_000
    )
    attachments = MultipleFileField(label=_("Attachments"))


class ResolveForm(forms.Form):
    resolution = forms.CharField(
        label=_("Resolution"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    root_cause = forms.CharField(label=_("Root cause"), max_length=200, required=False)
    corrective_action = forms.CharField(
        label=_("Corrective action"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Why reopen"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Ticket.Status.choices)
