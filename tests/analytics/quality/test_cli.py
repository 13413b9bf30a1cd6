"""``kehu dedupe`` on CSV files: encodings, every id once, clear input errors."""

from __future__ import annotations

import csv
import json

import pandas as pd
import pytest

from kehu.analytics.quality.cli import dedupe_main
from kehu.analytics.quality.csvio import detect_encoding

from .conftest import SAME_PERSON, handmade_frame


def _read_output(path) -> dict[str, str]:
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["id", "cluster_id"]
    ids = [r[0] for r in rows[1:]]
    assert len(ids) == len(set(ids)), "every id exactly once"
    return {r[0]: r[1] for r in rows[1:]}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_clusters_every_id_once_in_any_encoding(tmp_path, encoding):
    frame = handmade_frame().assign(notes="VIP 客户")  # unknown column: ignored
    src, out = tmp_path / "customers.csv", tmp_path / "clusters.csv"
    frame.to_csv(src, index=False, encoding=encoding)
    assert dedupe_main(["--input", str(src), "--output", str(out)]) == 0
    clusters = _read_output(out)
    assert set(clusters) == set(frame["id"])
    assert len({clusters[i] for i in SAME_PERSON}) == 1
    assert clusters["zw-other-1"] == "zw-other-1"  # singleton: its own cluster


def test_detect_encoding():
    assert detect_encoding("张伟".encode()) == "utf-8"
    assert detect_encoding("\ufeff张伟".encode()) == "utf-8-sig"
    assert detect_encoding("张伟".encode("gb18030")) == "gb18030"


def test_blank_lines_empty_cells_and_numeric_ids(tmp_path):
    src, out = tmp_path / "c.csv", tmp_path / "o.csv"
    src.write_text(
        "ID,Name,Phone,Birthday\n007,张伟,138 0013 8000,1985-06-01\n\n008,張偉,,\n009,,,\n",
        encoding="utf-8",
    )
    assert dedupe_main(["--input", str(src), "--output", str(out)]) == 0
    clusters = _read_output(out)
    assert set(clusters) == {"007", "008", "009"}  # leading zeros kept, header case-insensitive


def test_outputs_pairs_labels_and_model(tmp_path):
    src, out = tmp_path / "c.csv", tmp_path / "o.csv"
    pairs, labels, model = tmp_path / "pairs.csv", tmp_path / "labels.csv", tmp_path / "m.json"
    handmade_frame().to_csv(src, index=False)
    labels.write_text("id_l,id_r,is_match\nzw-1,zw-3,0\n", encoding="utf-8")
    argv = ["--input", str(src), "--output", str(out), "--threshold", "0.9"]
    argv += ["--pairs-out", str(pairs), "--labels", str(labels), "--model-out", str(model)]
    assert dedupe_main(argv) == 0
    scored = pd.read_csv(pairs)
    assert {"id_l", "id_r", "match_probability", "decision"} <= set(scored.columns)
    assert not ((scored.id_l == "zw-1") & (scored.id_r == "zw-3")).any()
    saved = json.loads(model.read_text(encoding="utf-8"))
    assert saved["format"] == "kehu.dedupe/1" and saved["params"]["threshold"] == 0.9
    clusters = _read_output(out)
    assert clusters["zw-1"] != clusters["zw-3"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("name,phone\n张伟,138\n", "line 1 (header) has no 'id' column"),
        ("id,name\n1,张伟\n,李娜\n", "line 3: missing 'id'"),
        ("id,name\n1,张伟\n2,李娜\n1,王芳\n", "line 4: duplicate 'id' '1' (first used on line 2)"),
        (
            "id,name\n1,张伟\n\n2,李娜\n2,王芳\n",
            "line 5: duplicate 'id' '2' (first used on line 4)",
        ),
        ("id,shoe_size\n1,40\n2,41\n", "No comparable column"),
        ('id,name,address\n1,张伟,"北京市\n海淀区"\n1,李娜,x\n', "line 4: duplicate 'id' '1'"),
        ("id,name\n1,张伟\n2,李娜,extra\n", "line 3: 3 fields, the header has 2"),
    ],
)
def test_input_errors_name_the_line(tmp_path, capsys, content, message):
    src = tmp_path / "bad.csv"
    src.write_text(content, encoding="utf-8")
    code = dedupe_main(["--input", str(src), "--output", str(tmp_path / "o.csv")])
    assert code == 2
    err = " ".join(capsys.readouterr().err.split())  # rich may wrap long lines
    assert message in err


def test_missing_file_and_bad_threshold(tmp_path, capsys):
    assert dedupe_main(["--input", str(tmp_path / "nope.csv"), "--output", "x.csv"]) == 2
    assert "no such file" in capsys.readouterr().err
    src = tmp_path / "c.csv"
    handmade_frame().to_csv(src, index=False)
    assert dedupe_main(["--input", str(src), "--output", "x.csv", "--threshold", "1.5"]) == 2
