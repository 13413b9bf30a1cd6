"""Connected components with must-link / cannot-link constraints."""

from __future__ import annotations

import numpy as np

from kehu.analytics.quality.clustering import connected_components


def test_components_and_singletons():
    labels = connected_components(6, np.array([0, 1, 3]), np.array([1, 2, 4]))
    assert labels.tolist() == [0, 0, 0, 3, 3, 5]


def test_cannot_link_keeps_the_strongest_edges():
    left, right = np.array([0, 1]), np.array([1, 2])
    # 0-1 is stronger than 1-2: with 0 and 2 forbidden together, 2 is split off.
    labels = connected_components(3, left, right, np.array([0.99, 0.9]), cannot_link=[(0, 2)])
    assert labels.tolist() == [0, 0, 2]
    labels = connected_components(3, left, right, np.array([0.9, 0.99]), cannot_link=[(0, 2)])
    assert labels.tolist() == [0, 1, 1]


def test_must_link_without_edges_and_a_rejected_direct_edge():
    labels = connected_components(
        4, np.array([2]), np.array([3]), np.array([0.99]), must_link=[(0, 1)], cannot_link=[(2, 3)]
    )
    assert labels.tolist() == [0, 0, 2, 3]


def test_large_random_graph_is_fast_and_canonical():
    rng = np.random.default_rng(0)
    n = 200_000
    left, right = rng.integers(0, n, 20_000), rng.integers(0, n, 20_000)
    labels = connected_components(n, left, right)
    assert (labels <= np.arange(n)).all()  # label = smallest member
    assert (labels[left] == labels[right]).all()
