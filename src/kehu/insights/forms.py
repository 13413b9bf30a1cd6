"""The analytics settings form: the model's fields plus one cost field per service kind (the
two JSON cost tables are edited as plain numbers)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kehu.insights.models import SERVICE_KINDS, AnalyticsConfig

GROUPS = [
    (
        _("Profit"),
        ["default_unit_cost", "default_cost_per_minute", "overdue_days", "window_days"],
    ),
    (
        _("Grades and tiers"),
        [
            "grade_cut_a",
            "grade_cut_b",
            "grade_min_profit_a",
            "grade_min_profit_b",
            "tier_cut_key",
            "tier_cut_major",
            "tier_cut_ordinary",
        ],
    ),
    (
        _("Core customers"),
        [
            "core_top_revenue_share",
            "core_min_on_time_share",
            "core_max_service_ratio",
            "core_min_tenure_days",
        ],
    ),
    (
        _("Lifecycle and churn"),
        [
            "churn_multiple",
            "lapse_multiple",
            "at_risk_multiple",
            "min_gap_days",
            "p_alive_threshold",
            "recent_window_days",
            "partial_ratio",
            "new_days",
            "won_back_days",
            "client_min_purchases",
            "client_min_tenure_days",
        ],
    ),
    (_("Lifetime value"), ["clv_months", "clv_monthly_discount"]),
    (_("History"), ["keep_daily_snapshots"]),
]


def _unit_field(kind: str) -> str:
    return f"unit_cost__{kind}"


def _minute_field(kind: str) -> str:
    return f"per_minute__{kind}"


class AnalyticsConfigForm(forms.ModelForm):
    class Meta:
        model = AnalyticsConfig
        fields = [name for _title, names in GROUPS for name in names]

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        unit = self.instance.unit_cost or {}
        minute = self.instance.cost_per_minute or {}
        for kind, label in SERVICE_KINDS:
            self.fields[_unit_field(kind)] = forms.FloatField(
                label=label, min_value=0, required=False, initial=unit.get(kind)
            )
            self.fields[_minute_field(kind)] = forms.FloatField(
                label=label, min_value=0, required=False, initial=minute.get(kind)
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        a, b = data.get("grade_min_profit_a"), data.get("grade_min_profit_b")
        if (a is None) != (b is None):
            raise forms.ValidationError(
                _("Absolute grading needs both minimums (A and B), or neither.")
            )
        if a is not None and b is not None and a < b:
            self.add_error("grade_min_profit_a", _("The A minimum must not be below B's."))
        cut_a, cut_b = data.get("grade_cut_a"), data.get("grade_cut_b")
        if cut_a is not None and cut_b is not None and cut_a > cut_b:
            self.add_error("grade_cut_b", _("Must not be below the grade A share."))
        names = ("tier_cut_key", "tier_cut_major", "tier_cut_ordinary")
        tiers: list[float] = [data[n] for n in names if data.get(n) is not None]
        if len(tiers) == len(names) and tiers != sorted(tiers):
            self.add_error("tier_cut_ordinary", _("Tier shares must grow: key ≤ major ≤ ordinary."))
        return data

    def cost_tables(self) -> tuple[dict[str, float], dict[str, float]]:
        """The two cost tables from the per-kind fields; an empty field drops the kind (it then
        costs the default)."""
        unit, minute = {}, {}
        for kind, _label in SERVICE_KINDS:
            if (value := self.cleaned_data.get(_unit_field(kind))) is not None:
                unit[kind] = value
            if (value := self.cleaned_data.get(_minute_field(kind))) is not None:
                minute[kind] = value
        return unit, minute

    def groups(self) -> list[tuple[Any, list]]:
        return [(title, [self[name] for name in names]) for title, names in GROUPS]

    def cost_rows(self) -> list[tuple[str, Any, Any]]:
        return [
            (label, self[_unit_field(kind)], self[_minute_field(kind)])
            for kind, label in SERVICE_KINDS
        ]
