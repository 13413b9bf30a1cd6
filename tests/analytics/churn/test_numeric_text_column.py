"""A numeric column stored as text with blanks (Telco's TotalCharges) is used as a number."""

from __future__ import annotations

import pandas as pd

from kehu.analytics.churn import tabular as T


def test_text_numbers_with_blanks_are_numeric():
    frame = pd.DataFrame(
        {
            "TotalCharges": ["29.85", " ", "1,889.50", "", "108.15"],
            "Contract": ["Month-to-month", "One year", "", "Two year", "One year"],
            "Paperless": ["Yes", "no", "YES", "", "No"],
        }
    )
    specs = {s.name: s for s in T.fit_specs(frame, list(frame.columns))}
    assert specs["TotalCharges"].kind == "numeric"
    assert specs["Contract"].kind == "category"
    assert specs["Paperless"].kind == "boolean"
    X = T.tree_matrix(frame, [specs["TotalCharges"], specs["Paperless"]])
    assert X[:, 0].tolist()[0] == 29.85 and X[2, 0] == 1889.5
    assert pd.isna(X[1, 0]) and pd.isna(X[3, 0])
    assert X[:, 1].tolist()[:3] == [1.0, 0.0, 1.0]


def test_a_column_with_one_word_among_numbers_is_a_category():
    frame = pd.DataFrame({"plan": ["10", "20", "gold", "10"]})
    assert T.fit_specs(frame, ["plan"])[0].kind == "category"
