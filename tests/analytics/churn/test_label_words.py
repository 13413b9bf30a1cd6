"""The churn label as files write it: yes/true/1/churned in any case, the UCI/MLC++ files'
"True." with its full stop, Chinese 是/流失/已流失; ``--positive`` for anything else."""

from __future__ import annotations

import pandas as pd
import pytest

from kehu.analytics.churn import cli
from kehu.analytics.frames import InputError


def where(i: int) -> str:
    return f"line {i + 2}"


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["Yes", "No", "yes"], [1, 0, 1]),
        ([" True.", " False.", "True."], [1, 0, 1]),
        (["1", "0", "1.0"], [1, 0, 1]),
        (["是", "否", "是"], [1, 0, 1]),
        (["已流失", "在网", "流失"], [1, 0, 1]),
        (["Churned", "Active", "CHURNED"], [1, 0, 1]),
    ],
)
def test_positive_words(values, expected):
    frame = pd.DataFrame({"churn": values})
    assert cli.labels_from(frame, "churn", None, where).tolist() == expected


def test_positive_given_by_the_user():
    frame = pd.DataFrame({"status": ["lost", "kept", "Lost."]})
    assert cli.labels_from(frame, "status", "Lost", where).tolist() == [1, 0, 1]


def test_no_positive_word_is_one_class():
    frame = pd.DataFrame({"status": ["lost", "kept"]})
    with pytest.raises(InputError, match="only one class"):
        cli.labels_from(frame, "status", None, where)
