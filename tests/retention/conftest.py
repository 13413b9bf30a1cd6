"""Helpers for ``kehu retention lift``: files in the shape of Hillstrom's MineThatData test.

The published test (64,000 customers, two e-mail campaigns and a control) has the columns
recency, history_segment, history, mens, womens, zip_code, newbie, channel, segment (Mens
E-Mail / Womens E-Mail / No E-Mail), visit, conversion, spend. The synthetic files here have
that shape, with made-up rates.
"""

from __future__ import annotations

import csv
import io
import json
import random
from pathlib import Path

import pytest
from django.core.management import call_command

COLUMNS = [
    "recency", "history_segment", "history", "mens", "womens", "zip_code", "newbie",
    "channel", "segment", "visit", "conversion", "spend",
]  # fmt: skip
RATES = {"Mens E-Mail": 0.18, "Womens E-Mail": 0.15, "No E-Mail": 0.10}


def hillstrom_rows(n: int = 900, seed: int = 7) -> list[dict[str, object]]:
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        segment = list(RATES)[i % 3]
        visit = int(rng.random() < RATES[segment])
        conversion = int(visit and rng.random() < 0.2)
        spend = round(rng.uniform(20, 400), 2) if conversion else 0
        history = round(rng.uniform(30, 3000), 2)
        rows.append({
            "recency": rng.randint(1, 12), "history_segment": "2) $100 - $200",
            "history": history, "mens": 1, "womens": rng.randint(0, 1),
            "zip_code": rng.choice(["Urban", "Surburban", "Rural"]), "newbie": rng.randint(0, 1),
            "channel": rng.choice(["Web", "Phone", "Multichannel"]), "segment": segment,
            "visit": visit, "conversion": conversion, "spend": spend,
        })  # fmt: skip
    return rows


def write_csv(path: Path, rows: list[dict[str, object]], columns: list[str] | None = None) -> Path:
    columns = columns or list(rows[0])
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def hillstrom_csv(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "hillstrom.csv", hillstrom_rows(), COLUMNS)


def lift(*args: str) -> str:
    """Run ``kehu retention lift ARGS`` and return what it printed."""
    out = io.StringIO()
    call_command("retention", "lift", *args, stdout=out)
    return out.getvalue()


def lift_json(path: Path, *, arm: str, control: str, outcome: str) -> dict:
    text = lift("--data", str(path), "--arm", arm, "--control", control, "--outcome", outcome,
                "--json")  # fmt: skip
    return json.loads(text)
