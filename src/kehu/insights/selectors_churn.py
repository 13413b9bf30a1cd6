"""Reads of churn risk (issue #10, C5): one customer's risk, the at-risk list, and the reason
words. Every customer-level read starts at ``permissions.visible_customers``.

**At risk** means *worth keeping and slipping*: a customer who is not archived, not already
lost (lifecycle status ``lost``: that is win-back work, not retention), whose current risk
band is medium or high and whose value at risk (churn probability × lifetime value or yearly
profit, stored by the nightly run) is positive. The list is read from the indexed columns the
run copies onto the customer row, sorted by value at risk (the ``(-value_at_risk, id)`` index),
so the first page of a million customers is a short index walk. Roles that may not see cost
figures (channel-partner users) get the same customers sorted by churn probability instead:
an order by value would tell what the hidden figures are.

Reasons are stored as codes with their parameters (``CustomerScore.churn_reasons``) and turned
into words in the reader's language when shown (``reason_texts``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, fields
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import BadRequest
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import QueryDict
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from kehu.analytics.churn import reasons as R
from kehu.core import permissions
from kehu.core.models import Role, Team
from kehu.core.params import int_param
from kehu.core.permissions import Action
from kehu.core.text import phone_display
from kehu.customers import fields as customer_fields
from kehu.customers.models import Customer
from kehu.insights.models import RFM_SEGMENTS, AnalyticsRun, CustomerScore

AT_RISK_BANDS = (Customer.RiskBand.MEDIUM, Customer.RiskBand.HIGH)
# Reasons a score keeps (reasons.top_reasons: k=3); the reason filter looks at these.
REASONS_KEPT = 3
TREND_RUNS = 12
XLSX_MAX_ROWS = 1_048_575

# Short names of the reason codes for the filter and the report (the full sentence, with the
# customer's own figures, comes from reason_texts).
REASON_LABELS: dict[str, Any] = {
    "overdue": _("Overdue on their usual rhythm"),
    "overdue_single": _("Long since the only purchase"),
    "spend_down": _("Spending less than last year"),
    "spend_new": _("No purchases the year before"),
    "slowing": _("Buying less often"),
    "frequency": _("Few purchases"),
    "alive": _("Probably inactive"),
    "expected": _("Few purchases expected"),
    "tenure": _("Length of the relationship"),
    "season": _("Bought at this time last year"),
    "season_none": _("Not bought at this time last year"),
    "monetary": _("Spend per purchase"),
    "category": _("Contract or plan"),
    "yes": _("Contract or plan option"),
    "no": _("Contract or plan option"),
    "missing": _("Missing information"),
    "other": _("Rare contract or plan value"),
    "low": _("Low usage or charges"),
    "high": _("High usage or charges"),
}
# A reason filter: a code, or a code and the input column it is about ("high:monthly_charges",
# "category:attr:合约类型"); the column part is any printable text.
REASON_CODE = re.compile(r"^[a-z][a-z0-9_.-]{0,59}(?::[^\x00-\x1f\x7f]{1,120})?$")
# The short word for a column code's side, after the column's label ("Monthly charges: high").
COLUMN_REASON_WORDS: dict[str, Any] = {
    "high": _("high"),
    "low": _("low"),
    "yes": _("yes"),
    "no": _("no"),
    "category": _("contract or plan type"),
    "missing": _("missing"),
    "other": _("rare value"),
}


# --------------------------------------------------------------------------- reason words


def _reason_language(lang: str | None) -> str:
    try:
        return R.language(lang or translation.get_language() or "en")
    except ValueError:
        return "en"


def _column_label(name: str, lang: str) -> str:
    known = R.COLUMN_LABELS.get(re.sub(r"[^0-9a-z]", "", str(name).lower()))
    return known[R.LANGUAGES.index(lang)] if known else str(name)


def _param(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    return R.number(float(value))


def _shared_reason_words() -> Any:
    """``kehu.insights.churn.reason_words``, the one function that turns stored reason codes
    into words (written with the scoring); None while it is not there. Imported when first
    needed: it brings the scoring's libraries with it."""
    try:
        from kehu.insights.churn import reason_words
    except ImportError:
        return None
    return reason_words


def reason_text(code: str, params: Mapping[str, Any] | None, lang: str | None = None) -> str:
    """One stored reason in words, in ``lang`` (default: the active language).

    Through ``kehu.insights.churn.reason_words`` (the phrases of
    kehu.analytics.churn.reasons, the same words the ``kehu churn`` commands write); a code
    it does not know is shown by its short name, never dropped."""
    lang = _reason_language(lang)
    shared = _shared_reason_words()
    if shared is not None:
        words = shared([{"code": code, "params": dict(params or {})}], lang)
        return words[0] if words else str(REASON_LABELS.get(code, code))
    return _adapter_text(code, dict(params or {}), lang)


def _adapter_text(code: str, params: dict[str, Any], lang: str) -> str:
    # Until the scoring's reason_words is there: the same phrase book, read directly.
    column = params.pop("column", None)
    if column is not None:
        params["label"] = _column_label(column, lang)
    if code == "category" and column is not None and "value" in params:
        key = (re.sub(r"[^0-9a-z]", "", str(column).lower()), str(params["value"]).strip().lower())
        known = R.VALUE_PHRASES.get(key)
        if known:
            return known[R.LANGUAGES.index(lang)]
    phrase = R.PHRASES[lang].get(code)
    if phrase is None:
        return str(REASON_LABELS.get(code, code))
    try:
        return phrase.format(**{k: _param(v) for k, v in params.items()})
    except (KeyError, IndexError, ValueError):
        return str(REASON_LABELS.get(code, code))


def reason_texts(reasons: Any, lang: str | None = None) -> list[dict[str, Any]]:
    """``CustomerScore.churn_reasons`` as [{code, params, contribution, text}], largest first;
    malformed entries are skipped (the JSON is written by the run, read by everyone)."""
    out = []
    for item in reasons or []:
        if not isinstance(item, Mapping) or not isinstance(item.get("code"), str):
            continue
        raw = item.get("params")
        params: dict[str, Any] = dict(raw) if isinstance(raw, Mapping) else {}
        out.append(
            {
                "code": item["code"],
                "params": params,
                "contribution": item.get("contribution"),
                "text": reason_text(item["code"], params, lang),
            }
        )
    return out


# --------------------------------------------------------------------------- one customer


@dataclass
class CustomerRisk:
    """The customer's current risk and its history, as ``user`` may see it."""

    scored: bool
    probability: float | None = None
    band: str = ""
    band_label: str = ""
    reasons: list[dict[str, Any]] | None = None
    value_at_risk: float | None = None
    change: float | None = None
    model: str = ""
    as_of: str | None = None
    trend: list[dict[str, Any]] | None = None
    cost_shown: bool = False


def customer_risk_history(*, customer: Customer, limit: int = TREND_RUNS) -> list[CustomerScore]:
    """The customer's churn scores in the last ``limit`` successful runs, newest first, one
    per as-of date (a re-run of a day replaces the earlier one); runs that did not score the
    customer's risk are left out. One query."""
    rows = (
        CustomerScore.objects.filter(
            customer=customer,
            run__status=AnalyticsRun.Status.SUCCEEDED,
            churn_probability__isnull=False,
        )
        .select_related("run")
        .only(
            "churn_model",
            "churn_probability",
            "churn_band",
            "churn_reasons",
            "value_at_risk",
            "churn_change",
            "customer_id",
            "run__as_of",
            "run__finished_at",
        )
        .order_by("-run__as_of", "-run__finished_at", "-run_id")[: limit * 2]
    )
    history: list[CustomerScore] = []
    for score in rows:
        if not history or history[-1].run.as_of != score.run.as_of:
            history.append(score)
    return history[:limit]


def customer_risk(*, customer: Customer, user: Any, lang: str | None = None) -> CustomerRisk:
    """``customer``'s risk block (the caller loaded ``customer`` through visibility): the
    latest scored run's probability, band, reasons in words, value at risk (None for roles
    without ``see_cost``) and the probability over the last runs, oldest first."""
    history = customer_risk_history(customer=customer)
    if not history:
        return CustomerRisk(scored=False)
    current = history[0]
    cost = permissions.can(user, Action.SEE_COST)
    return CustomerRisk(
        scored=True,
        probability=current.churn_probability,
        band=current.churn_band,
        band_label=str(current.get_churn_band_display()) if current.churn_band else "",
        reasons=reason_texts(current.churn_reasons, lang),
        value_at_risk=current.value_at_risk if cost else None,
        change=current.churn_change,
        model=current.churn_model,
        as_of=current.run.as_of.isoformat(),
        trend=[
            {
                "as_of": s.run.as_of.isoformat(),
                "probability": round(s.churn_probability or 0.0, 4),
                "band": s.churn_band,
            }
            for s in reversed(history)
        ],
        cost_shown=cost,
    )


# --------------------------------------------------------------------------- the at-risk list


@dataclass(frozen=True)
class AtRiskFilters:
    team: int | None = None
    owner: int | None = None
    tier: str = ""
    grade: str = ""
    segment: str = ""
    reason: str = ""
    band: str = ""

    @property
    def active(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))

    def as_query(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)}


def _choice(params: QueryDict | Mapping[str, Any], name: str, allowed: Any) -> str:
    value = str(params.get(name) or "").strip()
    if value and value not in allowed:
        raise BadRequest(f"The parameter {name!r} is not one of: {', '.join(map(str, allowed))}.")
    return value


def parse_filters(params: QueryDict) -> AtRiskFilters:
    """The at-risk filters from a query string: 400 (BadRequest) for a value that is not a
    whole number id or one of the listed choices, naming the parameter."""
    reason = str(params.get("reason") or "").strip()
    if reason and not REASON_CODE.match(reason):
        raise BadRequest("The parameter 'reason' is not a reason code.")
    return AtRiskFilters(
        team=int_param(params, "team"),
        owner=int_param(params, "owner"),
        tier=_choice(params, "tier", [t for t, _l in Customer.Tier.choices]),
        grade=_choice(params, "grade", [g for g, _l in Customer.Grade.choices]),
        segment=_choice(params, "segment", list(RFM_SEGMENTS)),
        reason=reason,
        band=_choice(params, "band", [str(b) for b in AT_RISK_BANDS]),
    )


def _reason_condition(value: str) -> Q:
    """Scores with ``value`` among their kept reasons: a code, or ``code:column`` for the
    reasons about one input column (so "high" monthly charges and "high" support calls are
    two filters, not one)."""
    code, _sep, column = value.partition(":")
    condition = Q()
    for rank in range(REASONS_KEPT):
        one = Q(**{f"churn_reasons__{rank}__code": code})
        if column:
            one &= Q(**{f"churn_reasons__{rank}__params__column": column})
        condition |= one
    return condition


def reason_filter_label(value: str, lang: str | None = None) -> str:
    """The reason filter's words: the code's short name, or "<column label>: <side>"."""
    code, _sep, column = value.partition(":")
    if not column:
        return str(REASON_LABELS.get(code, code))
    lang = _reason_language(lang)
    label = _column_label(column.removeprefix("attr:"), lang)
    with translation.override("en" if lang == "en" else "zh-hans"):
        word = str(COLUMN_REASON_WORDS.get(code, REASON_LABELS.get(code, code)))
    if lang == "en":
        return f"{label[:1].upper()}{label[1:]}: {word}"
    return f"{label}：{word}"


def reason_filter_choices(run: AnalyticsRun | None) -> list[tuple[str, str]]:
    """What the reason filter offers: the keys the run counted among medium- and high-risk
    customers (``summary["churn"]["reason_filters"]``, most frequent first); for a run from
    before those counts, the short names of the codes, each name once."""
    counted = ((run.summary or {}).get("churn") or {}).get("reason_filters") if run else None
    if counted:
        return [(key, reason_filter_label(key)) for key in counted if REASON_CODE.match(key)]
    seen: dict[str, str] = {}
    for code, label in REASON_LABELS.items():
        seen.setdefault(str(label), code)
    return [(code, label) for label, code in seen.items()]


def at_risk(*, user: Any, filters: AtRiskFilters, run: AnalyticsRun | None = None) -> QuerySet:
    """The customers ``user`` may see who are worth keeping and slipping (module doc),
    narrowed by ``filters``, most value at risk first (most likely to leave first for roles
    without ``see_cost``). Segment and reason are the current run's (``run``)."""
    qs = permissions.visible_customers(user).filter(
        merged_into__isnull=True,
        churn_band__in=[filters.band] if filters.band else list(AT_RISK_BANDS),
        value_at_risk__gt=0,
    )
    qs = qs.exclude(lifecycle_status=Customer.Lifecycle.LOST)
    simple = {
        "team_id": filters.team,
        "owner_id": filters.owner,
        "tier": filters.tier,
        "grade": filters.grade,
    }
    qs = qs.filter(**{k: v for k, v in simple.items() if v})
    if filters.segment or filters.reason:
        if run is None:
            return qs.none()
        scores = CustomerScore.objects.filter(run=run, customer=OuterRef("pk"))
        if filters.segment:
            scores = scores.filter(rfm_segment=filters.segment)
        if filters.reason:
            scores = scores.filter(_reason_condition(filters.reason))
        qs = qs.filter(Exists(scores))
    if permissions.can(user, Action.SEE_COST):
        order: tuple[str, ...] = ("-value_at_risk", "id")
    else:
        order = ("-churn_probability", "id")
    return qs.select_related("owner", "team").order_by(*order)


@dataclass
class AtRiskRow:
    customer: Customer
    phone: str
    value_at_risk: Any
    score: CustomerScore | None
    reasons: list[dict[str, Any]]
    can_log: bool


def at_risk_rows(
    customers: list[Customer], *, user: Any, run: AnalyticsRun | None, lang: str | None = None
) -> list[AtRiskRow]:
    """One page of the list with each customer's current score (reasons, change): one query
    for the page's scores, whatever the page size. Phones masked and values hidden by the
    field registry (``shown_value``), as everywhere."""
    scores: dict[int, CustomerScore] = {}
    if run is not None and customers:
        scores = {
            s.customer_id: s
            for s in CustomerScore.objects.filter(
                run=run, customer_id__in=[c.pk for c in customers]
            ).only(
                "customer_id", "churn_reasons", "churn_change", "rfm_segment", "churn_probability"
            )
        }
    may_log = permissions.role_may(user, Action.LOG_INTERACTION)
    rows = []
    for c in customers:
        permissions.loaded_for(c, user)
        score = scores.get(c.pk)
        rows.append(
            AtRiskRow(
                customer=c,
                phone=customer_fields.shown_value("phone", c.phone, user=user),
                value_at_risk=customer_fields.shown_value(
                    "value_at_risk", c.value_at_risk, user=user
                ),
                score=score,
                reasons=reason_texts(score.churn_reasons, lang)[:REASONS_KEPT] if score else [],
                can_log=may_log and permissions.can(user, Action.LOG_INTERACTION, c),
            )
        )
    return rows


def filter_choices(user: Any) -> tuple[Any, Any]:
    """(teams, owners) for the filters: every team and owner for roles that see every
    customer; else the teams whose customers the user sees (own and managed) and their staff;
    nothing for partner users (the dealer's view is its shared customers, not our teams)."""
    condition = permissions.visibility_filter(user)
    users = get_user_model().objects.filter(
        is_active=True, profile__role__in=(Role.SALES, Role.MANAGER, Role.ADMIN)
    )
    if condition is None or permissions.role_of(user) == Role.PARTNER:
        return Team.objects.none(), users.none()
    if condition == Q():
        return Team.objects.order_by("name"), users.order_by("username")[:500]
    ids = {getattr(getattr(user, "profile", None), "team_id", None)}
    if permissions.role_of(user) == Role.MANAGER:
        ids.update(user.managed_teams.values_list("id", flat=True))
    teams = sorted(i for i in ids if i)
    owners = users.filter(Q(profile__team__in=teams) | Q(pk=user.pk))
    return Team.objects.filter(pk__in=teams).order_by("name"), owners.order_by("username")[:500]


# --------------------------------------------------------------------------- export

EXPORT_COLUMNS: tuple[tuple[str, Any, Action | None], ...] = (
    ("id", _("Customer id"), None),
    ("name", _("Name"), None),
    ("phone", _("Phone"), None),
    ("owner", _("Owner"), None),
    ("team", _("Team"), None),
    ("tier", _("Tier"), None),
    ("grade", _("Grade"), None),
    ("lifecycle", _("Lifecycle"), None),
    ("band", _("Risk band"), None),
    ("probability", _("Churn risk (%)"), None),
    ("value_at_risk", _("Value at risk"), Action.SEE_COST),
    ("reason_1", _("Reason 1"), None),
    ("reason_2", _("Reason 2"), None),
    ("reason_3", _("Reason 3"), None),
)


def export_columns(user: Any) -> list[tuple[str, str]]:
    """(key, translated header) of the export's columns ``user`` may have."""
    return [
        (key, str(header))
        for key, header, action in EXPORT_COLUMNS
        if action is None or permissions.can(user, action)
    ]


def export_rows(
    *, user: Any, filters: AtRiskFilters, run: AnalyticsRun | None, chunk: int = 1000
) -> Iterator[list[Any]]:
    """The whole filtered list, chunk by chunk (one query for customers and one for their
    scores per chunk), as ``export_columns`` cells: masked, cost hidden."""
    keys = [key for key, _h in export_columns(user)]
    qs = at_risk(user=user, filters=filters, run=run)
    batch: list[Customer] = []
    for customer in qs.iterator(chunk_size=chunk):
        batch.append(customer)
        if len(batch) >= chunk:
            yield from _export_batch(batch, keys=keys, user=user, run=run)
            batch = []
    if batch:
        yield from _export_batch(batch, keys=keys, user=user, run=run)


def _export_batch(
    batch: list[Customer], *, keys: list[str], user: Any, run: AnalyticsRun | None
) -> Iterator[list[Any]]:
    # Phones as people write them (a leading "+" would be escaped as a formula); masked ones
    # stay as the mask wrote them.
    plain = permissions.can(user, Action.SEE_PERSONAL_DATA)
    region = settings.KEHU_DEFAULT_PHONE_REGION
    for row in at_risk_rows(batch, user=user, run=run):
        c = row.customer
        texts = [r["text"] for r in row.reasons] + ["", "", ""]
        cells = {
            "id": c.pk,
            "name": c.name,
            "phone": phone_display(row.phone, region) if plain else row.phone,
            "owner": c.owner.get_username() if c.owner else "",
            "team": c.team.name if c.team else "",
            "tier": str(c.get_tier_display()) if c.tier else "",
            "grade": c.grade,
            "lifecycle": str(c.get_lifecycle_status_display()) if c.lifecycle_status else "",
            "band": str(c.get_churn_band_display()) if c.churn_band else "",
            "probability": (
                None if c.churn_probability is None else round(c.churn_probability * 100, 1)
            ),
            "value_at_risk": None if row.value_at_risk is None else float(row.value_at_risk),
            "reason_1": texts[0],
            "reason_2": texts[1],
            "reason_3": texts[2],
        }
        yield [cells[k] for k in keys]
