"""The demo's surveys (issue #13, E1/E2/E11): CSAT answers on resolved demo tickets and after
demo orders, quarterly NPS answers, and the invitations behind them (some never answered, for
the response rates), with the satisfaction → loyalty shape of the seed — customers who answer
5 stay and buy again far more than those who answer 4, and 4s a little more than 1-3s.

Nothing is stated about the curve: each answer's score is drawn from what the demo's own
order history says about that customer (``LIKELIHOOD``): whether they are still a customer at
the as-of date (a completed order in the last six months) and whether they bought again after the
answer. The curve page then finds the shape in the stored data, through the same selectors.

Written in bulk (thousands of rows; a survey answer has no business rule beyond its score
range, checked here by the choice of scores), for the first ``POOL`` demo customers only, so a
million-customer build spends seconds here. Running it again adds nothing once the demo's
answers exist."""

from __future__ import annotations

import datetime as dt
import random
import secrets
from collections import defaultdict
from typing import Any

from django.utils import timezone

from kehu.customers.models import Customer
from kehu.sales.models import Order
from kehu.service.models import Ticket
from kehu.surveys import services
from kehu.surveys.models import Invitation, Response, Survey
from kehu.surveys.tokens import hash_token

POOL = 20_000
RETAINED_DAYS = 180  # as the curve's selector (kehu.surveys.selectors.RETAINED_DAYS)


def _csat(low: float, four: float, five: float) -> tuple[float, ...]:
    # 1-3 split 25:30:45 (the unhappy still give 3 more often than 1).
    return (0.25 * low, 0.30 * low, 0.45 * low, four, five)


# P(score) given (still a customer, bought again after answering): the completely satisfied
# are the loyal ones; "satisfied" (4) is as common among those who leave as among those who
# stay, which is why only the 5s are loyal.
LIKELIHOOD: dict[tuple[bool, bool], tuple[float, ...]] = {
    (True, True): _csat(0.11, 0.27, 0.62),
    (True, False): _csat(0.22, 0.38, 0.40),
    (False, True): _csat(0.38, 0.50, 0.12),
    (False, False): _csat(0.45, 0.50, 0.05),
}
# NPS 0-10 given still a customer: promoters among the loyal, detractors among the gone.
NPS_STAY = (0.01, 0.01, 0.01, 0.02, 0.03, 0.04, 0.06, 0.12, 0.20, 0.25, 0.25)
NPS_GONE = (0.05, 0.05, 0.07, 0.09, 0.10, 0.12, 0.14, 0.14, 0.12, 0.07, 0.05)
ANSWERED = 0.62  # share of invitations answered
TICKET_SHARE = 0.8  # resolved tickets whose customer is asked
ORDER_SHARE = 0.35  # orders followed by a CSAT question


def _score(rng: random.Random, weights: tuple[float, ...], low: int) -> int:
    return rng.choices(range(low, low + len(weights)), weights=weights)[0]


def _moment(day: dt.date, rng: random.Random) -> dt.datetime:
    at = dt.datetime.combine(day, dt.time(9)) + dt.timedelta(minutes=rng.randrange(0, 12 * 60))
    return timezone.make_aware(at)


def build_surveys(options: Any, org: Any) -> dict[str, int]:
    as_of: dt.date = options.as_of
    if Response.objects.filter(source=Response.Source.DEMO).exists():
        return {}
    rng = random.Random(options.seed * 104729 + 13)
    customers = dict(
        Customer.objects.filter(external_id__startswith="demo-", merged_into__isnull=True)
        .order_by("id")
        .values_list("id", "tier")[:POOL]
    )
    if not customers:
        return {}
    teams = dict(Customer.objects.filter(pk__in=list(customers)).values_list("id", "team_id"))
    orders: dict[int, list[tuple[int, dt.date, Any]]] = defaultdict(list)
    for oid, cid, on, rep in (
        Order.objects.filter(customer_id__in=list(customers), status=Order.Status.COMPLETED,
                             ordered_on__lte=as_of)
        .order_by("ordered_on", "id")
        .values_list("id", "customer_id", "ordered_on", "sales_rep_id")
    ):  # fmt: skip
        orders[cid].append((oid, on, rep))
    recent = as_of - dt.timedelta(days=RETAINED_DAYS)
    retained = {cid: bool(orders[cid]) and orders[cid][-1][1] > recent for cid in customers}

    def bought_after(cid: int, day: dt.date) -> bool:
        return any(on > day for _o, on, _r in orders[cid])

    surveys: dict[str, Survey] = {
        k: services.standard_survey(k)
        for k in (Survey.Kind.CSAT_TICKET, Survey.Kind.CSAT_ORDER, Survey.Kind.NPS)
    }
    invitations: list[Invitation] = []
    answers: list[dict[str, Any]] = []

    def ask(kind: str, cid: int, day: dt.date, score: int | None, **about: Any) -> None:
        survey = surveys[kind]
        asked = _moment(day, rng)
        invitation = Invitation(
            survey=survey, customer_id=cid, token_hash=hash_token(secrets.token_urlsafe(18)),
            asked_on=day, expires_at=asked + dt.timedelta(days=survey.valid_days),
            sent_at=asked, sent_by_email=True,
            ticket_id=about.get("ticket_id"), order_id=about.get("order_id"),
        )  # fmt: skip
        invitations.append(invitation)
        answered_at = asked + dt.timedelta(hours=rng.randrange(1, 72))
        if score is None or rng.random() > ANSWERED or answered_at.date() > as_of:
            return
        invitation.used_at = answered_at
        answers.append({"invitation": invitation, "kind": kind, "survey": survey, "customer_id": cid,
                        "score": score, "answered_at": answered_at, "tier": customers[cid],
                        **about})  # fmt: skip

    # CSAT on resolved tickets, answered the day after.
    tickets = (
        Ticket.objects.filter(customer_id__in=list(customers), resolved_at__isnull=False)
        .exclude(pk__in=Invitation.objects.filter(ticket__isnull=False).values("ticket_id"))
        .order_by("id")
        .values_list("id", "customer_id", "resolved_at", "team_id", "assigned_to_id", "category")
    )
    for tid, cid, resolved_at, team, agent, category in tickets.iterator():
        if rng.random() > TICKET_SHARE:
            continue
        day = timezone.localdate(resolved_at)
        weights = LIKELIHOOD[(retained[cid], bought_after(cid, day))]
        ask(Survey.Kind.CSAT_TICKET, cid, day, _score(rng, weights, 1), ticket_id=tid,
            team_id=team, agent_id=agent, category=category)  # fmt: skip
    # CSAT after purchases; NPS once a quarter over the last year.
    for cid, bought in orders.items():
        if not bought:
            continue
        # Every buyer is asked after one purchase at least (so those who left are heard).
        surely = rng.randrange(len(bought))
        for i, (oid, on, rep) in enumerate(bought):
            if i == surely or rng.random() < ORDER_SHARE:
                weights = LIKELIHOOD[(retained[cid], bought_after(cid, on))]
                ask(Survey.Kind.CSAT_ORDER, cid, on, _score(rng, weights, 1), order_id=oid,
                    team_id=teams.get(cid), agent_id=rep)  # fmt: skip
    for quarter in range(4):
        day = as_of - dt.timedelta(days=91 * (4 - quarter) - 5)
        for cid in customers:
            if orders[cid] and orders[cid][0][1] <= day and rng.random() < 0.5:
                stay = retained[cid]
                ask(Survey.Kind.NPS, cid, day, _score(rng, NPS_STAY if stay else NPS_GONE, 0),
                    team_id=teams.get(cid))  # fmt: skip

    Invitation.objects.bulk_create(invitations, batch_size=2000)
    Response.objects.bulk_create(
        [Response(source=Response.Source.DEMO, **a) for a in answers], batch_size=2000
    )
    return {"surveys.Invitation": len(invitations), "surveys.Response": len(answers)}
