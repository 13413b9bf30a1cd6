"""Forms of the retention pages: completing a task, flagging a customer, recording an exit,
editing the policy."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kehu.retention.models import ExitReason, Task, WorthFlag
from kehu.retention.policy import BANDS, TIERS


class CompleteForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Task.Outcome.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)
    reason = forms.ChoiceField(
        label=_("Why they left"),
        choices=[("", "—"), *ExitReason.Reason.choices],
        required=False,
    )
    reason_text = forms.CharField(label=_("In their words"), required=False, max_length=2000)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") == Task.Outcome.LEFT and not data.get("reason"):
            self.add_error("reason", _("Choose why the customer left."))
        return data


class ExitForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why they left"), choices=ExitReason.Reason.choices)
    text = forms.CharField(label=_("In their words"), required=False, widget=forms.Textarea)
    what_happened = forms.CharField(label=_("What happened"), required=False, widget=forms.Textarea)
    what_we_change = forms.CharField(
        label=_("What we change"), required=False, widget=forms.Textarea
    )


class FlagForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=WorthFlag.Reason.choices)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea)


class PolicyForm(forms.Form):
    """The tier × band table as one select per cell; the playbooks as JSON (ordered steps)."""

    playbooks = forms.CharField(
        label=_("Playbooks (JSON)"), widget=forms.Textarea(attrs={"rows": 18})
    )
    note = forms.CharField(label=_("What changed"), required=False, max_length=300)

    def __init__(self, *args: Any, codes: list[str], cells: dict[str, Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        choices = [("", "—"), *((c, c) for c in codes)]
        self.cell_names = []
        for tier in TIERS:
            row = []
            for band in BANDS:
                name = f"cell_{tier}_{band}"
                self.fields[name] = forms.ChoiceField(
                    choices=choices, required=False, initial=(cells.get(tier) or {}).get(band, "")
                )
                row.append(name)
            self.cell_names.append((tier, row))

    def clean_playbooks(self) -> Any:
        try:
            value = json.loads(self.cleaned_data["playbooks"])
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(
                _("Not valid JSON (line %(line)d): %(msg)s") % {"line": exc.lineno, "msg": exc.msg}
            ) from None
        return value

    def cells(self) -> dict[str, dict[str, str]]:
        out: dict[str, dict[str, str]] = {}
        for tier in TIERS:
            for band in BANDS:
                code = self.cleaned_data.get(f"cell_{tier}_{band}")
                if code:
                    out.setdefault(tier, {})[band] = code
        return out

    def rows(self) -> list[tuple[str, list[Any]]]:
        return [(tier, [self[name] for name in names]) for tier, names in self.cell_names]
