"""How the batch's customers hang together and who looked after them: relations (groups and
subsidiaries, contact persons, referrals, acquaintances), owner history with reassignments,
and the customers shared with channel partners."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kehu.customers.models import CustomerShare, OwnerHistory, Relation
from kehu.demo.commerce import Alloc
from kehu.demo.common import Clock, Table
from kehu.demo.customers import Plan
from kehu.demo.names import CONTACT_ROLES
from kehu.demo.org import Org

REASSIGN_REASONS = ("销售离职交接", "区域调整", "大客户升级，由资深销售跟进", "工作量平衡")
KNOWS_SHARE = 0.01


@dataclass
class Links:
    relations: Table
    owner_history: Table
    shares: Table


def build_links(
    rng: np.random.Generator,
    plan: Plan,
    org: Org,
    clock: Clock,
    alloc: Alloc,
    groups: list[tuple[int, list[int], list[int]]],
) -> Links:
    return Links(
        relations=_relations(rng, plan, clock, alloc, groups),
        owner_history=_owner_history(rng, plan, org, clock, alloc),
        shares=_shares(plan, org, clock, alloc),
    )


def _relations(rng, plan: Plan, clock: Clock, alloc: Alloc, groups) -> Table:
    seen: set[tuple[int, int, str]] = set()
    rows: list[tuple[int, int, str, str]] = []

    def add(a: int, b: int, kind: str, role: str = "") -> None:
        if a != b and (a, b, kind) not in seen:
            seen.add((a, b, kind))
            rows.append((a, b, kind, role))

    for head, subs, members in groups:
        for s in subs:
            add(head, s, "parent_of")
        for m in members:
            add(m, head, "member_of")
    real = ~plan.duplicate
    persons = rng.permutation(np.flatnonzero(~plan.company & real))
    firms = np.flatnonzero(plan.company & real)
    taken = 0
    for firm in firms:
        for _ in range(int(rng.integers(1, 3))):
            if taken >= len(persons):
                break
            role = CONTACT_ROLES[int(rng.integers(len(CONTACT_ROLES)))]
            add(int(persons[taken]), int(firm), "contact_at", role)
            taken += 1
    # Referrals point back to an earlier customer, who was there first.
    for i in np.flatnonzero((plan.source == "referral") & real):
        if i > 0:
            j = int(rng.integers(0, i))
            if real[j]:
                add(int(i), j, "referred_by")
    pool = np.flatnonzero(~plan.company & real)
    if len(pool) > 1:
        for _ in range(max(1, int(len(pool) * KNOWS_SHARE))):
            a, b = rng.choice(pool, 2, replace=False)
            add(int(min(a, b)), int(max(a, b)), "knows")

    frm = np.array([r[0] for r in rows], dtype=np.int64)
    to = np.array([r[1] for r in rows], dtype=np.int64)
    since = np.maximum(plan.acq_day[frm], plan.acq_day[to]) if len(rows) else frm
    created = clock.stamps(since, np.full(len(rows), 11 * 3600))
    return Table(
        Relation,
        {
            "id": alloc(Relation, len(rows)),
            "from_customer_id": plan.ids[frm],
            "to_customer_id": plan.ids[to],
            "kind": [r[2] for r in rows],
            "role": [r[3] for r in rows],
            "since": clock.dates(since),
            "created_at": created,
            "updated_at": created,
        },
    )


def _owner_history(rng, plan: Plan, org: Org, clock: Clock, alloc: Alloc) -> Table:
    owned = np.flatnonzero(plan.owner >= 0)
    moved = owned[plan.prev_owner[owned] >= 0]
    created = clock.stamps(plan.acq_day, np.full(plan.n, 9 * 3600 + 1800))
    handover = clock.stamps(plan.reassign_day, np.full(plan.n, 14 * 3600))
    never = np.datetime64("NaT", "s")
    first_owner = np.where(plan.prev_owner >= 0, plan.prev_owner, plan.owner)
    # Every owned customer's first period, closed at the handover where there was one; then
    # the current owner's open period for the reassigned.
    cust = np.concatenate([owned, moved])
    first = len(owned)
    is_first = np.arange(len(cust)) < first
    reasons = np.array(REASSIGN_REASONS, dtype=object)[rng.integers(0, 4, len(moved))]
    return Table(
        OwnerHistory,
        {
            "id": alloc(OwnerHistory, len(cust)),
            "customer_id": plan.ids[cust],
            "owner_id": np.where(is_first, first_owner[cust], plan.owner[cust]),
            "team_id": plan.team[cust],
            "started_at": np.where(is_first, created[cust], handover[cust]),
            "ended_at": np.where(is_first & (plan.prev_owner[cust] >= 0), handover[cust], never),
            "changed_by_id": np.where(is_first, -1, org.managers[plan.region[cust]]),
            "reason": np.concatenate([np.full(first, "created", dtype=object), reasons]),
        },
    )


def _shares(plan: Plan, org: Org, clock: Clock, alloc: Alloc) -> Table:
    shared = np.flatnonzero(plan.shared_with >= 0)
    at = clock.stamps(np.minimum(plan.acq_day[shared] + 1, 0), np.full(len(shared), 10 * 3600))
    return Table(
        CustomerShare,
        {
            "id": alloc(CustomerShare, len(shared)),
            "customer_id": plan.ids[shared],
            "partner_id": plan.shared_with[shared],
            "shared_at": at,
            "shared_by_id": org.managers[plan.region[shared]],
        },
    )
