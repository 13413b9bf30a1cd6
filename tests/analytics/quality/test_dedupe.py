"""The DuplicateFinder on Chinese data: scripts, pinyin, phone formats, namesakes."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from kehu.analytics.quality.dedupe import DuplicateFinder
from kehu.analytics.quality.prepare import InputError

from .conftest import SAME_PERSON, cluster_of, handmade_frame


def _assert_handmade_clusters(clusters: pd.DataFrame) -> None:
    of = cluster_of(clusters)
    assert len({of[i] for i in SAME_PERSON}) == 1, "张伟 / 張偉 / Zhang Wei are one person"
    same = of["zw-1"]
    assert of["zw-other-1"] != same and of["zw-other-2"] != same, "namesakes stay apart"
    assert of["zw-other-1"] != of["zw-other-2"]
    assert of["ln-1"] == of["ln-2"]  # 李娜 / Li Na, same phone and birthday
    assert of["wf-1"] == "wf-1"


def test_small_table_uses_priors_and_finds_the_same_person():
    finder = DuplicateFinder().fit(handmade_frame())
    assert finder.trained_ is False  # 8 rows: hand-set priors, no estimation
    clusters = finder.predict_clusters()
    _assert_handmade_clusters(clusters)
    assert clusters["cluster_id"].iloc[0] == "zw-1"  # first record in input order


def test_trained_model_on_background(trained):
    assert trained.trained_ is True
    assert trained.em_rules_, "at least one EM session succeeded"
    clusters = trained.predict_clusters()
    _assert_handmade_clusters(clusters)


def test_every_id_exactly_once_and_cluster_ids_are_member_ids(trained, background):
    clusters = trained.predict_clusters()
    assert sorted(clusters["id"]) == sorted(background["id"])
    assert clusters["id"].is_unique
    members = set(clusters["id"])
    assert set(clusters["cluster_id"]) <= members
    sizes = clusters.groupby("cluster_id")["id"].transform("size")
    assert (sizes == clusters["cluster_size"]).all()


def test_pairs_have_two_sided_decisions(trained):
    pairs = trained.predict_pairs()
    assert list(pairs.columns) == ["id_l", "id_r", "match_probability", "match_weight", "decision"]
    assert (pairs["match_probability"] >= trained.review_threshold).all()
    assert set(pairs["decision"]) <= {"match", "review"}
    is_match = pairs["match_probability"] >= trained.threshold
    assert (pairs.loc[is_match, "decision"] == "match").all()
    assert (pairs.loc[~is_match, "decision"] == "review").all()
    assert pairs["match_probability"].is_monotonic_decreasing
    # No self-pairs, no pair twice.
    keys = {frozenset(p) for p in zip(pairs.id_l, pairs.id_r, strict=True)}
    assert len(keys) == len(pairs) and all(len(k) == 2 for k in keys)


def test_fit_is_deterministic(background, trained):
    again = DuplicateFinder().fit(background)
    assert json.dumps(again.settings_, sort_keys=True, default=str) == json.dumps(
        {**trained.settings_, "linker_uid": again.settings_["linker_uid"]},
        sort_keys=True,
        default=str,
    )
    pd.testing.assert_frame_equal(again.predict_clusters(), trained.predict_clusters())


def test_absent_columns_are_dropped_and_unknown_columns_ignored():
    frame = handmade_frame()[["id", "name", "phone"]].assign(favourite_colour="blue")
    finder = DuplicateFinder().fit(frame)
    assert finder.comparisons_ == ["name", "phone"]
    assert all("birthday" not in r for r in finder.blocking_rules_)
    of = cluster_of(finder.predict_clusters())
    assert len({of[i] for i in SAME_PERSON}) == 1


def test_arrow_and_records_input(trained):
    import pyarrow as pa

    frame = handmade_frame()
    by_arrow = DuplicateFinder().fit(pa.Table.from_pandas(frame)).predict_clusters()
    by_records = DuplicateFinder().fit(frame.to_dict("records")).predict_clusters()
    pd.testing.assert_frame_equal(by_arrow, by_records)


def test_predict_on_another_table_with_the_learned_model(trained):
    clusters = trained.predict_clusters(handmade_frame())
    _assert_handmade_clusters(clusters)


def test_input_errors():
    with pytest.raises(InputError, match="no 'id' column"):
        DuplicateFinder().fit(pd.DataFrame({"name": ["张伟"]}))
    with pytest.raises(InputError, match="Row 2: duplicate 'id'"):
        DuplicateFinder().fit(pd.DataFrame({"id": [1, 1], "name": ["张伟", "李娜"]}))
    with pytest.raises(InputError, match="Row 1: missing 'id'"):
        DuplicateFinder().fit(pd.DataFrame({"id": [None, 2], "name": ["张伟", "李娜"]}))
    with pytest.raises(InputError, match="no rows"):
        DuplicateFinder().fit(pd.DataFrame({"id": [], "name": []}))
    with pytest.raises(InputError, match="No comparable column"):
        DuplicateFinder().fit(pd.DataFrame({"id": [1, 2], "shoe_size": [40, 41]}))


def test_oversized_blocking_rules_are_dropped():
    # Everybody in one city with one name: name & city would be quadratic.
    frame = pd.DataFrame(
        {
            "id": np.arange(300),
            "name": "张伟",
            "city": "北京",
            "phone": [f"1380000{i:04d}" for i in range(300)],
        }
    )
    finder = DuplicateFinder(max_pairs_per_rule=1000).fit(frame)
    assert "name_py_sorted & city" in finder.dropped_blocking_rules_
    assert finder.dropped_blocking_rules_["name_py_sorted & city"] == 300 * 299 // 2
