"""Tasks for a customer's owner: follow-ups, retention and win-back calls, care after a
purchase (D1, D5). Policies, campaigns and control groups build on this (roadmap 4)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kehu.core.audit import Audited
from kehu.core.models import TimeStamped
from kehu.customers.models import Customer


class Task(Audited, TimeStamped):
    class Kind(models.TextChoices):
        FOLLOW_UP = "follow_up", _("Follow-up")
        RETENTION = "retention", _("Retention")
        WIN_BACK = "win_back", _("Win-back")
        CARE = "care", _("Post-purchase care")
        COLLECTION = "collection", _("Collect payment")
        DATA = "data", _("Fix customer data")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    class Trigger(models.TextChoices):
        BAND = "band", _("Nightly risk band")
        COMPLAINT = "complaint", _("Complaint past its deadline")
        SPEND_DOWN = "spend_down", _("Spend down sharply")
        CONTRACT_END = "contract_end", _("Contract ending")
        NO_CONTACT = "no_contact", _("No contact within the cadence")
        P_ALIVE_DROP = "p_alive_drop", _("P(active) dropped")
        WIN_BACK = "win_back", _("Lost high-value customer")
        PURCHASE = "purchase", _("First or large purchase")
        MANUAL = "manual", _("By hand")

    class StepKind(models.TextChoices):
        CALL = "call", _("Call by the owner")
        VISIT = "visit", _("Manager visit")
        OFFER = "offer", _("Offer")
        NONE = "none", _("Not pursued")

    class Outcome(models.TextChoices):
        SAVED = "saved", _("Reached / saved")
        NOT_REACHED = "not_reached", _("Not reached")
        LEFT = "left", _("Left")
        RENEWED = "renewed", _("Renewed")

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="tasks"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.FOLLOW_UP)
    title = models.CharField(_("title"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    due_on = models.DateField(_("due"), null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    done_at = models.DateTimeField(null=True, blank=True)

    # Made by the policy (or by hand, then empty): the playbook and its step, the trigger that
    # raised it (one open task per customer and trigger key: generation is idempotent), the
    # policy version in force, and the priority (value at risk, higher first).
    trigger = models.CharField(_("trigger"), max_length=20, choices=Trigger.choices, blank=True)
    trigger_key = models.CharField(max_length=80, blank=True)
    playbook = models.CharField(_("playbook"), max_length=40, blank=True)
    step = models.PositiveSmallIntegerField(_("step"), default=0)
    step_kind = models.CharField(_("step"), max_length=8, choices=StepKind.choices, blank=True)
    budget = models.DecimalField(
        _("offer budget"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    policy_version = models.ForeignKey(
        "PolicyVersion",
        verbose_name=_("policy version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    priority = models.FloatField(_("value at risk"), default=0.0)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["assigned_to", "status", "due_on"]),
            models.Index(fields=["customer", "status"]),
            models.Index(fields=["playbook", "status"]),
            # Today: a person's open tasks, most value at risk first, read in index order so
            # the page stops after its first rows instead of sorting the whole book.
            models.Index(
                fields=["assigned_to", "-priority", "due_on", "id"],
                condition=models.Q(status="open"),
                name="task_open_by_priority",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "trigger_key"],
                condition=models.Q(status="open") & ~models.Q(trigger_key=""),
                name="task_one_open_per_trigger",
            )
        ]

    def __str__(self) -> str:
        return self.title


# --- policy as data (D2, D3) --------------------------------------------------------------


class ImmutableRow(models.Model):
    """A row written once and never changed or deleted through the ORM: policy versions and
    control assignments are evidence (which rule made a task, who was held back)."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.pk is not None and not self._state.adding:
            raise ImmutableError(f"{self._meta.label} rows cannot be changed")
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise ImmutableError(f"{self._meta.label} rows cannot be deleted")


class ImmutableError(RuntimeError):
    pass


class PolicyVersion(Audited, ImmutableRow):
    """One version of the retention policy: the playbooks (ordered steps, control share) and
    the tier × risk band table naming the playbook of each cell. Editing the policy writes a
    new version; the highest is in force, and each task keeps the version that made it.

    ``playbooks``: {code: {"name": str, "control_share": float, "steps": [{"kind": call|visit|
    offer|none, "within_days": int, "budget": number}]}}; ``cells``: {tier: {band: code}}.
    """

    number = models.PositiveIntegerField(_("version"), unique=True)
    playbooks = models.JSONField(_("playbooks"), default=dict)
    cells = models.JSONField(_("tier × risk band"), default=dict)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-number"]
        verbose_name = _("retention policy version")

    def __str__(self) -> str:
        return f"v{self.number}"

    def playbook_for(self, tier: str, band: str) -> str | None:
        code = (self.cells.get(tier) or {}).get(band)
        return code if code in self.playbooks else None


class WorthFlag(Audited, TimeStamped):
    """A customer not worth keeping (D3), with the reason: no retention playbook for them."""

    class Reason(models.TextChoices):
        NO_PROFIT = "no_profit", _("No profit possible")
        BREACH = "breach", _("Repeated contract breach")
        HARMS_STAFF = "harms_staff", _("Harms staff")
        REPUTATION = "reputation", _("Damages reputation")

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="worth_flags"
    )
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices)
    note = models.TextField(_("note"), blank=True)
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    cleared_at = models.DateTimeField(_("cleared"), null=True, blank=True)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("not-worth-keeping flag")
        constraints = [
            models.UniqueConstraint(
                fields=["customer"],
                condition=models.Q(cleared_at__isnull=True),
                name="worthflag_one_open",
            )
        ]

    def __str__(self) -> str:
        return f"{self.customer_id}: {self.get_reason_display()}"


class ControlAssignment(ImmutableRow):
    """Whether a customer entering a playbook or campaign (``group``: "playbook:<code>" or
    "campaign:<id>") was held back as control. Decided once, deterministically (seeded hash,
    stratified by ``stratum`` = tier|band), and never changed (D7)."""

    group = models.CharField(max_length=60)
    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    stratum = models.CharField(max_length=30)
    is_control = models.BooleanField()
    share = models.FloatField()
    seed = models.CharField(max_length=60)
    assigned_on = models.DateField()
    policy_version = models.ForeignKey(
        PolicyVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "customer"], name="control_once")]
        indexes = [models.Index(fields=["group", "stratum"])]

    def __str__(self) -> str:
        return f"{self.group} {self.customer_id}: {'control' if self.is_control else 'treated'}"


class ExitReason(Audited, TimeStamped):
    """Why a customer left (C4), with the failure analysis; tier, team, region and owner as
    they were when recorded, so the reasons report does not move when the book does."""

    class Reason(models.TextChoices):
        PRICE = "price", _("Price")
        SERVICE = "service", _("Service")
        QUALITY = "quality", _("Product quality")
        COMPETITOR = "competitor", _("Competitor")
        MOVED = "moved", _("Moved")
        CLOSED = "closed", _("Business closed")
        OTHER = "other", _("Other")

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="exit_reasons"
    )
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices)
    text = models.TextField(_("in their words"), blank=True)
    what_happened = models.TextField(_("what happened"), blank=True)
    what_we_change = models.TextField(_("what we change"), blank=True)
    left_on = models.DateField(_("left on"))
    task = models.ForeignKey(
        Task, null=True, blank=True, on_delete=models.SET_NULL, related_name="exit_reasons"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    tier = models.CharField(max_length=10, blank=True)
    team_id_then = models.BigIntegerField(null=True, blank=True)
    region_id_then = models.BigIntegerField(null=True, blank=True)
    owner_id_then = models.BigIntegerField(null=True, blank=True)
    won_back_on = models.DateField(_("won back on"), null=True, blank=True)
    revenue_regained = models.DecimalField(
        _("revenue regained"), max_digits=14, decimal_places=2, default=0
    )

    class Meta:
        ordering = ["-left_on", "-id"]
        indexes = [models.Index(fields=["left_on"]), models.Index(fields=["customer", "-left_on"])]

    def __str__(self) -> str:
        return f"{self.customer_id}: {self.reason}"


class Target(Audited, TimeStamped):
    """A retention goal for a month (D6): for a team or for one rep (neither: the whole
    company), one indicator, the value to reach. Set by administrators and managers; the
    targets page sets the actual, month to date, against it."""

    class Metric(models.TextChoices):
        RETENTION_RATE = "retention_rate", _("Retention rate of the book (%)")
        ON_TIME = "on_time", _("Tasks done on time (%)")
        WON_BACK = "won_back", _("Customers won back")
        RESOLVED = "resolved", _("Value at risk resolved")

    month = models.DateField(_("month"))  # the first day of the month
    metric = models.CharField(_("indicator"), max_length=16, choices=Metric.choices)
    team = models.ForeignKey(
        "core.Team", verbose_name=_("team"), null=True, blank=True, on_delete=models.CASCADE
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rep"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    value = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-month", "metric"]
        verbose_name = _("retention target")
        indexes = [models.Index(fields=["month", "metric"])]
        constraints = [
            # One target per month, indicator and team or rep: the service updates in place
            # (a unique constraint cannot say it with the empty columns on every database).
            models.CheckConstraint(
                condition=models.Q(team__isnull=True) | models.Q(user__isnull=True),
                name="target_team_or_rep",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.metric}: {self.value}"


class CarePolicy(Audited, TimeStamped):
    """Post-purchase care (D5), one row: after a customer's first purchase, or a purchase of
    at least ``large_amount``, the owner gets a task per step (confirm the choice, offer
    training or information, check satisfaction), each due some days after the order. The
    worker scans the orders completed since the last scan (``last_order_id``)."""

    class Step(models.TextChoices):
        CONFIRM = "confirm", _("Confirm the choice")
        TRAINING = "training", _("Offer training or information")
        SATISFACTION = "satisfaction", _("Check satisfaction")

    enabled = models.BooleanField(_("enabled"), default=True)
    on_first = models.BooleanField(_("after a first purchase"), default=True)
    large_amount = models.DecimalField(
        _("large purchase from"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    # [{"step": confirm|training|satisfaction, "after_days": int}], in order.
    steps = models.JSONField(_("steps"), default=list)
    last_order_id = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("post-purchase care")

    def __str__(self) -> str:
        return "post-purchase care"
