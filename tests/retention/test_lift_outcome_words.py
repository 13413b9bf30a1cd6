"""A yes/no outcome (yes/true/1 and no/false/0, any case) gives the same lift as 1/0."""

from __future__ import annotations

from tests.retention.conftest import hillstrom_rows, lift_json, write_csv

WORDS = {1: ["yes", "TRUE", "Yes", "1", "true"], 0: ["no", "False", "NO", "0", "false"]}


def test_yes_no_words_equal_ones_and_zeros(tmp_path):
    rows = hillstrom_rows(300)
    numbers = write_csv(tmp_path / "numbers.csv", rows)
    worded = [dict(r, visit=WORDS[int(r["visit"])][i % 5]) for i, r in enumerate(rows)]
    words = write_csv(tmp_path / "words.csv", worded)
    expected = lift_json(numbers, arm="segment", control="No E-Mail", outcome="visit")
    assert lift_json(words, arm="segment", control="No E-Mail", outcome="visit") == expected
