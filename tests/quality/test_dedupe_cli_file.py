"""``kehu dedupe --input/--output`` works on a file through the matcher's own CLI and
leaves the database alone."""

from __future__ import annotations

import csv

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kehu.quality.models import DuplicatePair

ROWS = [
    ("id", "name", "phone", "email", "city", "birthday"),
    ("c1", "张伟", "+8613800138000", "zhang.wei@example.com", "上海", "1985-04-01"),
    ("c2", "張偉", "138 0013 8000", "", "上海", "1985/4/1"),
    ("c3", "李娜", "+8613900139000", "li.na@example.com", "北京", ""),
    ("c4", "王芳", "+8613711112222", "wang.fang@example.com", "广州", "1990-01-02"),
]


def test_file_mode_writes_clusters_and_pairs(db, tmp_path):
    source, clusters, pairs = tmp_path / "in.csv", tmp_path / "out.csv", tmp_path / "pairs.csv"
    with open(source, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(ROWS)

    call_command(
        "dedupe",
        "--input",
        str(source),
        "--output",
        str(clusters),
        "--threshold",
        "0.9",
        "--pairs-out",
        str(pairs),
    )

    with open(clusters, encoding="utf-8") as fh:
        cluster_of = {row["id"]: row["cluster_id"] for row in csv.DictReader(fh)}
    assert set(cluster_of) == {"c1", "c2", "c3", "c4"}
    assert cluster_of["c1"] == cluster_of["c2"]
    assert len({cluster_of["c1"], cluster_of["c3"], cluster_of["c4"]}) == 3
    with open(pairs, encoding="utf-8") as fh:
        found = [(r["id_l"], r["id_r"]) for r in csv.DictReader(fh)]
    assert found == [("c1", "c2")]
    assert not DuplicatePair.objects.exists()


def test_file_mode_needs_both_paths(db, tmp_path):
    with pytest.raises(CommandError):
        call_command("dedupe", "--input", str(tmp_path / "in.csv"))
