"""An import row with an unknown choice names each allowed value once, with its label, although
the importer accepts the labels in both languages and extra words."""

from django.utils.translation import override

from kehu.imports import selectors

from .conftest import run_import


def test_unknown_gender_lists_each_value_once(org, customers_csv):
    path = customers_csv([["G-1", "某人", "13500135010", "", "", "", "unknown", ""]])
    with override("en"):
        job = run_import(org.alice, "customers", path)
        (row,) = selectors.error_rows(job)
    (problem,) = row.problems
    assert problem["field"] == "gender"
    assert problem["reason"].endswith("is not one of: F (Female), M (Male).")
