"""Demo retention history (issue #11): a year of playbooks run with their control groups,
tasks done on time, late and missed, exit reasons with failure analyses, win-backs with the
revenue regained.

Replayed through kehu.retention.services (and sales.services for the orders a saved customer
places), month by month: every rule — the stratified control draw, the next step after "not
reached", the exit record — is the one the pages use. Nothing is stated about the results;
they are what the stored data give:

- Each month, customers whose last order is 4–10 months back (the at-risk ones of that day)
  enter the playbook of their tier then (spend of the year before) × band (quiet ≥ 6 months:
  high). Whether they come back on their own is what the demo's order history says.
- The owner's call works (key and ordinary playbooks): of the treated customers who would
  have gone, a share is reached and stays (buying again, where the persona's documented
  history allows an order; the lost ones, gone for a year, are past saving). The "major: try
  hard" playbook changes nothing: its customers leave or stay as their history says, like its
  control group.
- Those who neither come back nor are saved leave: the exit reason is recorded (by the call
  that learns it, or by the owner for the control group and the playbooks that end).
- Who leaves and later buys again (the won-back persona's own orders, or a late order of a
  lost key or major customer) is found won back by the outcome job, with the revenue
  regained; the other lost key and major customers get win-back tasks.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from kehu.core import audit
from kehu.customers.models import Customer
from kehu.retention import outcomes, services
from kehu.retention.models import Task
from kehu.sales import services as sales_services
from kehu.sales.models import Order, Product

WAVES = 12
# The history is replayed for the first customers only: bounded work at any demo size
# (a million-customer build spends seconds here, not hours).
POOL = 20_000
QUIET_MIN, QUIET_MAX, QUIET_HIGH = 120, 300, 180
# The pilot year holds back more than the default tenth, so a year answers the question.
PILOT_SHARE = 0.3
# Share of the treated customers who would have gone that a call brings back, per playbook.
EFFECT = {"all_costs": 0.85, "try_hard": 0.0, "as_chances": 0.85}
MISSED = 0.12
RETURN_DAYS = 120
# Personas whose documented order history an extra order does not contradict (the lapsing,
# lost, partial and won-back ones are the analytics' ground truth: their orders stay as built).
ORDER_OK = frozenset({"heavy", "regular", "light", "late_payer"})
WON_BACK = 0.3
REASONS = (
    ("price", 0.3, "竞品报价低了一成", "报价未及时跟进", "季度价格复核，老客户专属价"),
    ("service", 0.2, "安装拖了两周", "售后排期冲突", "安装预约提前确认，超时升级主管"),
    ("quality", 0.12, "滤芯寿命不及预期", "一批滤芯质量波动", "来料抽检加严"),
    ("competitor", 0.18, "转用了同行的套餐", "竞品上门推广", "重点客户季度回访"),
    ("moved", 0.08, "搬到外地", "", ""),
    ("closed", 0.07, "门店关张", "", ""),
    ("other", 0.05, "暂停采购，预算冻结", "", ""),
)


def build_retention(options: Any, org: Any) -> dict[str, int]:
    """The retention history of the demo as of ``options.as_of``; returns counts."""
    as_of: dt.date = options.as_of
    rng = random.Random(options.seed * 7919 + 11)
    customers = list(
        Customer.objects.filter(external_id__startswith="demo-", merged_into__isnull=True)
        .order_by("id")
        .values_list("id", "owner_id", "attributes__demo_persona")[:POOL]
    )
    if not customers:
        return {}
    owners = {cid: owner for cid, owner, _p in customers}
    persona = {cid: p for cid, _o, p in customers}
    days: dict[int, list[tuple[dt.date, Decimal]]] = defaultdict(list)
    for cid, on, amount in (
        Order.objects.filter(customer_id__in=list(owners), status=Order.Status.COMPLETED)
        .order_by("ordered_on")
        .values_list("customer_id", "ordered_on", "amount")
    ):
        days[cid].append((on, amount))
    users = {u.pk: u for u in get_user_model().objects.filter(pk__in=set(owners.values()) - {None})}
    admin = get_user_model().objects.get(pk=org.admin_id)
    product = Product.objects.filter(is_active=True).order_by("id").first()
    counts: dict[str, int] = defaultdict(int)
    with audit.acting_as(None, "demo"):
        _pilot_policy(admin, share=PILOT_SHARE, note="试点年：对照组三成")
        cuts = _tier_cuts(days, as_of)
        entered: set[int] = set()
        for k in range(WAVES):
            wave = as_of - dt.timedelta(days=365 - 30 * k)
            books: dict[str, list[services.Entrant]] = defaultdict(list)
            for cid, owner, _p in customers:
                if cid in entered or owner is None:
                    continue
                before = [a for on, a in days[cid] if on < wave]
                last = max((on for on, _a in days[cid] if on < wave), default=None)
                if last is None or not QUIET_MIN <= (wave - last).days <= QUIET_MAX:
                    continue
                spend = sum(
                    (a for on, a in days[cid] if on >= wave - dt.timedelta(365)), Decimal(0)
                )
                tier = _tier(spend, cuts)
                band = "high" if (wave - last).days >= QUIET_HIGH else "medium"
                code = services.current_policy().playbook_for(tier, band)
                if code not in EFFECT or not before:
                    continue
                entered.add(cid)
                books[code].append(
                    services.Entrant(cid, services.stratum_of(tier, band), owner, float(spend))
                )
            for code, entrants in sorted(books.items()):
                made = services.enter_playbook(code=code, entrants=entrants, as_of=wave, by=admin)
                tiers = {e.customer_id: e.stratum.split("|")[0] for e in entrants}
                for e in entrants:
                    story = _Story(rng, as_of, wave, e.customer_id, tiers[e.customer_id], days)
                    story.persona = persona[e.customer_id]
                    rep = users.get(e.owner_id or 0)
                    if story.play(made[e.customer_id], code, rep, product, counts):
                        counts["win_back_orders"] += story.win_back(rep, product)
        # The pilot ends; the policy in force holds back the default tenth again.
        _pilot_policy(admin, share=None, note="试点结束：对照组恢复一成")
        result = outcomes.record_outcomes(as_of=as_of, by=None)
    counts["won_back"] = result.won_back
    counts["win_back_tasks"] = result.win_back_tasks
    return dict(counts)


def _pilot_policy(admin: Any, *, share: float | None, note: str) -> None:
    """A new policy version: the pilot's control share, or the default one back."""
    from kehu.retention import policy

    current = services.current_policy()
    books = {code: dict(book) for code, book in current.playbooks.items()}
    for code in EFFECT:
        books[code]["control_share"] = (
            share if share is not None else policy.DEFAULT_PLAYBOOKS[code]["control_share"]
        )
    services.policy_save(playbooks=books, cells=current.cells, note=note, by=admin)


def _tier_cuts(days: dict[int, list[tuple[dt.date, Decimal]]], as_of: dt.date) -> list[Decimal]:
    """Spend over a year at the 95th, 80th and 30th percentile of the buying customers:
    the key / major / ordinary / small lines (the analytics' tiers are not scored yet)."""
    start = as_of - dt.timedelta(days=365)
    yearly = sorted(sum((a for on, a in v if on >= start), Decimal(0)) for v in days.values())
    yearly = [y for y in yearly if y > 0] or [Decimal(1)]
    return [yearly[min(len(yearly) - 1, int(q * len(yearly)))] for q in (0.95, 0.8, 0.3)]


def _tier(spend: Decimal, cuts: list[Decimal]) -> str:
    for name, cut in zip(("key", "major", "ordinary"), cuts, strict=True):
        if spend >= cut:
            return name
    return "small"


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


class _Story:
    """What happens to one customer after entering a playbook on ``wave``."""

    def __init__(self, rng, as_of, wave, cid, tier, days) -> None:  # type: ignore[no-untyped-def]
        self.rng, self.as_of, self.wave, self.cid, self.tier = rng, as_of, wave, cid, tier
        # Back on their own: an order within four months of the playbook's start (the stored
        # history). Who leaves, leaves before any later order: that order wins them back.
        self.returns = any(
            wave < on <= wave + dt.timedelta(days=RETURN_DAYS) for on, _a in days[cid]
        )
        self.left_on = wave + dt.timedelta(days=rng.randrange(45, 90))
        self.persona = ""
        self.draw = rng.random()

    def _exit(self) -> services.ExitInput:
        pick, acc = self.rng.random(), 0.0
        row = REASONS[-1]
        for candidate in REASONS:
            acc += candidate[1]
            if pick < acc:
                row = candidate
                break
        reason, _weight, text, happened, change = row
        analysed = self.rng.random() < 0.75
        return services.ExitInput(
            reason=reason,
            text=text,
            what_happened=happened if analysed else "",
            what_we_change=change if analysed else "",
            tier=self.tier,
        )

    def play(self, task: Task | None, code: str, owner: Any, product: Any, counts) -> bool:  # type: ignore[no-untyped-def]
        """Contacts, outcome and exit; whether the customer left."""
        customer = Customer.objects.get(pk=self.cid)
        goes = not self.returns and self.left_on < self.as_of
        if task is None:  # control: no contact; the owner records why they left
            if goes:
                services.record_exit(
                    customer=customer, by=owner, exit=self._exit(), left_on=self.left_on
                )
                counts["exits"] += 1
            counts["control"] += 1
            return goes
        counts["tasks"] += 1
        missed = self.rng.random() < MISSED
        due = task.due_on or self.wave
        if missed and (self.as_of - due).days < 60:
            if goes:  # they cancel before anyone calls: the owner records why
                services.record_exit(
                    customer=customer, by=owner, exit=self._exit(), left_on=self.left_on
                )
                counts["exits"] += 1
                return True
            counts["open_overdue"] += 1  # still on the owner's Today page, overdue
            return False
        done_on = due + dt.timedelta(
            days=self.rng.randrange(8, 30) if missed else -self.rng.randrange(0, 2)
        )
        done_on = max(self.wave, min(done_on, self.as_of))
        # The lost (gone for over a year by the as-of day) are past saving whatever we do.
        saved = (
            not self.returns
            and not missed
            and self.persona != "lost"
            and self.draw < EFFECT.get(code, 0.0)
        )
        if self.returns or saved:
            services.complete_task(
                task=task, outcome=Task.Outcome.SAVED, by=owner, at=_at(done_on, 10),
                note="客户表示会继续合作",
            )  # fmt: skip
            if saved and self.persona in ORDER_OK:
                bought = min(self.as_of, done_on + dt.timedelta(days=self.rng.randrange(3, 25)))
                sales_services.order_create(
                    customer=customer, by=owner, number=f"RT-{self.cid}-{bought:%Y%m%d}",
                    ordered_on=bought, channel="phone",
                    lines=[sales_services.LineSpec(product=product, quantity=Decimal(2))],
                )  # fmt: skip
                counts["saved_orders"] += 1
            return False
        services.complete_task(
            task=task, outcome=Task.Outcome.NOT_REACHED, by=owner, at=_at(done_on, 15)
        )
        step = Task.objects.filter(customer=customer, status=Task.Status.OPEN).first()
        if goes and step is not None and step.due_on and step.due_on <= self.left_on:
            # The next step learns that they have gone, and why.
            services.complete_task(
                task=step, outcome=Task.Outcome.LEFT, by=owner, exit=self._exit(),
                at=_at(self.left_on, 11),
            )  # fmt: skip
        elif goes:
            services.record_exit(
                customer=customer, by=owner, exit=self._exit(), left_on=self.left_on
            )
        if goes:
            counts["exits"] += 1
        elif step is not None and step.due_on and (self.as_of - step.due_on).days > 60:
            services.complete_task(
                task=step, outcome=Task.Outcome.SAVED, by=owner, at=_at(step.due_on, 16)
            )
        return goes

    def win_back(self, owner: Any, product: Any) -> bool:
        """Some of the key and major customers who left buy again later (treated or not:
        the playbook is over by then); the outcome job finds them won back."""
        if (
            self.tier not in ("key", "major")
            or self.persona not in ORDER_OK
            or self.rng.random() >= WON_BACK
        ):
            return False
        back = self.left_on + dt.timedelta(days=self.rng.randrange(30, 150))
        if back >= self.as_of:
            return False
        sales_services.order_create(
            customer=Customer.objects.get(pk=self.cid), by=owner,
            number=f"WB-{self.cid}-{back:%Y%m%d}", ordered_on=back, channel="phone",
            lines=[sales_services.LineSpec(product=product, quantity=Decimal(3))],
        )  # fmt: skip
        return True
