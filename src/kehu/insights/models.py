"""Value and lifecycle analytics in the product (B1–B6, C1–C3, C6).

Each ``kehu analytics run`` is one dated snapshot: an ``AnalyticsRun`` with its summary, whale
curve and cohort grid, and one ``CustomerScore`` per customer. Snapshots are kept (the trends and
the "grade B → A" changes read them); the latest successful run is the current one, and its
figures are also copied onto the customer row (grade, tier, lifecycle…) so that lists filter
and sort on indexed columns. ``AnalyticsConfig`` holds the cut-offs and unit costs that
administrators and managers edit.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kehu.customers.models import Channel, Customer

# Service-event kinds: the interaction channels plus tickets (see extract.py).
TICKET_KIND = "ticket"
SERVICE_KINDS: list[tuple[str, Any]] = [*Channel.choices, (TICKET_KIND, _("Service ticket"))]

# Unit costs (currency per contact) and cost per minute, per service kind. Defaults are
# deliberately round: each company sets its own on the settings page.
DEFAULT_UNIT_COST = {
    "store": 20.0,
    "phone": 5.0,
    "email": 1.0,
    "web": 1.0,
    "chat": 2.0,
    "fax": 2.0,
    "mail": 3.0,
    "partner": 10.0,
    "field": 80.0,
    TICKET_KIND: 20.0,
}
DEFAULT_COST_PER_MINUTE = {"phone": 1.0, "chat": 0.5, "store": 1.0, "field": 1.0, TICKET_KIND: 1.0}

# Display names of the analytics' codes (kehu.analytics.value).
LOSS_REASONS = {
    "negative_margin": _("sold below cost"),
    "cost_to_serve": _("cost to serve"),
    "bad_debt": _("bad debt"),
}
RFM_SEGMENTS = {
    "champions": _("Champions"),
    "loyal": _("Loyal"),
    "potential": _("Potential loyalists"),
    "new": _("New"),
    "at_risk": _("At risk"),
    "cant_lose": _("Can't lose them"),
    "hibernating": _("Hibernating"),
    "lost": _("Lost"),
}

share = [MinValueValidator(0.0), MaxValueValidator(1.0)]


class ChurnModelKind(models.TextChoices):
    # Contractual: a classifier on one row per subscriber; activity: P(no purchase in the
    # horizon) for non-contractual buyers (kehu.analytics.churn).
    CONTRACTUAL = "contractual", _("Contract / subscription")
    ACTIVITY = "activity", _("Purchase activity")


positive = [MinValueValidator(0.0)]


def _unit_cost_default() -> dict:
    return dict(DEFAULT_UNIT_COST)


def _per_minute_default() -> dict:
    return dict(DEFAULT_COST_PER_MINUTE)


class AnalyticsConfig(models.Model):
    """The one row of analytics settings (pk 1), mapped to the analytics' config dataclasses
    by ``services.pipeline_config``. Defaults are those of ``kehu.analytics``."""

    # --- profit (B1)
    unit_cost = models.JSONField(_("cost per contact"), default=_unit_cost_default, blank=True)
    cost_per_minute = models.JSONField(
        _("cost per minute"), default=_per_minute_default, blank=True
    )
    default_unit_cost = models.FloatField(
        _("cost per contact, other kinds"), default=5.0, validators=positive
    )
    default_cost_per_minute = models.FloatField(
        _("cost per minute, other kinds"), default=0.0, validators=positive
    )
    overdue_days = models.PositiveIntegerField(
        _("unpaid invoices count as bad debt after (days overdue)"), default=90
    )
    window_days = models.PositiveIntegerField(
        _("value window (days, empty = whole history)"), null=True, blank=True
    )
    # --- grades and tiers (B3): shares of profit / of customers, or absolute profit cut-offs
    grade_cut_a = models.FloatField(
        _("grade A: customers making the first share of profit"), default=0.80, validators=share
    )
    grade_cut_b = models.FloatField(
        _("grade B: … up to this share of profit"), default=0.95, validators=share
    )
    grade_min_profit_a = models.FloatField(
        _("grade A: minimum profit (absolute grading)"), null=True, blank=True
    )
    grade_min_profit_b = models.FloatField(
        _("grade B: minimum profit (absolute grading)"), null=True, blank=True
    )
    tier_cut_key = models.FloatField(
        _("key customers: top share of customers"), default=0.01, validators=share
    )
    tier_cut_major = models.FloatField(
        _("major customers: up to this share"), default=0.05, validators=share
    )
    tier_cut_ordinary = models.FloatField(
        _("ordinary customers: up to this share"), default=0.20, validators=share
    )
    # --- core customers (B4)
    core_top_revenue_share = models.FloatField(
        _("core: revenue among the top share of buyers"), default=0.20, validators=share
    )
    core_min_on_time_share = models.FloatField(
        _("core: minimum share of invoices paid on time"), default=0.90, validators=share
    )
    core_max_service_ratio = models.FloatField(
        _("core: maximum cost to serve / revenue"), default=0.05, validators=positive
    )
    core_min_tenure_days = models.PositiveIntegerField(
        _("core: minimum relationship (days)"), default=365
    )
    # --- lifecycle and churn (C1–C3)
    churn_multiple = models.FloatField(
        _("complete churn after × own purchase interval"), default=3.0, validators=positive
    )
    lapse_multiple = models.FloatField(
        _("lapsed after × own purchase interval"), default=2.0, validators=positive
    )
    at_risk_multiple = models.FloatField(
        _("at risk after × own purchase interval"), default=1.5, validators=positive
    )
    min_gap_days = models.FloatField(
        _("never churned within (days)"), default=30.0, validators=positive
    )
    p_alive_threshold = models.FloatField(
        _("complete churn below P(active)"), null=True, blank=True, default=0.1, validators=share
    )
    recent_window_days = models.PositiveIntegerField(
        _("partial churn: shortest look-back (days; else 6 of the customer's usual gaps)"),
        default=90,
    )
    partial_ratio = models.FloatField(
        _("partial churn: recent spend below share of past rate"), default=0.5, validators=share
    )
    new_days = models.PositiveIntegerField(_("new for (days)"), default=90)
    won_back_days = models.PositiveIntegerField(_("won back for (days)"), default=90)
    client_min_purchases = models.PositiveIntegerField(
        _("client: minimum purchase days"), default=4
    )
    client_min_tenure_days = models.PositiveIntegerField(
        _("client: minimum relationship (days)"), default=180
    )
    # --- churn risk (C5): bands on P(leaving) and the activity model's horizon
    churn_band_high = models.FloatField(
        _("high risk from churn probability"), default=0.5, validators=share
    )
    churn_band_medium = models.FloatField(
        _("medium risk from churn probability"), default=0.25, validators=share
    )
    churn_horizon_days = models.PositiveIntegerField(
        _("churn: no purchase within (days)"),
        default=180,
        validators=[MinValueValidator(7), MaxValueValidator(730)],
    )
    # --- lifetime value (B6)
    clv_months = models.PositiveIntegerField(
        _("lifetime value horizon (months)"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    clv_monthly_discount = models.FloatField(
        _("monthly discount rate"), default=0.01, validators=share
    )

    # --- history
    keep_daily_snapshots = models.PositiveIntegerField(
        _("keep the per-customer scores of the last N runs (0 = all)"),
        default=35,
        help_text=_(
            "Older runs keep their summary, curve and cohorts, and the last run of each month "
            "keeps its scores too."
        ),
    )

    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("analytics settings")

    def __str__(self) -> str:
        return str(_("analytics settings"))

    @classmethod
    def load(cls) -> AnalyticsConfig:
        obj, _created = cls.objects.get_or_create(pk=1)
        return obj


class AnalyticsRun(models.Model):
    """One dated snapshot of the analytics. Only ``succeeded`` runs have scores."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    class Trigger(models.TextChoices):
        COMMAND = "command", _("Command line")
        NIGHTLY = "nightly", _("Nightly")
        USER = "user", _("On request")

    as_of = models.DateField(_("as of"))
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    engine = models.CharField(_("engine"), max_length=10, default="duckdb")
    trigger = models.CharField(
        _("trigger"), max_length=10, choices=Trigger.choices, default=Trigger.COMMAND
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RUNNING
    )
    error = models.TextField(_("error"), blank=True)
    customer_count = models.PositiveIntegerField(_("customers scored"), default=0)
    # The pipeline's headline figures (total profit, the whale-curve shares, CLV fit…).
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    # The whole population's whale curve, thinned to a few hundred points for the chart; the
    # report recomputes it from the scores when filtered.
    whale = models.JSONField(_("whale curve"), default=list, blank=True)
    # Cohort × period retention grid: [{cohort, period, cohort_size, active, share}, …].
    cohorts = models.JSONField(_("cohort retention"), default=list, blank=True)
    # The settings the run used, so old snapshots stay explainable after edits.
    config = models.JSONField(_("settings used"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("analytics run")
        indexes = [models.Index(fields=["status", "-finished_at", "-id"])]

    def __str__(self) -> str:
        return f"{self.as_of} ({self.get_status_display()})"

    @property
    def duration_seconds(self) -> float | None:
        if self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()


class CustomerScore(models.Model):
    """Everything the pipeline says about one customer in one run (schema.CUSTOMER_SCORES)."""

    run = models.ForeignKey(AnalyticsRun, on_delete=models.CASCADE, related_name="scores")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="scores")

    revenue = models.FloatField(_("revenue"), default=0.0)
    cogs = models.FloatField(_("cost of goods"), default=0.0)
    cost_to_serve = models.FloatField(_("cost to serve"), default=0.0)
    bad_debt = models.FloatField(_("bad debt"), default=0.0)
    profit = models.FloatField(_("profit contribution"), default=0.0)
    loss_reason = models.CharField(
        _("loss reason"), max_length=20, choices=list(LOSS_REASONS.items()), blank=True
    )

    rfm_r = models.PositiveSmallIntegerField("R", null=True, blank=True)
    rfm_f = models.PositiveSmallIntegerField("F", null=True, blank=True)
    rfm_m = models.PositiveSmallIntegerField("M", null=True, blank=True)
    rfm_score = models.PositiveSmallIntegerField(_("RFM score"), null=True, blank=True)
    rfm_segment = models.CharField(
        _("RFM segment"), max_length=20, choices=list(RFM_SEGMENTS.items()), blank=True
    )

    grade = models.CharField(_("grade"), max_length=1, choices=Customer.Grade.choices, blank=True)
    tier = models.CharField(_("tier"), max_length=10, choices=Customer.Tier.choices, blank=True)
    is_core = models.BooleanField(_("core customer"), default=False)

    frequency = models.PositiveIntegerField(_("repeat purchases"), null=True, blank=True)
    recency = models.FloatField(_("recency"), null=True, blank=True)
    T = models.FloatField(_("age"), null=True, blank=True)  # noqa: N815 (the BG/NBD name)
    p_alive = models.FloatField(_("probability active"), null=True, blank=True)
    expected_purchases = models.FloatField(_("expected purchases"), null=True, blank=True)
    expected_spend = models.FloatField(_("expected spend per purchase"), null=True, blank=True)
    clv = models.FloatField(_("predicted lifetime value"), null=True, blank=True)

    churn_type = models.CharField(
        _("churn type"), max_length=10, choices=Customer.ChurnType.choices, blank=True
    )
    lifecycle_status = models.CharField(
        _("lifecycle status"), max_length=10, choices=Customer.Lifecycle.choices, blank=True
    )
    loyalty_stage = models.CharField(
        _("loyalty stage"), max_length=12, choices=Customer.Loyalty.choices, blank=True
    )

    # Churn risk (C5): which model scored it, P(leaving), its band, the model's own top
    # drivers as reason codes with their parameters ([{"code", "params", "contribution"}],
    # turned into words in the reader's language when shown), probability × value, and the
    # change in probability since the customer's score in the previous run.
    churn_model = models.CharField(
        _("churn model"), max_length=12, choices=ChurnModelKind.choices, blank=True
    )
    churn_probability = models.FloatField(_("churn risk"), null=True, blank=True)
    churn_band = models.CharField(
        _("risk band"), max_length=6, choices=Customer.RiskBand.choices, blank=True
    )
    churn_reasons = models.JSONField(_("churn reasons"), default=list, blank=True)
    value_at_risk = models.FloatField(_("value at risk"), null=True, blank=True)
    churn_change = models.FloatField(_("change in churn risk"), null=True, blank=True)

    class Meta:
        verbose_name = _("customer score")
        constraints = [
            models.UniqueConstraint(fields=["run", "customer"], name="score_run_customer")
        ]
        indexes = [
            # The report ranks one run's customers by profit; the 360 block reads one
            # customer's last runs.
            models.Index(fields=["run", "-profit", "customer"]),
            models.Index(fields=["customer", "-run"]),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} @ {self.run_id}"


class ChurnModel(models.Model):
    """A fitted churn model, stored with its held-out figures and backtest.

    ``kehu churn train`` adds one per fit; it becomes ``live`` only when its held-out AUC is
    not below the baseline's nor below the live model's (else ``refused``, with the reason).
    The nightly run scores with the live model of each kind; the payload is the pickled
    ``kehu.analytics.churn`` estimator, kept in the database so backups carry it.
    """

    class Status(models.TextChoices):
        LIVE = "live", _("Live")
        RETIRED = "retired", _("Replaced")
        REFUSED = "refused", _("Refused")

    kind = models.CharField(_("kind"), max_length=12, choices=ChurnModelKind.choices)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices)
    refusal = models.TextField(_("why refused"), blank=True)
    trained_at = models.DateTimeField(_("trained"))
    as_of = models.DateField(_("data as of"))
    training_rows = models.PositiveIntegerField(_("training rows"), default=0)
    positive_rate = models.FloatField(_("share who left"), null=True, blank=True)
    features = models.JSONField(_("features"), default=list, blank=True)
    # Held-out figures: {"model": {"auc", "pr_auc", "lift_top_decile", "brier"}, "baseline": …}
    metrics = models.JSONField(_("held-out figures"), default=dict, blank=True)
    payload = models.BinaryField(_("fitted model"), editable=False)
    trained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-trained_at", "-id"]
        verbose_name = _("churn model")
        indexes = [models.Index(fields=["kind", "status", "-trained_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.trained_at:%Y-%m-%d %H:%M} ({self.get_status_display()})"

    @property
    def refusal_text(self) -> str:
        """Why the model was refused, in the active language, from the stored decision code
        and figures; models stored before codes existed show their English sentence."""
        decision = (self.metrics or {}).get("decision") or {}
        params = decision.get("params") or {}
        baseline = (
            _("BG/NBD (the baseline)")
            if self.kind == ChurnModelKind.ACTIVITY
            else _("the logistic baseline")
        )
        try:
            figures = {k: f"{float(v):.4f}" for k, v in params.items()}
            if decision.get("code") == "no_auc":
                return str(_("the new model has no held-out AUC"))
            if decision.get("code") == "below_baseline":
                return str(
                    _("held-out AUC %(auc)s is below %(baseline_name)s's %(baseline)s")
                    % {**figures, "baseline_name": baseline}
                )
            if decision.get("code") == "below_live":
                return str(_("held-out AUC %(auc)s is below the live model's %(live)s") % figures)
        except (KeyError, TypeError, ValueError):
            pass
        return self.refusal


class ChurnBacktest(models.Model):
    """One replayed month of a model's backtest: scores as of the month end against who
    actually left in the following horizon."""

    model = models.ForeignKey(ChurnModel, on_delete=models.CASCADE, related_name="backtests")
    month_end = models.DateField(_("as of"))
    customers = models.PositiveIntegerField(_("customers"), default=0)
    churn_rate = models.FloatField(_("share who left"), null=True, blank=True)
    auc = models.FloatField("AUC", null=True, blank=True)
    lift_top_decile = models.FloatField(_("lift in the top decile"), null=True, blank=True)
    # [{"bin", "predicted", "observed", "n"}, …]: mean predicted vs observed per decile.
    calibration = models.JSONField(_("calibration"), default=list, blank=True)

    class Meta:
        ordering = ["model", "month_end"]
        verbose_name = _("churn backtest month")
        constraints = [
            models.UniqueConstraint(fields=["model", "month_end"], name="backtest_model_month")
        ]

    def __str__(self) -> str:
        return f"{self.model_id} @ {self.month_end}"


class ChurnRollup(models.Model):
    """One run's churn scores counted once, by the nightly run, so the churn report need not
    aggregate every score on each request (kehu.insights.churn_rollup).

    Main rows (``reason`` blank): customers per team, region (the customer's own, else its
    team's), RFM segment, churn type, band and tenth of probability, with their sums. Reason
    rows (``reason`` set, at-risk bands only): how often the code is among a customer's top
    reasons. Team and region are plain ids as they were at the run: a deleted team or region
    must not delete or re-file the counts. Archived customers are left out, as the report
    leaves them out."""

    run = models.ForeignKey(AnalyticsRun, on_delete=models.CASCADE, related_name="churn_rollups")
    team_id = models.IntegerField(null=True, blank=True)
    region_id = models.IntegerField(null=True, blank=True)
    rfm_segment = models.CharField(max_length=20, blank=True)
    churn_type = models.CharField(max_length=10, blank=True)
    churn_band = models.CharField(max_length=6, blank=True)
    bin = models.SmallIntegerField(null=True, blank=True)
    reason = models.CharField(max_length=40, blank=True)
    n = models.IntegerField(default=0)
    n_scored = models.IntegerField(default=0)
    sum_probability = models.FloatField(null=True, blank=True)
    sum_value_at_risk = models.FloatField(null=True, blank=True)

    class Meta:
        verbose_name = "churn rollup"  # not shown in the product
        indexes = [models.Index(fields=["run", "team_id"])]

    def __str__(self) -> str:
        return f"{self.run_id}: {self.team_id}/{self.rfm_segment}/{self.churn_band} ({self.n})"


class CohortRollup(models.Model):
    """One run's cohort retention and repeat rate counted once, by the nightly run, so the
    churn report need not group every completed order on each request
    (kehu.insights.cohort_rollup).

    Per team, region (the customer's own, else its team's), RFM segment (of this run's scores),
    cohort (month of the first completed order, as year * 12 + month - 1) and period (months
    since the cohort's month): ``active`` customers who ordered in that month; on period 0 rows
    ``active`` is the cohort's size and ``repeat`` how many of them ordered at least twice.
    Only the cohorts of the report's window ending at the run's as-of date; orders up to that
    date. Team and region are plain ids as they were at the run, archived customers are left
    out (as in ChurnRollup). A run without any such order has one row without a cohort, which
    says "built"."""

    run = models.ForeignKey(AnalyticsRun, on_delete=models.CASCADE, related_name="cohort_rollups")
    team_id = models.IntegerField(null=True, blank=True)
    region_id = models.IntegerField(null=True, blank=True)
    rfm_segment = models.CharField(max_length=20, blank=True)
    cohort = models.IntegerField(null=True, blank=True)
    period = models.SmallIntegerField(default=0)
    active = models.IntegerField(default=0)
    repeat = models.IntegerField(default=0)

    class Meta:
        verbose_name = "cohort rollup"  # not shown in the product
        indexes = [models.Index(fields=["run", "team_id"])]

    def __str__(self) -> str:
        return f"{self.run_id}: {self.team_id}/{self.rfm_segment}/{self.cohort}+{self.period}"
