"""``kehu churn fit``/``score`` read a subscriber file separated by semicolons (a European
spreadsheet's "CSV"), tabs or bars, as the header shows."""

from __future__ import annotations

import pytest

from kehu.analytics.frames import read_frame


@pytest.mark.parametrize("sep", [",", ";", "\t", "|"])
def test_the_header_decides_the_separator(tmp_path, sep):
    path = tmp_path / "subscribers.csv"
    path.write_text(f"id{sep}tenure{sep}churn\nA{sep}3{sep}yes\nB{sep}40{sep}no\n")
    frame, _where = read_frame(path)
    assert list(frame.columns) == ["id", "tenure", "churn"]
    assert frame["tenure"].tolist() == ["3", "40"]
