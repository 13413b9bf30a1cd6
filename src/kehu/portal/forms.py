from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kehu.service.models import Ticket

# What a customer may call their ticket (complaints are the earliest churn signal: easy to
# file from the portal).
PORTAL_KINDS = [
    (Ticket.Kind.QUESTION, _("Question")),
    (Ticket.Kind.REQUEST, _("Service request")),
    (Ticket.Kind.FAULT, _("Fault")),
    (Ticket.Kind.COMPLAINT, _("Complaint")),
]


class LinkForm(forms.Form):
    email = forms.EmailField(label=_("Your e-mail address"), max_length=254)


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    name = forms.CharField(label=_("Name"), max_length=100, required=False)


class TicketForm(forms.Form):
    kind = forms.ChoiceField(label=_("What is it about?"), choices=PORTAL_KINDS)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    description = forms.CharField(
        label=_("Describe your question or problem"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10000,
    )


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10000
    )


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("How satisfied are you with the answer?"),
        choices=[(str(i), str(i)) for i in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
