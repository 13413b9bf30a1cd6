"""Control groups (D7): who of the customers entering a playbook or campaign is held back.

Deterministic and stratified. Each customer's draw is a seeded hash of (seed, group, customer
id), uniform in [0, 1): the same seed gives the same groups, whatever order the customers come
in. Within each stratum (tier | risk band) the share holds: when n customers enter a stratum
that already holds t customers of whom c are controls, the k = round(share · (t + n)) − c new
ones with the smallest draws become controls (0 ≤ k ≤ n), so every stratum's control share
stays within one customer of the target however the customers arrive, night after night.
The smallest draws of a uniform hash are a uniform random subset: no customer is more likely
to be held back for anything they are.

Plain Python; the services record the result (ControlAssignment) and never change it.
"""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping

DEFAULT_SEED = "kehu-retention"


def draw(seed: str, group: str, customer_id: int) -> float:
    digest = hashlib.blake2b(f"{seed}|{group}|{customer_id}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def quota(share: float, total: int) -> int:
    """Controls a stratum of ``total`` customers should hold (half rounds up)."""
    return math.floor(share * total + 0.5)


def assign(
    *,
    seed: str,
    group: str,
    share: float,
    entering: Iterable[tuple[int, str]],
    held: Mapping[str, tuple[int, int]] | None = None,
) -> dict[int, bool]:
    """{customer id: is control} for the customers ``entering`` (id, stratum) the group;
    ``held`` gives each stratum's (customers, controls) assigned before."""
    held = held or {}
    by_stratum: dict[str, list[int]] = defaultdict(list)
    for customer_id, stratum in entering:
        by_stratum[stratum].append(customer_id)
    result: dict[int, bool] = {}
    for stratum, ids in by_stratum.items():
        total, controls = held.get(stratum, (0, 0))
        k = min(len(ids), max(0, quota(share, total + len(ids)) - controls))
        ranked = sorted(ids, key=lambda cid: (draw(seed, group, cid), cid))
        chosen = set(ranked[:k])
        for cid in ids:
            result[cid] = cid in chosen
    return result
