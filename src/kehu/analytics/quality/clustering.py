"""Connected components over match edges, with user feedback constraints.

Splink can cluster in SQL, but it iterates joins until convergence; with the few
hundred thousand edges a million-customer run produces, a union-find in numpy
and Python is simpler and faster, and it lets us honour *cannot-link*
constraints: a pair a user rejected must never end up in the same cluster.

Edges are processed by decreasing probability (ties broken by node ids), so
the result is deterministic and, when a constraint blocks a merge, the
strongest evidence wins.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

__all__ = ["connected_components"]


def connected_components(
    n_nodes: int,
    left: np.ndarray,
    right: np.ndarray,
    weight: np.ndarray | None = None,
    must_link: Iterable[tuple[int, int]] = (),
    cannot_link: Iterable[tuple[int, int]] = (),
) -> np.ndarray:
    """Cluster label per node; the label is the smallest node index in the cluster.

    ``left``/``right`` are integer node indices of candidate edges, ``weight``
    their strength (higher first).  ``must_link`` pairs are merged first;
    ``cannot_link`` pairs are never brought into the same cluster (an edge that
    would do so is skipped).
    """
    # A plain list: scalar indexing is several times faster than on ndarray.
    parent = list(range(n_nodes))

    def find(x: int) -> int:
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:  # path compression
            parent[x], x = root, parent[x]
        return root

    # Cannot-link bookkeeping: root -> set of nodes it must not join.  Only the
    # few components touched by a rejected pair ever have an entry.
    forbidden: dict[int, set[int]] = {}
    for a, b in cannot_link:
        if a == b:
            continue
        forbidden.setdefault(int(a), set()).add(int(b))
        forbidden.setdefault(int(b), set()).add(int(a))

    def blocked(ra: int, rb: int) -> bool:
        fa, fb = forbidden.get(ra), forbidden.get(rb)
        if not fa or not fb:
            return False
        small, other = (fa, rb) if len(fa) <= len(fb) else (fb, ra)
        return any(find(x) == other for x in small)

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra == rb or blocked(ra, rb):
            return
        # Keep the smaller index as root: labels are then canonical.
        if rb < ra:
            ra, rb = rb, ra
        parent[rb] = ra
        moved = forbidden.pop(rb, None)
        if moved:
            forbidden.setdefault(ra, set()).update(moved)

    for a, b in must_link:
        union(int(a), int(b))

    left = np.asarray(left, dtype=np.int64)
    right = np.asarray(right, dtype=np.int64)
    if len(left):
        if weight is None:
            order = np.lexsort((right, left))
        else:
            order = np.lexsort((right, left, -np.asarray(weight, dtype=float)))
        if not forbidden:
            # Fast path without constraints: order does not matter for the result.
            for a, b in zip(left.tolist(), right.tolist(), strict=True):
                union(a, b)
        else:
            for i in order.tolist():
                union(int(left[i]), int(right[i]))

    # Resolve every node to its root by vectorised pointer jumping.
    labels = np.asarray(parent, dtype=np.int64)
    while True:
        nxt = labels[labels]
        if np.array_equal(nxt, labels):
            return labels
        labels = nxt
