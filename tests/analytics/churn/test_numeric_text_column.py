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


def test_missing_value_markers_of_r_excel_and_databases_are_blanks_in_numbers_and_yes_no():
    frame = pd.DataFrame(
        {
            "total_charges": ["29.85", "NA", "1889.5", "#N/A", "NULL", "-", "108.15"],
            "paperless": ["Yes", "No", "NA", "yes", "N/A", "no", "Yes"],
            "region": ["NA", "EU", "APAC", "NA", "EU", "EU", "APAC"],
        }
    )
    specs = {s.name: s for s in T.fit_specs(frame, list(frame.columns))}
    assert specs["total_charges"].kind == "numeric" and specs["total_charges"].has_missing
    assert specs["paperless"].kind == "boolean"
    assert specs["region"].kind == "category" and "NA" in specs["region"].levels
    X = T.tree_matrix(frame, [specs["total_charges"], specs["paperless"]])
    assert X[[0, 2, 6], 0].tolist() == [29.85, 1889.5, 108.15]
    assert pd.isna(X[[1, 3, 4, 5], 0]).all()
    assert pd.isna(X[[2, 4], 1]).all() and X[[0, 1, 3], 1].tolist() == [1.0, 0.0, 1.0]
