"""The plan of one batch of demo customers: who is which persona, which are injected
duplicates of whom, where they live, who owns them, when they were acquired and in which
periods they buy. Everything numeric and vectorised; the strings come in ``profiles``."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kehu.demo import personas as P
from kehu.demo.common import Clock
from kehu.demo.org import Org
from kehu.demo.places import CITY_P_BY_REGION, REGION_WEIGHTS

PERSON_SOURCES = ("walk_in", "referral", "web", "phone", "event", "partner", "campaign", "press")
PERSON_SOURCE_P = np.array([0.25, 0.12, 0.2, 0.08, 0.06, 0.08, 0.14, 0.07])
COMPANY_SOURCES = ("referral", "web", "phone", "event", "partner", "directory", "press", "walk_in")
COMPANY_SOURCE_P = np.array([0.15, 0.15, 0.15, 0.15, 0.12, 0.18, 0.05, 0.05])
DUPLICATE_SOURCES = ("web", "phone", "walk_in", "import")
COMPANY_SHARE = 0.12
UNASSIGNED_SHARE = 0.04  # customers nobody owns yet (a data-quality task for managers)
REASSIGNED_SHARE = 0.12
EXTRA_SHARE_SHARE = 0.03  # customers shared with a dealer for installation and service


@dataclass
class Plan:
    n: int
    number: np.ndarray  # global customer number, 1-based: external_id "demo-<number>"
    ids: np.ndarray
    persona: np.ndarray  # index into personas.CODES; -1 for an injected duplicate
    original: np.ndarray  # batch index of the duplicated customer, -1 otherwise
    company: np.ndarray
    female: np.ndarray
    region: np.ndarray  # index into places.REGIONS
    city: np.ndarray  # index into places.CITIES
    team: np.ndarray  # team id
    owner: np.ndarray  # user id, -1 unassigned
    prev_owner: np.ndarray  # owner before the reassignment, -1 when never reassigned
    reassign_day: np.ndarray  # day of the reassignment (only where prev_owner >= 0)
    acq_day: np.ndarray
    source: np.ndarray  # object array of Customer.Source values
    partner: np.ndarray  # partner id the customer came through, -1 none
    shared_with: np.ndarray  # partner id the customer is shared with, -1 none
    # Buying periods: [a1, b1] at rate r1 and [a2, b2] at rate r2 (orders per year), with
    # spend-per-order factors k1 / k2. An empty period has a > b.
    a1: np.ndarray
    b1: np.ndarray
    r1: np.ndarray
    k1: np.ndarray
    a2: np.ndarray
    b2: np.ndarray
    r2: np.ndarray
    k2: np.ndarray

    def is_(self, code: str) -> np.ndarray:
        return self.persona == P.INDEX[code]

    @property
    def duplicate(self) -> np.ndarray:
        return self.original >= 0


def _duplicates(rng: np.random.Generator, n: int) -> np.ndarray:
    """Batch index of the original for each injected duplicate, -1 elsewhere. A duplicate is
    entered after its original, so it points backwards, and never at another duplicate."""
    original = np.full(n, -1, dtype=np.int64)
    k = round(n * P.DUPLICATE_SHARE)
    if k == 0 or n < 10:
        return original
    first = max(n // 10, 1)
    spots = np.sort(rng.choice(np.arange(first, n), size=k, replace=False))
    original[spots] = -2
    for i in spots:
        j = int(rng.integers(0, i))
        while original[j] != -1:
            j = int(rng.integers(0, i))
        original[i] = j
    return original


def plan_batch(
    rng: np.random.Generator, *, first_number: int, ids: np.ndarray, org: Org, clock: Clock
) -> Plan:
    n = len(ids)
    W = clock.window
    original = _duplicates(rng, n)
    dup = original >= 0
    persona = np.full(n, -1, dtype=np.int64)
    persona[~dup] = P.allocate(rng, int((~dup).sum()), P.SHARES)
    src = np.where(dup, original, np.arange(n))  # the real customer behind each record

    company = (rng.random(n) < COMPANY_SHARE)[src]
    female = (rng.random(n) < 0.52)[src]
    region = rng.choice(len(REGION_WEIGHTS), size=n, p=REGION_WEIGHTS)[src]
    city = np.zeros(n, dtype=np.int64)
    for r, p in enumerate(CITY_P_BY_REGION):
        here = region == r
        city[here] = rng.choice(len(p), size=int(here.sum()), p=p)
    city = city[src]
    team = org.team_ids[region]

    owner = np.full(n, -1, dtype=np.int64)
    for r in range(len(org.reps)):
        here = region == r
        owner[here] = rng.choice(org.reps[r], size=int(here.sum()), p=org.rep_weights[r])
    owner[rng.random(n) < UNASSIGNED_SHARE] = -1

    def code(c: str) -> np.ndarray:
        return persona == P.INDEX[c]

    # Acquisition: about half were customers before the history window opens.
    acq = np.where(rng.random(n) < 0.55, -W - rng.integers(0, 5 * 365, n), -rng.integers(30, W, n))
    stop = np.zeros(n, dtype=np.int64)  # last day of the first buying period
    back = np.ones(n, dtype=np.int64)  # first day of the second period (won back)
    lapsing, lost, won = code("lapsing"), code("lost"), code("won_back")
    stop[lapsing] = -rng.integers(4 * P.MONTH, 8 * P.MONTH + 1, int(lapsing.sum()))
    stop[lost] = -rng.integers(13 * P.MONTH + 5, 18 * P.MONTH + 1, int(lost.sum()))
    back[won] = -rng.integers(1 * P.MONTH, 4 * P.MONTH + 1, int(won.sum()))
    stop[won] = back[won] - rng.integers(7 * P.MONTH, 12 * P.MONTH + 1, int(won.sum()))
    partial = code("partial")
    stop[partial] = -P.PARTIAL_MONTHS * P.MONTH - 1
    # Churn stories need history before the change: acquired well before it.
    needs_history = lapsing | lost | won | partial
    latest = stop - 8 * P.MONTH
    # Debts go bad only months after their due date: bad debtors have bought for a year.
    latest[code("bad_debt")] = -365
    late = (needs_history | code("bad_debt")) & (acq > latest)
    acq[late] = latest[late] - rng.integers(0, 400, int(late.sum()))
    # A duplicate is entered later than its original, by someone who did not find it.
    acq[dup] = np.minimum(acq[original[dup]] + rng.integers(30, 400, int(dup.sum())), -1)

    start = np.maximum(acq, -W)
    a1, b1 = start.copy(), np.zeros(n, dtype=np.int64)
    b1[needs_history] = stop[needs_history]
    a2 = np.ones(n, dtype=np.int64)
    b2 = np.zeros(n, dtype=np.int64)
    a2[won], a2[partial] = back[won], -P.PARTIAL_MONTHS * P.MONTH
    r1 = np.where(dup, P.DUPLICATE_RATE, P.RATES[np.maximum(persona, 0)])
    k1 = np.where(dup, 0.8, P.BASKETS[np.maximum(persona, 0)])
    r2, k2 = r1.copy(), k1.copy()
    r2[partial] *= 0.2
    k2[partial] *= 0.5
    a2[~(won | partial)] = 1  # no second period

    source = np.where(
        company,
        np.array(COMPANY_SOURCES, dtype=object)[
            rng.choice(len(COMPANY_SOURCES), n, p=COMPANY_SOURCE_P)
        ],
        np.array(PERSON_SOURCES, dtype=object)[
            rng.choice(len(PERSON_SOURCES), n, p=PERSON_SOURCE_P)
        ],
    )
    source[dup] = np.array(DUPLICATE_SOURCES, dtype=object)[
        rng.integers(0, len(DUPLICATE_SOURCES), int(dup.sum()))
    ]

    # Dealers of the customer's region: whoever came through one is shared with it.
    partner = np.full(n, -1, dtype=np.int64)
    shared_with = np.full(n, -1, dtype=np.int64)
    for r in range(len(org.reps)):
        local = org.partner_ids[org.partner_region == r]
        here = region == r
        chosen = rng.choice(local, size=int(here.sum()))
        partner[here] = np.where(source[here] == "partner", chosen, -1)
        extra = rng.random(int(here.sum())) < EXTRA_SHARE_SHARE
        shared_with[here] = np.where((partner[here] >= 0) | extra, chosen, -1)

    # Reassignments: a rep leaves or territories change; the book moves to a colleague.
    prev_owner = np.full(n, -1, dtype=np.int64)
    reassign_day = np.ones(n, dtype=np.int64)
    can = (owner >= 0) & ~dup & (start < -60) & (rng.random(n) < REASSIGNED_SHARE)
    for i in np.flatnonzero(can):
        reps = org.reps[region[i]]
        others = reps[reps != owner[i]]
        prev_owner[i] = others[int(rng.integers(len(others)))]
        reassign_day[i] = int(rng.integers(start[i] + 30, -10))

    return Plan(
        n=n,
        number=first_number + np.arange(n),
        ids=ids,
        persona=persona,
        original=original,
        company=company,
        female=female,
        region=region,
        city=city,
        team=team,
        owner=owner,
        prev_owner=prev_owner,
        reassign_day=reassign_day,
        acq_day=acq,
        source=source,
        partner=partner,
        shared_with=shared_with,
        a1=a1,
        b1=b1,
        r1=r1,
        k1=k1,
        a2=a2,
        b2=b2,
        r2=r2,
        k2=k2,
    )


def owner_on(plan: Plan, customer: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Who owned ``customer`` (batch index) on ``day``: the sales rep of an order then."""
    before = (plan.prev_owner[customer] >= 0) & (day < plan.reassign_day[customer])
    return np.where(before, plan.prev_owner[customer], plan.owner[customer])
