"""User feedback: confirmed pairs teach m and are always linked; rejected pairs
are never proposed again and never end up in one cluster."""

from __future__ import annotations

import pandas as pd
import pytest

from kehu.analytics.quality.dedupe import DuplicateFinder
from tests.support.synthetic import generate_customers

from .conftest import cluster_of


def _m_values(settings: dict) -> list[float]:
    return [
        level.get("m_probability")
        for comparison in settings["comparisons"]
        for level in comparison["comparison_levels"]
        if not level.get("is_null_level")
    ]


@pytest.fixture(scope="module")
def labelled(background):
    truth = sorted(generate_customers(1500, dup_rate=0.05, seed=2024).true_pairs())
    confirmed = [(a, b, 1) for a, b in truth[:12]]
    labels = pd.DataFrame(
        [
            ("zw-1", "zw-3", 0),  # the user says: not the same person
            ("zw-other-1", "zw-other-2", 1),  # ... and these two are
            ("nobody", "zw-1", 0),  # unknown id: ignored
            *confirmed,
        ],
        columns=["id_l", "id_r", "is_match"],
    )
    return DuplicateFinder().fit(background, labels=labels)


def test_rejected_pair_is_never_proposed(trained, labelled):
    def has_pair(pairs: pd.DataFrame, a: str, b: str) -> bool:
        keys = {frozenset(p) for p in zip(pairs.id_l, pairs.id_r, strict=True)}
        return frozenset((a, b)) in keys

    # Without feedback the model proposes it (same phone, same pinyin)...
    assert has_pair(trained.predict_pairs(threshold=0.0), "zw-1", "zw-3")
    # ... with the rejection it never does, at any threshold.
    assert not has_pair(labelled.predict_pairs(threshold=0.0), "zw-1", "zw-3")
    assert labelled.rejected_pairs_ == [("zw-1", "zw-3")]
    of = cluster_of(labelled.predict_clusters())
    assert of["zw-1"] != of["zw-3"]  # cannot-link, although zw-2 matches both


def test_confirmed_pair_is_linked_and_teaches_m(trained, labelled):
    of = cluster_of(labelled.predict_clusters())
    assert of["zw-other-1"] == of["zw-other-2"]
    pairs = labelled.predict_pairs()
    row = pairs[(pairs.id_l == "zw-other-1") & (pairs.id_r == "zw-other-2")]
    assert len(row) == 1 and row.match_probability.iloc[0] == 1.0
    assert labelled.m_from_labels_ is True
    assert _m_values(labelled.settings_) != _m_values(trained.settings_)


def test_feedback_survives_save_and_load(labelled, background, tmp_path):
    path = tmp_path / "model.json"
    labelled.save(path)
    loaded = DuplicateFinder.load(path)
    assert loaded.rejected_pairs_ == labelled.rejected_pairs_
    pairs = loaded.predict_pairs(background, threshold=0.0)
    keys = {frozenset(p) for p in zip(pairs.id_l, pairs.id_r, strict=True)}
    assert frozenset(("zw-1", "zw-3")) not in keys
    # The scorer of the loaded model also hides the rejected candidate.
    rows = background.set_index("id")
    record = {"id": "zw-1", **rows.loc["zw-1"].to_dict()}
    candidates = [{"id": i, **rows.loc[i].to_dict()} for i in ("zw-2", "zw-3")]
    found = {m.id for m in loaded.score_record(record, candidates, threshold=0.0)}
    assert found == {"zw-2"}


def test_labels_need_the_right_columns(background):
    from kehu.analytics.quality.prepare import InputError

    with pytest.raises(InputError, match="is_match"):
        DuplicateFinder().fit(background.head(20), labels=pd.DataFrame({"id_l": [1], "id_r": [2]}))


def test_few_labels_do_not_estimate_m_but_are_honoured():
    frame = pd.DataFrame(
        [
            {"id": 1, "name": "张伟", "phone": "13800138000"},
            {"id": 2, "name": "张伟", "phone": "13800138000"},
            {"id": 3, "name": "李娜", "phone": "13500001234"},
        ]
    )
    labels = pd.DataFrame({"id_l": ["1", "3"], "id_r": ["2", "2"], "is_match": [0, 1]})
    finder = DuplicateFinder().fit(frame, labels=labels)  # ids as strings: lenient
    assert finder.m_from_labels_ is False
    clusters = finder.predict_clusters()
    of = dict(zip(clusters.id, clusters.cluster_id, strict=True))
    assert of[1] != of[2] and of[3] == of[2]
