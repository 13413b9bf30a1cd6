"""Reasons are plain words in English and Simplified Chinese, for both models."""

from __future__ import annotations

import pandas as pd

from kehu.analytics.churn import cli
from kehu.analytics.churn.activity import ActivityModel


def scores(fitted, data, tmp_path, lang):
    model, _ = fitted
    output = tmp_path / f"scores-{lang}.csv"
    argv = ["--model", str(model), "--data", str(data), "--id", "customerID"]
    assert cli.score_main([*argv, "--output", str(output), "--lang", lang, "--n-jobs", "1"]) == 0
    return pd.read_csv(output, dtype=str, keep_default_na=False)


def test_contract_reasons_in_both_languages(fitted, telecom_new_csv, tmp_path):
    frame = pd.read_csv(telecom_new_csv, dtype=str)
    en = scores(fitted, telecom_new_csv, tmp_path, "en")
    zh = scores(fitted, telecom_new_csv, tmp_path, "zh-Hans")
    reasons = ["reason_1", "reason_2", "reason_3"]
    monthly = (frame["Contract"] == "Month-to-month") & (
        en["churn_probability"].astype(float) > 0.5
    )
    assert monthly.sum() > 50
    en_text = en.loc[monthly, reasons].agg(" | ".join, axis=1)
    zh_text = zh.loc[monthly, reasons].agg(" | ".join, axis=1)
    assert en_text.str.contains("month-to-month contract").mean() > 0.9
    assert zh_text.str.contains("按月合同").mean() > 0.9
    # Same reasons in the same order, only the words differ.
    assert ((en["reason_1"] == "") == (zh["reason_1"] == "")).all()


def test_a_two_year_customer_is_never_told_month_to_month(fitted, telecom_new_csv, tmp_path):
    frame = pd.read_csv(telecom_new_csv, dtype=str)
    en = scores(fitted, telecom_new_csv, tmp_path, "en")
    two_year = en[frame["Contract"] == "Two year"]
    text = two_year[["reason_1", "reason_2", "reason_3"]].agg(" | ".join, axis=1)
    assert not text.str.contains("month-to-month").any()


def test_activity_reasons_in_both_languages(purchases):
    model = ActivityModel(n_jobs=1).fit(
        purchases, calibration_end="2024-09-30", horizon_end="2024-12-29"
    )
    en, zh = model.reasons("en"), model.reasons("zh-Hans")
    en_all = " | ".join(r for row in en for r in row)
    zh_all = " | ".join(r for row in zh for r in row)
    assert "days since last purchase, usually" in en_all
    assert "天未购买（通常" in zh_all
    assert [len(r) for r in en] == [len(r) for r in zh]
