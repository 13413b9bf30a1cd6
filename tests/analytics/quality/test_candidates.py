"""Creation-time check: one new record against caller-supplied candidates."""

from __future__ import annotations

import statistics
import time

import duckdb
import numpy as np
import pytest

from kehu.analytics.quality.candidates import RecordScorer, lookup_keys
from kehu.analytics.quality.dedupe import DuplicateFinder
from kehu.analytics.quality.prepare import FEATURE_COLUMNS, feature_select_sql, prepare_table

from .conftest import handmade_frame


def test_lookup_keys_are_shared_by_the_variants_of_one_person():
    keys = [lookup_keys(r) for r in handmade_frame().head(3).to_dict("records")]
    assert {k["phone"] for k in keys} == {"+8613800138000"}
    assert {k["name_key"] for k in keys} == {"weizhang"}
    assert keys[0]["email"] == keys[2]["email"] == "zhangwei85@qq.com"
    company = lookup_keys({"company": "成都天府軟件有限責任公司", "ID_Number": " 1101x "})
    assert company["company"] == "成都天府软件"
    assert company["id_number"] == "1101X"
    assert lookup_keys({"family_name": "张", "given_name": "伟"})["name_key"] == "weizhang"
    assert lookup_keys({})["phone"] is None


def _record(background, rid):
    row = background.set_index("id").loc[rid].to_dict()
    return {"id": rid, **{k: v for k, v in row.items() if isinstance(v, str)}}


def test_scores_with_evidence(trained, background):
    scorer = trained.scorer()
    new = {"name": "張偉", "phone": "+86 138 0013 8000", "city": "北京"}  # not yet saved: no id
    candidates = [_record(background, i) for i in ("zw-1", "zw-other-1", "ln-1")]
    matches = scorer.score(new, candidates, threshold=trained.threshold)
    assert [m.id for m in matches] == ["zw-1"]
    # The namesake in the same city with another phone is at most "possible".
    namesake = scorer.score(new, candidates[1:2], threshold=0.0)[0]
    assert namesake.match_probability < trained.threshold
    best = matches[0]
    assert best.match_probability > 0.99
    by_field = {e.comparison: e for e in best.evidence}
    assert by_field["phone"].level == "exact" and by_field["phone"].match_weight > 10
    assert by_field["name"].level == "exact (normalised)"
    assert by_field["birthday"].level == "missing" and by_field["birthday"].match_weight == 0
    assert "phone" in best.matched_on
    everything = scorer.score(new, candidates, threshold=0.0)
    assert len(everything) == 3
    probs = [m.match_probability for m in everything]
    assert probs == sorted(probs, reverse=True)
    assert best.to_dict()["evidence"][0]["comparison"] == trained.comparisons_[0]


def test_empty_and_dataframe_candidates(trained, background):
    scorer = trained.scorer()
    assert scorer.score({"name": "张伟"}, []) == []
    frame = background[background["id"].isin(["zw-2", "zw-3"])]
    ids = {m.id for m in scorer.score(_record(background, "zw-1"), frame, threshold=0.0)}
    assert ids == {"zw-2", "zw-3"}


def test_agrees_with_splink_score_pairs(trained, background):
    """Same gamma levels (same SQL) and the same Fellegi-Sunter sum as Splink.

    The records include phones, birthdays and ID numbers of different lengths,
    which also checks that the lazily guarded ``hamming`` never raises.
    """
    rows = background.sample(40, random_state=3).to_dict("records")
    rows[0]["phone"], rows[1]["phone"] = "010-6552-9988", "13800138000"
    rows[2]["birthday"], rows[3]["birthday"] = "1985", "1985-06-01"
    rows[4]["id_number"], rows[5]["id_number"] = "12345", "110101198506011234"
    new, candidates = rows[0], rows[1:]
    mine = {m.id: m for m in trained.scorer().score(new, candidates, threshold=0.0)}

    prepared = prepare_table([new, *candidates])
    con = duckdb.connect()
    con.register("p", prepared.to_arrow(FEATURE_COLUMNS))
    features = con.execute(feature_select_sql("p", FEATURE_COLUMNS)).fetch_df()
    records = [
        {k: (list(v) if isinstance(v, np.ndarray) else v) for k, v in r.items()}
        for r in features.to_dict("records")
    ]
    splink = trained._linker_.inference.score_pairs(records[:1], records[1:]).as_pandas_dataframe()
    assert len(splink) == len(mine) == len(candidates)
    for uid, prob, weight in zip(
        splink.unique_id_r, splink.match_probability, splink.match_weight, strict=True
    ):
        ours = mine[prepared.ids[uid]]
        assert ours.match_weight == pytest.approx(weight, abs=1e-9)
        assert ours.match_probability == pytest.approx(prob, rel=1e-9, abs=1e-12)


def test_loaded_model_scores_identically(trained, background, tmp_path):
    path = tmp_path / "model.json"
    trained.save(path)
    loaded = DuplicateFinder.load(path)
    record = _record(background, "ln-2")
    candidates = [_record(background, i) for i in ("ln-1", "zw-1", "wf-1")]
    a = trained.score_record(record, candidates, threshold=0.0)
    b = loaded.score_record(record, candidates, threshold=0.0)
    assert [(m.id, m.match_weight) for m in a] == [(m.id, m.match_weight) for m in b]
    assert RecordScorer(loaded.settings_).comparison_names == trained.comparisons_


def test_fifty_candidates_within_200ms(trained, background):
    scorer = trained.scorer()
    rows = background.to_dict("records")
    scorer.score(rows[0], rows[1:51])  # warm-up: first query plans/caches
    timings = []
    for i in range(10):
        start = time.perf_counter()
        scorer.score(rows[100 + i], rows[200 + 50 * i : 250 + 50 * i])
        timings.append(time.perf_counter() - start)
    assert statistics.median(timings) < 0.2, timings


def test_unfitted_model_refuses():
    with pytest.raises(RuntimeError, match="not fitted"):
        DuplicateFinder().scorer()
