"""Churn risk in the API (issue #10): one customer's risk with its reasons, and the at-risk
list with the page's filters and paging.

Same rules as the pages (kehu.insights.selectors_churn): a customer the caller may not see is
404; analysts get phones masked; value at risk is null for roles without ``see_cost``
(channel-partner users, who only ever see the customers shared with their partner).
"""

from __future__ import annotations

from typing import Any

from django.http import QueryDict
from django.utils import translation
from ninja import Field, Query, Router, Schema

from kehu.api.common import ApiRequest, paginate, ref, user_ref, visible_customer
from kehu.api.schemas import READ_ERRORS, NoNulCharacters, Ref, UserRef
from kehu.insights import selectors, selectors_churn

router = Router(tags=["churn risk"])

LANG_DESCRIPTION = "Language of the reasons' words: en or zh-Hans (default: your language)"


class Reason(Schema):
    code: str = Field(description="Stable code of the reason (filter the at-risk list by it)")
    params: dict[str, Any] = Field(description="The customer's own figures in the reason")
    contribution: float | None = Field(description="Share of the log-odds the model gave it")
    text: str = Field(description="The reason in words, in the requested language")


class TrendPoint(Schema):
    as_of: str
    probability: float
    band: str


class RiskOut(Schema):
    customer: Ref
    scored: bool = Field(description="False until an analytics run has scored the customer")
    as_of: str | None = Field(description="The run the figures come from (YYYY-MM-DD)")
    model: str = Field(description="contractual or activity")
    probability: float | None = Field(description="P(leaving), 0–1")
    band: str = Field(description="low, medium or high; empty until scored")
    change: float | None = Field(description="Change in probability since the previous run")
    value_at_risk: float | None = Field(
        description="Probability × lifetime value (or yearly profit); null for roles that may "
        "not see cost figures"
    )
    reasons: list[Reason]
    trend: list[TrendPoint] = Field(description="Probability over the last runs, oldest first")


class AtRiskQuery(NoNulCharacters):
    team: int | None = Field(None, ge=1, le=2**63 - 1)
    owner: int | None = Field(None, ge=1, le=2**63 - 1)
    tier: str = Field("", max_length=10, description="key, major, ordinary or small")
    grade: str = Field("", max_length=1, description="A, B or C")
    segment: str = Field("", max_length=20, description="RFM segment of the current run")
    reason: str = Field("", max_length=60, description="A reason code among the top three")
    band: str = Field("", max_length=6, description="medium or high (default: both)")
    lang: str = Field("", max_length=10, description=LANG_DESCRIPTION)
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=1_000_000)


class AtRiskItem(Schema):
    id: int
    name: str
    phone: str = Field(description="Masked for roles that see personal data masked")
    owner: UserRef | None
    team: Ref | None
    tier: str
    grade: str
    lifecycle_status: str
    band: str
    probability: float | None
    change: float | None
    value_at_risk: float | None = Field(description="Null for roles that may not see cost")
    reasons: list[Reason]


class AtRiskPage(Schema):
    count: int = Field(description="Matching rows, counted up to a cap")
    count_is_capped: bool
    limit: int
    offset: int
    next_offset: int | None
    as_of: str | None = Field(description="The run the segments and reasons come from")
    items: list[AtRiskItem]


def _lang(value: str) -> str:
    # An unknown language is a 400 (BadRequest), like any other bad parameter.
    from django.core.exceptions import BadRequest

    from kehu.analytics.churn import reasons as R

    try:
        return R.language(value or translation.get_language() or "en")
    except ValueError:
        raise BadRequest("The parameter 'lang' is not one of: en, zh-Hans.") from None


@router.get("/customers/{customer_id}/risk", response={200: RiskOut, **READ_ERRORS})
def customer_risk(
    request: ApiRequest, customer_id: int, lang: str = Query("", max_length=10)
) -> dict[str, Any]:
    """The customer's churn risk from the latest run that scored it: probability, band,
    the model's top reasons (codes and words), value at risk and the trend over past runs.
    404 for a customer you may not see."""
    customer = visible_customer(request.auth, customer_id)
    risk = selectors_churn.customer_risk(customer=customer, user=request.auth, lang=_lang(lang))
    return {
        "customer": {"id": customer.pk, "name": customer.name},
        "scored": risk.scored,
        "as_of": risk.as_of,
        "model": risk.model,
        "probability": risk.probability,
        "band": risk.band,
        "change": risk.change,
        "value_at_risk": risk.value_at_risk,
        "reasons": risk.reasons or [],
        "trend": risk.trend or [],
    }


@router.get("/at-risk", response={200: AtRiskPage, **READ_ERRORS})
def at_risk(request: ApiRequest, filters: Query[AtRiskQuery]) -> dict[str, Any]:
    """Customers worth keeping who are slipping (medium or high risk, value at risk above
    zero, not archived, not lost), most value at risk first (most likely to leave first for
    roles that may not see cost). The same filters and rules as the web page; a filter value
    that is not one of the listed choices is a 400."""
    user = request.auth
    params = QueryDict(mutable=True)
    for name in ("team", "owner", "tier", "grade", "segment", "reason", "band"):
        value = getattr(filters, name)
        if value not in (None, ""):
            params[name] = str(value)
    parsed = selectors_churn.parse_filters(params)
    lang = _lang(filters.lang)
    run = selectors.current_run()
    qs = selectors_churn.at_risk(user=user, filters=parsed, run=run)

    def render(rows: list[Any]) -> list[dict[str, Any]]:
        return [
            _item(row) for row in selectors_churn.at_risk_rows(rows, user=user, run=run, lang=lang)
        ]

    page = paginate(qs, limit=filters.limit, offset=filters.offset, render=lambda c: c)
    page["items"] = render(page["items"])
    page["as_of"] = run.as_of.isoformat() if run else None
    return page


def _item(row: selectors_churn.AtRiskRow) -> dict[str, Any]:
    c = row.customer
    return {
        "id": c.pk,
        "name": c.name,
        "phone": row.phone,
        "owner": user_ref(c.owner),
        "team": ref(c.team),
        "tier": c.tier,
        "grade": c.grade,
        "lifecycle_status": c.lifecycle_status,
        "band": c.churn_band,
        "probability": c.churn_probability,
        "change": row.score.churn_change if row.score else None,
        "value_at_risk": None if row.value_at_risk is None else float(row.value_at_risk),
        "reasons": row.reasons,
    }
