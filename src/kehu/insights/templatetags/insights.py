"""``{% customer_value customer %}``: the value block of the customer 360 page.

Shows the current snapshot's figures for the customer (profit and its parts, grade, tier, core
flag, CLV, P(active), lifecycle, loyalty, churn, RFM) and what changed since the previous
snapshot, with a small trend chart. One query (the customer's last snapshots). Value figures are
not personal data, so analysts see them unmasked; channel-partner users do not see the block
(a company's margins on a customer are not the partner's business).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from kehu.core import permissions
from kehu.insights import selectors
from kehu.insights.models import CustomerScore

register = template.Library()

# (field, label) whose change between two snapshots is worth a line.
CHANGES = [
    ("grade", _("Grade")),
    ("tier", _("Tier")),
    ("is_core", _("Core customer")),
    ("lifecycle_status", _("Lifecycle")),
    ("loyalty_stage", _("Loyalty")),
    ("churn_type", _("Churn")),
    ("rfm_segment", _("RFM segment")),
]


def _display(score: CustomerScore, name: str) -> str:
    if name == "is_core":
        return str(_("yes") if score.is_core else _("no"))
    value = getattr(score, name)
    if not value:
        return "—"
    getter = getattr(score, f"get_{name}_display", None)
    return str(getter()) if getter else str(value)


def changes(current: CustomerScore, previous: CustomerScore) -> list[dict[str, Any]]:
    out = []
    for name, label in CHANGES:
        if getattr(current, name) != getattr(previous, name):
            out.append(
                {
                    "field": name,
                    "label": label,
                    "before": _display(previous, name),
                    "after": _display(current, name),
                }
            )
    return out


def _pct(value: float | None) -> float | None:
    return None if value is None else value * 100


def _delta(current: float | None, previous: float | None) -> float | None:
    if current is None or previous is None:
        return None
    return current - previous


@register.inclusion_tag("insights/_customer_value.html", takes_context=True)
def customer_value(context: template.Context, customer: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if not permissions.can(user, permissions.Action.SEE_COST):
        return {"shown": False}
    history = selectors.customer_value_history(customer=customer)
    current = history[0] if history else None
    previous = history[1] if len(history) > 1 else None
    chronological = list(reversed(history))
    return {
        "shown": True,
        "customer": customer,
        "score": current,
        "previous": previous,
        "changes": changes(current, previous) if current and previous else [],
        "profit_delta": _delta(current.profit, previous.profit) if current and previous else None,
        "clv_delta": _delta(current.clv, previous.clv) if current and previous else None,
        # In percentage points: 0.80 → 0.65 reads "−15 pts".
        "p_alive_delta": (
            _delta(_pct(current.p_alive), _pct(previous.p_alive)) if current and previous else None
        ),
        "spark": {
            "as_of": [s.run.as_of.isoformat() for s in chronological],
            "p_alive": [
                None if s.p_alive is None else round(s.p_alive * 100, 1) for s in chronological
            ],
            "profit": [round(s.profit, 2) for s in chronological],
            "labels": {"p_alive": str(_("P(active) in percent")), "profit": str(_("Profit"))},
        },
        "spark_id": f"value-spark-{customer.pk}",
        "spark_data_id": f"value-spark-{customer.pk}-data",
    }


@register.filter
def percent(value: float | None, digits: int = 0) -> str:
    """0.8123 → "81%" (empty for unknown)."""
    if value is None:
        return "—"
    return f"{value * 100:.{int(digits)}f}%"


@register.filter
def signed(value: float | None, digits: int = 0) -> str:
    """+1,234 / −56 for deltas."""
    if value is None:
        return ""
    text = f"{abs(value):,.{int(digits)}f}"
    return ("+" if value >= 0 else "−") + text


@register.filter
def pts(value: float | None) -> str:
    """A change of probability in percentage points: 0.12 → "+12", −0.05 → "−5"."""
    if value is None:
        return ""
    return signed(value * 100, 0)


@register.inclusion_tag("insights/_risk_block.html", takes_context=True)
def customer_risk(context: template.Context, customer: Any) -> dict[str, Any]:
    """``{% customer_risk customer %}``: the churn-risk block of the customer 360 page (the
    caller loaded ``customer`` through visibility). Probability, band, the model's top reasons
    in the reader's language, value at risk (roles with ``see_cost``), the change since the
    last run and the probability over the last runs; "not scored yet" when no run scored the
    customer. One query."""
    from kehu.insights import selectors_churn

    request = context.get("request")
    user = getattr(request, "user", None)
    risk = selectors_churn.customer_risk(customer=customer, user=user)
    return {"customer": customer, "risk": risk, "spark": _spark(risk.trend or [])}


SPARK_W, SPARK_H = 200, 40


def _spark(trend: list[dict[str, Any]]) -> str:
    """The probability over the runs as SVG polyline points (0 % at the bottom, 100 % at the
    top): drawn by the browser without a script, so the 360 page loads no chart library for
    it."""
    if len(trend) < 2:
        return ""
    step = SPARK_W / (len(trend) - 1)
    return " ".join(
        f"{i * step:.1f},{SPARK_H - 2 - t['probability'] * (SPARK_H - 4):.1f}"
        for i, t in enumerate(trend)
    )
